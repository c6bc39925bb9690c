#include "tunnel/tunnel.hpp"

#include "tunnel/tcp.hpp"
#include "tunnel/udp.hpp"

namespace peerport::tunnel {

ShareTunnel::ShareTunnel(hyperdht::Dht& dht, ShareOptions options, EventFn on_event)
    : dht_(dht), options_(std::move(options)), on_event_(std::move(on_event)) {}

ShareTunnel::~ShareTunnel() = default;

uv_loop_t* ShareTunnel::loop() const {
  return dht_.node().socket().udx().loop();
}

std::string ShareTunnel::service_name() const {
  return options_.host + ":" + std::to_string(options_.port);
}

void ShareTunnel::make_server(const crypto::KeyPair& key_pair,
                              std::function<void(std::unique_ptr<hyperdht::Connection>)> accept) {
  auto so = share_server_options(options_, gate_, stats_);
  server_ = std::make_unique<hyperdht::Server>(
      dht_, key_pair, std::move(so),
      [this, accept = std::move(accept)](std::unique_ptr<hyperdht::Connection> conn) {
        if (!gate_->admits(conn->remote_public_key())) {
          ++stats_->refused_over_limit;
          release_later(loop(), std::move(conn));
          return;
        }
        accept(std::move(conn));
      });
}

ConnectTunnel::ConnectTunnel(hyperdht::Dht& dht, const crypto::KeyPair& key_pair,
                             const crypto::PublicKey& remote, Options options, EventFn on_event)
    : dht_(dht)
    , key_pair_(key_pair)
    , remote_(remote)
    , options_(std::move(options))
    , on_event_(std::move(on_event)) {}

ConnectTunnel::~ConnectTunnel() = default;

uv_loop_t* ConnectTunnel::loop() const {
  return dht_.node().socket().udx().loop();
}

void ConnectTunnel::when_admitted(std::function<bool()> start) {
  waiting_.push_back(std::move(start));
  admit_waiting();
}

void ConnectTunnel::attempt_done() {
  if (in_flight_ > 0) --in_flight_;
  admit_waiting();
}

// A start may finish its attempt at once (attempt_done() from inside it): the loop, not
// recursion, then admits the next, so a burst of failures cannot grow the stack.
void ConnectTunnel::admit_waiting() {
  if (admitting_) return;
  admitting_ = true;
  while (in_flight_ < limits::kConnectMaxAttemptsInFlight && !waiting_.empty()) {
    std::function<bool()> start = std::move(waiting_.front());
    waiting_.pop_front();
    ++in_flight_;
    if (!start()) --in_flight_;
  }
  admitting_ = false;
}

std::unique_ptr<ShareTunnel> make_share(Transport transport, hyperdht::Dht& dht,
                                        const crypto::KeyPair& key_pair, ShareOptions options,
                                        EventFn on_event) {
  if (transport == Transport::udp) {
    return std::make_unique<UdpShare>(dht, key_pair, std::move(options), std::move(on_event));
  }
  return std::make_unique<TcpShare>(dht, key_pair, std::move(options), std::move(on_event));
}

std::unique_ptr<ConnectTunnel> make_connect(Transport transport, hyperdht::Dht& dht,
                                            const crypto::KeyPair& key_pair,
                                            const crypto::PublicKey& remote, ConnectOptions options,
                                            EventFn on_event) {
  if (transport == Transport::udp) {
    return std::make_unique<UdpConnect>(dht, key_pair, remote, std::move(options),
                                        std::move(on_event));
  }
  return std::make_unique<TcpConnect>(dht, key_pair, remote, std::move(options),
                                      std::move(on_event));
}

}  // namespace peerport::tunnel
