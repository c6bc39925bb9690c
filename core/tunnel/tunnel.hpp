#pragma once
// What an owner (the engine, the CLI demo) holds of a tunnel, whichever protocol it carries: a
// share (a Server forwarding each peer's connection to a local service) or a connect (a local
// listener forwarding to a share). TCP and UDP differ only in how they pipe bytes (tcp.hpp,
// udp.hpp); what they keep and report is here, once.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "common/uv.hpp"
#include "tunnel/common.hpp"

namespace peerport::tunnel {

enum class Transport { tcp, udp };

// The sharing side: a Server on a key pair, forwarding to options.host:port.
class ShareTunnel {
 public:
  virtual ~ShareTunnel();
  ShareTunnel(const ShareTunnel&) = delete;
  ShareTunnel& operator=(const ShareTunnel&) = delete;

  // Announces the share; `done` says whether the DHT took the announcement.
  virtual void start(std::function<void(Status)> done) = 0;
  // Ends every tunnel `peer` has open; the share keeps running and the client may open new
  // ones, unless `block`: then it is turned away for as long as the share runs. Returns how
  // many tunnels were ended.
  virtual std::size_t disconnect(const crypto::PublicKey& peer, bool block) = 0;

  hyperdht::Server& server() { return *server_; }
  const Stats& stats() const { return *stats_; }
  // The clients with a tunnel open now, and what each moved (sampled, not evented).
  const PeerLedger& peers() const { return *ledger_; }

 protected:
  ShareTunnel(hyperdht::Dht& dht, ShareOptions options, EventFn on_event);
  // Makes the server; every connection it hands over that the gate still admits (handshakes
  // the firewall admitted together may connect together, so they are counted again) goes to
  // `accept`, the others are released and counted.
  void make_server(const crypto::KeyPair& key_pair,
                   std::function<void(std::unique_ptr<hyperdht::Connection>)> accept);
  uv_loop_t* loop() const;
  std::string service_name() const;
  // Blocks `peer` if asked, then calls `end` on every pipe in `pipes` serving it.
  template <class P>
  std::size_t end_tunnels_of(const std::shared_ptr<std::set<P*>>& pipes,
                             const crypto::PublicKey& peer, bool block) {
    if (block) gate_->block(peer);
    std::vector<P*> theirs;
    for (P* p : *pipes) {
      if (p->serves(peer)) theirs.push_back(p);
    }
    // Each close may run callbacks that touch the registry: only pipes still in it are ended.
    for (P* p : theirs) {
      if (pipes->count(p)) p->disconnect();
    }
    return theirs.size();
  }

  hyperdht::Dht& dht_;
  ShareOptions options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  std::shared_ptr<ShareGate> gate_ =
      std::make_shared<ShareGate>(options_.max_connections, options_.max_connections_per_peer);
  std::shared_ptr<PeerLedger> ledger_ = std::make_shared<PeerLedger>();
  std::unique_ptr<hyperdht::Server> server_;
};

// What a connecting side needs: where to listen, and how to reach the share.
struct ConnectOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free port
  // Direct first, then through a relay; none: direct only.
  std::shared_ptr<relay::Connector> connector;
  // Whether the owner knows the share turns this key away (connect_retry_delay_ms).
  std::function<bool()> refusal_known;
  // UDP: a local client silent this long has its tunnel closed (UDP has no end of its own).
  std::uint64_t idle_timeout_ms = 120000;
};

// The connecting side: a local listener whose connections go to the share `remote`.
class ConnectTunnel {
 public:
  using Options = ConnectOptions;
  virtual ~ConnectTunnel();
  ConnectTunnel(const ConnectTunnel&) = delete;
  ConnectTunnel& operator=(const ConnectTunnel&) = delete;

  // Binds the local port; an error says why it is not available.
  virtual Status start() = 0;
  std::uint16_t port() const { return port_; }
  const Stats& stats() const { return *stats_; }

 protected:
  ConnectTunnel(hyperdht::Dht& dht, const crypto::KeyPair& key_pair,
                const crypto::PublicKey& remote, Options options, EventFn on_event);
  uv_loop_t* loop() const;

  // Connect attempts take turns (limits::kConnectMaxAttemptsInFlight at once). `start` runs now
  // or when a slot frees, and returns whether it started an attempt; one that did must call
  // attempt_done() exactly once when the attempt ends, whatever its outcome.
  void when_admitted(std::function<bool()> start);
  void attempt_done();
  std::size_t attempts_waiting() const { return waiting_.size(); }

  hyperdht::Dht& dht_;
  crypto::KeyPair key_pair_;
  crypto::PublicKey remote_{};
  Options options_;
  EventFn on_event_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
  std::uint16_t port_ = 0;
  uvx::Lifetime alive_;

 private:
  void admit_waiting();

  std::size_t in_flight_ = 0;
  std::deque<std::function<bool()>> waiting_;
  bool admitting_ = false;
};

std::unique_ptr<ShareTunnel> make_share(Transport transport, hyperdht::Dht& dht,
                                        const crypto::KeyPair& key_pair, ShareOptions options,
                                        EventFn on_event);
std::unique_ptr<ConnectTunnel> make_connect(Transport transport, hyperdht::Dht& dht,
                                            const crypto::KeyPair& key_pair,
                                            const crypto::PublicKey& remote, ConnectOptions options,
                                            EventFn on_event);

}  // namespace peerport::tunnel
