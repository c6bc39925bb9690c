#pragma once
// UDP port forwarding over encrypted connections, holesail's model (so the two interoperate):
// datagrams travel framed (tunnel/framing.hpp) on one reliable stream per UDP client.
//  - UdpShare: each incoming connection gets its own local UDP socket talking to host:port,
//    so replies find their way back to the right peer.
//  - UdpConnect: a local UDP socket; each new source address opens a connection to the share.
// UDP semantics are kept: a congested tunnel or a full socket drops datagrams (counted) rather
// than buffering without bound. Idle clients are closed on both sides (Options::idle_timeout_ms,
// ShareOptions::udp_idle_timeout_ms).

#include <uv.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/uv.hpp"
#include "hyperdht/server.hpp"
#include "relay/connector.hpp"
#include "tunnel/common.hpp"

namespace peerport::tunnel {

class UdpPipe;

class UdpShare {
 public:
  using Options = ShareOptions;
  UdpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options, EventFn on_event);
  ~UdpShare();
  void start(std::function<void(Status)> done);
  hyperdht::Server& server() { return *server_; }
  const Stats& stats() const { return *stats_; }
  // As TcpShare's: the clients with a tunnel open now, and ending one client's tunnels.
  const PeerLedger& peers() const { return *ledger_; }
  std::size_t disconnect(const crypto::PublicKey& peer, bool block);

 private:
  void sweep();

  hyperdht::Dht& dht_;
  Options options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  std::shared_ptr<std::set<UdpPipe*>> pipes_ = std::make_shared<std::set<UdpPipe*>>();
  std::shared_ptr<ShareGate> gate_ =
      std::make_shared<ShareGate>(options_.max_connections, options_.max_connections_per_peer);
  std::shared_ptr<PeerLedger> ledger_ = std::make_shared<PeerLedger>();
  std::unique_ptr<hyperdht::Server> server_;
  std::unique_ptr<uvx::Timer> sweeper_;
};

class UdpConnect {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // 0: a free port
    // Direct first, then through a relay; none: direct only.
    std::shared_ptr<relay::Connector> connector;
    // Whether the owner knows the share turns this key away (connect_retry_delay_ms).
    std::function<bool()> refusal_known;
    std::uint64_t idle_timeout_ms = 120000;
  };
  UdpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, const crypto::PublicKey& remote,
             Options options, EventFn on_event);
  ~UdpConnect();
  Status start();
  std::uint16_t port() const { return port_; }
  const Stats& stats() const { return *stats_; }

 private:
  struct Client;
  void on_datagram(ByteView d, const sockaddr_in& from);
  std::map<std::string, std::shared_ptr<Client>>::iterator open_client(const std::string& key,
                                                                       const sockaddr_in& from);
  void connect_client(const std::string& key, Client* client, int attempt);
  void send_to(const sockaddr_in& to, ByteView d);
  void close_client(const std::string& key, Errc code, const std::string& reason);
  void sweep();

  hyperdht::Dht& dht_;
  crypto::KeyPair key_pair_;
  crypto::PublicKey remote_{};
  Options options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  uvx::Handle<uv_udp_t> socket_;
  std::unique_ptr<uvx::Timer> sweeper_;
  std::uint16_t port_ = 0;
  std::map<std::string, std::shared_ptr<Client>> clients_;
  uvx::Lifetime alive_;
};

}  // namespace peerport::tunnel
