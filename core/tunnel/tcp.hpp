#pragma once
// TCP port forwarding over encrypted connections, hypertele's model (so the two interoperate):
// the sharing side pipes each incoming connection to a TCP connection to the shared host:port;
// the connecting side listens on a local port and opens one connection per accepted socket.
//
// Each Pipe joins one TCP socket and one hyperdht::Connection with backpressure both ways (a
// side whose peer is not draining stops being read) and exact half-close (EOF on one side ends
// only that direction on the other).

#include <uv.h>

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "common/uv.hpp"
#include "hyperdht/server.hpp"
#include "relay/connector.hpp"
#include "tunnel/common.hpp"

namespace peerport::tunnel {

class Pipe;

// The sharing side: a Server on `key_pair` forwarding to host:port.
class TcpShare {
 public:
  using Options = ShareOptions;
  TcpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options, EventFn on_event);
  ~TcpShare();
  void start(std::function<void(Status)> done);
  hyperdht::Server& server() { return *server_; }
  const Stats& stats() const { return *stats_; }
  // The clients with a tunnel open now, and what each moved (sampled, not evented).
  const PeerLedger& peers() const { return *ledger_; }
  // Ends every tunnel `peer` has open; the share keeps running and the client may open new
  // ones, unless `block`: then it is turned away for as long as the share runs. Returns how
  // many tunnels were ended.
  std::size_t disconnect(const crypto::PublicKey& peer, bool block);

 private:
  hyperdht::Dht& dht_;
  Options options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  std::shared_ptr<std::set<Pipe*>> pipes_ = std::make_shared<std::set<Pipe*>>();
  std::shared_ptr<ShareGate> gate_ =
      std::make_shared<ShareGate>(options_.max_connections, options_.max_connections_per_peer);
  std::shared_ptr<PeerLedger> ledger_ = std::make_shared<PeerLedger>();
  std::unique_ptr<hyperdht::Server> server_;
};

// The connecting side: a local TCP listener whose connections go to the share `remote`.
class TcpConnect {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: a free port
    // Direct first, then through a relay; none: direct only.
    std::shared_ptr<relay::Connector> connector;
    // Whether the owner knows the share turns this key away (connect_retry_delay_ms).
    std::function<bool()> refusal_known;
  };
  TcpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, const crypto::PublicKey& remote,
             Options options, EventFn on_event);
  ~TcpConnect();
  Status start();
  std::uint16_t port() const { return port_; }
  const Stats& stats() const { return *stats_; }

 private:
  static void on_connection(uv_stream_t* server, int status);
  void connect_pipe(Pipe* pipe, int attempt);

  hyperdht::Dht& dht_;
  crypto::KeyPair key_pair_;
  crypto::PublicKey remote_{};
  Options options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  uvx::Handle<uv_tcp_t> listener_;
  std::uint16_t port_ = 0;
  std::shared_ptr<std::set<Pipe*>> pipes_ = std::make_shared<std::set<Pipe*>>();
  uvx::Lifetime alive_;
};

}  // namespace peerport::tunnel
