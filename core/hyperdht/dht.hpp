#pragma once
// HyperDHT on top of the dht-rpc node (hyperdht 6.34 index.js + lib/persistent.js):
//  - the storage a persistent node offers others: announcements (LOOKUP, FIND_PEER,
//    ANNOUNCE, UNANNOUNCE, with refresh tokens), mutable and immutable records, all signed
//    or content-addressed, bounded in count and age, rate-limited per source address;
//  - the client side of records: mutable/immutable put (query, then commit with each
//    closest node's token) and get (query, verify, keep the newest).
// The connect path (PEER_HANDSHAKE / PEER_HOLEPUNCH) builds on this.

#include <deque>
#include <functional>
#include <map>
#include <unordered_map>

#include "common/limits.hpp"
#include "common/uv.hpp"
#include "crypto/hash.hpp"
#include "dht/node.hpp"
#include "hyperdht/messages.hpp"

namespace peerport::hyperdht {

// How long a prompt mutable get waits, after its first verified record, for a newer one from
// the nodes still to answer (Dht::Freshness::prompt): live nodes answer within round trips.
inline constexpr std::uint64_t kNewerRecordGraceMs = 500;

struct Limits {
  // hyperdht's defaults: 65536 entries, announcements live 20 minutes, records 48 hours.
  std::size_t max_records = 65536;
  std::uint64_t record_max_age_ms = 20 * 60 * 1000;
  std::size_t max_values = 32768;
  std::uint64_t value_max_age_ms = 48ull * 60 * 60 * 1000;
  // Stores (puts, announces) accepted per source IP per minute; the rest are dropped.
  std::uint32_t stores_per_ip_per_minute = 600;
  // Bytes, not only entries (common/limits.hpp): the largest value one record may hold, what
  // all records may hold together (a fifth per kind; the oldest go first), and what one
  // source IP may hold (its further stores are refused until its records expire or go).
  std::size_t max_value_bytes = limits::kMaxStoredValue;
  std::size_t max_bytes = limits::kStorageBytes;
  std::size_t max_bytes_per_ip = limits::kStorageBytesPerIp;
};

struct StorageStats {
  std::uint64_t stored_mutables = 0;
  std::uint64_t stored_immutables = 0;
  std::uint64_t stored_announces = 0;
  std::uint64_t bad_signatures = 0;
  std::uint64_t bad_hashes = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t evicted = 0;
  std::uint64_t too_large = 0;      // values over max_value_bytes: refused
  std::uint64_t over_ip_bytes = 0;  // stores refused: the source IP holds max_bytes_per_ip
  std::uint64_t relayed = 0;        // handshake and holepunch messages passed between peers
};

class Dht {
 public:
  Dht(udx::Udx& udx, dht::Node::Options options, Limits limits = {});
  Status start() { return node_.start(); }
  dht::Node& node() { return node_; }
  // Expires when this Dht is destroyed: for work that may outlive it (timers).
  uvx::Lifetime::Token lifetime() const { return alive_; }
  // Keeps an object (a connect attempt waiting on a timer) alive until released or until this
  // Dht goes: what a timer's own callback held instead leaked when the loop ended first.
  void hold(std::shared_ptr<void> p) {
    const void* key = p.get();
    held_[key] = std::move(p);
  }
  void release(const void* key) { held_.erase(key); }
  const StorageStats& storage_stats() const { return stats_; }
  // Peer lookups (find_peer) this node has started: what checks and connects cost the DHT.
  std::uint64_t peer_lookups() const { return peer_lookups_; }
  std::size_t stored_values() const { return mutables_.size() + immutables_.size(); }
  // Bytes held for others (keys and values of every record), in all and for one source IP.
  std::size_t stored_bytes() const { return usage_.total; }
  std::size_t stored_bytes_from(const dht::Address& source) const;

  using PutDone = std::function<void(Status, std::size_t stored_on)>;
  void mutable_put(const crypto::KeyPair& kp, Bytes value, std::uint64_t seq, PutDone done);
  // When a get answers: `latest` at the query's end, with the highest seq (hyperdht's default);
  // `prompt` kNewerRecordGraceMs after the first verified record, or at the query's end if that
  // comes first, with the highest seq seen by then. A newer record from a live node arrives
  // within that grace; a node that left the DHT no longer holds the answer for its timeouts.
  enum class Freshness { latest, prompt };
  void mutable_get(const crypto::PublicKey& pk, std::uint64_t min_seq,
                   std::function<void(Result<MutableRecord>)> done,
                   Freshness freshness = Freshness::latest);
  void immutable_put(Bytes value, PutDone done);
  void immutable_get(const crypto::Hash32& target, std::function<void(Result<Bytes>)> done);

  // Announce that kp's peer can be found under target (signed for each storing node), and
  // take it back. A peer announcing under hash(its own key) is what FIND_PEER finds: servers.
  void announce(const dht::NodeId& target, const crypto::KeyPair& kp,
                std::vector<dht::Address> relay_addresses, PutDone done);
  void unannounce(const dht::NodeId& target, const crypto::KeyPair& kp, PutDone done);
  // Servers listening on this node get the PEER_HANDSHAKE requests for hash(their key).
  using ServerHandler = std::function<void(const dht::Request&, const dht::Address& from)>;
  void register_server(const dht::NodeId& target, ServerHandler handshake,
                       ServerHandler holepunch = nullptr);
  void unregister_server(const dht::NodeId& target);
  // The nodes that stored our last announcement under target and how each saw us: what a
  // server offers clients as holepunch relays (noisePayload.holepunch.relays).
  std::vector<RelayInfo> announce_relays(const dht::NodeId& target) const;
  // One-byte holepunch packets arriving on our socket, to every listener (connections that
  // are punching); the id removes the listener.
  using PunchFn = std::function<void(const dht::Address& from)>;
  std::uint64_t add_punch_listener(PunchFn fn);
  void remove_punch_listener(std::uint64_t id);

  // Every peer announced under target that the closest nodes know, without duplicates.
  void lookup(const dht::NodeId& target, std::function<void(std::vector<Peer>)> done);
  // A server by its public key; an error saying so if no node knows it.
  using FindPeerDone = std::function<void(Result<std::pair<Peer, dht::Address>>)>;
  void find_peer(const crypto::PublicKey& pk, FindPeerDone done);

 private:
  // Who holds how many stored bytes: shared by every cache so the budgets span them all.
  struct Usage {
    std::size_t total = 0;
    std::unordered_map<std::uint32_t, std::size_t> by_ip;
    void add(std::uint32_t ip, std::size_t n);
    void sub(std::uint32_t ip, std::size_t n);
  };
  // A bounded key-value cache with expiry; the oldest entry goes when it is full, in count or
  // in the bytes of all caches together.
  struct Cache {
    struct Entry {
      Bytes value;
      std::uint64_t at = 0;
      std::uint32_t owner = 0;  // the source IP the bytes count against
    };
    std::size_t max = 0;
    std::uint64_t max_age = 0;
    Usage* usage = nullptr;
    std::size_t bytes = 0;  // keys and values held here
    std::size_t max_bytes = SIZE_MAX;
    std::map<std::string, Entry> map;  // ordered: records are found by target prefix
    std::deque<std::pair<std::string, std::uint64_t>> order;
    const Bytes* get(const std::string& k, std::uint64_t now);
    std::size_t set(const std::string& k, Bytes v, std::uint64_t now,
                    std::uint32_t owner);  // returns evictions
    void erase(const std::string& k);
    std::size_t size() const { return map.size(); }
    ~Cache();

   private:
    void release(std::map<std::string, Entry>::iterator it);
  };

  bool on_request(const dht::Request& req, const dht::Address& from);
  // What a persistent node stores for others and answers from it (records.cpp).
  // Rate and byte budget for a store of `bytes` from `from`: false (counted) to refuse it.
  bool allow_store(const dht::Address& from, std::size_t bytes);
  void on_mutable_put(const dht::Request& req, const dht::Address& from);
  void on_mutable_get(const dht::Request& req, const dht::Address& from);
  void on_immutable_put(const dht::Request& req, const dht::Address& from);
  void on_immutable_get(const dht::Request& req, const dht::Address& from);
  void on_announce(const dht::Request& req, const dht::Address& from, bool unannounce);
  void on_refresh(const dht::Request& req, const dht::Address& from, ByteView refresh);
  void store_announcement(const std::string& target_hex, const std::string& pk_hex, bool self,
                          const Bytes& record, const dht::Address& from);
  void on_lookup(const dht::Request& req, const dht::Address& from, bool find_peer);
  // The router and the client side (dht.cpp).
  void on_peer_handshake(const dht::Request& req, const dht::Address& from);
  void on_peer_holepunch(const dht::Request& req, const dht::Address& from);
  std::optional<dht::Address> relay_for(const dht::NodeId& target);
  void commit(const dht::NodeId& target, std::uint64_t query_command,
              std::optional<Bytes> query_value, std::uint64_t command, Bytes value, PutDone done);
  void signed_announce(const dht::NodeId& target, const crypto::KeyPair& kp,
                       std::vector<dht::Address> relay_addresses, bool unannounce, PutDone done);
  // Sends one request per closest reply, its value made for that reply (signed for its node).
  void commit_each(const dht::NodeId& target, std::uint64_t command,
                   std::function<Bytes(const dht::Reply&)> value_for,
                   std::vector<dht::Reply> closest, PutDone done,
                   std::function<void(const dht::Reply&)> on_stored = nullptr);
  void find_value(const dht::NodeId& target, std::uint64_t command, std::optional<Bytes> ask,
                  std::function<void(const dht::Reply&)> take, std::function<bool()> found,
                  std::function<void()> finish);
  void ask_with_tokens(const dht::NodeId& target, std::uint64_t command, std::optional<Bytes> value,
                       std::vector<dht::Reply> closest,
                       std::function<void(const dht::Reply&)> on_reply, std::function<void()> done);
  std::uint64_t now() const;
  void found_peer(const crypto::PublicKey& pk,
                  const std::optional<std::pair<Peer, dht::Address>>& found);

  udx::Udx& udx_;
  dht::Node node_;
  Limits limits_;
  StorageStats stats_;
  std::uint64_t peer_lookups_ = 0;
  // Callers waiting on the lookup of each key in flight (find_peer).
  std::map<crypto::PublicKey, std::vector<FindPeerDone>> finding_peers_;
  Usage usage_;
  Cache mutables_;
  Cache immutables_;
  Cache records_;    // key: target hex + public key hex -> encoded peer record
  Cache forwards_;   // key: target hex -> encoded peer record (peers announcing themselves)
  Cache refreshes_;  // key: hash(refresh token) hex -> target hex + flag + record
  std::unordered_map<std::uint32_t, std::pair<std::uint64_t, std::uint32_t>> store_counts_;
  std::unordered_map<std::string, std::pair<ServerHandler, ServerHandler>> servers_;
  std::unordered_map<std::string, std::vector<RelayInfo>> announce_relays_;
  std::map<std::uint64_t, PunchFn> punch_listeners_;
  std::uint64_t next_punch_listener_ = 1;
  uvx::Lifetime alive_;
  // Last member: released first, while everything the held objects use still exists.
  std::map<const void*, std::shared_ptr<void>> held_;
};

}  // namespace peerport::hyperdht
