// The server side of connections (hyperdht 6.34 lib/server.js): announce, answer handshakes,
// take part in holepunches, and hand over each client once its first packet arrives.
#include "hyperdht/server.hpp"

#include "common/trace.hpp"
#include "hyperdht/holepunch.hpp"

namespace peerport::hyperdht {

Server::Server(Dht& dht, const crypto::KeyPair& key_pair, Options options,
               OnConnection on_connection)
    : dht_(dht)
    , key_pair_(key_pair)
    , options_(std::move(options))
    , on_connection_(std::move(on_connection))
    , target_(crypto::blake2b_256(key_pair.public_key)) {
  refresh_ = std::make_unique<uvx::Timer>(dht_.node().socket().udx().clock());
  punch_timer_ = std::make_unique<uvx::Timer>(dht_.node().socket().udx().clock());
  dht_.register_server(
      target_, [this](const dht::Request& r, const dht::Address& from) { on_handshake(r, from); },
      [this](const dht::Request& r, const dht::Address& from) { on_holepunch(r, from); });
  punch_listener_ = dht_.add_punch_listener([this](const dht::Address& from) { on_punch(from); });
}

struct Server::Slot {
  std::unique_ptr<SecurePayload> secure;
  std::uint64_t created = 0;
  std::uint64_t round = 0;
  std::vector<dht::Address> remote_addresses;
  std::optional<dht::Address> peer;
  std::uint64_t remote_firewall = kFirewallUnknown;
  int punch_ticks = 0;   // kPunchTickMs ticks of punching left
  int random_ticks = 0;  // ticks of random probing done
  int consistent_probes = 0;
  // Behind a randomizing NAT: the connection whose birthday sockets wait for the client's
  // probes, and where their mappings point.
  Connection* conn = nullptr;
  uvx::Lifetime::Token conn_alive;
  std::optional<dht::Address> birthday_toward;
};

namespace {
constexpr std::uint64_t kSlotLifetime = 40000;
// A cached handshake reply: long enough for a client's retries (lib/server.js keeps 10 s).
constexpr std::uint64_t kReplyLifetime = 10000;
// The announcer's keep-alive (hyperdht: every 3 s, MIN_ACTIVE 3).
constexpr std::uint64_t kRelayKeepAliveMs = 3000;
constexpr std::size_t kMinActiveRelays = 3;
// Announcements live 20 minutes on the nodes that store them; hyperdht refreshes well before.
constexpr std::uint64_t kRefreshMs = 5 * 60 * 1000;
}  // namespace

// Our reachability for the handshake reply (lib/server.js): OPEN when nodes see us at one of
// our own interface addresses; behind a NAT (a public address that is not ours) we offer a
// holepunch; on a private network (a loopback or LAN testnet) neither is needed.
static std::uint64_t our_reachability(dht::Node& node) {
  auto seen = node.sampled_address();
  // Firewalled until proven open, as in dht-rpc: before any node has told us how it sees us, a
  // client sent straight to the relay's view of us could be sending into a firewall.
  if (!seen) return kFirewallConsistent;
  if (is_bogon(*seen)) return kFirewallUnknown;  // a private network: reachable as seen
  for (const auto& a : local_addresses(node.local_address())) {
    if (a.host == seen->host && a.port == seen->port) {
      // Our own address, but a firewall that drops what we did not ask for (or one the check
      // has not ruled out yet): punch as behind a consistent NAT, so the client's packets
      // arrive on a path we opened.
      return node.firewalled().value_or(true) ? kFirewallConsistent : kFirewallOpen;
    }
  }
  return kFirewallConsistent;  // behind a NAT: holepunch
}

void Server::on_punch(const dht::Address& from) {
  // The responder echoes every punch while a client is punching (holepuncher.js
  // _onholepunchmessage), so the client's NAT sees traffic from the address it punched.
  if (slots_.empty()) return;
  const std::uint8_t byte = kPunch;
  (void)dht_.node().socket().send(ByteView(&byte, 1), dht::to_udx(from));
}

void Server::on_tick() {
  const std::uint64_t now = dht_.node().socket().udx().clock().now_ms();
  const std::uint8_t byte = kPunch;
  int random_probing = 0;
  std::size_t probed = 0;
  for (auto it = slots_.begin(); it != slots_.end();) {
    Slot& s = *it->second;
    if (now - s.created > kSlotLifetime) {
      it = slots_.erase(it);
      continue;
    }
    if (s.punch_ticks > 0 && s.remote_firewall >= kFirewallRandom && s.peer) {
      if (random_probing++ >= limits::kMaxRandomProbingSlots) {
        ++it;  // waits for a turn (its punch_ticks are not spent)
        continue;
      }
      // _randomProbes: the client's NAT holds many mappings toward us; random ports of its
      // host (only the host its relay saw) find one of them within seconds.
      --s.punch_ticks;
      ++probed;
      const int n = random_probes_this_tick(s.random_ticks);
      for (int i = 0; i < n; ++i) {
        (void)dht_.node().socket().send(ByteView(&byte, 1), dht::to_udx(random_port_of(*s.peer)));
      }
      stats_.random_probes += static_cast<std::uint64_t>(n);
    } else if (s.punch_ticks > 0 && s.punch_ticks-- % (1000 / kPunchTickMs) == 0) {
      // _consistentProbe, once a second: where its relay saw the client, and the addresses
      // it gave, unverified ones (another host) only every fourth time.
      const bool unverified_too = s.consistent_probes++ % 4 == 0;
      if (s.peer) (void)dht_.node().socket().send(ByteView(&byte, 1), dht::to_udx(*s.peer));
      for (const auto& a : s.remote_addresses) {
        if (!unverified_too && !(s.peer && a.host == s.peer->host)) continue;
        (void)dht_.node().socket().send(ByteView(&byte, 1), dht::to_udx(a));
      }
    }
    ++it;
  }
  stats_.random_probing = probed;
  if (slots_.empty()) punch_timer_->stop();
}

void Server::on_holepunch(const dht::Request& req, const dht::Address& from) {
  if (!req.value) return;
  auto hp = decode_holepunch(*req.value);
  if (!hp || hp->mode != kModeFromRelayForServer || !hp->peer_address) return;
  auto it = slots_.find(hp->id);
  if (it == slots_.end()) return;  // unknown or expired: silence, as lib/server.js
  Slot& slot = *it->second;
  if (!slot.secure) return;
  auto theirs = slot.secure->decrypt(hp->payload);
  if (!theirs) return;
  if (theirs->error != 0) {
    slots_.erase(it);
    return;
  }
  PP_TRACE("share: holepunch round %llu (punching %d) from %s, client firewall %llu",
           static_cast<unsigned long long>(theirs->round), theirs->punching,
           hp->peer_address->to_string().c_str(),
           static_cast<unsigned long long>(theirs->firewall));
  if (theirs->round >= slot.round) {
    slot.round = theirs->round;
    if (theirs->addresses) {
      slot.remote_addresses = *theirs->addresses;
      if (slot.remote_addresses.size() > limits::kMaxPunchAddresses) {
        slot.remote_addresses.resize(limits::kMaxPunchAddresses);
      }
    }
    slot.peer = hp->peer_address;
    slot.remote_firewall = theirs->firewall;
  }
  auto& node = dht_.node();
  const auto seen = node.sampled_address();
  const std::uint8_t byte = kPunch;
  // Fast mode: the client opened a session to the address nodes see us at; answer it now.
  if (theirs->remote_address && seen && *theirs->remote_address == *seen) {
    (void)node.socket().send(ByteView(&byte, 1), dht::to_udx(*hp->peer_address));
  }
  if (theirs->punching && slot.birthday_toward && !slot.conn_alive.expired() &&
      !(*slot.birthday_toward == *hp->peer_address)) {
    // The client punches from another socket than it shook hands from (a hyperdht client
    // takes a fresh one from its pool): our mappings must point there, or its probes to them
    // are filtered (holepuncher.js opens its birthday sockets toward the verified address).
    PP_TRACE("share: birthday mappings now toward %s", hp->peer_address->to_string().c_str());
    slot.conn->send_from_held_sockets(ByteView(&byte, 1), dht::to_udx(*hp->peer_address),
                                      kSessionTtl);
    slot.birthday_toward = hp->peer_address;
  }
  if (theirs->punching && slot.punch_ticks == 0) {
    // Ten seconds for consistent NATs; a randomizing client needs our random probes longer.
    slot.punch_ticks = (slot.remote_firewall >= kFirewallRandom ? 30000 : 10000) / kPunchTickMs;
    (void)node.socket().send(ByteView(&byte, 1), dht::to_udx(*hp->peer_address));
  }
  HolepunchPayload mine;
  mine.firewall = firewall_from_samples(node.nat_samples());
  mine.round = slot.round;
  mine.punching = theirs->punching;
  if (seen) mine.addresses = std::vector<dht::Address>{*seen};
  mine.token = slot.secure->token(*hp->peer_address);
  mine.remote_token = theirs->token;
  Holepunch out{kModeFromServer, 0, slot.secure->encrypt(mine), hp->peer_address};
  node.relay(req, encode(out), from);
}

void Server::expire(std::uint64_t now) {
  while (!reply_order_.empty() && now - reply_order_.front().first > kReplyLifetime)
    drop_oldest_reply();
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    it = now - it->second.second > kSlotLifetime ? waiting_.erase(it) : std::next(it);
  }
  std::erase_if(birthday_holders_,
                [](const auto& h) { return h.second.expired() || h.first->held_sockets() == 0; });
}

// Over a cap the oldest entry goes, not the new handshake: an honest client's first packet
// follows its handshake within a round trip or a punch, so a flood must outpace that to push
// one out, where refusing new handshakes would let 7 handshakes a second shut a share.
void Server::make_room(bool needs_slot) {
  auto oldest = [](auto& map) {
    return std::min_element(map.begin(), map.end(), [](const auto& a, const auto& b) {
      return a.second.second < b.second.second;
    });
  };
  while (!waiting_.empty() && waiting_.size() >= options_.max_pending) {
    waiting_.erase(oldest(waiting_));
    ++stats_.evicted_pending;
  }
  while (!reply_order_.empty() && replies_.size() >= options_.max_cached_replies)
    drop_oldest_reply();
  while (needs_slot && !slots_.empty() && slots_.size() >= options_.max_slots) {
    slots_.erase(std::min_element(slots_.begin(), slots_.end(), [](const auto& a, const auto& b) {
      return a.second->created < b.second->created;
    }));
    ++stats_.evicted_slots;
  }
}

// A connection keeps its birthday sockets until data flows (prune_sockets keeps the one its
// stream took), so a set counts until then, handed over or not.
std::size_t Server::birthday_sets() const {
  std::size_t n = 0;
  for (const auto& [conn, alive] : birthday_holders_) {
    if (!alive.expired() && conn->held_sockets() > 1) ++n;
  }
  return n;
}

Server::Stats Server::stats() const {
  stats_.pending = waiting_.size();
  stats_.cached_replies = replies_.size();
  stats_.slots = slots_.size();
  stats_.birthday_sets = birthday_sets();
  stats_.relay_pairings = static_cast<std::size_t>(relay_tickets_.use_count() - 1);
  return stats_;
}

Server::~Server() {
  alive_.end();
  dht_.remove_punch_listener(punch_listener_);
  dht_.unregister_server(target_);
}

void Server::announce(std::function<void(Status)> done) {
  uvx::Lifetime::Token alive = alive_;
  dht_.announce(target_, key_pair_, {}, [alive, done = std::move(done)](Status st, std::size_t) {
    if (!alive.expired() && done) done(st);
  });
}

void Server::unannounce(std::function<void()> done) {
  refresh_->stop();
  keepalive_.reset();
  uvx::Lifetime::Token alive = alive_;
  dht_.unannounce(target_, key_pair_, [alive, done = std::move(done)](Status, std::size_t) {
    if (!alive.expired() && done) done();
  });
}

// hyperdht's announcer pings the nodes holding its announcement every few seconds: they relay
// every client's handshake to us, so the NAT mapping toward each must stay open, and a router
// forgets an idle UDP mapping after 30 s or less. Fewer than kMinActiveRelays answering means
// they are gone (or we moved): announce again at once.
void Server::keep_relays_alive() {
  if (keepalive_round_) return;
  auto relays = dht_.announce_relays(target_);
  if (relays.empty()) return;
  keepalive_round_ = true;
  struct Round {
    std::size_t pending = 0;
    std::size_t active = 0;
  };
  auto round = std::make_shared<Round>();
  round->pending = relays.size();
  uvx::Lifetime::Token alive = alive_;
  const std::size_t wanted = std::min<std::size_t>(relays.size(), kMinActiveRelays);
  for (const auto& r : relays) {
    dht_.node().request(
        r.relay_address, dht::kPing, true, std::nullopt, std::nullopt,
        [this, alive, round, wanted](const dht::Reply* reply) {
          if (alive.expired()) return;
          if (reply) ++round->active;
          if (--round->pending > 0) return;
          if (round->active >= wanted) {
            keepalive_round_ = false;
            return;
          }
          PP_TRACE("share: %zu of the announcement's nodes answered: announcing again",
                   round->active);
          // No new round until this announcement is through.
          announce([this, alive](Status) {
            if (!alive.expired()) keepalive_round_ = false;
          });
        },
        std::nullopt, true);
  }
}

void Server::listen(std::function<void(Status)> done) {
  keepalive_ = std::make_unique<uvx::Timer>(dht_.node().socket().udx().clock());
  keepalive_->start(
      kRelayKeepAliveMs, [this] { keep_relays_alive(); }, kRelayKeepAliveMs);
  refresh_->start(
      kRefreshMs, [this] { announce(nullptr); }, kRefreshMs);
  // Last: `done` may tear this server down (a share whose announcement failed goes).
  announce(std::move(done));
}

void Server::drop_oldest_reply() {
  replies_.erase(reply_order_.front().second);
  reply_order_.pop_front();
}

void Server::on_handshake(const dht::Request& req, const dht::Address& from) {
  if (!req.value) return;
  auto hs = decode_handshake(*req.value);
  if (!hs || hs->noise.empty()) return;
  if (hs->mode != kModeFromRelayForServer && hs->mode != kModeFromClient) return;
  const std::uint64_t now = dht_.node().socket().udx().clock().now_ms();
  expire(now);
  const crypto::Hash32 key = crypto::blake2b_256(hs->noise);
  Bytes reply_noise;
  if (auto it = replies_.find(key); it != replies_.end()) {
    reply_noise = it->second.first;  // a retry of a handshake we already answered
  } else {
    auto made = accept(*hs, hs->peer_address.value_or(from), now);
    if (!made) return;
    reply_noise = std::move(*made);
    replies_[key] = {reply_noise, now};
    reply_order_.emplace_back(now, key);
  }
  if (hs->mode == kModeFromClient) {
    Handshake out{kModeReply, reply_noise, std::nullopt, std::nullopt};
    dht_.node().reply(req, from, 0, encode(out), false, false);
  } else {
    Handshake out{kModeFromServer, reply_noise, hs->peer_address, std::nullopt};
    dht_.node().relay(req, encode(out), from);
  }
}

// A new client's msg1: judged, answered with msg2 (returned), and its connection made to wait
// for the client's first packet. Nothing if refused or malformed: the client hears nothing.
std::optional<Bytes> Server::accept(const Handshake& hs, const dht::Address& client,
                                    std::uint64_t now) {
  auto noise = std::make_unique<crypto::NoiseHandshake>(crypto::NoisePattern::IK, false, key_pair_,
                                                        crypto::hyperdht_ns().peer_handshake);
  auto payload_bytes = noise->recv(hs.noise);
  if (!payload_bytes) return std::nullopt;
  auto theirs = decode_noise_payload(*payload_bytes);
  if (!theirs || theirs->version != 1 || !theirs->udx) return std::nullopt;
  // msg1 carries the client's static key: known before we answer, so the firewall can judge.
  const crypto::PublicKey remote = *noise->remote_static();
  if (options_.firewall && !options_.firewall(remote, client)) {
    ++stats_.refused;
    return std::nullopt;
  }
  const std::uint64_t reach = our_reachability(dht_.node());
  make_room(reach == kFirewallConsistent);
  udx::Udx& udx = dht_.node().socket().udx();
  const auto client_stream = static_cast<std::uint32_t>(theirs->udx->id);
  // Connected at once to where the relay saw the client, so even a connection refused right
  // away (a dead local service) can still tell the client with a DESTROY; the client's first
  // packet corrects the address if it comes from elsewhere.
  auto conn =
      Connection::accept(udx, dht_.node().socket(), remote, client_stream, dht::to_udx(client));
  if (!conn) return std::nullopt;
  PP_TRACE("share: handshake from %s, our reachability %llu", client.to_string().c_str(),
           static_cast<unsigned long long>(reach));
  if (reach != kFirewallOpen && !is_private(client) &&
      firewall_from_samples(dht_.node().nat_samples()) >= kFirewallRandom) {
    open_birthday_sockets(*conn, client);
  }
  NoisePayload mine = our_payload(reach, conn->stream_id());
  Slot* slot = reach == kFirewallConsistent ? open_slot(now, client, mine) : nullptr;
  auto msg2 = noise->send(encode(mine));
  if (!msg2) return std::nullopt;
  // The holepunch secret comes from the finished handshake's hash (noise-wrap final()).
  if (slot) {
    slot->secure = std::make_unique<SecurePayload>(noise->result().hash);
    if (conn->held_sockets() > 0) {
      slot->conn = conn.get();
      slot->conn_alive = conn->lifetime();
      slot->birthday_toward = client;
    }
  }
  conn->start_secret(noise->result());
  if (theirs->relay_through) pair_for(*conn, *theirs->relay_through, client_stream);
  wait_for_first_packet(std::move(conn), now);
  return std::move(*msg2);
}

// Behind a randomizing NAT: many mappings toward the client, each echoing its punches; the
// stream moves to whichever one the client's first packet arrives on.
void Server::open_birthday_sockets(Connection& conn, const dht::Address& client) {
  if (birthday_sets() >= options_.max_birthday_sets) {
    ++stats_.birthday_skipped;
    return;
  }
  conn.hold_sockets(hyperdht::open_birthday_sockets(
      dht_.node().socket().udx(), client, [](udx::Socket& sock, const dht::Address& source) {
        const std::uint8_t byte = kPunch;
        (void)sock.send(ByteView(&byte, 1), dht::to_udx(source));
      }));
  birthday_holders_.emplace_back(&conn, conn.lifetime());
}

NoisePayload Server::our_payload(std::uint64_t reach, std::uint32_t stream_id) const {
  NoisePayload mine;
  mine.firewall = reach == kFirewallOpen ? kFirewallOpen : kFirewallUnknown;
  mine.addresses4 = local_addresses(dht_.node().local_address());
  if (reach == kFirewallOpen) {
    mine.addresses4.insert(mine.addresses4.begin(), *dht_.node().sampled_address());
  }
  if (mine.addresses4.empty()) mine.addresses4 = {dht_.node().local_address()};
  mine.udx = UdxInfo{1, false, stream_id, 0};
  mine.secret_stream = true;
  return mine;
}

// Behind a consistent NAT: a holepunch slot the client's rounds address, offered in `mine`
// with the nodes our announcement went to. None if no announcement is stored yet.
Server::Slot* Server::open_slot(std::uint64_t now, const dht::Address& client, NoisePayload& mine) {
  auto relays = dht_.announce_relays(target_);
  if (relays.empty()) return nullptr;
  const std::uint64_t id = next_slot_++;
  auto slot = std::make_unique<Slot>();
  slot->created = now;
  slot->peer = client;
  Slot* raw = slot.get();
  slots_[id] = std::move(slot);
  mine.holepunch = std::make_pair(id, relays);
  if (!punch_timer_->active()) {
    punch_timer_->start(
        kPunchTickMs, [this] { on_tick(); }, kPunchTickMs);
  }
  return raw;
}

// The client offered a relay (hyperdht relayThrough): pair there as the other half, unless too
// many pairings are under way already.
void Server::pair_for(Connection& conn, const RelayThrough& offer, std::uint32_t client_stream) {
  if (!options_.pair_relay ||
      relay_tickets_.use_count() - 1 >= static_cast<long>(options_.max_relay_pairings)) {
    ++stats_.relay_skipped;
    return;
  }
  conn.pair_for_client(dht_, key_pair_, options_.pair_relay, offer, client_stream, relay_tickets_);
}

// Handed over when the client's first packet arrives, as hyperdht's server emits a connection
// only once its stream connects: a client whose holepunch fails (and that retries through a
// relay) leaves no half-open connection to the local service behind.
void Server::wait_for_first_packet(std::unique_ptr<Connection> conn, std::uint64_t now) {
  Connection* raw = conn.get();
  uvx::Lifetime::Token server_alive = alive_;
  conn->on_first_packet([this, raw, server_alive] {
    if (server_alive.expired()) return;
    auto w = waiting_.find(raw);
    if (w == waiting_.end()) return;
    auto c = std::move(w->second.first);
    waiting_.erase(w);
    if (on_connection_) on_connection_(std::move(c));
  });
  waiting_[raw] = {std::move(conn), now};
}

}  // namespace peerport::hyperdht
