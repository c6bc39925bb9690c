#pragma once
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "common/limits.hpp"
#include "common/uv.hpp"
#include "crypto/hash.hpp"
#include "hyperdht/connection.hpp"
#include "hyperdht/dht.hpp"

namespace peerport::hyperdht {

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
    std::size_t max_cached_replies = limits::kServerMaxCachedReplies;
    std::size_t max_slots = limits::kServerMaxHolepunchSlots;
    std::size_t max_birthday_sets = limits::kServerMaxBirthdaySets;
    std::size_t max_relay_pairings = limits::kServerMaxRelayPairings;
    // How to pair at a relay a client offers (relay::pairer()); without it the offer is
    // ignored and the client's holepunch decides.
    PairAtRelay pair_relay;
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
  std::optional<Bytes> accept(const Handshake& hs, const dht::Address& client, std::uint64_t now);
  NoisePayload our_payload(std::uint64_t reach, std::uint32_t stream_id) const;
  void open_birthday_sockets(Connection& conn, const dht::Address& client);
  void pair_for(Connection& conn, const RelayThrough& offer, std::uint32_t client_stream);
  void wait_for_first_packet(std::unique_ptr<Connection> conn, std::uint64_t now);
  void on_holepunch(const dht::Request& req, const dht::Address& from);
  void on_punch(const dht::Address& from);
  void on_tick();
  void announce(std::function<void(Status)> done);
  void keep_relays_alive();
  // One client's holepunch (lib/server.js _holepunches[id]): alive for kSlotLifetime.
  struct Slot;
  Slot* open_slot(std::uint64_t now, const dht::Address& client, NoisePayload& mine);

  Dht& dht_;
  crypto::KeyPair key_pair_;
  Options options_;
  OnConnection on_connection_;
  dht::NodeId target_{};
  std::unique_ptr<uvx::Timer> refresh_;
  std::unique_ptr<uvx::Timer> punch_timer_;
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
  // The same replies oldest first (when made, key): expiry and eviction take from the front, so
  // a handshake costs O(log n) however full the cache is, not a scan of up to 4,096 entries.
  std::deque<std::pair<std::uint64_t, crypto::Hash32>> reply_order_;
  void drop_oldest_reply();
  // Accepted, waiting for the client's first packet: connection, when accepted.
  std::map<Connection*, std::pair<std::unique_ptr<Connection>, std::uint64_t>> waiting_;
  // Connections holding birthday sockets, for max_birthday_sets (handed over ones included).
  std::vector<std::pair<Connection*, uvx::Lifetime::Token>> birthday_holders_;
  // Relay pairings under way: each pairing's callback holds a reference.
  std::shared_ptr<int> relay_tickets_ = std::make_shared<int>(0);
  mutable Stats stats_;
  uvx::Lifetime alive_;
};

}  // namespace peerport::hyperdht
