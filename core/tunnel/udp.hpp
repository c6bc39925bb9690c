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
#include "tunnel/tunnel.hpp"

namespace peerport::tunnel {

class UdpPipe;

// The sharing side: each peer's connection piped to a UDP socket toward the service.
class UdpShare : public ShareTunnel {
 public:
  using Options = ShareOptions;
  UdpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options, EventFn on_event);
  ~UdpShare() override;
  void start(std::function<void(Status)> done) override;
  std::size_t disconnect(const crypto::PublicKey& peer, bool block) override;

 private:
  void accept(std::unique_ptr<hyperdht::Connection> conn);
  void sweep();

  std::shared_ptr<std::set<UdpPipe*>> pipes_ = std::make_shared<std::set<UdpPipe*>>();
  std::unique_ptr<uvx::Timer> sweeper_;
};

// The connecting side: a local UDP socket; each local sender gets its own connection.
class UdpConnect : public ConnectTunnel {
 public:
  UdpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, const crypto::PublicKey& remote,
             Options options, EventFn on_event);
  ~UdpConnect() override;
  Status start() override;

 private:
  struct Client;
  void on_datagram(ByteView d, const sockaddr_in& from);
  std::map<std::string, std::shared_ptr<Client>>::iterator open_client(const std::string& key,
                                                                       const sockaddr_in& from);
  void connect_client(const std::string& key, Client* client, int attempt);
  void start_attempt(const std::string& key, Client* client, int attempt);
  void send_to(const sockaddr_in& to, ByteView d);
  void close_client(const std::string& key, Errc code, const std::string& reason);
  void sweep();

  uvx::Handle<uv_udp_t> socket_;
  // The local socket's receive buffer. Not thread_local: glibc zeroes every thread's static
  // TLS when it starts, so a TLS buffer would cost each thread of every process its size.
  std::unique_ptr<std::uint8_t[]> recv_buf_;
  std::unique_ptr<uvx::Timer> sweeper_;
  std::map<std::string, std::shared_ptr<Client>> clients_;
};

}  // namespace peerport::tunnel
