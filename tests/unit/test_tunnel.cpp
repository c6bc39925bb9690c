// The pieces of core/tunnel and core/engine that need no network: holesail's datagram
// framing, its service record, the rate meter, the NAT classification and share key
// derivation.
#include <gtest/gtest.h>

#include "crypto/keys.hpp"
#include "engine/engine.hpp"
#include "engine/nat.hpp"
#include "engine/rate.hpp"
#include "tunnel/framing.hpp"
#include "tunnel/holesail.hpp"

using namespace peerport;

namespace {
Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
}  // namespace

TEST(Framing, FramesSurviveAnySplitAndMerge) {
  std::vector<Bytes> datagrams = {bytes("a"), bytes(""), Bytes(70000 % 65535, 7), bytes("xyz")};
  Bytes wire;
  for (auto& d : datagrams) {
    auto f = tunnel::frame_datagram(d);
    ASSERT_EQ(f.size(), d.size() + 4);
    wire.insert(wire.end(), f.begin(), f.end());
  }
  // Every chunk size from one byte to the whole stream gives the same datagrams, in order.
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{4}, std::size_t{5},
                            std::size_t{1000}, wire.size()}) {
    tunnel::FrameDecoder dec;
    std::vector<Bytes> out;
    for (std::size_t pos = 0; pos < wire.size(); pos += chunk) {
      const auto n = std::min(chunk, wire.size() - pos);
      ASSERT_TRUE(dec.feed(ByteView(wire.data() + pos, n),
                           [&](ByteView d) { out.emplace_back(d.begin(), d.end()); }));
    }
    EXPECT_EQ(out, datagrams) << "chunk " << chunk;
    EXPECT_EQ(dec.buffered(), 0u);
  }
}

TEST(Framing, LengthIsBigEndianAsHolesailWritesIt) {
  auto f = tunnel::frame_datagram(Bytes(258, 1));
  EXPECT_EQ(f[0], 0);
  EXPECT_EQ(f[1], 0);
  EXPECT_EQ(f[2], 1);
  EXPECT_EQ(f[3], 2);
}

TEST(Framing, OversizedFrameFailsTheStream) {
  tunnel::FrameDecoder dec;
  const Bytes bad = {0x00, 0x01, 0x00, 0x00, 1, 2, 3};  // 65536 bytes announced
  int frames = 0;
  EXPECT_FALSE(dec.feed(bad, [&](ByteView) { ++frames; }));
  EXPECT_TRUE(dec.failed());
  EXPECT_FALSE(dec.feed(tunnel::frame_datagram(bytes("ok")), [&](ByteView) { ++frames; }));
  EXPECT_EQ(frames, 0);
}

TEST(ServiceRecord, EncodesExactlyAsHolesail) {
  // JSON.stringify({host, udp, port}) in holesail-server's start().
  auto b = tunnel::encode_service_record({"127.0.0.1", 8080, false});
  EXPECT_EQ(std::string(b.begin(), b.end()), R"({"host":"127.0.0.1","udp":false,"port":8080})");
}

TEST(ServiceRecord, ParsesWhatHolesailWritesAndRejectsJunk) {
  auto r = tunnel::parse_service_record(bytes(R"({"host":"10.0.0.2","udp":true,"port":"5353"})"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->host, "10.0.0.2");
  EXPECT_TRUE(r->udp);
  EXPECT_EQ(r->port, 5353);
  // holesail omits "udp" when it was not given.
  auto tcp = tunnel::parse_service_record(bytes(R"({"host":"127.0.0.1","port":22})"));
  ASSERT_TRUE(tcp);
  EXPECT_FALSE(tcp->udp);
  EXPECT_FALSE(tunnel::parse_service_record(bytes("not json")));
  EXPECT_FALSE(tunnel::parse_service_record(bytes("[1,2]")));
  EXPECT_FALSE(tunnel::parse_service_record(bytes(R"({"port":70000})")));
  EXPECT_FALSE(tunnel::parse_service_record(bytes(R"({"port":"-1"})")));
}

TEST(RateMeter, AveragesTheLastTicks) {
  engine::RateMeter m;
  m.sample(0, 0, 1.0);
  EXPECT_EQ(m.rate_in(), 0);
  m.sample(1000, 500, 1.0);
  EXPECT_DOUBLE_EQ(m.rate_in(), 1000);
  EXPECT_DOUBLE_EQ(m.rate_out(), 500);
  m.sample(1000, 500, 1.0);  // nothing moved this tick
  EXPECT_DOUBLE_EQ(m.rate_in(), 500);
  m.sample(4000, 500, 1.0);
  m.sample(4000, 500, 1.0);  // the first 1000 B/s tick has left the window
  EXPECT_DOUBLE_EQ(m.rate_in(), 1000);
}

TEST(Nat, ClassifiesFromHowNodesSeeUs) {
  using engine::NatType;
  auto a = [](const char* host, std::uint16_t port) { return *dht::Address::parse(host, port); };
  const auto local = a("0.0.0.0", 4000);
  const std::vector<dht::Address> ifaces = {a("127.0.0.1", 0), a("11.0.0.5", 0)};
  EXPECT_EQ(engine::classify_nat({}, local, false, 0, ifaces), NatType::unknown);
  EXPECT_EQ(engine::classify_nat({}, local, true, 0, ifaces), NatType::offline);
  EXPECT_EQ(engine::classify_nat({a("11.0.0.5", 4000)}, local, true, 3, ifaces),
            NatType::unknown);  // one answer proves nothing
  EXPECT_EQ(engine::classify_nat({a("11.0.0.5", 4000), a("11.0.0.5", 4000)}, local, true, 3,
                                 ifaces),
            NatType::open);
  EXPECT_EQ(engine::classify_nat({a("11.0.0.9", 6000), a("11.0.0.9", 6000)}, local, true, 3,
                                 ifaces),
            NatType::consistent);
  EXPECT_EQ(engine::classify_nat({a("11.0.0.9", 6000), a("11.0.0.9", 6001),
                                  a("11.0.0.9", 6002)},
                                 local, true, 3, ifaces),
            NatType::random);
}

TEST(ShareKeys, StablePerServiceAndDistinctAcrossServices) {
  auto id = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'c')));
  engine::ShareSpec web;
  web.port = 8080;
  engine::ShareSpec web_udp = web;
  web_udp.protocol = engine::Protocol::udp;
  engine::ShareSpec ssh;
  ssh.port = 22;
  const auto k1 = engine::derive_share_key_pair(id, web).public_key;
  EXPECT_EQ(k1, engine::derive_share_key_pair(id, web).public_key);
  EXPECT_NE(k1, engine::derive_share_key_pair(id, web_udp).public_key);
  EXPECT_NE(k1, engine::derive_share_key_pair(id, ssh).public_key);
  EXPECT_NE(k1, id.public_key);
  auto other = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'd')));
  EXPECT_NE(k1, engine::derive_share_key_pair(other, web).public_key);
}
