// A HyperDHT node's own work on the DHT (hyperdht 6.34 index.js and lib/router.js): dispatching
// requests, relaying handshakes and holepunches to servers announced here (the router), and the
// client side: lookups, find_peer, announce/unannounce, mutable and immutable put and get. What
// a persistent node stores for others, and its answers from that storage, are in records.cpp.
#include "hyperdht/dht.hpp"

#include <sodium.h>

#include <algorithm>
#include <memory>

namespace peerport::hyperdht {

namespace {

// lib/router.js modes.
constexpr std::uint64_t kFromClient = 0;
constexpr std::uint64_t kFromServer = 1;
constexpr std::uint64_t kFromRelay = 2;
constexpr std::uint64_t kFromSecondRelay = 3;
constexpr std::uint64_t kReply = 4;

// What a query found, or the error saying nothing was.
template <class T, class Done>
void deliver(std::optional<T>& found, const Done& done, Errc code, const char* missing) {
  if (found)
    done(std::move(*found));
  else
    done(make_error(code, missing));
}

}  // namespace

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
  auto it = announce_relays_.find(to_hex(target));
  return it == announce_relays_.end() ? std::vector<RelayInfo>{} : it->second;
}

std::uint64_t Dht::now() const {
  return udx_.clock().now_ms();
}

bool Dht::on_request(const dht::Request& req, const dht::Address& from) {
  // A server listening here takes the handshakes and holepunches addressed to its key, whether
  // or not this node is persistent (router.js: the isServer case).
  if ((req.command == kPeerHandshake || req.command == kPeerHolepunch) && req.target) {
    auto it = servers_.find(to_hex(*req.target));
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

void Dht::register_server(const dht::NodeId& target, ServerHandler handshake,
                          ServerHandler holepunch) {
  servers_[to_hex(target)] = {std::move(handshake), std::move(holepunch)};
}

void Dht::unregister_server(const dht::NodeId& target) {
  servers_.erase(to_hex(target));
  announce_relays_.erase(to_hex(target));
}

std::optional<dht::Address> Dht::relay_for(const dht::NodeId& target) {
  const Bytes* stored = forwards_.get(to_hex(target), now());
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

// A put: the closest nodes to target from a query (query_command, whose answers carry the
// tokens a store needs), then value stored on each of them with its token.
void Dht::commit(const dht::NodeId& target, std::uint64_t query_command,
                 std::optional<Bytes> query_value, std::uint64_t command, Bytes value,
                 PutDone done) {
  uvx::Lifetime::Token alive = alive_;
  node_.query(target, query_command, false, std::move(query_value), nullptr,
              [this, alive, target, command, value = std::move(value),
               done = std::move(done)](std::vector<dht::Reply> closest) mutable {
                if (alive.expired()) return;
                commit_each(
                    target, command,
                    [value = std::move(value)](const dht::Reply&) { return value; },
                    std::move(closest), std::move(done));
              });
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
              announce_relays_[to_hex(target)] = *fresh;
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

// Lookups of one key that overlap share one query: a burst of local connections to one share
// (each a connect, each a lookup) costs the DHT one lookup per wave instead of one each, and a
// later lookup starts a query of its own, so no answer is older than the query it waited on.
// Answers at the first reply holding the peer, as hyperdht's connect starts its handshake
// through each such reply while the query goes on (lib/connect.js): waiting for the query's end
// would wait out every dead node it asked (four timeouts, some seconds) on a churning DHT.
void Dht::find_peer(const crypto::PublicKey& pk, FindPeerDone done) {
  auto [waiting, first] = finding_peers_.try_emplace(pk);
  waiting->second.push_back(std::move(done));
  if (!first) return;
  ++peer_lookups_;
  auto found = std::make_shared<std::optional<std::pair<Peer, dht::Address>>>();
  node_.query(
      crypto::blake2b_256(pk), kFindPeer, false, std::nullopt,
      [this, found, pk](const dht::Reply& r) {
        if (*found || !r.response.value) return;
        enc::Reader rd(*r.response.value);
        auto p = decode_peer(rd);
        if (!p || p->public_key != pk) return;
        *found = std::make_pair(std::move(*p), r.from);
        found_peer(pk, *found);
      },
      [this, found, pk](std::vector<dht::Reply>) {
        // Found: its waiters had their answer at that reply, and a later lookup's waiters
        // wait on their own query.
        if (!*found) found_peer(pk, *found);
      });
}

// Each caller waiting on pk's lookup, once: at the first reply holding it, or at the end.
void Dht::found_peer(const crypto::PublicKey& pk,
                     const std::optional<std::pair<Peer, dht::Address>>& found) {
  auto it = finding_peers_.find(pk);
  if (it == finding_peers_.end()) return;
  std::vector<FindPeerDone> all = std::move(it->second);
  finding_peers_.erase(it);
  for (auto& each : all) {  // each gets its own copy: a waiter may move what it gets
    std::optional<std::pair<Peer, dht::Address>> mine = found;
    deliver(mine, each, Errc::peer_not_found, "that key is not on the DHT");
  }
}

void Dht::mutable_put(const crypto::KeyPair& kp, Bytes value, std::uint64_t seq, PutDone done) {
  MutablePut put;
  put.public_key = kp.public_key;
  put.record.seq = seq;
  put.record.signature = sign_mutable(seq, value, kp);
  put.record.value = std::move(value);
  enc::Writer zero;
  zero.uint(0);
  commit(crypto::blake2b_256(kp.public_key), kMutableGet, std::move(zero).take(), kMutablePut,
         encode(put), std::move(done));
}

void Dht::mutable_get(const crypto::PublicKey& pk, std::uint64_t min_seq,
                      std::function<void(Result<MutableRecord>)> done, Freshness freshness) {
  enc::Writer w;
  w.uint(min_seq);
  struct Get {
    std::optional<MutableRecord> best;
    std::function<void(Result<MutableRecord>)> done;
    bool grace_started = false;
    void answer() {
      auto once = std::move(done);
      done = nullptr;
      if (once) {
        deliver(best, once, Errc::invalid_value, "no record for that key was found on the DHT");
      }
    }
  };
  auto get = std::make_shared<Get>();
  get->done = std::move(done);
  const Clock& clock = node_.socket().udx().clock();
  auto take = [get, pk, min_seq, freshness, &clock](const dht::Reply& r) {
    if (!r.response.value || !get->done) return;
    auto rec = decode_mutable_record(*r.response.value);
    if (!rec || rec->seq < min_seq || !verify_mutable(*rec, pk)) return;
    if (!get->best || rec->seq > get->best->seq) get->best = std::move(*rec);
    if (freshness == Freshness::prompt && !get->grace_started) {
      get->grace_started = true;
      uvx::after(clock, kNewerRecordGraceMs, [get] { get->answer(); });
    }
  };
  find_value(
      crypto::blake2b_256(pk), kMutableGet, std::move(w).take(), take,
      [get] { return get->best.has_value(); }, [get] { get->answer(); });
}

void Dht::immutable_put(Bytes value, PutDone done) {
  const dht::NodeId target = crypto::blake2b_256(value);
  commit(target, kImmutableGet, std::nullopt, kImmutablePut, std::move(value), std::move(done));
}

void Dht::immutable_get(const crypto::Hash32& target, std::function<void(Result<Bytes>)> done) {
  auto found = std::make_shared<std::optional<Bytes>>();
  auto take = [found, target](const dht::Reply& r) {
    if (*found || !r.response.value) return;
    if (crypto::blake2b_256(*r.response.value) == target) *found = *r.response.value;
  };
  find_value(
      target, kImmutableGet, std::nullopt, take, [found] { return found->has_value(); },
      [found, done = std::move(done)] {
        deliver(*found, done, Errc::invalid_value, "no value with that hash was found on the DHT");
      });
}

// A get: a query whose every answer goes to take; when none of them held the value (found),
// the closest are asked once more with their tokens (ask_with_tokens). Then finish.
void Dht::find_value(const dht::NodeId& target, std::uint64_t command, std::optional<Bytes> ask,
                     std::function<void(const dht::Reply&)> take, std::function<bool()> found,
                     std::function<void()> finish) {
  uvx::Lifetime::Token alive = alive_;
  node_.query(
      target, command, false, ask, take,
      [this, alive, target, command, ask, take, found, finish](std::vector<dht::Reply> closest) {
        if (alive.expired()) return;
        if (found()) return finish();
        ask_with_tokens(target, command, ask, std::move(closest), take, finish);
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

}  // namespace peerport::hyperdht
