#include "hyperdht/connection.hpp"

#include <sodium.h>

#include "common/trace.hpp"
#include "common/uv.hpp"
#include "crypto/hash.hpp"
#include "hyperdht/holepunch.hpp"
#include "relay/blind_relay.hpp"

namespace peerport::hyperdht {

namespace {
constexpr std::uint32_t kKeepAliveMs = 5000;
// A handshake or holepunch goes to a node, on to the server and back: a retry sent on the node's
// own round trip reaches a server still working on the first copy, and a hyperdht server aborts
// a randomizing punch that a duplicate round arrives for (TRY_LATER).
constexpr std::uint32_t kRelayedRequestMinTimeoutMs = 2000;
// A path counts as open only once a packet of the peer's has come back on it; an address that
// swallows everything (a firewall, a stale mapping, a server that misjudged itself as open)
// fails the attempt after this long, with PEER_SILENT, so the caller can try a relay.
constexpr std::uint64_t kPeerSilentMs = 5000;
// Holepunch budgets in 100 ms ticks: 15 s, and 30 s when either side's NAT randomizes.
constexpr int kPunchTicks = 150;
constexpr int kRandomPunchTicks = 300;

udx::Address to_udx(const dht::Address& a) {
  return dht::to_udx(a);
}

Error connect_error(std::string what, Errc code = Errc::peer_connection_failed) {
  return make_error(code, std::move(what));
}
}  // namespace

// What lives between the first step and the open connection: shared by the callbacks.
struct Connection::Pending {
  Dht* dht = nullptr;
  crypto::KeyPair local;
  crypto::PublicKey remote{};
  std::unique_ptr<crypto::NoiseHandshake> noise;
  std::unique_ptr<Connection> conn;
  ConnectDone done;
  std::uint32_t remote_udx_id = 0;
  dht::NodeId target{};
  ConnectOptions options;
  relay::Token token{};
  bool relay_pending = false;
  bool punch_running = false;
  std::optional<Error> punch_error;  // why the holepunch failed, while the relay still tries
  // A connection handed over relayed, for a holepunch that succeeds after all.
  Connection* handed = nullptr;
  std::weak_ptr<bool> handed_alive;
  // The stream is connected and waits for the peer's first packet before it is handed over.
  bool awaiting_peer = false;
  bool silent = false;  // nothing came back within kPeerSilentMs; a pending relay decides
  std::unique_ptr<uvx::Timer> silence;
};

void Connection::connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                         Callbacks callbacks, ConnectDone done, ConnectOptions options) {
  auto p = std::make_shared<Pending>();
  p->dht = &dht;
  p->options = options;
  if (options.relay_through) p->token = relay::random_token();
  p->local = local;
  p->remote = remote;
  // A failed attempt's connection must not call back into the caller's object (a tunnel may
  // retry with the same callbacks), so they are dropped before the failure is reported.
  Pending* raw = p.get();
  p->done = [raw, user_done = std::move(done)](Result<std::unique_ptr<Connection>> r) {
    if (!r && raw->conn) raw->conn->cb_ = {};
    user_done(std::move(r));
  };
  p->conn.reset(new Connection());
  p->conn->remote_ = remote;
  p->conn->cb_ = std::move(callbacks);

  PP_TRACE("connect: looking up the peer");
  dht.find_peer(remote, [p](Result<std::pair<Peer, dht::Address>> found) {
    PP_TRACE("connect: lookup %s", found ? found->second.to_string().c_str() : "failed");
    if (!found) {
      p->done(found.error());
      return;
    }
    const dht::Address relay = found->second;
    Connection* c = p->conn.get();
    udx::Udx& udx = p->dht->node().socket().udx();
    const std::uint32_t stream_id = udx.new_stream_id();

    // The stream exists (unconnected) before msg1 names its id. The server may connect back
    // before its handshake reply has made the longer trip through the DHT: its first packets
    // are taken in and held (reading paused) until the keys to read them exist.
    c->make_stream(udx, stream_id, false, 0);
    c->stream_->pause_reading();

    p->noise = std::make_unique<crypto::NoiseHandshake>(
        crypto::NoisePattern::IK, true, p->local, crypto::hyperdht_ns().peer_handshake, p->remote);
    NoisePayload mine;
    mine.firewall = kFirewallUnknown;
    mine.addresses4 = {p->dht->node().local_address()};
    mine.udx = UdxInfo{1, false, stream_id, 0};
    mine.secret_stream = true;
    if (p->options.relay_through) {
      mine.relay_through = RelayThrough{1, *p->options.relay_through, p->token};
    }
    auto msg1 = p->noise->send(encode(mine));
    if (!msg1) {
      p->done(msg1.error());
      return;
    }
    Handshake hs{kModeFromClient, std::move(*msg1), std::nullopt, std::nullopt};
    const dht::NodeId target = crypto::blake2b_256(p->remote);
    p->target = target;
    p->dht->node().request(
        relay, kPeerHandshake, false, target, encode(hs),
        [p, relay](const dht::Reply* r) {
          PP_TRACE("connect: handshake reply %s", r ? "arrived" : "timed out");
          if (!r) {
            p->done(connect_error("the peer did not answer the handshake"));
            return;
          }
          auto reply = r->response.value ? decode_handshake(*r->response.value) : std::nullopt;
          if (!reply || reply->mode != kModeReply || reply->noise.empty()) {
            p->done(connect_error("bad handshake reply", Errc::bad_handshake_reply));
            return;
          }
          auto payload_bytes = p->noise->recv(reply->noise);
          if (!payload_bytes) {
            p->done(payload_bytes.error());
            return;
          }
          auto theirs = decode_noise_payload(*payload_bytes);
          if (!theirs || theirs->version != 1) {
            p->done(connect_error("the peer speaks another protocol version",
                                  Errc::server_incompatible));
            return;
          }
          if (theirs->error != 0 || !theirs->udx) {
            p->done(connect_error(
                "the peer refused the connection (error " + std::to_string(theirs->error) + ")",
                Errc::server_error));
            return;
          }
          decide(p, relay, *reply, r->response.to, *theirs);
        },
        std::nullopt, false, kRelayedRequestMinTimeoutMs);
  });
}

// Connects the stream to `to` and hands the connection over (the end of every direct path).
void Connection::complete(const std::shared_ptr<Pending>& p, const dht::Address& to,
                          std::unique_ptr<udx::Socket> socket) {
  PP_TRACE("connect: path to %s%s", to.to_string().c_str(), socket ? " (birthday socket)" : "");
  if (p->awaiting_peer) {
    if (p->conn->relayed_ && !p->options.force_relay) {
      udx::Socket* via = &p->dht->node().socket();
      if (socket) {
        via = socket.get();
        p->conn->sockets_.push_back(std::move(socket));
      }
      p->conn->upgrade(*via, to_udx(to));
    }
    return;
  }
  if (!p->conn) {
    // Handed over relayed already: a holepunch that got through moves the stream there.
    if (p->handed && !p->handed_alive.expired() && p->handed->relayed_ && !p->options.force_relay) {
      udx::Socket* via = &p->dht->node().socket();
      if (socket) {
        via = socket.get();
        p->handed->sockets_.push_back(std::move(socket));
      }
      p->handed->upgrade(*via, to_udx(to));
    }
    return;
  }
  Connection* conn = p->conn.get();
  udx::Socket* via = &p->dht->node().socket();
  if (socket) {
    via = socket.get();
    conn->sockets_.push_back(std::move(socket));
  }
  auto st = conn->stream_->connect(*via, p->remote_udx_id, to_udx(to));
  if (!st) {
    p->done(st.error());
    p->conn.reset();
    return;
  }
  finish(p);
}

// The stream is connected (directly or to the relay): keys and header; handed over once the
// peer has been heard on the path.
void Connection::finish(const std::shared_ptr<Pending>& p) {
  Connection* conn = p->conn.get();
  conn->secret_ = std::make_unique<crypto::SecretStream>(p->noise->result());
  const auto& header = conn->secret_->header_frame();
  conn->stream_->write(ByteView(header.data(), header.size()));
  if (conn->stream_->stats().packets_received > 0) {
    hand_over(p);
    return;
  }
  p->awaiting_peer = true;
  std::weak_ptr<Pending> weak = p;
  conn->stream_->on_first_packet([weak] {
    if (auto me = weak.lock(); me && me->awaiting_peer) hand_over(me);
  });
  arm_silence(p);
}

// Bounds the wait for the peer's first packet on the path the stream now uses.
void Connection::arm_silence(const std::shared_ptr<Pending>& p) {
  p->silent = false;
  if (!p->silence) p->silence = std::make_unique<uvx::Timer>(p->dht->node().socket().udx().loop());
  // The Dht holds the attempt while it waits (nothing else may); hand_over and fail_silent
  // release it, and a Dht that goes first takes it along.
  p->dht->hold(p);
  std::weak_ptr<Pending> weak = p;
  p->silence->start(kPeerSilentMs, [weak] {
    auto me = weak.lock();
    if (!me || !me->awaiting_peer) return;
    me->silent = true;
    if (me->relay_pending && !me->conn->relayed_) return;  // the relay may still rescue it
    fail_silent(me, "");
  });
}

void Connection::fail_silent(const std::shared_ptr<Pending>& p, const std::string& relay_error) {
  auto hold = p;
  p->dht->release(p.get());
  PP_TRACE("connect: the peer stayed silent");
  p->awaiting_peer = false;
  auto keep = p;  // the timer going below may hold the last reference
  p->silence.reset();
  std::string why = std::string(p->conn->relayed_ ? "the relay" : "the peer's address") +
                    " took our packets but nothing came back in " +
                    std::to_string(kPeerSilentMs / 1000) + " s";
  if (!relay_error.empty()) why += "; relay: " + relay_error;
  p->done(connect_error(why, Errc::peer_silent));
  p->conn.reset();
}

void Connection::hand_over(const std::shared_ptr<Pending>& p) {
  auto hold = p;
  p->dht->release(p.get());
  PP_TRACE("connect: open (%s), the peer was heard", p->conn->relayed_ ? "relayed" : "direct");
  auto keep = p;  // the timer going below may hold the last reference
  p->awaiting_peer = false;
  p->silence.reset();
  Connection* conn = p->conn.get();
  udx::Stream* stream = conn->stream_.get();
  if (conn->relayed_) {
    p->handed = conn;
    p->handed_alive = conn->alive_;
  }
  std::weak_ptr<bool> alive = conn->alive_;
  p->done(std::move(p->conn));
  if (!alive.expired()) stream->resume_reading();  // callbacks are in place now
}

// Pairs at the relay we offered (lib/connect.js relayConnection, as the initiator); runs beside
// the holepunch, and whichever connects first carries the stream.
void Connection::start_relay(const std::shared_ptr<Pending>& p) {
  if (p->relay_pending || !p->conn) return;
  p->relay_pending = true;
  PP_TRACE("connect: pairing at the relay");
  relay::RelayClient::pair(
      *p->dht, p->local, *p->options.relay_through, true, p->token, p->conn->stream_->id(),
      [p](Result<relay::RelayClient::Paired> r) {
        p->relay_pending = false;
        PP_TRACE("connect: relay pairing %s", r ? "done" : "failed");
        if (!p->conn) return;  // a direct path won; the pairing goes with r
        if (p->awaiting_peer) {
          // A direct path was taken but the peer has not been heard on it: the relay is the
          // better bet, and a direct path can still take over later (watch_for_direct).
          if (!r) {
            if (p->silent) fail_silent(p, r.error().message);  // else the direct path may answer
            return;
          }
          Connection* conn = p->conn.get();
          if (!conn->stream_->change_remote(*r->socket, r->remote_id, r->address).ok()) return;
          conn->relay_ = std::move(r->client);
          conn->relayed_ = true;
          conn->relay_address_ = r->address;
          conn->peer_stream_id_ = p->remote_udx_id;
          if (!p->options.force_relay) conn->watch_for_direct();
          arm_silence(p);  // the relay gets its own time to bring the peer's first packet
          return;
        }
        if (!r) {
          if (p->punch_running) return;  // the holepunch may still connect, or report
          std::string why = r.error().message;
          if (p->punch_error) why = p->punch_error->message + "; relay: " + why;
          p->done(connect_error(why, r.error().code));
          p->conn.reset();
          return;
        }
        Connection* conn = p->conn.get();
        auto st = conn->stream_->connect(*r->socket, r->remote_id, r->address);
        if (!st) {
          p->done(st.error());
          p->conn.reset();
          return;
        }
        conn->relay_ = std::move(r->client);
        conn->relayed_ = true;
        conn->relay_address_ = r->address;
        conn->peer_stream_id_ = p->remote_udx_id;
        if (!p->options.force_relay) conn->watch_for_direct();
        finish(p);
      });
}

void Connection::upgrade(udx::Socket& socket, const udx::Address& to) {
  if (!relayed_ || !stream_) return;
  if (stream_->change_remote(socket, peer_stream_id_, to).ok()) {
    relayed_ = false;
    stream_->watch_source(nullptr);
    PP_TRACE("stream %u: moved from the relay to a direct path", stream_->id());
    if (cb_.on_direct) cb_.on_direct();
  }
}

void Connection::watch_for_direct() {
  // The peer's packets arriving from anywhere but the relay mean its side found a direct path
  // (its holepunch won after all): ours follows.
  std::weak_ptr<bool> alive = alive_;
  stream_->watch_source([this, alive](udx::Socket& socket, const udx::Address& from) {
    if (alive.expired() || from == relay_address_) return;
    upgrade(socket, from);
  });
}

// lib/connect.js connectAndHolepunch(): direct, LAN, or holepunch, from what the server said.
void Connection::decide(const std::shared_ptr<Pending>& p, const dht::Address& relay,
                        const Handshake& reply, const dht::Address& client_address,
                        const NoisePayload& theirs) {
  p->remote_udx_id = static_cast<std::uint32_t>(theirs.udx->id);
  PP_TRACE("connect: server firewall %llu, relayed %d, punchable %d",
           static_cast<unsigned long long>(theirs.firewall), reply.peer_address.has_value(),
           theirs.holepunch && !theirs.holepunch->second.empty());
  if (p->options.relay_through && p->options.force_relay) {
    start_relay(p);
    return;
  }
  const bool relayed = reply.peer_address.has_value();
  const dht::Address server = reply.peer_address.value_or(relay);
  const bool punchable = theirs.holepunch && !theirs.holepunch->second.empty();
  if (theirs.firewall == kFirewallOpen || !relayed || !punchable) {
    // Reachable as it is: its first public address, else where the relay saw it.
    complete(p, first_public(theirs.addresses4).value_or(server));
    return;
  }
  // Behind the same public address as us (one NAT, or one host): its LAN address, if the
  // server's relay address is public (on one host the relay's view already works).
  if (client_address.host == server.host && !is_private(server)) {
    std::vector<dht::Address> lan;
    for (const auto& a : theirs.addresses4) {
      if (!is_reserved(a)) lan.push_back(a);
    }
    auto mine = local_addresses(p->dht->node().local_address());
    if (auto target = match_address(mine, lan)) {
      complete(p, *target);
      return;
    }
  }
  if (is_private(server)) {
    complete(p, server);
    return;
  }
  if (p->options.relay_through) start_relay(p);
  punch(p, relay, server, theirs);
}

// The client's holepunch (lib/connect.js probeRound/roundPunch, lib/holepuncher.js), on the
// DHT's own socket: with one socket per node its NAT mapping is the one the DHT nodes sampled.
//
//   open our mapping: 0x00 to the server with TTL 5
//   round 0 (probe):  PEER_HOLEPUNCH via the server's relay {punching: false, addresses,
//                     remoteAddress: server}; a consistent server "fast mode" pings us back
//   round 1 (punch):  {punching: true, token, remoteToken}; both sides send 0x00 every second
//                     (to random ports of the server's host when it is behind a random NAT)
//   the first 0x00 that arrives from the server: connect the stream to its source
struct Connection::Punch {
  std::shared_ptr<Pending> p;
  RelayInfo relay;
  dht::Address server;
  std::uint64_t id = 0;
  std::unique_ptr<SecurePayload> secure;
  std::uint64_t round = 0;
  std::uint64_t our_firewall = kFirewallUnknown;
  std::uint64_t their_firewall = kFirewallUnknown;
  std::vector<dht::Address> their_addresses;
  std::optional<FixedBytes<32>> their_token;
  std::uint64_t listener = 0;
  std::vector<std::unique_ptr<udx::Socket>> birthday;  // when our NAT randomizes
  dht::Address birthday_toward;
  std::size_t keepalive_next = 0;  // the birthday socket whose turn it is
  uv_timer_t* timer = nullptr;
  int ticks = 0;
  int random_ticks = 0;  // ticks of random probing done
  int probes = 0;
  bool punching = false;
  bool finished = false;
  std::weak_ptr<bool> dht_alive;

  // The timer's next tick releases the session and closes itself.
  void stop() {
    if (finished) return;
    finished = true;
    p->punch_running = false;
    if (!dht_alive.expired()) p->dht->remove_punch_listener(listener);
  }
  void fail(Errc code, const std::string& why) {
    if (finished) return;
    stop();
    p->punch_error = make_error(code, why);
    if (p->relay_pending) return;  // the relay may still connect us
    if (p->conn) {
      p->done(connect_error(why, code));
      p->conn.reset();
    }
  }
  void send_punch(const dht::Address& to, int ttl) {
    const std::uint8_t byte = kPunch;
    (void)p->dht->node().socket().send_ttl(ByteView(&byte, 1), dht::to_udx(to), ttl);
  }
};

void Connection::punch(const std::shared_ptr<Pending>& p, const dht::Address& relay,
                       const dht::Address& server, const NoisePayload& theirs) {
  auto h = std::make_shared<Punch>();
  h->p = p;
  h->server = server;
  h->id = theirs.holepunch->first;
  // pickServerRelay: the relay our handshake went through if it is one of the server's.
  h->relay = theirs.holepunch->second.front();
  for (const auto& r : theirs.holepunch->second) {
    if (r.relay_address == relay) h->relay = r;
  }
  h->secure = std::make_unique<SecurePayload>(p->noise->result().hash);
  h->dht_alive = p->dht->lifetime();
  p->punch_running = true;
  h->our_firewall = firewall_from_samples(p->dht->node().nat_samples());
  std::weak_ptr<Punch> weak = h;
  h->listener = p->dht->add_punch_listener([weak](const dht::Address& from) {
    auto self = weak.lock();
    if (!self || self->finished) return;
    // Any punch from the server's host means its NAT now lets us through from there.
    if (!(from.host == self->server.host)) {
      bool known = false;
      for (const auto& a : self->their_addresses) known = known || a.host == from.host;
      if (!known) return;
    }
    PP_TRACE("punch: 0x00 from %s on the DHT socket", from.to_string().c_str());
    self->stop();
    complete(self->p, from);
  });
  h->timer = new uv_timer_t;
  uv_timer_init(p->dht->node().socket().udx().loop(), h->timer);
  // The whole attempt is bounded: a probe, a punch round and ten seconds of probing.
  h->send_punch(server, kSessionTtl);
  send_round(h, false);
  // Keeps the session alive until it ends; released by the timer's last tick.
  struct Holder {
    std::shared_ptr<Punch> h;
  };
  auto* holder = new Holder{h};
  h->timer->data = holder;
  uv_timer_start(
      h->timer,
      [](uv_timer_t* t) {
        auto* hold = static_cast<Holder*>(t->data);
        if (!hold) return;
        auto& self = hold->h;
        ++self->ticks;
        if (self->dht_alive.expired()) self->finished = true;  // the node is gone: just end
        // Birthday punching is a race of 50 random probes a second against 256 mappings:
        // about 5 s on average, and 15 s would miss about one time in twenty. hyperdht probes
        // for 35 s, so when either side randomizes we wait 30 s (one miss in about 400).
        const bool random =
            self->our_firewall >= kFirewallRandom || self->their_firewall >= kFirewallRandom;
        const int budget = random ? kRandomPunchTicks : kPunchTicks;
        if (self->finished || self->ticks > budget) {
          if (!self->finished) {
            PP_TRACE("punch: budget of %d s spent", budget / 10);
            self->fail(Errc::holepunch_aborted,
                       "holepunching did not connect in " + std::to_string(budget / 10) + " s");
          }
          delete hold;
          uv_close(reinterpret_cast<uv_handle_t*>(t),
                   [](uv_handle_t* x) { delete reinterpret_cast<uv_timer_t*>(x); });
          return;
        }
        if (!self->punching) return;
        if (!self->birthday.empty()) {
          // _keepAliveRandomNat: every mapping stays open while the server's probes look for
          // one. The first pass keeps the short TTL; later ones reach the server's router, so a
          // probe of its that was lost on the way still leaves a path our packet can take.
          for (int i = 0; i < kBirthdayKeepAlivePerTick; ++i) {
            const std::size_t n = self->keepalive_next++;
            auto& sock = self->birthday[n % self->birthday.size()];
            if (!sock) continue;
            const std::uint8_t byte = kPunch;
            (void)sock->send_ttl(ByteView(&byte, 1), dht::to_udx(self->birthday_toward),
                                 n < self->birthday.size() ? kSessionTtl : 64);
          }
        }
        if (self->their_firewall == kFirewallRandom && self->our_firewall != kFirewallRandom) {
          // Random ports of the server's host, as _randomProbes (it opened many mappings).
          const int n = random_probes_this_tick(self->random_ticks);
          for (int i = 0; i < n; ++i) self->send_punch(random_port_of(self->server), 64);
        } else if (self->ticks % 10 == 0) {
          self->send_punch(self->server, 64);
          for (const auto& a : self->their_addresses) self->send_punch(a, 64);
        }
      },
      kPunchTickMs, kPunchTickMs);
}

void Connection::send_round(const std::shared_ptr<Punch>& h, bool punching) {
  HolepunchPayload mine;
  mine.firewall = h->our_firewall;
  mine.round = h->round++;
  mine.punching = punching;
  if (auto a = h->p->dht->node().sampled_address()) mine.addresses = std::vector<dht::Address>{*a};
  mine.remote_address = h->server;
  if (punching) {
    mine.token = h->secure->token(h->server);
    mine.remote_token = h->their_token;
  }
  Holepunch msg{kModeFromClient, h->id, h->secure->encrypt(mine), h->relay.peer_address};
  std::weak_ptr<Punch> weak = h;
  const dht::Address relay = h->relay.relay_address;
  h->p->dht->node().request(
      relay, kPeerHolepunch, false, h->p->target, encode(msg),
      [weak, punching, relay](const dht::Reply* r) {
        auto self = weak.lock();
        if (!self || self->finished) return;
        if (!r || !(r->from == relay)) {
          if (!punching)
            self->fail(Errc::holepunch_probe_timeout, "the server's relay did not answer");
          return;
        }
        auto hp = r->response.value ? decode_holepunch(*r->response.value) : std::nullopt;
        if (!hp || hp->mode != kModeReply) {
          self->fail(Errc::bad_holepunch_reply, "bad holepunch reply");
          return;
        }
        auto theirs = self->secure->decrypt(hp->payload);
        PP_TRACE("punch: round reply (punching %d): their firewall %llu, ours %llu, %zu addresses",
                 punching, theirs ? static_cast<unsigned long long>(theirs->firewall) : 0ULL,
                 static_cast<unsigned long long>(self->our_firewall),
                 theirs && theirs->addresses ? theirs->addresses->size() : 0);
        if (!theirs) {
          self->fail(Errc::holepunch_invalid, "holepunch reply failed to decrypt");
          return;
        }
        if (theirs->error != 0) {
          self->fail(Errc::remote_aborted, "the server stopped holepunching");
          return;
        }
        self->their_firewall = theirs->firewall;
        if (theirs->addresses) {
          self->their_addresses = *theirs->addresses;
          if (self->their_addresses.size() > limits::kMaxPunchAddresses) {
            self->their_addresses.resize(limits::kMaxPunchAddresses);
          }
        }
        if (theirs->token) self->their_token = theirs->token;
        if (punching) {
          if (!theirs->punching)
            self->fail(Errc::remote_not_holepunching, "the server is not holepunching");
          return;
        }
        if (self->their_firewall == kFirewallUnknown && self->probes++ < 2) {
          send_round(self, false);  // its NAT analysis was not done yet: ask again
          return;
        }
        if (self->their_firewall >= kFirewallRandom && self->our_firewall >= kFirewallRandom) {
          self->fail(Errc::holepunch_double_randomized_nats,
                     "both peers are behind randomizing NATs");
          return;
        }
        self->punching = true;
        if (self->our_firewall >= kFirewallRandom && self->birthday.empty()) {
          // Our NAT gives every destination a new port: many sockets toward the server, one
          // of which its random probes will find (holepuncher.js _openBirthdaySockets).
          std::weak_ptr<Punch> w = self;
          // Toward the address the server says it punches from: a hyperdht server punches from
          // a pool socket of its own, whose probes only get through mappings made toward it.
          const dht::Address toward =
              self->their_addresses.empty() ? self->server : self->their_addresses.front();
          self->birthday_toward = toward;
          self->birthday = open_birthday_sockets(
              self->p->dht->node().socket().udx(), toward,
              [w](udx::Socket& sock, const dht::Address& from) {
                auto me = w.lock();
                if (!me || me->finished || !(from.host == me->server.host)) return;
                std::unique_ptr<udx::Socket> won;
                for (auto& s : me->birthday) {
                  if (s.get() == &sock) won = std::move(s);
                }
                if (!won) return;
                PP_TRACE("punch: 0x00 from %s on a birthday socket", from.to_string().c_str());
                me->stop();
                complete(me->p, from, std::move(won));
              });
        }
        PP_TRACE("punch: punching round%s", self->birthday.empty() ? "" : " with birthday sockets");
        send_round(self, true);
      },
      std::nullopt, false, kRelayedRequestMinTimeoutMs);
}

void Connection::make_stream(udx::Udx& udx, std::uint32_t id, bool accept_first_packet,
                             std::uint32_t remote_id) {
  udx::Stream::Callbacks scb;
  std::weak_ptr<bool> alive = alive_;
  Connection* c = this;
  scb.on_data = [c, alive](ByteView d) {
    if (alive.expired() || !c->secret_) return;
    if (trace::enabled() && c->stream_->stats().bytes_received == d.size()) {
      PP_TRACE("stream %u: first data from the peer (%zu bytes)", c->stream_->id(), d.size());
    }
    if (c->sockets_.size() > 1) c->prune_sockets();
    auto st = c->secret_->feed(d, [c, alive](ByteView m) {
      if (!alive.expired() && c->cb_.on_data) c->cb_.on_data(m);
    });
    if (!st && !alive.expired()) c->destroy();
  };
  scb.on_end = [c, alive] {
    if (!alive.expired() && c->cb_.on_end) c->cb_.on_end();
  };
  scb.on_drain = [c, alive] {
    if (!alive.expired() && c->cb_.on_drain) c->cb_.on_drain();
  };
  scb.on_close = [c, alive](const Status& st) {
    if (!alive.expired() && c->cb_.on_close) c->cb_.on_close(st);
  };
  if (!accept_first_packet) {
    // Before connect(): packets for our id from the peer's socket are accepted (hyperdht's
    // client stream firewall does the same), so nothing the server sends early is lost.
    scb.on_firewall = [](udx::Socket&, const udx::Address&) { return true; };
  } else {
    // The peer's first packet tells us where it is: connect the stream back to that source
    // (lib/server.js: the raw stream's firewall hook).
    scb.on_firewall = [c, alive, remote_id](udx::Socket& socket, const udx::Address& from) {
      if (alive.expired() || c->stream_->connected()) return false;
      return c->stream_->connect(socket, remote_id, from).ok();
    };
  }
  stream_ = std::make_unique<udx::Stream>(udx, id, std::move(scb));
  // NAT and firewall bindings (and a relay's view of us) stay open on an idle tunnel, as
  // hyperdht's 5 s connection keep-alive does.
  stream_->set_keepalive(kKeepAliveMs);
}

void Connection::prune_sockets() {
  udx::Socket* used = stream_ ? stream_->socket() : nullptr;
  std::vector<std::unique_ptr<udx::Socket>> keep;
  for (auto& s : sockets_) {
    if (s.get() == used) keep.push_back(std::move(s));
  }
  sockets_ = std::move(keep);
}

Connection::~Connection() {
  *alive_ = false;
}

Server::Server(Dht& dht, const crypto::KeyPair& key_pair, Options options,
               OnConnection on_connection)
    : dht_(dht)
    , key_pair_(key_pair)
    , options_(std::move(options))
    , on_connection_(std::move(on_connection))
    , target_(crypto::blake2b_256(key_pair.public_key)) {
  refresh_ = new uv_timer_t;
  uv_timer_init(dht_.node().socket().udx().loop(), refresh_);
  refresh_->data = this;
  punch_timer_ = new uv_timer_t;
  uv_timer_init(dht_.node().socket().udx().loop(), punch_timer_);
  punch_timer_->data = this;
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
  std::weak_ptr<bool> conn_alive;
  std::optional<dht::Address> birthday_toward;
};

namespace {
constexpr std::uint64_t kSlotLifetime = 40000;
// A cached handshake reply: long enough for a client's retries (lib/server.js keeps 10 s).
constexpr std::uint64_t kReplyLifetime = 10000;
// The announcer's keep-alive (hyperdht: every 3 s, MIN_ACTIVE 3).
constexpr std::uint64_t kRelayKeepAliveMs = 3000;
constexpr std::size_t kMinActiveRelays = 3;
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
  const std::uint64_t now = uv_now(dht_.node().socket().udx().loop());
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
  if (slots_.empty()) uv_timer_stop(punch_timer_);
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
    for (auto& sock : slot.conn->sockets_) {
      (void)sock->send_ttl(ByteView(&byte, 1), dht::to_udx(*hp->peer_address), kSessionTtl);
    }
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
  for (auto it = replies_.begin(); it != replies_.end();) {
    it = now - it->second.second > kReplyLifetime ? replies_.erase(it) : std::next(it);
  }
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    it = now - it->second.second > kSlotLifetime ? waiting_.erase(it) : std::next(it);
  }
  std::erase_if(birthday_holders_,
                [](const auto& h) { return h.second.expired() || h.first->sockets_.empty(); });
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
  while (!replies_.empty() && replies_.size() >= options_.max_pending)
    replies_.erase(oldest(replies_));
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
    if (!alive.expired() && conn->sockets_.size() > 1) ++n;
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
  *alive_ = false;
  dht_.remove_punch_listener(punch_listener_);
  punch_timer_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(punch_timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  dht_.unregister_server(target_);
  refresh_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(refresh_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void Server::announce(std::function<void(Status)> done) {
  std::weak_ptr<bool> alive = alive_;
  dht_.announce(target_, key_pair_, {}, [alive, done = std::move(done)](Status st, std::size_t) {
    if (!alive.expired() && done) done(st);
  });
}

void Server::unannounce(std::function<void()> done) {
  uv_timer_stop(refresh_);
  keepalive_.reset();
  std::weak_ptr<bool> alive = alive_;
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
  std::weak_ptr<bool> alive = alive_;
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
  announce(std::move(done));
  keepalive_ = std::make_unique<uvx::Timer>(dht_.node().socket().udx().loop());
  keepalive_->start(
      kRelayKeepAliveMs, [this] { keep_relays_alive(); }, kRelayKeepAliveMs);
  // Announcements live 20 minutes on the nodes that store them; hyperdht refreshes well before.
  uv_timer_start(
      refresh_,
      [](uv_timer_t* t) {
        if (auto* self = static_cast<Server*>(t->data)) self->announce(nullptr);
      },
      5 * 60 * 1000, 5 * 60 * 1000);
}

void Server::on_handshake(const dht::Request& req, const dht::Address& from) {
  if (!req.value) return;
  auto hs = decode_handshake(*req.value);
  if (!hs || hs->noise.empty()) return;
  if (hs->mode != kModeFromRelayForServer && hs->mode != kModeFromClient) return;
  const std::uint64_t now = uv_now(dht_.node().socket().udx().loop());
  expire(now);
  const crypto::Hash32 key = crypto::blake2b_256(hs->noise);
  Bytes reply_noise;
  if (auto it = replies_.find(key); it != replies_.end()) {
    reply_noise = it->second.first;  // a retry of a handshake we already answered
  } else {
    auto noise = std::make_unique<crypto::NoiseHandshake>(
        crypto::NoisePattern::IK, false, key_pair_, crypto::hyperdht_ns().peer_handshake);
    auto payload_bytes = noise->recv(hs->noise);
    if (!payload_bytes) return;
    auto theirs = decode_noise_payload(*payload_bytes);
    if (!theirs || theirs->version != 1 || !theirs->udx) return;
    // msg1 carries the client's static key: known before we answer, so the firewall can judge.
    const crypto::PublicKey remote = *noise->remote_static();
    const dht::Address client = hs->peer_address.value_or(from);
    if (options_.firewall && !options_.firewall(remote, client)) {
      ++stats_.refused;
      return;
    }
    const std::uint64_t reach = our_reachability(dht_.node());
    make_room(reach == kFirewallConsistent);
    std::unique_ptr<Connection> conn(new Connection());
    conn->remote_ = remote;
    udx::Udx& udx = dht_.node().socket().udx();
    const std::uint32_t stream_id = udx.new_stream_id();
    conn->make_stream(udx, stream_id, false, 0);
    // Connected at once to where the relay saw the client, so even a connection refused
    // right away (a dead local service) can still tell the client with a DESTROY; the
    // client's first packet corrects the address if it comes from elsewhere.
    if (!conn->stream_
             ->connect(dht_.node().socket(), static_cast<std::uint32_t>(theirs->udx->id),
                       dht::to_udx(client))
             .ok()) {
      return;
    }
    conn->stream_->adopt_first_source();
    PP_TRACE("share: handshake from %s, our reachability %llu", client.to_string().c_str(),
             static_cast<unsigned long long>(reach));
    if (reach != kFirewallOpen &&
        firewall_from_samples(dht_.node().nat_samples()) >= kFirewallRandom &&
        !is_private(client)) {
      if (birthday_sets() >= options_.max_birthday_sets) {
        ++stats_.birthday_skipped;
      } else {
        // Behind a randomizing NAT: many mappings toward the client, each echoing its punches;
        // the stream moves to whichever one the client's first packet arrives on.
        conn->sockets_ =
            open_birthday_sockets(udx, client, [](udx::Socket& sock, const dht::Address& source) {
              const std::uint8_t byte = kPunch;
              (void)sock.send(ByteView(&byte, 1), dht::to_udx(source));
            });
        birthday_holders_.emplace_back(conn.get(), conn->alive_);
      }
    }
    NoisePayload mine;
    mine.firewall = reach == kFirewallOpen ? kFirewallOpen : kFirewallUnknown;
    mine.addresses4 = local_addresses(dht_.node().local_address());
    if (reach == kFirewallOpen) {
      mine.addresses4.insert(mine.addresses4.begin(), *dht_.node().sampled_address());
    }
    if (mine.addresses4.empty()) mine.addresses4 = {dht_.node().local_address()};
    std::optional<std::uint64_t> slot_id;
    if (reach == kFirewallConsistent) {
      auto relays = dht_.announce_relays(target_);
      if (!relays.empty()) {
        const std::uint64_t id = next_slot_++;
        auto slot = std::make_unique<Slot>();
        slot->created = now;
        slot->peer = client;
        slots_[id] = std::move(slot);
        mine.holepunch = std::make_pair(id, relays);
        slot_id = id;
        if (!uv_is_active(reinterpret_cast<uv_handle_t*>(punch_timer_))) {
          uv_timer_start(
              punch_timer_,
              [](uv_timer_t* t) {
                if (auto* self = static_cast<Server*>(t->data)) self->on_tick();
              },
              kPunchTickMs, kPunchTickMs);
        }
      }
    }
    mine.udx = UdxInfo{1, false, stream_id, 0};
    mine.secret_stream = true;
    auto msg2 = noise->send(encode(mine));
    if (!msg2) return;
    reply_noise = *msg2;
    // The holepunch secret comes from the finished handshake's hash (noise-wrap final()).
    if (slot_id) {
      Slot& sl = *slots_[*slot_id];
      sl.secure = std::make_unique<SecurePayload>(noise->result().hash);
      if (!conn->sockets_.empty()) {
        sl.conn = conn.get();
        sl.conn_alive = conn->alive_;
        sl.birthday_toward = client;
      }
    }
    replies_[key] = {reply_noise, now};
    conn->secret_ = std::make_unique<crypto::SecretStream>(noise->result());
    const auto& header = conn->secret_->header_frame();
    // Queued until the stream connects on the client's first packet.
    conn->stream_->write(ByteView(header.data(), header.size()));
    if (theirs->relay_through &&
        relay_tickets_.use_count() - 1 >= static_cast<long>(options_.max_relay_pairings)) {
      ++stats_.relay_skipped;
    } else if (theirs->relay_through) {
      // The client offered a relay (hyperdht relayThrough): pair there as the other half. The
      // stream moves to the relay unless the client's packets already arrived directly.
      Connection* raw = conn.get();
      raw->relay_offered_ = true;
      std::weak_ptr<bool> alive = conn->alive_;
      const auto client_stream = static_cast<std::uint32_t>(theirs->udx->id);
      relay::RelayClient::pair(
          dht_, key_pair_, theirs->relay_through->public_key, false, theirs->relay_through->token,
          stream_id,
          [raw, alive, client_stream,
           ticket = relay_tickets_](Result<relay::RelayClient::Paired> r) {
            (void)ticket;  // counts this pairing in relay_tickets_ until it ends
            if (alive.expired() || !r) return;
            raw->relay_address_ = r->address;
            raw->peer_stream_id_ = client_stream;
            if (raw->stream_->adopting()) {
              raw->stream_->stop_adopting();
              if (raw->stream_->change_remote(*r->socket, r->remote_id, r->address).ok()) {
                raw->relayed_ = true;
                raw->watch_for_direct();
              }
            }
            raw->relay_ = std::move(r->client);
          });
    }
    // Handed over when the client's first packet arrives, as hyperdht's server emits a
    // connection only once its stream connects: a client whose holepunch fails (and that
    // retries through a relay) leaves no half-open connection to the local service behind.
    Connection* raw = conn.get();
    std::weak_ptr<bool> server_alive = alive_;
    conn->stream_->on_first_packet([this, raw, server_alive] {
      if (server_alive.expired()) return;
      auto w = waiting_.find(raw);
      if (w == waiting_.end()) return;
      auto c = std::move(w->second.first);
      waiting_.erase(w);
      if (on_connection_) on_connection_(std::move(c));
    });
    waiting_[raw] = {std::move(conn), now};
  }
  if (hs->mode == kModeFromClient) {
    Handshake out{kModeReply, reply_noise, std::nullopt, std::nullopt};
    dht_.node().reply(req, from, 0, encode(out), false, false);
  } else {
    Handshake out{kModeFromServer, reply_noise, hs->peer_address, std::nullopt};
    dht_.node().relay(req, encode(out), from);
  }
}

bool Connection::write(ByteView data) {
  if (!secret_ || !stream_) return false;
  bool more = true;
  // Frames of at most 64 KiB keep each secretstream message far below any peer's limit.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 65536);
    Bytes frame = secret_->encrypt(data.first(n));
    more = stream_->write(std::move(frame)) && more;
    data = data.subspan(n);
  }
  return more;
}

void Connection::end() {
  if (stream_) stream_->end();
}

void Connection::destroy() {
  if (stream_) stream_->destroy();
}

}  // namespace peerport::hyperdht
