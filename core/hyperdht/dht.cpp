#include "hyperdht/dht.hpp"

#include <sodium.h>

#include <algorithm>
#include <memory>

namespace peerport::hyperdht {

namespace {

std::string hex_key(ByteView b) {
  return to_hex(b);
}

dht::NodeId hash_of(ByteView b) {
  return crypto::blake2b_256(b);
}

Bytes with_relay(const dht::Address& relay, const Bytes& record) {
  enc::Writer w(6 + record.size());
  w.ipv4(relay).fixed(record);
  return std::move(w).take();
}

// lib/router.js modes.
constexpr std::uint64_t kFromClient = 0;
constexpr std::uint64_t kFromServer = 1;
constexpr std::uint64_t kFromRelay = 2;
constexpr std::uint64_t kFromSecondRelay = 3;
constexpr std::uint64_t kReply = 4;

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

namespace {
std::size_t cost(const std::string& k, const Bytes& v) {
  return k.size() + v.size();
}
std::uint32_t ip_of(const dht::Address& a) {
  std::uint32_t ip = 0;
  for (auto b : a.host) ip = ip << 8 | b;
  return ip;
}
}  // namespace

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

Dht::Dht(udx::Udx& udx, dht::Node::Options options, Limits limits)
    : udx_(udx), node_(udx, std::move(options)), limits_(limits) {
  mutables_.max = immutables_.max = limits_.max_values;
  mutables_.max_age = immutables_.max_age = limits_.value_max_age_ms;
  records_.max = forwards_.max = refreshes_.max = limits_.max_records;
  records_.max_age = forwards_.max_age = refreshes_.max_age = limits_.record_max_age_ms;
  // Five caches share the byte budget evenly: each evicts only its own oldest entries.
  for (Cache* c : {&mutables_, &immutables_, &records_, &forwards_, &refreshes_}) {
    c->usage = &usage_;
    c->max_bytes = limits_.max_bytes / 5;
  }
  node_.on_request(
      [this](const dht::Request& r, const dht::Address& from) { return on_request(r, from); });
  node_.on_punch([this](const dht::Address& from) {
    // Copied: a listener may remove itself (or another) when it connects.
    std::vector<PunchFn> fns;
    for (auto& [id, fn] : punch_listeners_) fns.push_back(fn);
    for (auto& fn : fns) fn(from);
  });
}

std::uint64_t Dht::add_punch_listener(PunchFn fn) {
  const auto id = next_punch_listener_++;
  punch_listeners_[id] = std::move(fn);
  return id;
}

void Dht::remove_punch_listener(std::uint64_t id) {
  punch_listeners_.erase(id);
}

std::vector<RelayInfo> Dht::announce_relays(const dht::NodeId& target) const {
  auto it = announce_relays_.find(hex_key(target));
  return it == announce_relays_.end() ? std::vector<RelayInfo>{} : it->second;
}

std::uint64_t Dht::now() const {
  return uv_now(udx_.loop());
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

bool Dht::on_request(const dht::Request& req, const dht::Address& from) {
  // A server listening here takes the handshakes and holepunches addressed to its key, whether
  // or not this node is persistent (router.js: the isServer case).
  if ((req.command == kPeerHandshake || req.command == kPeerHolepunch) && req.target) {
    auto it = servers_.find(hex_key(*req.target));
    if (it != servers_.end()) {
      auto& handler = req.command == kPeerHandshake ? it->second.first : it->second.second;
      if (handler) handler(req, from);
      return true;
    }
  }
  // Only a node others can store on (persistent, with an id) takes these, as hyperdht.
  if (node_.ephemeral()) return false;
  switch (req.command) {
    case kMutablePut:
      on_mutable_put(req, from);
      return true;
    case kMutableGet:
      on_mutable_get(req, from);
      return true;
    case kImmutablePut:
      on_immutable_put(req, from);
      return true;
    case kImmutableGet:
      on_immutable_get(req, from);
      return true;
    case kAnnounce:
      on_announce(req, from, false);
      return true;
    case kUnannounce:
      on_announce(req, from, true);
      return true;
    case kLookup:
      on_lookup(req, from, false);
      return true;
    case kFindPeer:
      on_lookup(req, from, true);
      return true;
    case kPeerHandshake:
      on_peer_handshake(req, from);
      return true;
    case kPeerHolepunch:
      on_peer_holepunch(req, from);
      return true;
    default:
      return false;
  }
}

void Dht::on_mutable_put(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.token || !req.value) return;
  auto p = decode_mutable_put(*req.value);
  if (!p || hash_of(p->public_key) != *req.target) {
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
  const std::string k = hex_key(*req.target);
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
  const Bytes* v = mutables_.get(hex_key(*req.target), now());
  std::optional<Bytes> out;
  if (v) {
    auto rec = decode_mutable_record(*v);
    if (rec && rec->seq >= seq) out = *v;
  }
  node_.reply(req, from, 0, std::move(out), true, true);
}

void Dht::on_immutable_put(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.token || !req.value) return;
  if (hash_of(*req.value) != *req.target) {
    ++stats_.bad_hashes;
    return;
  }
  if (req.value->size() > limits_.max_value_bytes) {
    ++stats_.too_large;
    return;
  }
  const std::string k = hex_key(*req.target);
  if (!allow_store(from, k.size() + req.value->size())) return;
  stats_.evicted += immutables_.set(k, *req.value, now(), ip_of(from));
  ++stats_.stored_immutables;
  node_.reply(req, from, 0, std::nullopt, true, true);
}

void Dht::on_immutable_get(const dht::Request& req, const dht::Address& from) {
  if (!req.target) return;
  const Bytes* v = immutables_.get(hex_key(*req.target), now());
  node_.reply(req, from, 0, v ? std::optional<Bytes>(*v) : std::nullopt, true, true);
}

void Dht::on_announce(const dht::Request& req, const dht::Address& from, bool unannounce) {
  if (!req.target || !req.token || !req.value) return;
  auto ann = decode_announce(*req.value);
  if (!ann) return;
  const std::string k = hex_key(*req.target);
  const auto& ns = crypto::hyperdht_ns();
  if (!ann->peer) {
    // A refresh: re-store the record an earlier announce left with this refresh token.
    if (unannounce || !ann->refresh) return;
    const std::string rk = hex_key(hash_of(*ann->refresh));
    const Bytes* r = refreshes_.get(rk, now());
    if (!r || r->size() < 65) return;
    Bytes saved = *r;
    const std::string target_hex(saved.begin(), saved.begin() + 64);
    const bool self = saved[64] != 0;
    Bytes record(saved.begin() + 65, saved.end());
    const std::string pk_hex = to_hex(ByteView(record).first(32));
    // The record under its key (at most target + public key hex) and the next refresh link.
    if (!allow_store(from, 2 * saved.size() + 2 * 64)) return;
    const std::uint32_t owner = ip_of(from);
    if (self) {
      stats_.evicted += forwards_.set(target_hex, with_relay(from, record), now(), owner);
      records_.erase(target_hex + pk_hex);
    } else {
      stats_.evicted += records_.set(target_hex + pk_hex, record, now(), owner);
    }
    // persistent.js _onrefresh: the chain moves one link on; the token just used is spent.
    refreshes_.erase(rk);
    stats_.evicted += refreshes_.set(hex_key(*ann->refresh), std::move(saved), now(), owner);
    node_.reply(req, from, 0, std::nullopt, false, false);
    return;
  }
  if (!ann->signature) return;
  auto signable = announce_signable(*req.target, node_.id(), *req.token, *ann,
                                    unannounce ? ns.unannounce : ns.announce);
  if (crypto_sign_verify_detached(ann->signature->data(), signable.data(), signable.size(),
                                  ann->peer->public_key.data()) != 0) {
    ++stats_.bad_signatures;
    return;
  }
  const std::string pk_hex = to_hex(ann->peer->public_key);
  const bool self = hash_of(ann->peer->public_key) == *req.target;
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
  const std::uint32_t owner = ip_of(from);
  if (self) {
    stats_.evicted += forwards_.set(k, with_relay(from, record), now(), owner);
    records_.erase(k + pk_hex);
  } else {
    stats_.evicted += records_.set(k + pk_hex, record, now(), owner);
  }
  if (ann->refresh) {
    // persistent.js onannounce keeps it under hex(refresh); the next refresh presents the
    // preimage and is found under hex(hash(preimage)).
    Bytes saved(k.begin(), k.end());
    saved.push_back(self ? 1 : 0);
    saved.insert(saved.end(), record.begin(), record.end());
    stats_.evicted += refreshes_.set(hex_key(*ann->refresh), std::move(saved), now(), owner);
  }
  ++stats_.stored_announces;
  node_.reply(req, from, 0, std::nullopt, false, false);
}

void Dht::on_lookup(const dht::Request& req, const dht::Address& from, bool find_peer) {
  if (!req.target) return;
  const std::string k = hex_key(*req.target);
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

void Dht::register_server(const dht::NodeId& target, ServerHandler handshake,
                          ServerHandler holepunch) {
  servers_[hex_key(target)] = {std::move(handshake), std::move(holepunch)};
}

void Dht::unregister_server(const dht::NodeId& target) {
  servers_.erase(hex_key(target));
  announce_relays_.erase(hex_key(target));
}

std::optional<dht::Address> Dht::relay_for(const dht::NodeId& target) {
  const Bytes* stored = forwards_.get(hex_key(target), now());
  if (!stored || stored->size() < 6) return std::nullopt;
  enc::Reader r(*stored);
  return r.ipv4();
}

// lib/router.js onpeerhandshake, for a node that is not the server: a client's handshake goes
// to the server that announced itself here (FROM_RELAY, with the client's address), and the
// server's answer (FROM_SERVER) goes back to the client as the reply to its request.
void Dht::on_peer_handshake(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.value) return;
  auto hs = decode_handshake(*req.value);
  if (!hs) return;
  auto relay = relay_for(*req.target);
  switch (hs->mode) {
    case kFromClient: {
      if (hs->noise.empty()) return;
      if (!relay && !hs->relay_address) {
        // We know no such server: point the client closer to it.
        node_.reply(req, from, 0, std::nullopt, false, true);
        return;
      }
      Handshake out{kFromRelay, hs->noise, from, std::nullopt};
      node_.relay(req, encode(out), hs->relay_address ? *hs->relay_address : *relay);
      ++stats_.relayed;
      return;
    }
    case kFromRelay: {
      if (!relay || hs->noise.empty()) return;
      Handshake out{kFromSecondRelay, hs->noise, hs->peer_address, from};
      node_.relay(req, encode(out), *relay);
      ++stats_.relayed;
      return;
    }
    case kFromServer: {
      if (!hs->peer_address || hs->noise.empty()) return;
      Handshake out{kReply, hs->noise, from, std::nullopt};
      node_.reply(req, *hs->peer_address, 0, encode(out), false, false);
      ++stats_.relayed;
      return;
    }
    default:
      return;
  }
}

// lib/router.js onpeerholepunch, likewise, for holepunch rounds.
void Dht::on_peer_holepunch(const dht::Request& req, const dht::Address& from) {
  if (!req.target || !req.value) return;
  auto hp = decode_holepunch(*req.value);
  if (!hp) return;
  auto relay = relay_for(*req.target);
  switch (hp->mode) {
    case kFromClient: {
      if (!hp->peer_address && !relay) return;
      Holepunch out{kFromRelay, hp->id, hp->payload, from};
      node_.relay(req, encode(out), hp->peer_address ? *hp->peer_address : *relay);
      ++stats_.relayed;
      return;
    }
    case kFromServer: {
      if (!hp->peer_address) return;
      Holepunch out{kReply, hp->id, hp->payload, from};
      node_.reply(req, *hp->peer_address, 0, encode(out), false, false);
      ++stats_.relayed;
      return;
    }
    default:
      return;  // FROM_RELAY is for servers, which this node is not
  }
}

void Dht::commit(const dht::NodeId& target, std::uint64_t command, Bytes value,
                 std::vector<dht::Reply> closest, PutDone done) {
  commit_each(
      target, command, [value = std::move(value)](const dht::Reply&) { return value; },
      std::move(closest), std::move(done));
}

void Dht::commit_each(const dht::NodeId& target, std::uint64_t command,
                      std::function<Bytes(const dht::Reply&)> value_for,
                      std::vector<dht::Reply> closest, PutDone done,
                      std::function<void(const dht::Reply&)> on_stored) {
  struct State {
    std::size_t pending = 0;
    std::size_t stored = 0;
    PutDone done;
  };
  auto st = std::make_shared<State>();
  st->done = std::move(done);
  for (const auto& r : closest) {
    if (r.response.token) ++st->pending;
  }
  if (st->pending == 0) {
    st->done(
        make_error(Errc::not_connected, "no DHT node accepted the record (is the DHT reachable?)"),
        0);
    return;
  }
  uvx::Lifetime::Token alive = alive_;
  for (const auto& r : closest) {
    if (!r.response.token) continue;
    node_.request(
        r.from, command, false, target, value_for(r),
        [st, alive, on_stored](const dht::Reply* reply) {
          if (alive.expired()) return;
          if (reply && reply->response.error == 0) {
            ++st->stored;
            if (on_stored) on_stored(*reply);
          }
          if (--st->pending > 0) return;
          if (st->stored == 0) {
            st->done(
                make_error(Errc::not_connected, "every DHT node refused or ignored the record"), 0);
          } else {
            st->done(Ok{}, st->stored);
          }
        },
        r.response.token);
  }
}

void Dht::announce(const dht::NodeId& target, const crypto::KeyPair& kp,
                   std::vector<dht::Address> relay_addresses, PutDone done) {
  signed_announce(target, kp, std::move(relay_addresses), false, std::move(done));
}

void Dht::unannounce(const dht::NodeId& target, const crypto::KeyPair& kp, PutDone done) {
  signed_announce(target, kp, {}, true, std::move(done));
}

// Both are a LOOKUP query, then one message per closest node, signed for that node's id and
// token (hyperdht _requestAnnounce / _requestUnannounce).
void Dht::signed_announce(const dht::NodeId& target, const crypto::KeyPair& kp,
                          std::vector<dht::Address> relay_addresses, bool unannounce,
                          PutDone done) {
  Announce base;
  base.peer = Peer{kp.public_key, std::move(relay_addresses)};
  const auto& ns = unannounce ? crypto::hyperdht_ns().unannounce : crypto::hyperdht_ns().announce;
  const std::uint64_t command = unannounce ? kUnannounce : kAnnounce;
  uvx::Lifetime::Token alive = alive_;
  node_.query(
      target, kLookup, false, std::nullopt, nullptr,
      [this, alive, target, kp, base, ns, command,
       done = std::move(done)](std::vector<dht::Reply> closest) mutable {
        if (alive.expired()) return;
        auto sign_for = [target, kp, base, ns](const dht::Reply& r) {
          Announce a = base;
          auto signable = announce_signable(target, dht::node_id(r.from), *r.response.token, a, ns);
          Signature sig{};
          crypto_sign_detached(sig.data(), nullptr, signable.data(), signable.size(),
                               kp.secret_key.data());
          a.signature = sig;
          return encode(a);
        };
        std::function<void(const dht::Reply&)> on_stored;
        if (command == kAnnounce) {
          // Each node that stored us relays handshakes and holepunches to us; it saw
          // us at reply.to (lib/announcer.js: relays.push). The list is swapped in
          // whole, so handshakes during a refresh still get the previous one.
          auto fresh = std::make_shared<std::vector<RelayInfo>>();
          on_stored = [fresh](const dht::Reply& r) {
            if (fresh->size() < 3) fresh->push_back(RelayInfo{r.from, r.response.to});
          };
          done = [this, alive, target, fresh, done = std::move(done)](Status st, std::size_t n) {
            if (!alive.expired() && !fresh->empty()) {
              announce_relays_[hex_key(target)] = *fresh;
            }
            if (done) done(st, n);
          };
        }
        commit_each(target, command, sign_for, std::move(closest), std::move(done),
                    std::move(on_stored));
      });
}

void Dht::lookup(const dht::NodeId& target, std::function<void(std::vector<Peer>)> done) {
  auto peers = std::make_shared<std::vector<Peer>>();
  node_.query(
      target, kLookup, false, std::nullopt,
      [peers](const dht::Reply& r) {
        if (!r.response.value) return;
        auto got = decode_lookup_reply(*r.response.value);
        if (!got) return;
        for (auto& p : *got) {
          bool dup = std::any_of(peers->begin(), peers->end(),
                                 [&](const Peer& x) { return x.public_key == p.public_key; });
          if (!dup) peers->push_back(std::move(p));
        }
      },
      [peers, done = std::move(done)](std::vector<dht::Reply>) { done(std::move(*peers)); });
}

void Dht::find_peer(const crypto::PublicKey& pk,
                    std::function<void(Result<std::pair<Peer, dht::Address>>)> done) {
  ++peer_lookups_;
  auto found = std::make_shared<std::optional<std::pair<Peer, dht::Address>>>();
  node_.query(
      hash_of(pk), kFindPeer, false, std::nullopt,
      [found, pk](const dht::Reply& r) {
        if (*found || !r.response.value) return;
        enc::Reader rd(*r.response.value);
        auto p = decode_peer(rd);
        if (p && p->public_key == pk) *found = std::make_pair(std::move(*p), r.from);
      },
      [found, done = std::move(done)](std::vector<dht::Reply>) {
        if (*found)
          done(std::move(**found));
        else
          done(make_error(Errc::peer_not_found, "that key is not on the DHT"));
      });
}

void Dht::mutable_put(const crypto::KeyPair& kp, Bytes value, std::uint64_t seq, PutDone done) {
  const dht::NodeId target = hash_of(kp.public_key);
  MutablePut put;
  put.public_key = kp.public_key;
  put.record.seq = seq;
  put.record.signature = sign_mutable(seq, value, kp);
  put.record.value = std::move(value);
  Bytes signed_put = encode(put);
  enc::Writer zero;
  zero.uint(0);
  uvx::Lifetime::Token alive = alive_;
  node_.query(target, kMutableGet, false, std::move(zero).take(), nullptr,
              [this, alive, target, signed_put = std::move(signed_put),
               done = std::move(done)](std::vector<dht::Reply> closest) mutable {
                if (alive.expired()) return;
                commit(target, kMutablePut, std::move(signed_put), std::move(closest),
                       std::move(done));
              });
}

void Dht::mutable_get(const crypto::PublicKey& pk, std::uint64_t min_seq,
                      std::function<void(Result<MutableRecord>)> done) {
  const dht::NodeId target = hash_of(pk);
  enc::Writer w;
  w.uint(min_seq);
  Bytes ask = std::move(w).take();
  auto best = std::make_shared<std::optional<MutableRecord>>();
  auto take = [best, pk, min_seq](const dht::Reply& r) {
    if (!r.response.value) return;
    auto rec = decode_mutable_record(*r.response.value);
    if (!rec || rec->seq < min_seq || !verify_mutable(*rec, pk)) return;
    if (!*best || rec->seq > (*best)->seq) *best = std::move(*rec);
  };
  auto finish = [best, done = std::move(done)] {
    if (*best)
      done(std::move(**best));
    else
      done(make_error(Errc::invalid_value, "no record for that key was found on the DHT"));
  };
  uvx::Lifetime::Token alive = alive_;
  node_.query(target, kMutableGet, false, ask, take,
              [this, alive, target, ask, best, take, finish](std::vector<dht::Reply> closest) {
                if (alive.expired()) return;
                if (*best) return finish();
                ask_with_tokens(target, kMutableGet, ask, std::move(closest), take, finish);
              });
}

// A node leaves a large value out of its answer to a request without a token (it cannot know
// the asker really is at that address: limits::kReplyAmplification). Nothing found among the
// closest: ask each of them once more, now with the token its answer carried.
void Dht::ask_with_tokens(const dht::NodeId& target, std::uint64_t command,
                          std::optional<Bytes> value, std::vector<dht::Reply> closest,
                          std::function<void(const dht::Reply&)> on_reply,
                          std::function<void()> done) {
  auto pending = std::make_shared<std::size_t>(0);
  for (const auto& r : closest) {
    if (r.response.token && !r.response.value) ++*pending;
  }
  if (*pending == 0) return done();
  uvx::Lifetime::Token alive = alive_;
  for (const auto& r : closest) {
    if (!r.response.token || r.response.value) continue;
    node_.request(
        r.from, command, false, target, value,
        [alive, pending, on_reply, done](const dht::Reply* reply) {
          if (alive.expired()) return;
          if (reply && reply->response.error == 0) on_reply(*reply);
          if (--*pending == 0) done();
        },
        r.response.token);
  }
}

void Dht::immutable_put(Bytes value, PutDone done) {
  const dht::NodeId target = hash_of(value);
  uvx::Lifetime::Token alive = alive_;
  node_.query(target, kImmutableGet, false, std::nullopt, nullptr,
              [this, alive, target, value = std::move(value),
               done = std::move(done)](std::vector<dht::Reply> closest) mutable {
                if (alive.expired()) return;
                commit(target, kImmutablePut, std::move(value), std::move(closest),
                       std::move(done));
              });
}

void Dht::immutable_get(const crypto::Hash32& target, std::function<void(Result<Bytes>)> done) {
  auto found = std::make_shared<std::optional<Bytes>>();
  auto take = [found, target](const dht::Reply& r) {
    if (*found || !r.response.value) return;
    if (hash_of(*r.response.value) == target) *found = *r.response.value;
  };
  auto finish = [found, done = std::move(done)] {
    if (*found)
      done(std::move(**found));
    else
      done(make_error(Errc::invalid_value, "no value with that hash was found on the DHT"));
  };
  uvx::Lifetime::Token alive = alive_;
  node_.query(target, kImmutableGet, false, std::nullopt, take,
              [this, alive, target, found, take, finish](std::vector<dht::Reply> closest) {
                if (alive.expired()) return;
                if (*found) return finish();
                ask_with_tokens(target, kImmutableGet, std::nullopt, std::move(closest), take,
                                finish);
              });
}

}  // namespace peerport::hyperdht
