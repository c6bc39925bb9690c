// core/dht: dht-rpc message encoding, the routing table, bootstrap lists, and two C++ nodes
// talking over loopback (ping, find_node, tokens, forged ids, malformed datagrams).
#include <gtest/gtest.h>
#include <sodium.h>

#include "dht/bootstrap.hpp"
#include "dht/node.hpp"
#include "udx/packet.hpp"

using namespace peerport;
using namespace peerport::dht;

namespace {

Address addr(const char* host, std::uint16_t port) {
  return *Address::parse(host, port);
}

NodeId random_id() {
  NodeId id;
  randombytes_buf(id.data(), id.size());
  return id;
}

}  // namespace

TEST(DhtMessages, RequestRoundTripWithEveryField) {
  Request r;
  r.tid = 0xbeef;
  r.to = addr("11.0.0.5", 49737);
  r.id = random_id();
  r.token = random_id();
  r.internal = true;
  r.command = kFindNode;
  r.target = random_id();
  r.value = Bytes{1, 2, 3};
  Bytes wire = encode(r);
  EXPECT_EQ(wire[0], kRequestType);
  EXPECT_EQ(wire[1], 1 | 2 | 4 | 8 | 16);
  auto d = decode_request(wire);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->tid, r.tid);
  EXPECT_EQ(d->to, r.to);
  EXPECT_EQ(d->id, r.id);
  EXPECT_EQ(d->token, r.token);
  EXPECT_TRUE(d->internal);
  EXPECT_EQ(d->command, r.command);
  EXPECT_EQ(d->target, r.target);
  EXPECT_EQ(d->value, r.value);
  // Every truncation is refused, never read past.
  for (std::size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode_request(ByteView(wire).first(n))) << n;
  }
  EXPECT_FALSE(decode_response(wire));  // wrong type byte
}

TEST(DhtMessages, MinimalRequestIsTenBytesAsDhtRpcWritesIt) {
  Request r;
  r.tid = 1;
  r.to = addr("127.0.0.1", 1);
  r.command = kPing;
  Bytes wire = encode(r);
  // type, flags, tid(2), to(6), command(1)
  EXPECT_EQ(to_hex(wire),
            "0300"
            "0100"
            "7f000001"
            "0100"
            "00");
}

TEST(DhtMessages, ResponseRoundTripAndCloserNodeLimits) {
  Response r;
  r.tid = 7;
  r.to = addr("1.2.3.4", 5);
  r.closer_nodes = {addr("10.0.0.1", 1), addr("10.0.0.2", 2)};
  r.error = kErrUnknownCommand;
  r.value = Bytes(300, 9);
  auto d = decode_response(encode(r));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->closer_nodes, r.closer_nodes);
  EXPECT_EQ(d->error, kErrUnknownCommand);
  EXPECT_EQ(d->value, r.value);
  // A closer-node count the datagram cannot hold is refused before anything is allocated.
  Bytes forged = {kResponseType, 4, 0, 0, 1, 2, 3, 4, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0x00};
  EXPECT_FALSE(decode_response(forged));
}

TEST(DhtMessages, NodeIdIsTheHashOfTheAddress) {
  auto a = addr("127.0.0.1", 49737);
  EXPECT_EQ(node_id(a), node_id(a));
  EXPECT_NE(node_id(a), node_id(addr("127.0.0.1", 49738)));
}

TEST(DhtRoutingTable, RowsHoldAtMostKAndClosestIsExact) {
  NodeId self{};
  RoutingTable t(self, 20);
  std::size_t added = 0;
  for (int i = 0; i < 2000; ++i) {
    NodeId id = random_id();
    added += t.add({id, addr("1.1.1.1", static_cast<std::uint16_t>(i + 1)), 0, 0, 0}) ? 1 : 0;
  }
  EXPECT_EQ(t.size(), added);
  EXPECT_LT(added, 2000u);  // the widest rows filled up
  for (std::size_t row = 0; row < 4; ++row) {
    NodeId probe{};
    probe[0] = static_cast<std::uint8_t>(0x80 >> row);
    EXPECT_LE(t.row_for(probe).size(), 20u);
  }
  NodeId target = random_id();
  auto c = t.closest(target, 20);
  ASSERT_EQ(c.size(), 20u);
  for (std::size_t i = 1; i < c.size(); ++i) EXPECT_FALSE(closer(target, c[i].id, c[i - 1].id));
  // Nothing outside the result is closer than its last member.
  for (const TableNode* n : t.all()) {
    bool in = std::any_of(c.begin(), c.end(), [&](const TableNode& x) { return x.id == n->id; });
    if (!in) {
      EXPECT_FALSE(closer(target, n->id, c.back().id));
    }
  }
  EXPECT_FALSE(t.add({self, addr("1.1.1.1", 1), 0, 0, 0}));  // never ourselves
  EXPECT_TRUE(t.remove(c[0].id));
  EXPECT_EQ(t.get(c[0].id), nullptr);
}

TEST(DhtBootstrap, ParsesListsAndRejectsNonsense) {
  auto a = parse_bootstrap("127.0.0.1:49737, 88.99.3.86@node1.example.invalid:1");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[1].to_string(), "88.99.3.86:1");  // the ip hint spares a DNS lookup
  EXPECT_TRUE(parse_bootstrap("none")->empty());
  EXPECT_FALSE(parse_bootstrap("127.0.0.1").ok());
  EXPECT_FALSE(parse_bootstrap("127.0.0.1:0").ok());
  EXPECT_FALSE(parse_bootstrap("127.0.0.1:70000").ok());
  auto bad = parse_bootstrap("host.invalid:5");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("host.invalid"), std::string::npos);
}

struct TwoNodes {
  uv_loop_t loop;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<Node> a, b;
  uv_timer_t deadline;
  TwoNodes() {
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(&loop);
    Node::Options oa;
    oa.bind = *udx::Address::parse("127.0.0.1", 0);
    oa.ephemeral = false;
    a = std::make_unique<Node>(*udx, oa);
    EXPECT_TRUE(a->start().ok());
    Node::Options ob = oa;
    ob.bootstrap = {a->local_address()};
    b = std::make_unique<Node>(*udx, ob);
  }
  void run(std::uint64_t ms) {
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, ms, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  ~TwoNodes() {
    a.reset();
    b.reset();
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

TEST(DhtNode, PingAndFindNodeBetweenTwoNodes) {
  ASSERT_GE(sodium_init(), 0);
  TwoNodes n;
  ASSERT_TRUE(n.b->start().ok());
  std::optional<Response> pong;
  n.b->request(n.a->local_address(), kPing, true, std::nullopt, std::nullopt, [&](const Reply* r) {
    if (r) pong = r->response;
    uv_stop(&n.loop);
  });
  n.run(5000);
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->error, 0u);
  EXPECT_EQ(pong->to, n.b->local_address());  // how a saw b: NAT sampling
  EXPECT_TRUE(pong->id.has_value());          // persistent nodes sign their replies with an id
  // b was persistent and asked a, so a now has b in its table, and vice versa.
  n.run(300);
  EXPECT_NE(n.a->table().get(node_id(n.b->local_address())), nullptr);
  EXPECT_NE(n.b->table().get(node_id(n.a->local_address())), nullptr);
}

TEST(DhtNode, HostileDatagramsAreCountedAndDropped) {
  ASSERT_GE(sodium_init(), 0);
  TwoNodes n;
  udx::Socket evil(*n.udx);
  ASSERT_TRUE(evil.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
  auto to = to_udx(n.a->local_address());
  const std::uint8_t junk[] = {kRequestType, 0xff};
  (void)evil.send(ByteView(junk, sizeof junk), to);
  // A request claiming an id that is not the hash of its source address.
  Request forged;
  forged.to = n.a->local_address();
  forged.id = random_id();
  forged.internal = true;
  forged.command = kPing;
  (void)evil.send(encode(forged), to);
  // A request with a token a never issued.
  Request tok = forged;
  tok.id.reset();
  tok.token = random_id();
  (void)evil.send(encode(tok), to);
  // A response to nothing.
  Response stray;
  stray.tid = 1234;
  (void)evil.send(encode(stray), to);
  // A UDX data packet for a stream a does not have (a closed stream's late packet): the socket
  // hands it to the DHT, as libudx does, where it is no DHT message but not malformed either.
  std::uint8_t late[udx::kHeaderSize + 4] = {};
  udx::Header h;
  h.type = udx::kData;
  h.id = 0xdead;
  h.seq = 7;
  udx::write_header(late, h);
  (void)evil.send(ByteView(late, sizeof late), to);
  n.run(300);
  EXPECT_EQ(n.a->stats().malformed, 1u);
  EXPECT_EQ(n.a->stats().stream_strays, 1u);
  EXPECT_EQ(n.a->stats().bad_ids, 1u);
  EXPECT_EQ(n.a->stats().invalid_tokens, 1u);
  EXPECT_EQ(n.a->stats().unsolicited, 1u);
  EXPECT_EQ(n.a->table().size(), 0u);
}

TEST(DhtNode, RequestToNobodyTimesOutAfterItsRetries) {
  ASSERT_GE(sodium_init(), 0);
  TwoNodes n;
  udx::Socket silent(*n.udx);
  ASSERT_TRUE(silent.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
  bool timed_out = false;
  n.a->request(from_udx(silent.local_address()), kPing, true, std::nullopt, std::nullopt,
               [&](const Reply* r) {
                 timed_out = r == nullptr;
                 uv_stop(&n.loop);
               });
  n.run(8000);
  EXPECT_TRUE(timed_out);
  EXPECT_EQ(silent.stats().packets_in, 4u);  // one send and three retries, as dht-rpc
  EXPECT_EQ(n.a->stats().timeouts, 1u);
}

// Past the 160 in-flight slots a request waits for one, as in dht-rpc, instead of failing: a
// burst of a few hundred shares announcing at once used to lose the rest (and one engine with
// 200 shares crashed on it, its announcement failing inside the call that made it).
TEST(DhtNode, RequestsPastTheInFlightWindowWaitTheirTurn) {
  ASSERT_GE(sodium_init(), 0);
  TwoNodes n;
  ASSERT_TRUE(n.b->start().ok());
  constexpr int kBurst = 400;
  int answered = 0, failed = 0;
  for (int i = 0; i < kBurst; ++i) {
    n.b->request(n.a->local_address(), kPing, true, std::nullopt, std::nullopt,
                 [&](const Reply* r) {
                   ++(r ? answered : failed);
                   if (answered + failed == kBurst) uv_stop(&n.loop);
                 });
  }
  EXPECT_EQ(answered + failed, 0) << "a request's callback ran inside request()";
  n.run(10000);
  EXPECT_EQ(answered, kBurst);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(n.b->stats().requests_refused, 0u);
}

// A query with nobody to ask ends at once, but its caller hears of it only after query()
// has returned: a caller torn down in its own callback must not be inside a call of its own.
TEST(DhtNode, AQueryWithNobodyToAskEndsAfterItReturns) {
  ASSERT_GE(sodium_init(), 0);
  TwoNodes n;  // a knows nobody and has no bootstrap list
  bool done = false;
  n.a->query(random_id(), kFindNode, true, std::nullopt, nullptr, [&](std::vector<Reply> closest) {
    done = true;
    EXPECT_TRUE(closest.empty());
    uv_stop(&n.loop);
  });
  EXPECT_FALSE(done) << "the query ended inside query()";
  n.run(2000);
  EXPECT_TRUE(done);
}

// ---- adaptive timeouts (dht/adaptive_timeout) ----
#include "dht/adaptive_timeout.hpp"

TEST(AdaptiveTimeout, UnknownAddressesBackOffExponentially) {
  peerport::dht::AdaptiveTimeout t;
  EXPECT_EQ(t.get("a", 1, 0, 0), 250u);
  EXPECT_EQ(t.get("a", 2, 0, 0), 500u);
  EXPECT_EQ(t.get("a", 5, 0, 0), 4000u);
  EXPECT_EQ(t.get("a", 9, 0, 0), 4000u);
  EXPECT_LT(t.get("a", 1, 255, 0), 250u + 256u);  // jitter stays under 256 ms
}

TEST(AdaptiveTimeout, LearnsTheRoundTripAndClamps) {
  peerport::dht::AdaptiveTimeout t;
  t.put("fast", 20, 0);  // avg 20, deviation 10: 40 ms, clamped up to the 300 ms floor
  EXPECT_EQ(t.get("fast", 1, 0, 0), 300u);
  t.put("slow", 900, 0);  // avg 900, deviation 450: 1800 ms, then linear backoff
  EXPECT_EQ(t.get("slow", 1, 0, 0), 1800u);
  EXPECT_EQ(t.get("slow", 2, 0, 0), 3600u);
  EXPECT_EQ(t.get("slow", 3, 0, 0), 4000u);  // the 4 s ceiling
  // Smoothing: one outlier moves the average by an eighth of the difference.
  t.put("slow", 100, 1);
  EXPECT_EQ(t.get("slow", 1, 0, 1),
            static_cast<std::uint32_t>((900 - 100) + 2 * (450 + (800 - 450) / 4)));
  // Entries expire: after 10 minutes the address is unknown again.
  EXPECT_EQ(t.get("slow", 1, 0, 11 * 60 * 1000), 250u);
}

TEST(AdaptiveTimeout, MemoryIsBounded) {
  peerport::dht::AdaptiveTimeout::Options o;
  o.max_entries = 3;
  peerport::dht::AdaptiveTimeout t(o);
  for (int i = 0; i < 10; ++i) {
    std::string key = "n";  // not "n" + ...: GCC 12 at -O3 warns falsely on it (-Wrestrict)
    key += std::to_string(i);
    t.put(key, 50, static_cast<std::uint64_t>(i));
  }
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.get("n9", 1, 0, 9), 300u);  // the newest survive
  EXPECT_EQ(t.get("n0", 1, 0, 9), 250u);  // the oldest went
}
