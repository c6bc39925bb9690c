#pragma once
// An end-to-end encrypted connection to a peer found by its public key: a UDX stream on the
// DHT's own socket, wrapped in SecretStream with the keys of the Noise IK handshake that went
// through the DHT (hyperdht 6.34 lib/connect.js, the direct path of docs/hyperdht-connect-notes.md
// section 4.2).
//
// Flow: find_peer(hash(key)) -> the node holding the server's announcement relays our
// PEER_HANDSHAKE (Noise msg1 with our UDX stream id) -> the reply carries msg2 and the server's
// address and stream id -> connect the UDX stream there -> SecretStream header, then data.
// Not yet: PEER_HOLEPUNCH rounds for peers behind NATs, and the server side.

#include <functional>
#include <map>
#include <memory>

#include "common/limits.hpp"
#include "common/uv.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret_stream.hpp"
#include "hyperdht/dht.hpp"
#include "udx/udx.hpp"

namespace peerport::relay {
class RelayClient;
}

namespace peerport::hyperdht {

struct ConnectOptions {
  // Offer this blind relay in the handshake (hyperdht's relayThrough): both peers pair there
  // and the stream runs through it unless a direct path is found first; a relayed stream
  // moves to a direct path as soon as one opens.
  std::optional<crypto::PublicKey> relay_through;
  // Through the relay even where a direct path exists, and stay there (diagnostics, and tests
  // on one host where everything is direct).
  bool force_relay = false;
};

class Connection {
 public:
  struct Callbacks {
    std::function<void(ByteView)> on_data;
    std::function<void()> on_end;
    std::function<void()> on_drain;
    std::function<void(const Status&)> on_close;
    // The stream moved from the relay to a direct path (it never moves back).
    std::function<void()> on_direct;
  };
  using ConnectDone = std::function<void(Result<std::unique_ptr<Connection>>)>;

  // Connects to the server with public key `remote`, as `local` (the Noise static key).
  static void connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                      Callbacks callbacks, ConnectDone done, ConnectOptions options = {});

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void set_callbacks(Callbacks cb) { cb_ = std::move(cb); }
  bool write(ByteView data);  // false: wait for on_drain
  void end();
  void destroy();
  // Receive-side backpressure: stop taking data from the peer until resumed.
  void pause_reading() {
    if (stream_) stream_->pause_reading();
  }
  void resume_reading() {
    if (stream_) stream_->resume_reading();
  }
  const crypto::PublicKey& remote_public_key() const { return remote_; }
  const udx::Stream& stream() const { return *stream_; }
  std::uint32_t rtt_ms() const { return stream_ ? stream_->stats().srtt_ms : 0; }
  // Whether the stream runs through a blind relay right now (it may move to direct later).
  bool relayed() const { return relayed_; }
  // Server side: the client asked to meet at a relay (the switch happens once paired).
  bool relay_offered() const { return relay_offered_; }

 private:
  Connection() = default;
  struct Pending;
  struct Punch;
  static void decide(const std::shared_ptr<Pending>& p, const dht::Address& relay,
                     const Handshake& reply, const dht::Address& client_address,
                     const NoisePayload& theirs);
  static void complete(const std::shared_ptr<Pending>& p, const dht::Address& to,
                       std::unique_ptr<udx::Socket> socket = nullptr);
  static void start_relay(const std::shared_ptr<Pending>& p);
  static void finish(const std::shared_ptr<Pending>& p);
  static void hand_over(const std::shared_ptr<Pending>& p);
  static void arm_silence(const std::shared_ptr<Pending>& p);
  static void fail_silent(const std::shared_ptr<Pending>& p, const std::string& relay_error);
  // A relayed stream found a direct path: move there (the relay link stays until the end).
  void upgrade(udx::Socket& socket, const udx::Address& to);
  void watch_for_direct();
  // Once data flows, the birthday sockets the stream did not take are closed.
  void prune_sockets();
  static void punch(const std::shared_ptr<Pending>& p, const dht::Address& relay,
                    const dht::Address& server, const NoisePayload& theirs);
  static void send_round(const std::shared_ptr<Punch>& h, bool punching);
  friend class Server;
  // The stream, its callbacks routed through this connection (set before any packet).
  void make_stream(udx::Udx& udx, std::uint32_t id, bool accept_first_packet,
                   std::uint32_t remote_id);

  crypto::PublicKey remote_{};
  Callbacks cb_;
  // Extra sockets this connection's stream may run on: birthday sockets of a holepunch through
  // a randomizing NAT. Declared before stream_ so they outlive it.
  std::vector<std::unique_ptr<udx::Socket>> sockets_;
  std::unique_ptr<udx::Stream> stream_;
  std::unique_ptr<crypto::SecretStream> secret_;
  std::unique_ptr<relay::RelayClient> relay_;
  bool relayed_ = false;
  bool relay_offered_ = false;
  udx::Address relay_address_;
  std::uint32_t peer_stream_id_ = 0;  // the peer's own stream id, for a direct path
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// A server reachable by its public key (hyperdht lib/server.js, the direct path): announces
// itself under hash(key), answers relayed handshakes after asking `firewall`, and hands each
// accepted peer over as a Connection whose stream connects on the peer's first packet.
class Server {
 public:
  struct Options {
    // Return false to refuse a peer; it then hears nothing back, as from a JS server.
    std::function<bool(const crypto::PublicKey& remote, const dht::Address& address)> firewall;
    // What unknown clients can make us hold (core/common/limits.hpp says why each is what it is).
    std::size_t max_pending = limits::kServerMaxPendingHandshakes;
    std::size_t max_slots = limits::kServerMaxHolepunchSlots;
    std::size_t max_birthday_sets = limits::kServerMaxBirthdaySets;
    std::size_t max_relay_pairings = limits::kServerMaxRelayPairings;
  };
  struct Stats {
    std::uint64_t refused = 0;           // the firewall said no
    std::uint64_t evicted_pending = 0;   // the oldest waiting handshake made room (max_pending)
    std::uint64_t evicted_slots = 0;     // the oldest holepunch slot made room (max_slots)
    std::uint64_t birthday_skipped = 0;  // answered without birthday sockets (max_birthday_sets)
    std::uint64_t relay_skipped = 0;     // answered without our relay half (max_relay_pairings)
    std::size_t pending = 0;             // now: accepted, waiting for the client's first packet
    std::size_t cached_replies = 0;
    std::size_t slots = 0;
    std::size_t birthday_sets = 0;
    std::size_t relay_pairings = 0;
    std::uint64_t random_probes = 0;  // probes sent to random ports of clients' hosts
    std::size_t random_probing = 0;   // clients probed on the last tick (kMaxRandomProbingSlots)
  };
  using OnConnection = std::function<void(std::unique_ptr<Connection>)>;

  Server(Dht& dht, const crypto::KeyPair& key_pair, Options options, OnConnection on_connection);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Announces and keeps the announcement fresh; done once the first announcement is stored.
  void listen(std::function<void(Status)> done);
  // Takes the announcement back from the nodes storing it (on shutdown, so clients stop
  // finding a server that is gone) and stops refreshing it.
  void unannounce(std::function<void()> done);
  const crypto::PublicKey& public_key() const { return key_pair_.public_key; }
  std::uint64_t refused() const { return stats_.refused; }
  Stats stats() const;

 private:
  void on_handshake(const dht::Request& req, const dht::Address& from);
  void on_holepunch(const dht::Request& req, const dht::Address& from);
  void on_punch(const dht::Address& from);
  void on_tick();
  void announce(std::function<void(Status)> done);
  void keep_relays_alive();
  // One client's holepunch (lib/server.js _holepunches[id]): alive for kSlotLifetime.
  struct Slot;

  Dht& dht_;
  crypto::KeyPair key_pair_;
  Options options_;
  OnConnection on_connection_;
  dht::NodeId target_{};
  uv_timer_t* refresh_ = nullptr;
  uv_timer_t* punch_timer_ = nullptr;
  std::unique_ptr<uvx::Timer> keepalive_;
  bool keepalive_round_ = false;  // pings of the last round still out
  std::map<std::uint64_t, std::unique_ptr<Slot>> slots_;
  std::uint64_t next_slot_ = 0;
  std::uint64_t punch_listener_ = 0;
  void expire(std::uint64_t now);
  void make_room(bool needs_slot);
  std::size_t birthday_sets() const;
  // Replies by the hash of msg1, so a client's retried handshake gets the same answer
  // (lib/server.js): reply, when made.
  std::map<crypto::Hash32, std::pair<Bytes, std::uint64_t>> replies_;
  // Accepted, waiting for the client's first packet: connection, when accepted.
  std::map<Connection*, std::pair<std::unique_ptr<Connection>, std::uint64_t>> waiting_;
  // Connections holding birthday sockets, for max_birthday_sets (handed over ones included).
  std::vector<std::pair<Connection*, std::weak_ptr<bool>>> birthday_holders_;
  // Relay pairings under way: each pairing's callback holds a reference.
  std::shared_ptr<int> relay_tickets_ = std::make_shared<int>(0);
  mutable Stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace peerport::hyperdht
