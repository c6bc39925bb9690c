// The storage side of a persistent node (hyperdht lib/persistent.js): what it keeps for others
// (announcements with their refresh links, mutable and immutable values) and how it answers
// the requests that store and read them, within the count, age, rate and byte budgets of
// Limits. The client side that writes and reads these on other nodes is in dht.cpp.
#include <sodium.h>

#include "hyperdht/dht.hpp"

namespace peerport::hyperdht {

namespace {

// A peer that announced itself is stored with the address it was heard from: the node it is
// reached through (the router's relay).
Bytes with_relay(const dht::Address& relay, const Bytes& record) {
  enc::Writer w(6 + record.size());
  w.ipv4(relay).fixed(record);
  return std::move(w).take();
}

std::size_t cost(const std::string& k, const Bytes& v) {
  return k.size() + v.size();
}
std::uint32_t ip_of(const dht::Address& a) {
  std::uint32_t ip = 0;
  for (auto b : a.host) ip = ip << 8 | b;
  return ip;
}
}  // namespace

void Dht::Usage::add(std::uint32_t ip, std::size_t n) {
  total += n;
  by_ip[ip] += n;
}

void Dht::Usage::sub(std::uint32_t ip, std::size_t n) {
  total -= n;
  auto it = by_ip.find(ip);
  if (it == by_ip.end()) return;
  it->second -= n;
  if (it->second == 0) by_ip.erase(it);  // the map holds only sources that hold something
}

void Dht::Cache::release(std::map<std::string, Entry>::iterator it) {
  const std::size_t n = cost(it->first, it->second.value);
  bytes -= n;
  if (usage) usage->sub(it->second.owner, n);
  map.erase(it);
}

Dht::Cache::~Cache() {
  while (!map.empty()) release(map.begin());
}

void Dht::Cache::erase(const std::string& k) {
  auto it = map.find(k);
  if (it != map.end()) release(it);
}

const Bytes* Dht::Cache::get(const std::string& k, std::uint64_t t) {
  auto it = map.find(k);
  if (it == map.end()) return nullptr;
  if (max_age && t - it->second.at > max_age) {
    release(it);
    return nullptr;
  }
  return &it->second.value;
}

std::size_t Dht::Cache::set(const std::string& k, Bytes v, std::uint64_t t, std::uint32_t owner) {
  erase(k);
  const std::size_t n = cost(k, v);
  bytes += n;
  if (usage) usage->add(owner, n);
  map[k] = Entry{std::move(v), t, owner};
  order.emplace_back(k, t);
  std::size_t evicted = 0;
  // Over count, over bytes, or the oldest has expired (so expired bytes do not linger).
  auto over = [&] {
    return map.size() > max || bytes > max_bytes || (max_age && t - order.front().second > max_age);
  };
  while (order.size() > 1 && over()) {
    auto [key, at] = order.front();
    order.pop_front();
    auto it = map.find(key);
    // Only the newest write of a key counts; older order entries are leftovers. The entry
    // just written stays even if it alone is over a budget (the caller checked its size).
    if (it != map.end() && it->second.at == at && key != k) {
      release(it);
      ++evicted;
    }
  }
  // Rewrites leave stale order entries behind; drop them before they outgrow the map.
  if (order.size() > 2 * max + 16) {
    std::deque<std::pair<std::string, std::uint64_t>> live;
    for (auto& e : order) {
      auto it = map.find(e.first);
      if (it != map.end() && it->second.at == e.second) live.push_back(std::move(e));
    }
    order.swap(live);
  }
  return evicted;
}

std::size_t Dht::stored_bytes_from(const dht::Address& source) const {
  auto it = usage_.by_ip.find(ip_of(source));
  return it == usage_.by_ip.end() ? 0 : it->second;
}

bool Dht::allow_store(const dht::Address& from, std::size_t bytes) {
  const std::uint32_t ip = ip_of(from);
  const std::uint64_t t = now();
  if (store_counts_.size() > 65536) store_counts_.clear();  // bounded even under a spray of IPs
  auto [it, fresh] = store_counts_.try_emplace(ip, t, 0);
  auto& [window_start, count] = it->second;
  if (!fresh && t - window_start >= 60000) {
    window_start = t;
    count = 0;
  }
  if (++count > limits_.stores_per_ip_per_minute) {
    ++stats_.rate_limited;
    return false;
  }
  // What the source already holds, plus this; a rewrite of its own record is counted twice
  // here, which errs on the side of refusing.
  if (stored_bytes_from(from) + bytes > limits_.max_bytes_per_ip) {
    ++stats_.over_ip_bytes;
    return false;
  }
  return true;
}

void Dht::on_mutable_put(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.token || !req.value) return;
  auto p = decode_mutable_put(*req.value);
  if (!p || crypto::blake2b_256(p->public_key) != *req.target) {
    ++stats_.bad_hashes;
    return;
  }
  if (!verify_mutable(p->record, p->public_key)) {
    ++stats_.bad_signatures;
    return;
  }
  Bytes record = encode(p->record);
  if (record.size() > limits_.max_value_bytes) {
    ++stats_.too_large;
    return;
  }
  const std::string k = to_hex(*req.target);
  if (!allow_store(from, k.size() + record.size())) return;
  if (const Bytes* local = mutables_.get(k, now())) {
    if (auto existing = decode_mutable_record(*local)) {
      if (existing->seq == p->record.seq && existing->value != p->record.value) {
        node_.reply(req, from, kErrSeqReused, std::nullopt, false, true);
        return;
      }
      if (p->record.seq < existing->seq) {
        node_.reply(req, from, kErrSeqTooLow, std::nullopt, false, true);
        return;
      }
    }
  }
  stats_.evicted += mutables_.set(k, std::move(record), now(), ip_of(from));
  ++stats_.stored_mutables;
  node_.reply(req, from, 0, std::nullopt, true, true);
}

void Dht::on_mutable_get(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.value) return;
  enc::Reader r(*req.value);
  const std::uint64_t seq = r.uint();
  if (!r.ok()) return;
  const Bytes* v = mutables_.get(to_hex(*req.target), now());
  std::optional<Bytes> out;
  if (v) {
    auto rec = decode_mutable_record(*v);
    if (rec && rec->seq >= seq) out = *v;
  }
  node_.reply(req, from, 0, std::move(out), true, true);
}

void Dht::on_immutable_put(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.token || !req.value) return;
  if (crypto::blake2b_256(*req.value) != *req.target) {
    ++stats_.bad_hashes;
    return;
  }
  if (req.value->size() > limits_.max_value_bytes) {
    ++stats_.too_large;
    return;
  }
  const std::string k = to_hex(*req.target);
  if (!allow_store(from, k.size() + req.value->size())) return;
  stats_.evicted += immutables_.set(k, *req.value, now(), ip_of(from));
  ++stats_.stored_immutables;
  node_.reply(req, from, 0, std::nullopt, true, true);
}

void Dht::on_immutable_get(const dht::Request& req, const dht::Address& from) {
  if (!req.target) return;
  const Bytes* v = immutables_.get(to_hex(*req.target), now());
  node_.reply(req, from, 0, v ? std::optional<Bytes>(*v) : std::nullopt, true, true);
}

// Where a peer's record goes: a peer announcing itself (under the hash of its own key) becomes
// the target's forward, kept with the address it was heard from, which the router relays
// through; any other is one of the target's records, under target + its key, for LOOKUP.
void Dht::store_announcement(const std::string& target_hex, const std::string& pk_hex, bool self,
                             const Bytes& record, const dht::Address& from) {
  const std::uint32_t owner = ip_of(from);
  if (self) {
    stats_.evicted += forwards_.set(target_hex, with_relay(from, record), now(), owner);
    records_.erase(target_hex + pk_hex);
  } else {
    stats_.evicted += records_.set(target_hex + pk_hex, record, now(), owner);
  }
}

// persistent.js _onrefresh: re-store the record an earlier announce left with this refresh
// token, found under hex(hash(token)). The chain moves one link on; the token just used is spent.
void Dht::on_refresh(const dht::Request& req, const dht::Address& from, ByteView refresh) {
  const std::string rk = to_hex(crypto::blake2b_256(refresh));
  const Bytes* r = refreshes_.get(rk, now());
  if (!r || r->size() < 65) return;
  Bytes saved = *r;
  const std::string target_hex(saved.begin(), saved.begin() + 64);
  const bool self = saved[64] != 0;
  Bytes record(saved.begin() + 65, saved.end());
  const std::string pk_hex = to_hex(ByteView(record).first(32));
  // The record under its key (at most target + public key hex) and the next refresh link.
  if (!allow_store(from, 2 * saved.size() + 2 * 64)) return;
  store_announcement(target_hex, pk_hex, self, record, from);
  refreshes_.erase(rk);
  stats_.evicted += refreshes_.set(to_hex(refresh), std::move(saved), now(), ip_of(from));
  node_.reply(req, from, 0, std::nullopt, false, false);
}

void Dht::on_announce(const dht::Request& req, const dht::Address& from, bool unannounce) {
  if (!req.target || !req.token || !req.value) return;
  auto ann = decode_announce(*req.value);
  if (!ann) return;
  if (!ann->peer) {
    // No record: a refresh of an earlier announcement.
    if (!unannounce && ann->refresh) on_refresh(req, from, *ann->refresh);
    return;
  }
  const std::string k = to_hex(*req.target);
  const auto& ns = crypto::hyperdht_ns();
  if (!ann->signature) return;
  auto signable = announce_signable(*req.target, node_.id(), *req.token, *ann,
                                    unannounce ? ns.unannounce : ns.announce);
  if (crypto_sign_verify_detached(ann->signature->data(), signable.data(), signable.size(),
                                  ann->peer->public_key.data()) != 0) {
    ++stats_.bad_signatures;
    return;
  }
  const std::string pk_hex = to_hex(ann->peer->public_key);
  const bool self = crypto::blake2b_256(ann->peer->public_key) == *req.target;
  if (unannounce) {
    if (self) forwards_.erase(k);
    records_.erase(k + pk_hex);
    node_.reply(req, from, 0, std::nullopt, false, false);
    return;
  }
  // hyperdht keeps at most 3 relay addresses per record.
  if (ann->peer->relay_addresses.size() > 3) ann->peer->relay_addresses.resize(3);
  enc::Writer w;
  encode(w, *ann->peer);
  Bytes record = std::move(w).take();
  // Record (key: target + public key hex) and refresh link (key: refresh hex; value: target
  // hex, a flag and the record), an upper bound of what set() will count.
  const std::size_t cost = 4 * k.size() + 8 + 2 * record.size();
  if (!allow_store(from, cost)) return;
  store_announcement(k, pk_hex, self, record, from);
  if (ann->refresh) {
    // persistent.js onannounce keeps it under hex(refresh); the next refresh presents the
    // preimage and is found under hex(hash(preimage)).
    Bytes saved(k.begin(), k.end());
    saved.push_back(self ? 1 : 0);
    saved.insert(saved.end(), record.begin(), record.end());
    stats_.evicted += refreshes_.set(to_hex(*ann->refresh), std::move(saved), now(), ip_of(from));
  }
  ++stats_.stored_announces;
  node_.reply(req, from, 0, std::nullopt, false, false);
}

void Dht::on_lookup(const dht::Request& req, const dht::Address& from, bool find_peer) {
  if (!req.target) return;
  const std::string k = to_hex(*req.target);
  const Bytes* stored = forwards_.get(k, now());
  std::optional<Bytes> fwd;
  if (stored && stored->size() > 6) fwd = Bytes(stored->begin() + 6, stored->end());
  if (find_peer) {
    node_.reply(req, from, 0, fwd, true, true);
    return;
  }
  std::vector<Bytes> peers;
  const std::uint64_t t = now();
  for (auto it = records_.map.lower_bound(k);
       it != records_.map.end() && peers.size() < 20 && it->first.compare(0, k.size(), k) == 0;
       ++it) {
    if (t - it->second.at <= records_.max_age) peers.push_back(it->second.value);
  }
  if (fwd && peers.size() < 20) peers.push_back(*fwd);
  // An unverified asker gets as many peers as fit its reply allowance (a lookup reply can be
  // twenty times its request), the rest once it asks again with the token this reply carries.
  const std::size_t room = node_.reply_room(req, from, true, true);
  while (!peers.empty() && encode_lookup_reply(peers, 0).size() > room) peers.pop_back();
  node_.reply(req, from, 0,
              peers.empty() ? std::nullopt : std::optional<Bytes>(encode_lookup_reply(peers, 0)),
              true, true);
}

}  // namespace peerport::hyperdht
