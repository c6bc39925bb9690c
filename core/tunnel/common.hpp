#pragma once
// What every tunnel (TCP or UDP, sharing or connecting side) reports to its owner.

#include <uv.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "relay/connector.hpp"

namespace peerport::tunnel {

struct Stats {
  std::uint64_t bytes_in = 0;   // from the peer to the local side
  std::uint64_t bytes_out = 0;  // from the local side to the peer
  std::uint64_t connections = 0;
  std::uint64_t active = 0;
  std::uint64_t dropped = 0;  // UDP datagrams dropped: a congested tunnel or a full socket
  std::uint32_t rtt_ms = 0;   // smoothed round-trip time of the busiest recent connection
  std::uint64_t refused_over_limit = 0;  // sharing side: clients turned away by a connection cap
  std::uint64_t idle_closed = 0;         // UDP pipes closed for carrying nothing for too long
};

struct Event {
  // path_changed: a relayed tunnel moved to a direct path (relayed = false).
  enum Kind { opened, closed, error, retrying, path_changed } kind = opened;
  std::string peer;      // the remote public key, hex
  std::string message;   // for errors, retries and closes
  bool relayed = false;  // opened: the tunnel runs through a blind relay
  // errors, retries and closes: what went wrong, for decisions and translations (a clean
  // close: ok)
  Errc code = Errc::ok;
};
using EventFn = std::function<void(const Event&)>;

// What a sharing side (TCP or UDP) needs to know about its service and who may reach it.
struct ShareOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // Empty: anyone with the key. Otherwise only these client keys (hypertele's allow list).
  std::vector<crypto::PublicKey> allow;
  // Told about every client the allow list turned away, so the sharer can see refusals.
  std::function<void(const crypto::PublicKey&)> on_refused;
  // What a client, or all of them, may make the share hold (limits.hpp has the reasons).
  std::size_t max_connections = limits::kShareMaxConnections;
  std::size_t max_connections_per_peer = limits::kShareMaxConnectionsPerPeer;
  std::uint64_t udp_idle_timeout_ms = limits::kShareUdpIdleTimeoutMs;
};

// One client of a share while it has at least one tunnel open: the sharer's per-peer view. The
// pipes count into it as they count into Stats (one add per message, no event per packet); the
// engine samples it on its stats tick.
struct PeerTraffic {
  std::uint64_t serial = 0;     // new for each time the client appears, so rates restart
  std::uint64_t since_ms = 0;   // loop time its first open tunnel opened
  std::uint64_t bytes_in = 0;   // from the client to the service
  std::uint64_t bytes_out = 0;  // from the service to the client
  std::uint32_t tunnels = 0;    // open now
  std::uint32_t rtt_ms = 0;     // smoothed round-trip time of its busiest recent tunnel
  bool relayed = false;         // its latest tunnel runs through a blind relay
};

// A share's clients with a tunnel open, keyed by their public key. An entry lives while the
// client has a tunnel open, so it holds at most as many entries as the share's connection cap.
class PeerLedger {
 public:
  std::shared_ptr<PeerTraffic> join(const crypto::PublicKey& peer, std::uint64_t now_ms,
                                    bool relayed) {
    auto& entry = peers_[peer];
    if (!entry) {
      entry = std::make_shared<PeerTraffic>();
      entry->serial = ++serials_;
      entry->since_ms = now_ms;
    }
    ++entry->tunnels;
    entry->relayed = relayed;
    return entry;
  }
  void leave(const crypto::PublicKey& peer) {
    auto it = peers_.find(peer);
    if (it == peers_.end()) return;
    if (--it->second->tunnels == 0) peers_.erase(it);
  }
  const std::map<crypto::PublicKey, std::shared_ptr<PeerTraffic>>& peers() const { return peers_; }

 private:
  std::map<crypto::PublicKey, std::shared_ptr<PeerTraffic>> peers_;
  std::uint64_t serials_ = 0;
};

// The connections a share carries, in all and per client key. Shared with the pipes, which
// outlive neither the share's callbacks nor their own count: a pipe leaves when it is deleted.
class ShareGate {
 public:
  ShareGate(std::size_t max_total, std::size_t max_per_peer)
      : max_total_(max_total), max_per_peer_(max_per_peer) {}
  bool admits(const crypto::PublicKey& peer) const {
    if (total_ >= max_total_ || is_blocked(peer)) return false;
    auto it = per_peer_.find(peer);
    return it == per_peer_.end() || it->second < max_per_peer_;
  }
  void enter(const crypto::PublicKey& peer) {
    ++total_;
    ++per_peer_[peer];
  }
  void leave(const crypto::PublicKey& peer) {
    auto it = per_peer_.find(peer);
    if (it == per_peer_.end()) return;
    --total_;
    if (--it->second == 0) per_peer_.erase(it);
  }
  std::size_t total() const { return total_; }
  // Turned away from now on, for as long as the share runs (the sharer disconnected and blocked
  // it). Bounded by the keys a sharer blocks by hand.
  void block(const crypto::PublicKey& peer) { blocked_.insert(peer); }
  bool is_blocked(const crypto::PublicKey& peer) const { return blocked_.count(peer) != 0; }

 private:
  std::set<crypto::PublicKey> blocked_;
  std::size_t max_total_;
  std::size_t max_per_peer_;
  std::size_t total_ = 0;
  std::map<crypto::PublicKey, std::size_t> per_peer_;
};

// A pipe's place in its share: one of the share's connection slots, taken when the pipe is
// admitted, and its client's entry in the ledger once it is attached; both are given back when
// the pipe goes.
class ShareSeat {
 public:
  ShareSeat(std::shared_ptr<ShareGate> gate, const crypto::PublicKey& peer)
      : gate_(std::move(gate)), peer_(peer) {
    gate_->enter(peer_);
  }
  ~ShareSeat() {
    gate_->leave(peer_);
    if (ledger_) ledger_->leave(peer_);
  }
  ShareSeat(const ShareSeat&) = delete;
  ShareSeat& operator=(const ShareSeat&) = delete;

  void track(std::shared_ptr<PeerLedger> ledger, std::uint64_t now_ms, bool relayed) {
    ledger_ = std::move(ledger);
    traffic_ = ledger_->join(peer_, now_ms, relayed);
  }
  bool serves(const crypto::PublicKey& key) const { return peer_ == key; }
  // What the pipe moved counts into here (null until tracked).
  PeerTraffic* traffic() const { return traffic_.get(); }

 private:
  std::shared_ptr<ShareGate> gate_;
  crypto::PublicKey peer_{};
  std::shared_ptr<PeerLedger> ledger_;
  std::shared_ptr<PeerTraffic> traffic_;
};

// What both kinds of pipe (tcp.cpp's Pipe, udp.cpp's UdpPipe) keep of the tunnel they carry:
// their entry in the owner's registry, their slot in a share, the stats they count into, their
// connection, and the closed event they send as they go. A pipe owns itself: it closes its one
// libuv handle (close_handle) and is deleted once libuv is done with it. Self is the pipe's
// own type, which the registry holds.
template <class Self>
class PipeBase {
 public:
  void set_registry(std::shared_ptr<std::set<Self*>> reg) {
    registry_ = std::move(reg);
    as_self_ = static_cast<Self*>(this);
    registry_->insert(as_self_);
  }
  void set_peer(const crypto::PublicKey& key) { peer_ = to_hex(key); }
  // Sharing side: the pipe's slot in the share, held until it is deleted (ShareSeat).
  void hold_slot(std::shared_ptr<ShareGate> gate, const crypto::PublicKey& key) {
    seat_ = std::make_unique<ShareSeat>(std::move(gate), key);
  }
  // Sharing side, once attached: the pipe counts into its client's entry of the ledger.
  void track(std::shared_ptr<PeerLedger> ledger, std::uint64_t now_ms) {
    seat_->track(std::move(ledger), now_ms, conn_ && (conn_->relayed() || conn_->relay_offered()));
  }
  bool serves(const crypto::PublicKey& key) const { return seat_ && seat_->serves(key); }

 protected:
  PipeBase(std::shared_ptr<Stats> stats, EventFn on_event)
      : stats_(std::move(stats)), on_event_(std::move(on_event)) {
    ++stats_->connections;
    ++stats_->active;
  }
  ~PipeBase() {
    seat_.reset();
    if (registry_) registry_->erase(as_self_);
    --stats_->active;
    if (on_event_) on_event_({Event::closed, peer_, reason_, false, code_});
  }
  PipeBase(const PipeBase&) = delete;
  PipeBase& operator=(const PipeBase&) = delete;

  PeerTraffic* traffic() const { return seat_ ? seat_->traffic() : nullptr; }

  // Closes the pipe's handle once; the pipe is deleted when libuv is done with it, after a
  // connection still open is ended (its on_close runs inside destroy()).
  void close_handle(uv_handle_t* handle) {
    if (closing_) return;
    closing_ = true;
    uv_close(handle, [](uv_handle_t* h) {
      auto* self = static_cast<Self*>(h->data);
      if (self->conn_ && !self->conn_closed_) self->conn_->destroy();
      delete self;
    });
  }

  std::shared_ptr<Stats> stats_;
  EventFn on_event_;
  std::string peer_;    // the remote public key, hex
  std::string reason_;  // why it closed, for the closed event (empty: a clean close)
  Errc code_ = Errc::ok;
  std::unique_ptr<hyperdht::Connection> conn_;
  bool conn_closed_ = false;
  bool closing_ = false;

 private:
  std::shared_ptr<std::set<Self*>> registry_;
  Self* as_self_ = nullptr;  // as the registry holds it
  std::unique_ptr<ShareSeat> seat_;
};

// Frees a connection from a fresh loop iteration: it may have been handed over inside one of its
// own stream's callbacks, which must not see it freed under them.
inline void release_later(uv_loop_t* loop, std::unique_ptr<hyperdht::Connection> conn) {
  if (!conn) return;
  conn->set_callbacks({});
  conn->destroy();
  uvx::defer_delete(loop, std::move(conn));
}

// One retry policy for TCP and UDP connects. The peer may be restarting or moving: a failed
// connect is tried again after 0.5, 1 and 2 s (the local side waits meanwhile), then the failure
// stands. Two randomizing NATs without a relay would only fail the same way: no retry.
// A refusal the owner already knew of (its probe of the share was turned away as well) is
// final at once: retrying only kept the local client waiting half a minute for the same "no".
inline constexpr int kConnectAttempts = 4;

// A share that is announced but turns our handshake away. hyperdht's server drops a
// firewalled (allow-list) handshake without a word, as the reference's server.js does, so an
// unanswered handshake (PEER_CONNECTION_FAILED) to a share the lookup still finds is the
// refusal; one answered with an error (SERVER_ERROR) is one too.
inline bool is_refusal(Errc code) {
  return code == Errc::peer_connection_failed || code == Errc::server_error;
}

inline std::optional<std::uint64_t> connect_retry_delay_ms(Errc code, int attempt,
                                                           bool refusal_known = false) {
  const bool hopeless = code == Errc::holepunch_double_randomized_nats ||
                        code == Errc::relay_unavailable || (refusal_known && is_refusal(code));
  if (hopeless || attempt + 1 >= kConnectAttempts) return std::nullopt;
  return std::uint64_t{500} << attempt;
}

// Connects to `remote`, through the relay-aware connector when there is one.
inline void connect_peer(hyperdht::Dht& dht, const std::shared_ptr<relay::Connector>& connector,
                         const crypto::KeyPair& local, const crypto::PublicKey& remote,
                         hyperdht::Connection::Callbacks callbacks,
                         hyperdht::Connection::ConnectDone done) {
  if (connector) {
    connector->connect(local, remote, std::move(callbacks), std::move(done));
  } else {
    hyperdht::Connection::connect(dht, local, remote, std::move(callbacks), std::move(done));
  }
}

// The server options of a share: a firewall admitting only `allow` (when it is not empty) and
// only while the gate has room. A refused handshake gets no answer, so it costs the share
// nothing more; handshakes admitted together are counted again when they connect.
inline hyperdht::Server::Options share_server_options(const ShareOptions& options,
                                                      std::shared_ptr<ShareGate> gate,
                                                      std::shared_ptr<Stats> stats) {
  hyperdht::Server::Options so;
  so.pair_relay = relay::pairer();
  so.firewall = [allow = options.allow, on_refused = options.on_refused, gate, stats](
                    const crypto::PublicKey& remote, const dht::Address&) {
    if ((!allow.empty() && std::find(allow.begin(), allow.end(), remote) == allow.end()) ||
        gate->is_blocked(remote)) {
      if (on_refused) on_refused(remote);
      return false;
    }
    if (!gate->admits(remote)) {
      ++stats->refused_over_limit;
      return false;
    }
    return true;
  };
  return so;
}

}  // namespace peerport::tunnel
