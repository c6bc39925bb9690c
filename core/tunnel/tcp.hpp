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
#include "tunnel/tunnel.hpp"

namespace peerport::tunnel {

class Pipe;

// The sharing side: each peer's connection piped to a TCP connection to the service.
class TcpShare : public ShareTunnel {
 public:
  using Options = ShareOptions;
  TcpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options, EventFn on_event);
  ~TcpShare() override;
  void start(std::function<void(Status)> done) override;
  std::size_t disconnect(const crypto::PublicKey& peer, bool block) override;

 private:
  void accept(std::unique_ptr<hyperdht::Connection> conn);

  std::shared_ptr<std::set<Pipe*>> pipes_ = std::make_shared<std::set<Pipe*>>();
};

// The connecting side: a local TCP listener; each accepted socket gets its own connection.
class TcpConnect : public ConnectTunnel {
 public:
  TcpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, const crypto::PublicKey& remote,
             Options options, EventFn on_event);
  ~TcpConnect() override;
  Status start() override;

 private:
  static void on_connection(uv_stream_t* server, int status);
  void connect_pipe(Pipe* pipe, int attempt);
  void start_attempt(Pipe* pipe, int attempt);

  uvx::Handle<uv_tcp_t> listener_;
  std::shared_ptr<std::set<Pipe*>> pipes_ = std::make_shared<std::set<Pipe*>>();
};

}  // namespace peerport::tunnel
