// core/hyperdht records between C++ nodes on loopback: signatures, sequence rules, content
// addressing, the storage bounds and the per-IP rate limit.
#include <gtest/gtest.h>
#include <sodium.h>

#include "../support/run_until.hpp"
#include "crypto/key_text.hpp"
#include "hyperdht/dht.hpp"

using namespace peerport;
using namespace peerport::hyperdht;

namespace {

crypto::KeyPair key(char c) {
  return crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, c)));
}

struct Net {
  uv_loop_t loop;
  uv_timer_t deadline;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<Dht> store, client;

  explicit Net(Limits limits = {}, std::uint64_t client_timeout_ms = 1000) {
    EXPECT_TRUE(crypto::init().ok());
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options so;
    so.bind = *udx::Address::parse("127.0.0.1", 0);
    so.ephemeral = false;
    store = std::make_unique<Dht>(*udx, so, limits);
    EXPECT_TRUE(store->start().ok());
    dht::Node::Options co;
    co.bind = *udx::Address::parse("127.0.0.1", 0);
    co.bootstrap = {store->node().local_address()};
    co.request_timeout_ms = client_timeout_ms;
    co.adaptive_timeout = false;  // the test sets the timeout itself
    client = std::make_unique<Dht>(*udx, co);
    EXPECT_TRUE(client->start().ok());
    wait([&] { return client->node().bootstrapped(); });
  }
  bool wait(const std::function<bool()>& done, std::uint64_t ms = 10000) {
    return test::run_until(&loop, &deadline, done, ms);
  }
  Status put(const crypto::KeyPair& kp, std::string v, std::uint64_t seq) {
    std::optional<Status> r;
    client->mutable_put(kp, Bytes(v.begin(), v.end()), seq, [&](Status s, std::size_t) { r = s; });
    EXPECT_TRUE(wait([&] { return r.has_value(); }));
    return r.value_or(make_error(Errc::timed_out, "no answer"));
  }
  Result<MutableRecord> get(const crypto::PublicKey& pk, std::uint64_t min_seq = 0) {
    std::optional<Result<MutableRecord>> r;
    client->mutable_get(pk, min_seq, [&](Result<MutableRecord> x) { r = std::move(x); });
    EXPECT_TRUE(wait([&] { return r.has_value(); }));
    if (!r) return make_error(Errc::timed_out, "no answer");
    return std::move(*r);
  }
  ~Net() {
    client.reset();
    store.reset();
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

}  // namespace

TEST(HyperdhtMessages, MutableSignaturesVerifyOnlyUnchanged) {
  ASSERT_TRUE(crypto::init().ok());
  auto kp = key('1');
  MutableRecord m{3, Bytes{1, 2, 3}, {}};
  m.signature = sign_mutable(m.seq, m.value, kp);
  EXPECT_TRUE(verify_mutable(m, kp.public_key));
  auto tampered = m;
  tampered.seq = 4;
  EXPECT_FALSE(verify_mutable(tampered, kp.public_key));
  tampered = m;
  tampered.value[0] ^= 1;
  EXPECT_FALSE(verify_mutable(tampered, kp.public_key));
  EXPECT_FALSE(verify_mutable(m, key('2').public_key));
  auto round = decode_mutable_record(encode(m));
  ASSERT_TRUE(round);
  EXPECT_EQ(round->value, m.value);
  for (std::size_t n = 0; n < encode(m).size(); ++n) {
    EXPECT_FALSE(decode_mutable_record(ByteView(encode(m)).first(n))) << n;
  }
}

TEST(HyperdhtMessages, AnnounceAndLookupReplyRoundTrip) {
  Announce a;
  a.peer = Peer{key('3').public_key, {*dht::Address::parse("11.0.0.1", 7)}};
  a.refresh = FixedBytes<32>{};
  a.signature = Signature{};
  auto d = decode_announce(encode(a));
  ASSERT_TRUE(d && d->peer);
  EXPECT_EQ(d->peer->public_key, a.peer->public_key);
  EXPECT_EQ(d->peer->relay_addresses, a.peer->relay_addresses);
  enc::Writer w;
  encode(w, *a.peer);
  auto peers = decode_lookup_reply(encode_lookup_reply({w.bytes(), w.bytes()}, 0));
  ASSERT_TRUE(peers);
  EXPECT_EQ(peers->size(), 2u);
}

TEST(HyperdhtStorage, MutablePutGetAndSequenceRules) {
  Net n;
  auto kp = key('4');
  ASSERT_TRUE(n.put(kp, "one", 1).ok());
  auto r = n.get(kp.public_key);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->seq, 1u);
  EXPECT_FALSE(n.put(kp, "other value, same seq", 1).ok());  // SEQ_REUSED
  ASSERT_TRUE(n.put(kp, "two", 2).ok());
  EXPECT_FALSE(n.put(kp, "older", 1).ok());  // SEQ_TOO_LOW
  r = n.get(kp.public_key);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::string(r->value.begin(), r->value.end()), "two");
  EXPECT_FALSE(n.get(kp.public_key, 5).ok());  // nothing that new
  EXPECT_EQ(n.store->storage_stats().stored_mutables, 2u);
}

TEST(HyperdhtStorage, ForgedRecordsAreRefusedAndCounted) {
  Net n({}, 200);
  auto kp = key('5');
  // Signed by someone else for kp's slot: hash(kp) target, wrong signature.
  MutablePut forged;
  forged.public_key = kp.public_key;
  forged.record = {1, Bytes{9}, sign_mutable(1, Bytes{9}, key('6'))};
  std::optional<bool> answered;
  n.client->node().query(
      crypto::blake2b_256(kp.public_key), kMutableGet, false, Bytes{0}, nullptr,
      [&](std::vector<dht::Reply> closest) {
        ASSERT_FALSE(closest.empty());
        n.client->node().request(
            closest[0].from, kMutablePut, false, crypto::blake2b_256(kp.public_key), encode(forged),
            [&](const dht::Reply* r) { answered = r != nullptr; }, closest[0].response.token);
      });
  n.wait([&] { return answered.has_value(); });
  EXPECT_EQ(answered, false);  // dropped without an answer, as hyperdht does
  EXPECT_EQ(n.store->storage_stats().bad_signatures, 4u);  // the send and each retry, all dropped
  EXPECT_FALSE(n.get(kp.public_key).ok());
}

TEST(HyperdhtStorage, ImmutableValuesAreContentAddressed) {
  Net n;
  const std::string v = "some immutable bytes";
  std::optional<Status> put;
  n.client->immutable_put(Bytes(v.begin(), v.end()), [&](Status s, std::size_t) { put = s; });
  ASSERT_TRUE(n.wait([&] { return put.has_value(); }));
  ASSERT_TRUE(put->ok());
  std::optional<Result<Bytes>> got;
  n.client->immutable_get(crypto::blake2b_256(as_bytes(v)),
                          [&](Result<Bytes> r) { got = std::move(r); });
  ASSERT_TRUE(n.wait([&] { return got.has_value(); }));
  ASSERT_TRUE(got->ok());
  EXPECT_EQ(std::string((*got)->begin(), (*got)->end()), v);
}

TEST(HyperdhtStorage, StoreIsBoundedAndRateLimited) {
  Limits limits;
  limits.max_values = 8;
  limits.stores_per_ip_per_minute = 20;
  Net n(limits, 100);  // refused stores get no answer: keep the client's retries short
  int ok = 0;
  for (int i = 0; i < 30; ++i) {
    std::string v = "value " + std::to_string(i);
    std::optional<Status> put;
    n.client->immutable_put(Bytes(v.begin(), v.end()), [&](Status s, std::size_t) { put = s; });
    n.wait([&] { return put.has_value(); });
    ok += put && put->ok() ? 1 : 0;
  }
  EXPECT_EQ(ok, 20);                        // the rest were over the per-IP rate
  EXPECT_LE(n.store->stored_values(), 8u);  // never more than the bound
  EXPECT_GE(n.store->storage_stats().evicted, 12u);
  EXPECT_GE(n.store->storage_stats().rate_limited, 10u);
}

TEST(HyperdhtStorage, AnnounceThenUnannounce) {
  Net n;
  auto kp = key('7');
  auto topic = crypto::blake2b_256(as_bytes("a topic"));
  auto lookup = [&] {
    std::optional<std::vector<Peer>> peers;
    n.client->lookup(topic, [&](std::vector<Peer> p) { peers = std::move(p); });
    EXPECT_TRUE(n.wait([&] { return peers.has_value(); }));
    return peers.value_or(std::vector<Peer>{});
  };
  std::optional<Status> done;
  n.client->announce(topic, kp, {}, [&](Status s, std::size_t) { done = s; });
  ASSERT_TRUE(n.wait([&] { return done.has_value(); }));
  ASSERT_TRUE(done->ok());
  auto found = lookup();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].public_key, kp.public_key);
  done.reset();
  n.client->unannounce(topic, kp, [&](Status s, std::size_t) { done = s; });
  ASSERT_TRUE(n.wait([&] { return done.has_value(); }));
  ASSERT_TRUE(done->ok());
  EXPECT_TRUE(lookup().empty());
}

// A persistent node that joins (the store's table takes it), then leaves without a word, as
// on a churning DHT: a socket on its port reads nothing, so requests to it time out (no ICMP
// error either) while the store still names it in its replies.
struct DeadNode {
  uv_udp_t silent{};
  bool ok = false;
  explicit DeadNode(Net& n) {
    dht::Address gone_at;
    {
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", 0);
      o.ephemeral = false;
      o.bootstrap = {n.store->node().local_address()};
      Dht gone(*n.udx, o);
      if (!gone.start().ok() || !n.wait([&] { return gone.node().bootstrapped(); })) return;
      gone_at = gone.node().local_address();
      const auto in_table = [&] {
        for (const auto* t : n.store->node().table().all()) {
          if (t->address == gone_at) return true;
        }
        return false;
      };
      if (!n.wait(in_table)) return;
    }
    n.wait([] { return false; }, 50);  // the gone node's socket closes
    uv_udp_init(&n.loop, &silent);
    sockaddr_in sa{};
    uv_ip4_addr("127.0.0.1", gone_at.port, &sa);
    ok = uv_udp_bind(&silent, reinterpret_cast<const sockaddr*>(&sa), 0) == 0;
  }
  ~DeadNode() { uv_close(reinterpret_cast<uv_handle_t*>(&silent), nullptr); }
};

std::uint64_t ms_since(std::uint64_t t0) {
  return (uv_hrtime() - t0) / 1000000;
}

// find_peer answers at the first reply holding the peer, as hyperdht's connect goes on at once
// (lib/connect.js): a node that left must not hold the answer for its timeouts (four here:
// some 4 s).
TEST(HyperdhtLookup, FindPeerAnswersBeforeADeadNodeTimesOut) {
  Net n;
  auto kp = key('8');
  std::optional<Status> done;
  n.client->announce(crypto::blake2b_256(kp.public_key), kp, {},
                     [&](Status s, std::size_t) { done = s; });
  ASSERT_TRUE(n.wait([&] { return done.has_value(); }));
  ASSERT_TRUE(done->ok());
  DeadNode dead(n);
  ASSERT_TRUE(dead.ok);

  const std::uint64_t t0 = uv_hrtime();
  std::optional<Result<std::pair<Peer, dht::Address>>> found;
  n.client->find_peer(kp.public_key, [&](auto r) { found = std::move(r); });
  ASSERT_TRUE(n.wait([&] { return found.has_value(); }));
  const std::uint64_t ms = ms_since(t0);
  ASSERT_TRUE(found->ok());
  EXPECT_EQ((*found)->first.public_key, kp.public_key);
  EXPECT_LT(ms, 1000u);  // before even one request to the dead node timed out
}

// A connect reads the share's record promptly (Freshness::prompt): kNewerRecordGraceMs after
// the first verified record, not after the dead node's timeouts; a latest get waits them out.
TEST(HyperdhtLookup, PromptRecordGetAnswersBeforeADeadNodeTimesOut) {
  Net n;
  auto kp = key('9');
  ASSERT_TRUE(n.put(kp, "record", 3).ok());
  DeadNode dead(n);
  ASSERT_TRUE(dead.ok);

  std::uint64_t t0 = uv_hrtime();
  std::optional<Result<MutableRecord>> prompt;
  n.client->mutable_get(
      kp.public_key, 0, [&](Result<MutableRecord> r) { prompt = std::move(r); },
      Dht::Freshness::prompt);
  ASSERT_TRUE(n.wait([&] { return prompt.has_value(); }));
  const std::uint64_t prompt_ms = ms_since(t0);
  ASSERT_TRUE(prompt->ok());
  EXPECT_EQ((*prompt)->seq, 3u);
  EXPECT_EQ(std::string((*prompt)->value.begin(), (*prompt)->value.end()), "record");
  // It waited for a newer record as promised (less the loop's cached clock, a few ms at most).
  EXPECT_GE(prompt_ms + 10, kNewerRecordGraceMs);
  EXPECT_LT(prompt_ms, 1000u);  // but not for the dead node's first timeout

  t0 = uv_hrtime();
  auto latest = n.get(kp.public_key);
  ASSERT_TRUE(latest.ok());
  EXPECT_GE(ms_since(t0), 1000u);  // the default still asks every node to the end
}

// ---- holepunch pieces (hyperdht/holepunch) ----
#include "hyperdht/holepunch.hpp"

namespace {
dht::Address addr(const char* host, std::uint16_t port) {
  return *dht::Address::parse(host, port);
}
}  // namespace

TEST(Holepunch, SecurePayloadRoundTripsAndRejectsTampering) {
  ASSERT_TRUE(crypto::init().ok());
  const Bytes hash(64, 9);
  SecurePayload a(hash), b(hash), other(Bytes(64, 8));
  HolepunchPayload p;
  p.firewall = kFirewallConsistent;
  p.round = 3;
  p.punching = true;
  p.addresses = std::vector<dht::Address>{addr("11.0.0.7", 4000)};
  p.remote_address = addr("11.0.0.9", 5000);
  p.token = a.token(addr("11.0.0.9", 1));
  auto wire = a.encrypt(p);
  auto back = b.decrypt(wire);  // the peer shares only the handshake hash
  ASSERT_TRUE(back);
  EXPECT_EQ(back->round, 3u);
  EXPECT_TRUE(back->punching);
  EXPECT_EQ(back->addresses->at(0), addr("11.0.0.7", 4000));
  EXPECT_EQ(*back->token, *p.token);
  EXPECT_FALSE(other.decrypt(wire));  // another handshake's secret
  wire[30] ^= 1;
  EXPECT_FALSE(b.decrypt(wire));          // tampered
  EXPECT_FALSE(b.decrypt(Bytes(39, 0)));  // shorter than nonce + MAC + anything
  // Tokens bind the host only, and differ per local secret.
  EXPECT_EQ(a.token(addr("11.0.0.9", 1)), a.token(addr("11.0.0.9", 2)));
  EXPECT_NE(a.token(addr("11.0.0.9", 1)), b.token(addr("11.0.0.9", 1)));
}

TEST(Holepunch, AddressClassesAsBogon) {
  EXPECT_TRUE(is_private(addr("100.64.1.2", 1)));
  EXPECT_TRUE(is_private(addr("127.0.0.1", 1)));
  EXPECT_TRUE(is_private(addr("192.168.0.1", 1)));
  EXPECT_FALSE(is_private(addr("11.0.0.1", 1)));
  EXPECT_TRUE(is_reserved(addr("203.0.113.5", 1)));
  EXPECT_TRUE(is_reserved(addr("0.0.0.0", 1)));
  EXPECT_FALSE(is_bogon(addr("11.0.0.1", 1)));
  EXPECT_EQ(first_public({addr("10.0.0.1", 1), addr("11.0.0.2", 2)}), addr("11.0.0.2", 2));
  EXPECT_FALSE(first_public({addr("10.0.0.1", 1)}));
  EXPECT_EQ(match_address({addr("100.64.1.2", 0)}, {addr("10.1.1.1", 5), addr("100.64.1.9", 6)}),
            addr("100.64.1.9", 6));
}

TEST(Holepunch, FirewallFromSamples) {
  EXPECT_EQ(firewall_from_samples({}), kFirewallUnknown);
  EXPECT_EQ(firewall_from_samples({addr("11.0.0.5", 7)}), kFirewallUnknown);
  EXPECT_EQ(firewall_from_samples({addr("11.0.0.5", 7), addr("11.0.0.5", 7)}), kFirewallConsistent);
  EXPECT_EQ(firewall_from_samples({addr("11.0.0.5", 7), addr("11.0.0.5", 9)}), kFirewallRandom);
}
