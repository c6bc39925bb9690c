// A hostile peer against a persistent node on loopback (issue 15, items 3 and 7 and the low
// ones in core/dht and core/hyperdht): oversized datagrams, values too large for any reply,
// storage byte budgets, replies to token-less (possibly spoofed) requests, DELAYED_PING
// floods, the refresh chain and NAT samples with a liar among the responders. The attacker is
// a raw UDP socket speaking dht-rpc through core's own encoders; everything is real.
#include <gtest/gtest.h>
#include <sodium.h>

#include "../support/run_until.hpp"
#include "crypto/key_text.hpp"
#include "hyperdht/dht.hpp"
#include "hyperdht/holepunch.hpp"

using namespace peerport;
using namespace peerport::hyperdht;

namespace {

struct Loop {
  uv_loop_t loop;
  uv_timer_t deadline;
  std::unique_ptr<udx::Udx> udx;
  Loop() {
    EXPECT_TRUE(crypto::init().ok());
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(&loop);
  }
  bool wait(const std::function<bool()>& done, std::uint64_t ms = 5000) {
    return test::run_until(&loop, &deadline, done, ms);
  }
  void run(std::uint64_t ms) {
    wait([] { return false; }, ms);
  }
  void close() {
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

// A peer that writes requests by hand and keeps every response with its size on the wire.
struct Attacker {
  udx::Socket sock;
  dht::Address target;
  std::vector<std::pair<dht::Response, std::size_t>> got;
  std::uint16_t tid = 1;
  Attacker(udx::Udx& u, const dht::Address& to) : sock(u), target(to) {
    EXPECT_TRUE(sock.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    sock.on_message([this](ByteView d, const udx::Address&) {
      if (auto r = dht::decode_response(d)) got.emplace_back(std::move(*r), d.size());
    });
  }
  std::size_t send(std::uint64_t command, std::optional<dht::NodeId> tgt,
                   std::optional<Bytes> value, std::optional<dht::Token> token = std::nullopt,
                   bool internal = false) {
    dht::Request r;
    r.tid = tid++;
    r.to = target;
    r.internal = internal;
    r.command = command;
    r.target = tgt;
    r.value = std::move(value);
    r.token = token;
    Bytes d = dht::encode(r);
    (void)sock.send(d, dht::to_udx(target));
    return d.size();
  }
  std::size_t send_raw(ByteView d) {
    (void)sock.send(d, dht::to_udx(target));
    return d.size();
  }
};

struct Store : Loop {
  std::unique_ptr<Dht> dht;
  explicit Store(Limits limits = {}, dht::Node::Options o = {}) {
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.ephemeral = false;
    dht = std::make_unique<Dht>(*udx, o, limits);
    EXPECT_TRUE(dht->start().ok());
  }
  dht::Address address() { return dht->node().local_address(); }
  // A token the store issued to the attacker's address: any GET's answer carries one.
  dht::Token token(Attacker& a) {
    const std::size_t before = a.got.size();
    a.send(kImmutableGet, dht::NodeId{}, std::nullopt);
    EXPECT_TRUE(wait([&] { return a.got.size() > before; }));
    return a.got.back().first.token.value_or(dht::Token{});
  }
  ~Store() {
    dht.reset();
    close();
  }
};

Bytes filled(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

}  // namespace

// Item 3: 300 puts of 60 KB grew a node from 7 to 25 MiB. libudx would never deliver such a
// datagram, so the node drops it unread.
TEST(HostileDht, OversizedDatagramsAreDroppedUnread) {
  Store s;
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  for (int i = 0; i < 20; ++i) {
    Bytes v = filled(60000, static_cast<std::uint8_t>(i));
    a.send(kImmutablePut, crypto::blake2b_256(v), v, tok);
  }
  s.run(300);
  EXPECT_EQ(s.dht->stored_values(), 0u);
  EXPECT_EQ(s.dht->stored_bytes(), 0u);
  EXPECT_EQ(s.dht->node().stats().oversized, 20u);
  // One byte over the limit is over; at the limit it is read (and answered).
  Bytes edge(limits::kMaxDatagram + 1, 0);
  edge[0] = dht::kRequestType;
  a.send_raw(edge);
  s.run(100);
  EXPECT_EQ(s.dht->node().stats().oversized, 21u);
}

// A value whose GET reply cannot fit one datagram is useless to every JS peer: refused.
TEST(HostileDht, StoredValuesFitOneDatagramReply) {
  Store s;
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  Bytes big = filled(limits::kMaxStoredValue + 100, 1);
  Bytes fits = filled(limits::kMaxStoredValue, 2);
  ASSERT_LE(a.send(kImmutablePut, crypto::blake2b_256(big), big, tok), limits::kMaxDatagram);
  a.send(kImmutablePut, crypto::blake2b_256(fits), fits, tok);
  s.run(300);
  EXPECT_EQ(s.dht->storage_stats().too_large, 1u);
  EXPECT_EQ(s.dht->storage_stats().stored_immutables, 1u);
  // The stored one comes back whole to an asker that proves its address, within a datagram.
  const std::size_t before = a.got.size();
  a.send(kImmutableGet, crypto::blake2b_256(fits), std::nullopt, tok);
  ASSERT_TRUE(s.wait([&] { return a.got.size() > before; }));
  EXPECT_EQ(a.got.back().first.value, fits);
  EXPECT_LE(a.got.back().second, limits::kMaxDatagram);
}

TEST(HostileDht, StorageBytesAreBudgetedPerSourceIp) {
  Limits l;
  l.max_bytes_per_ip = 8 * 1024;
  Store s(l);
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  for (int i = 0; i < 30; ++i) {
    Bytes v = filled(1000, static_cast<std::uint8_t>(i));
    a.send(kImmutablePut, crypto::blake2b_256(v), v, tok);
  }
  s.run(300);
  EXPECT_LE(s.dht->stored_bytes_from(a.target), l.max_bytes_per_ip);
  EXPECT_GE(s.dht->stored_values(), 6u);
  EXPECT_LE(s.dht->stored_values(), 8u);
  EXPECT_GE(s.dht->storage_stats().over_ip_bytes, 22u);
}

TEST(HostileDht, StorageBytesAreBudgetedInAll) {
  Limits l;
  l.max_bytes = 5 * 8 * 1024;  // a fifth, 8 KiB, for immutable values
  Store s(l);
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  Bytes last;
  for (int i = 0; i < 30; ++i) {
    last = filled(1000, static_cast<std::uint8_t>(i));
    a.send(kImmutablePut, crypto::blake2b_256(last), last, tok);
  }
  s.run(300);
  EXPECT_EQ(s.dht->storage_stats().stored_immutables, 30u);  // accepted, the oldest evicted
  EXPECT_LE(s.dht->stored_bytes(), 8u * 1024);
  EXPECT_GE(s.dht->storage_stats().evicted, 22u);
  const std::size_t before = a.got.size();
  a.send(kImmutableGet, crypto::blake2b_256(last), std::nullopt, tok);
  ASSERT_TRUE(s.wait([&] { return a.got.size() > before; }));
  EXPECT_EQ(a.got.back().first.value, last);  // the newest stays
}

// Item 3: a large stored value sent back for every 43-byte GET to a spoofed source was ~1000x
// amplification. Without a token the reply stays within kReplyAmplification x the request.
TEST(HostileDht, TokenlessRepliesStayWithinTheAmplificationCap) {
  Store s;
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  Bytes v = filled(1500, 9);
  const auto h = crypto::blake2b_256(v);
  a.send(kImmutablePut, h, v, tok);
  s.run(200);
  ASSERT_EQ(s.dht->stored_values(), 1u);
  Attacker spoofed(*s.udx, s.address());  // never got a token: stands for any spoofed source
  const std::size_t req = spoofed.send(kImmutableGet, h, std::nullopt);
  ASSERT_TRUE(s.wait([&] { return !spoofed.got.empty(); }));
  EXPECT_LE(spoofed.got[0].second, limits::kReplyAmplification * req);
  EXPECT_FALSE(spoofed.got[0].first.value.has_value());
  EXPECT_TRUE(spoofed.got[0].first.token.has_value());  // so a real asker can ask again
  EXPECT_GE(s.dht->node().stats().replies_trimmed, 1u);
  // Asking again with that token proves the address: the value comes whole.
  spoofed.send(kImmutableGet, h, std::nullopt, spoofed.got[0].first.token);
  ASSERT_TRUE(s.wait([&] { return spoofed.got.size() > 1; }));
  EXPECT_EQ(spoofed.got[1].first.value, v);
  // Every command a token-less peer can send stays within the cap, mutable records too.
  for (std::uint64_t cmd : {kLookup, kFindPeer, kMutableGet, kImmutableGet}) {
    const std::size_t n = spoofed.got.size();
    const std::size_t r = spoofed.send(cmd, h, Bytes{0});
    ASSERT_TRUE(s.wait([&] { return spoofed.got.size() > n; })) << cmd;
    EXPECT_LE(spoofed.got.back().second, limits::kReplyAmplification * r) << cmd;
  }
}

// Our own client still reads a large value: it asks again with the tokens of the first round.
TEST(HostileDht, ClientGetsLargeValuesThroughTheTokenRound) {
  Store s;
  dht::Node::Options co;
  co.bind = *udx::Address::parse("127.0.0.1", 0);
  co.bootstrap = {s.address()};
  Dht client(*s.udx, co);
  ASSERT_TRUE(client.start().ok());
  ASSERT_TRUE(s.wait([&] { return client.node().bootstrapped(); }));
  Bytes v = filled(1200, 3);
  std::optional<Status> put;
  client.immutable_put(v, [&](Status st, std::size_t) { put = st; });
  ASSERT_TRUE(s.wait([&] { return put.has_value(); }));
  ASSERT_TRUE(put->ok());
  std::optional<Result<Bytes>> got;
  client.immutable_get(crypto::blake2b_256(v), [&](Result<Bytes> r) { got = std::move(r); });
  ASSERT_TRUE(s.wait([&] { return got.has_value(); }));
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(**got, v);
  // Mutable records too.
  auto kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'a')));
  put.reset();
  client.mutable_put(kp, filled(1000, 4), 1, [&](Status st, std::size_t) { put = st; });
  ASSERT_TRUE(s.wait([&] { return put.has_value(); }));
  ASSERT_TRUE(put->ok());
  std::optional<Result<MutableRecord>> rec;
  client.mutable_get(kp.public_key, 0, [&](Result<MutableRecord> r) { rec = std::move(r); });
  ASSERT_TRUE(s.wait([&] { return rec.has_value(); }));
  ASSERT_TRUE(rec->ok());
  EXPECT_EQ((*rec)->value, filled(1000, 4));
  EXPECT_GE(s.dht->node().stats().replies_trimmed, 2u);  // both went through the token round
}

TEST(HostileDht, TokenlessReplyBytesPerDestinationAreBudgeted) {
  dht::Node::Options o;
  o.unverified_reply_bytes_per_ip_per_s = 4096;
  Store s({}, o);
  Attacker a(*s.udx, s.address());
  std::size_t asked = 0;
  for (int i = 0; i < 200; ++i)
    asked += a.send(dht::kFindNode, dht::NodeId{}, std::nullopt, {}, true);
  s.run(300);
  std::size_t replied = 0;
  for (auto& [r, n] : a.got) replied += n;
  EXPECT_LE(replied, 4096u);
  EXPECT_GT(replied, 0u);
  EXPECT_GE(s.dht->node().stats().replies_dropped, 100u);
  (void)asked;
  // The window moves on: within about a second the destination is answered again. Asked
  // every 250 ms, as a stalled loop (a loaded machine) may have started a later window.
  const std::size_t before = a.got.size();
  bool answered = false;
  for (int i = 0; i < 20 && !answered; ++i) {
    a.send(dht::kFindNode, dht::NodeId{}, std::nullopt, {}, true);
    answered = s.wait([&] { return a.got.size() > before; }, 250);
  }
  EXPECT_TRUE(answered);
}

// Item 7: each DELAYED_PING held a timer and up to 64 KiB for up to 10 s, without a cap.
TEST(HostileDht, DelayedPingsAreCappedAndHoldNoPayload) {
  dht::Node::Options o;
  o.max_delayed_pings = 16;
  Store s({}, o);
  Attacker a(*s.udx, s.address());
  for (int i = 0; i < 100; ++i) {
    Bytes v(1500, 0);  // the delay (uint32, 500 ms) then filler the node must not keep
    v[0] = 0xf4;
    v[1] = 0x01;
    a.send(dht::kDelayedPing, std::nullopt, v, {}, true);
  }
  s.run(200);
  EXPECT_EQ(s.dht->node().pending_delayed_pings(), 16u);
  EXPECT_EQ(s.dht->node().stats().delayed_pings_dropped, 84u);
  EXPECT_TRUE(a.got.empty());  // none early
  ASSERT_TRUE(s.wait([&] { return a.got.size() == 16; }, 3000));
  EXPECT_EQ(s.dht->node().pending_delayed_pings(), 0u);
}

// Low item: announce stored the refresh under hex(hash(refresh)) and looked a refresh up under
// hex(hash(token)), so no refresh ever found its record. hyperdht's persistent.js keeps it under
// hex(refresh) and the next refresh presents the preimage.
TEST(HostileDht, RefreshFindsItsRecordByTheHashOfTheToken) {
  Store s;
  Attacker a(*s.udx, s.address());
  const auto tok = s.token(a);
  auto kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'b')));
  const auto topic = crypto::blake2b_256(as_bytes("refresh topic"));
  FixedBytes<32> preimage{};
  preimage[0] = 42;
  Announce ann;
  ann.peer = Peer{kp.public_key, {}};
  ann.refresh = crypto::blake2b_256(preimage);
  auto signable =
      announce_signable(topic, s.dht->node().id(), tok, ann, crypto::hyperdht_ns().announce);
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, signable.data(), signable.size(), kp.secret_key.data());
  ann.signature = sig;
  auto lookup = [&] {
    const std::size_t n = a.got.size();
    a.send(kLookup, topic, std::nullopt, tok);
    EXPECT_TRUE(s.wait([&] { return a.got.size() > n; }));
    auto& v = a.got.back().first.value;
    return v ? decode_lookup_reply(*v).value_or(std::vector<Peer>{}) : std::vector<Peer>{};
  };
  a.send(kAnnounce, topic, encode(ann), tok);
  s.run(100);
  ASSERT_EQ(lookup().size(), 1u);
  // Take the record away (as expiry would), then refresh it with the preimage alone.
  Announce unann;
  unann.peer = ann.peer;
  auto us =
      announce_signable(topic, s.dht->node().id(), tok, unann, crypto::hyperdht_ns().unannounce);
  crypto_sign_detached(sig.data(), nullptr, us.data(), us.size(), kp.secret_key.data());
  unann.signature = sig;
  a.send(kUnannounce, topic, encode(unann), tok);
  s.run(100);
  ASSERT_TRUE(lookup().empty());
  Announce refresh;
  refresh.refresh = preimage;
  a.send(kAnnounce, topic, encode(refresh), tok);
  s.run(100);
  auto peers = lookup();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_EQ(peers[0].public_key, kp.public_key);
}

// A responder that answers pings with a made-up port for us.
struct Liar {
  udx::Socket sock;
  explicit Liar(udx::Udx& u) : sock(u) {
    EXPECT_TRUE(sock.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    sock.on_message([this](ByteView d, const udx::Address& from) {
      auto req = dht::decode_request(d);
      if (!req) return;
      dht::Response r;
      r.tid = req->tid;
      r.to = dht::from_udx(from);
      r.to.port = static_cast<std::uint16_t>(r.to.port + 1);  // a lie
      (void)sock.send(dht::encode(r), from);
    });
  }
  dht::Address address() const { return dht::from_udx(sock.local_address()); }
};

// Low item: one lying responder among the samples made a node think its NAT was random.
TEST(HostileDht, OneLyingResponderDoesNotMakeTheNatLookRandom) {
  Loop l;
  dht::Node::Options o;
  o.bind = *udx::Address::parse("127.0.0.1", 0);
  auto owned = std::make_unique<dht::Node>(*l.udx, o);
  dht::Node& me = *owned;
  ASSERT_TRUE(me.start().ok());
  std::vector<std::unique_ptr<dht::Node>> honest;
  for (int i = 0; i < 5; ++i) {
    honest.push_back(std::make_unique<dht::Node>(*l.udx, o));
    ASSERT_TRUE(honest.back()->start().ok());
  }
  auto liar_owned = std::make_unique<Liar>(*l.udx);
  Liar& liar = *liar_owned;
  int answered = 0;
  auto ping = [&](const dht::Address& to) {
    me.request(to, dht::kPing, true, std::nullopt, std::nullopt,
               [&](const dht::Reply* r) { answered += r != nullptr; });
  };
  for (auto& n : honest) ping(n->local_address());
  ping(liar.address());
  ASSERT_TRUE(l.wait([&] { return answered == 6; }));
  EXPECT_EQ(me.nat_samples().size(), 5u);
  EXPECT_EQ(firewall_from_samples(me.nat_samples()), kFirewallConsistent);
  EXPECT_EQ(me.sampled_address(), me.local_address());
  // Samples stay bounded however many nodes answer.
  std::vector<std::unique_ptr<Liar>> many;
  for (std::size_t i = 0; i < limits::kNatSamples + 10; ++i) {
    many.push_back(std::make_unique<Liar>(*l.udx));
    ping(many.back()->address());
  }
  ASSERT_TRUE(l.wait([&] { return answered == 6 + static_cast<int>(limits::kNatSamples) + 10; }));
  EXPECT_LE(me.nat_samples().size(), limits::kNatSamples);
  many.clear();
  honest.clear();
  liar_owned.reset();
  owned.reset();
  l.close();
}
