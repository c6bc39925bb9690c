// The sharing side against clients that take more than their share (issue 15, item 8): caps on
// connections per share and per client key, and UDP pipes that carry nothing being closed.
// Real shares, real services and real hyperdht clients on loopback, all in one loop.
#include <gtest/gtest.h>
#include <sodium.h>

#include <deque>
#include <filesystem>
#include <optional>

#include "../support/share_net.hpp"
#include "../support/tcp_echo.hpp"
#include "../support/udp_echo.hpp"
#include "common/limits.hpp"
#include "hyperdht/holepunch.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "tunnel/framing.hpp"
#include "tunnel/tcp.hpp"
#include "tunnel/udp.hpp"

using namespace peerport;
using namespace peerport::test;

// A client could open connections to a share until the machine ran out of descriptors: each
// holds a socket to the service. Now one key gets at most max_connections_per_peer and all of
// them together max_connections; a closed connection gives its slot back.
TEST(HostileShare, ConnectionsAreCappedPerPeerAndInAll) {
  std::deque<Attempt> attempts;  // outlives the network: callbacks may land in teardown
  test::EchoService echo;
  ShareNet net;
  tunnel::ShareOptions o;
  o.port = echo.port();
  o.max_connections = 3;
  o.max_connections_per_peer = 2;
  tunnel::TcpShare share(*net.share_dht, net.share_key, o, net.listener());
  start(net, share);

  const auto a = crypto::KeyPair::random();
  const auto b = crypto::KeyPair::random();
  const auto c = crypto::KeyPair::random();
  auto open = [&](const crypto::KeyPair& key) -> Attempt& {
    attempts.emplace_back();
    net.connect(key, attempts.back());
    return attempts.back();
  };
  auto& a1 = open(a);
  auto& a2 = open(a);
  ASSERT_TRUE(net.wait([&] { return a1.conn && a2.conn; }));
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 2; }));

  // A third from the same key: refused, whatever the share's total room.
  auto& a3 = open(a);
  EXPECT_TRUE(net.wait([&] { return share.stats().refused_over_limit >= 1; }));
  EXPECT_FALSE(a3.conn);
  EXPECT_EQ(share.stats().active, 2u);

  // Another key gets the last slot; a third key finds the share full.
  auto& b1 = open(b);
  ASSERT_TRUE(net.wait([&] { return b1.conn != nullptr; }));
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 3; }));
  const auto refused = share.stats().refused_over_limit;
  auto& c1 = open(c);
  EXPECT_TRUE(net.wait([&] { return share.stats().refused_over_limit > refused; }));
  EXPECT_FALSE(c1.conn);
  EXPECT_EQ(share.stats().active, 3u);

  // A connection that ends gives its slot back.
  a1.conn->destroy();
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 2; }));
  auto& c2 = open(c);
  ASSERT_TRUE(net.wait([&] { return c2.conn != nullptr; }));
  EXPECT_TRUE(net.wait([&] { return share.stats().active == 3; }));

  // The admitted connections still carry data to the service and back.
  const Bytes hello = {'h', 'i'};
  c2.conn->write(hello);
  EXPECT_TRUE(net.wait([&] { return c2.received.size() >= hello.size(); }));
  EXPECT_EQ(c2.received, hello);

  for (auto& x : attempts) {
    if (x.conn) x.conn->destroy();
  }
  net.settle(50);
  // A connection's stream closes its timers on the network's loop, so it goes before the loop.
  for (auto& x : attempts) x.conn.reset();
  net.settle(10);
}

// The defaults are the named limits: a share nobody configured is still bounded.
TEST(HostileShare, DefaultsAreTheNamedLimits) {
  tunnel::ShareOptions o;
  EXPECT_EQ(o.max_connections, limits::kShareMaxConnections);
  EXPECT_EQ(o.max_connections_per_peer, limits::kShareMaxConnectionsPerPeer);
  EXPECT_EQ(o.udp_idle_timeout_ms, limits::kShareUdpIdleTimeoutMs);
  EXPECT_LT(limits::kShareMaxConnectionsPerPeer, limits::kShareMaxConnections);
}

// UDP has no end of stream: a client that vanished left its pipe (a socket to the service, a
// stream) on the sharing side for good. A pipe carrying nothing for udp_idle_timeout_ms is
// closed; one that keeps carrying datagrams is not.
TEST(HostileShare, IdleUdpPipesAreClosedBusyOnesAreNot) {
  Attempt quiet, busy;
  test::UdpEcho echo;
  ShareNet net;
  tunnel::ShareOptions o;
  o.port = echo.port();
  o.udp_idle_timeout_ms = 1000;
  tunnel::UdpShare share(*net.share_dht, net.share_key, o, net.listener());
  start(net, share);

  net.connect(crypto::KeyPair::random(), quiet);
  net.connect(crypto::KeyPair::random(), busy);
  ASSERT_TRUE(net.wait([&] { return quiet.conn && busy.conn; }));
  const Bytes ping = tunnel::frame_datagram(as_bytes("ping"));
  quiet.conn->write(ping);
  busy.conn->write(ping);
  ASSERT_TRUE(net.wait([&] { return quiet.received.size() >= ping.size(); }));
  ASSERT_EQ(share.stats().active, 2u);

  // The busy client sends every 100 ms for 2.5 s (past two timeouts, with room for a loaded
  // machine's pauses); the quiet one sends nothing.
  for (int i = 0; i < 25; ++i) {
    busy.conn->write(ping);
    net.settle(100);
  }
  EXPECT_TRUE(net.wait([&] { return share.stats().idle_closed >= 1; }, 5000))
      << "the idle pipe was kept";
  EXPECT_EQ(share.stats().idle_closed, 1u);
  EXPECT_EQ(share.stats().active, 1u);
  EXPECT_FALSE(busy.closed);
  // The client hears that its connection ended.
  EXPECT_TRUE(net.wait([&] { return quiet.closed; }, 5000));
  bool said_idle = false;
  for (const auto& e : net.events)
    said_idle |= e.kind == tunnel::Event::closed && e.code == Errc::idle_timeout;
  EXPECT_TRUE(said_idle);

  // The busy pipe still works.
  const std::size_t before = busy.received.size();
  busy.conn->write(ping);
  EXPECT_TRUE(net.wait([&] { return busy.received.size() > before; }));
  busy.conn->destroy();
  net.settle(50);
  quiet.conn.reset();
  busy.conn.reset();
  net.settle(10);
}

// Issue 15 item 6: every handshake made the share keep a stream, a Noise state and a reply
// keyed by the whole message for 10-40 s, without limit. Now at most max_pending wait; the
// oldest makes room, a retry is still answered the same, and an honest client gets through.
TEST(HostileShare, HandshakeFloodsKeepBoundedState) {
  std::deque<Shaker> shakers;
  int answered = 0;
  std::optional<Bytes> first_reply, retry_reply;
  std::vector<std::unique_ptr<hyperdht::Connection>> accepted;
  Attempt honest;
  ShareNet net;
  hyperdht::Server::Options o;
  o.max_pending = 4;
  o.max_cached_replies = 16;
  hyperdht::Server server(
      *net.share_dht, net.share_key, o,
      [&](std::unique_ptr<hyperdht::Connection> c) { accepted.push_back(std::move(c)); });
  bool up = false;
  server.listen([&](Status st) { up = st.ok(); });
  ASSERT_TRUE(net.wait([&] { return up; }));

  constexpr int kFlood = 12;
  std::optional<Bytes> oldest_reply, oldest_retry;
  for (int i = 0; i < kFlood; ++i) {
    shakers.emplace_back(net.share_key.public_key, 1000 + i);
    send_handshake(net, shakers.back(), answered,
                   i == kFlood - 1 ? &first_reply : (i == 0 ? &oldest_reply : nullptr));
  }
  ASSERT_TRUE(net.wait([&] { return answered == kFlood; }));
  auto st = server.stats();
  EXPECT_EQ(st.pending, 4u);
  EXPECT_EQ(st.evicted_pending, static_cast<std::uint64_t>(kFlood - 4));
  // Answers outlive the pending entries they made (bounded on their own, max_cached_replies).
  EXPECT_EQ(st.cached_replies, static_cast<std::size_t>(kFlood));

  // The oldest one's retry, its pending entry long evicted, gets its first answer again, not a
  // new handshake: answered anew, a second stream would reach the client's stream with another
  // session's header (seen with 1,000 connections in a burst, e2e.many_connections).
  send_handshake(net, shakers.front(), answered, &oldest_retry);
  ASSERT_TRUE(net.wait([&] { return answered == kFlood + 1; }));
  ASSERT_TRUE(oldest_reply && oldest_retry);
  EXPECT_EQ(*oldest_reply, *oldest_retry);
  EXPECT_EQ(server.stats().evicted_pending, static_cast<std::uint64_t>(kFlood - 4));
  for (const auto& s : shakers) EXPECT_TRUE(s.reply.has_value()) << "every handshake answered";

  // The newest one's retry gets the same reply from the cache, and costs nothing new.
  send_handshake(net, shakers.back(), answered, &retry_reply);
  ASSERT_TRUE(net.wait([&] { return answered == kFlood + 2; }));
  ASSERT_TRUE(first_reply && retry_reply);
  EXPECT_EQ(*first_reply, *retry_reply);
  EXPECT_EQ(server.stats().evicted_pending, static_cast<std::uint64_t>(kFlood - 4));

  // An honest client right after the flood still connects and is handed over.
  net.connect(crypto::KeyPair::random(), honest);
  ASSERT_TRUE(net.wait([&] { return honest.conn != nullptr; }));
  ASSERT_TRUE(net.wait([&] { return accepted.size() == 1; }));
  EXPECT_LE(server.stats().pending, 4u);
  honest.conn.reset();
  accepted.clear();
  net.settle(10);
}

// Holepunch slots are capped the same way, and a slot punches at most kMaxPunchAddresses of
// the addresses a client names (item 4: the list had no cap, so one payload could aim the
// share's probes at any number of hosts). The share believes it is behind a consistent NAT
// because the nodes it asks say so (mirrors), so it offers a holepunch.
TEST(HostileShare, HolepunchSlotsAndPunchedAddressesAreCapped) {
  std::deque<Shaker> shakers;
  std::vector<std::unique_ptr<udx::Socket>> targets;
  std::vector<int> hits;
  std::vector<std::unique_ptr<Mirror>> mirrors;
  int answered = 0;
  ShareNet net;
  hyperdht::Server::Options o;
  o.max_slots = 3;
  hyperdht::Server server(*net.share_dht, net.share_key, o, [](auto) {});
  bool up = false;
  server.listen([&](Status st) { up = st.ok(); });
  ASSERT_TRUE(net.wait([&] { return up; }));

  const dht::Address outside = *dht::Address::parse("11.0.0.5", 4000);
  int pinged = 0;
  for (int i = 0; i < 8; ++i) {
    mirrors.push_back(std::make_unique<Mirror>(*net.udx, outside));
    net.share_dht->node().request(dht::from_udx(mirrors.back()->sock.local_address()), dht::kPing,
                                  true, std::nullopt, std::nullopt,
                                  [&](const dht::Reply* r) { pinged += r != nullptr; });
  }
  ASSERT_TRUE(net.wait([&] { return pinged == 8; }));
  ASSERT_EQ(net.share_dht->node().sampled_address(), outside);
  ASSERT_EQ(hyperdht::firewall_from_samples(net.share_dht->node().nat_samples()),
            hyperdht::kFirewallConsistent);

  constexpr int kClients = 5;
  for (int i = 0; i < kClients; ++i) {
    shakers.emplace_back(net.share_key.public_key, 2000 + i);
    send_handshake(net, shakers.back(), answered);
  }
  ASSERT_TRUE(net.wait([&] { return answered == kClients; }));
  auto st = server.stats();
  EXPECT_EQ(st.slots, 3u);
  EXPECT_EQ(st.evicted_slots, static_cast<std::uint64_t>(kClients - 3));

  // The newest client asks the share to punch ten addresses of its own.
  Shaker& s = shakers.back();
  ASSERT_TRUE(s.reply && s.reply->holepunch) << "a consistent NAT offers a holepunch";
  for (int i = 0; i < 11; ++i) {
    targets.push_back(std::make_unique<udx::Socket>(*net.udx));
    ASSERT_TRUE(targets.back()->bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    hits.push_back(0);
    targets.back()->on_message([&hits, i](ByteView, const udx::Address&) { ++hits[i]; });
  }
  hyperdht::HolepunchPayload hp;
  hp.firewall = hyperdht::kFirewallConsistent;
  hp.punching = true;
  hp.addresses = std::vector<dht::Address>{};
  for (int i = 1; i < 11; ++i) hp.addresses->push_back(dht::from_udx(targets[i]->local_address()));
  hyperdht::SecurePayload secure(s.noise->result().hash);
  hyperdht::Holepunch msg{hyperdht::kModeFromRelayForServer, s.reply->holepunch->first,
                          secure.encrypt(hp), dht::from_udx(targets[0]->local_address())};
  net.client_dht->node().request(net.share_dht->node().local_address(), hyperdht::kPeerHolepunch,
                                 false, crypto::blake2b_256(net.share_key.public_key),
                                 hyperdht::encode(msg), nullptr);
  // The first probe round (the share's next tick) punches every address the slot kept, and
  // each later round the same ones: once the cap's worth are hit, one over it would have been
  // hit in that same round. So the test waits for the round, not for a stretch of time.
  auto punched = [&] {
    int n = 0;
    for (int i = 1; i < 11; ++i) n += hits[i] > 0;
    return n;
  };
  const int cap = static_cast<int>(limits::kMaxPunchAddresses);
  EXPECT_TRUE(net.wait([&] { return hits[0] > 0 && punched() >= cap; }))
      << "the client's own address and its first addresses are punched";
  net.settle(10);  // what that round sent is read
  EXPECT_EQ(punched(), cap);
  targets.clear();
  mirrors.clear();
}

namespace {

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

}  // namespace

// Item 2: behind a randomizing NAT a share opened 256 birthday sockets for every handshake, so
// four strangers' handshakes used up a 1024-descriptor limit. At most max_birthday_sets sets
// are open at once; a client over it is still answered, without them.
TEST(HostileShare, BirthdaySocketSetsAreCapped) {
  in_own_network([] {
    std::deque<Shaker> shakers;
    std::vector<std::unique_ptr<Mirror>> mirrors;
    ShareNet net;
    hyperdht::Server server(*net.share_dht, net.share_key, {}, [](auto) {});
    bool up = false;
    server.listen([&](Status st) { up = st.ok(); });
    ASSERT_TRUE(net.wait([&] { return up; }));
    // The nodes see us on one public host at a new port each time: a randomizing NAT.
    int pinged = 0;
    for (std::uint16_t i = 0; i < 8; ++i) {
      mirrors.push_back(
          std::make_unique<Mirror>(*net.udx, *dht::Address::parse("11.0.0.5", 4000 + i)));
      net.share_dht->node().request(dht::from_udx(mirrors.back()->sock.local_address()), dht::kPing,
                                    true, std::nullopt, std::nullopt,
                                    [&](const dht::Reply* r) { pinged += r != nullptr; });
    }
    ASSERT_TRUE(net.wait([&] { return pinged == 8; }));
    ASSERT_EQ(hyperdht::firewall_from_samples(net.share_dht->node().nat_samples()),
              hyperdht::kFirewallRandom);

    const std::size_t fds_before = open_descriptors();
    const auto target = crypto::blake2b_256(net.share_key.public_key);
    constexpr int kClients = 4;
    for (int i = 0; i < kClients; ++i) {
      shakers.emplace_back(net.share_key.public_key, 3000 + i);
      // As a DHT node relays it: the client's public address (unreachable in this namespace).
      hyperdht::Handshake hs{hyperdht::kModeFromRelayForServer, shakers.back().msg1,
                             *dht::Address::parse("11.0.0.9", static_cast<std::uint16_t>(5000 + i)),
                             std::nullopt};
      net.client_dht->node().request(net.share_dht->node().local_address(),
                                     hyperdht::kPeerHandshake, false, target, hyperdht::encode(hs),
                                     nullptr);
    }
    ASSERT_TRUE(net.wait([&] {
      const auto st = server.stats();
      return st.pending == static_cast<std::size_t>(kClients);
    }));
    const auto st = server.stats();
    EXPECT_EQ(st.birthday_sets, limits::kServerMaxBirthdaySets);
    EXPECT_EQ(st.birthday_skipped, kClients - limits::kServerMaxBirthdaySets);
    const std::size_t opened = open_descriptors() - fds_before;
    EXPECT_GE(opened, limits::kServerMaxBirthdaySets * hyperdht::kBirthdaySockets);
    EXPECT_LT(opened, (limits::kServerMaxBirthdaySets + 1) * hyperdht::kBirthdaySockets);
    mirrors.clear();
  });
}

// Item 6: a handshake offering a relay (relayThrough) makes the share pair there, a connect
// through the DHT of its own. At most max_relay_pairings run at once; over it the client is
// answered without our half of the pairing.
TEST(HostileShare, RelayPairingsUnderWayAreCapped) {
  std::deque<Shaker> shakers;
  int answered = 0;
  ShareNet net;
  hyperdht::Server::Options o;
  o.max_relay_pairings = 2;
  o.pair_relay = relay::pairer();
  hyperdht::Server server(*net.share_dht, net.share_key, o, [](auto) {});
  bool up = false;
  server.listen([&](Status st) { up = st.ok(); });
  ASSERT_TRUE(net.wait([&] { return up; }));
  // Sent together, so the share reads them in one batch, before any pairing can end.
  for (int i = 0; i < 4; ++i) {
    hyperdht::RelayThrough via{1, crypto::KeyPair::random().public_key, {}};
    shakers.emplace_back(net.share_key.public_key, 5000 + i, via);
    send_handshake(net, shakers.back(), answered);
  }
  ASSERT_TRUE(net.wait([&] { return answered == 4; }));
  for (const auto& s : shakers) EXPECT_TRUE(s.reply.has_value()) << "every client is answered";
  EXPECT_EQ(server.stats().relay_skipped, 2u);
  // Nobody runs those relays: the pairings fail and give their places back.
  EXPECT_TRUE(net.wait([&] { return server.stats().relay_pairings == 0; }));
}
