// The share's punch schedule on a ManualClock (common/clock.hpp), checked to the tick: random
// probes toward a randomizing client (30 a tick for 10 s, then 5 a tick to 30 s, then none),
// probes toward a consistent client (one a second for 10 s), and the cap on clients probed at
// once. The handshake and the holepunch messages are real, over real sockets, through a real
// DHT; only time is the test's, so load can make these tests slower but never changes a count.
// Each runs in a network namespace of its own: random probes go to random ports of a host.
#include <gtest/gtest.h>

#include <deque>

#include "../support/share_net.hpp"
#include "common/limits.hpp"
#include "hyperdht/holepunch.hpp"

using namespace peerport;
using namespace peerport::test;

namespace {

constexpr std::uint64_t kTick = hyperdht::kPunchTickMs;

// A share that believes it is behind a consistent NAT (its samples come from mirrors), so
// handshakes are offered a holepunch, on a network whose every timer is on `clock`.
struct PunchNet {
  std::deque<Shaker> shakers;
  std::vector<std::unique_ptr<Mirror>> mirrors;
  ShareNet net;
  hyperdht::Server server;
  udx::Socket relay;  // plays the DHT node that relays the clients' punch rounds

  explicit PunchNet(ManualClock& clock)
      : net(&clock), server(*net.share_dht, net.share_key, {}, [](auto) {}), relay(*net.udx) {
    EXPECT_TRUE(relay.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    bool up = false;
    server.listen([&](Status st) { up = st.ok(); });
    EXPECT_TRUE(net.wait([&] { return up; }));
    int pinged = 0;
    for (int i = 0; i < 8; ++i) {
      mirrors.push_back(std::make_unique<Mirror>(*net.udx, *dht::Address::parse("11.0.0.5", 4000)));
      net.share_dht->node().request(dht::from_udx(mirrors.back()->sock.local_address()), dht::kPing,
                                    true, std::nullopt, std::nullopt,
                                    [&](const dht::Reply* r) { pinged += r != nullptr; });
    }
    EXPECT_TRUE(net.wait([&] { return pinged == 8; }));
    EXPECT_EQ(hyperdht::firewall_from_samples(net.share_dht->node().nat_samples()),
              hyperdht::kFirewallConsistent);
  }
  ~PunchNet() { mirrors.clear(); }

  // `n` clients shake hands; the share opens a slot (and starts its punch timer) for each.
  void shake_hands(int n) {
    int answered = 0;
    for (int i = 0; i < n; ++i) {
      shakers.emplace_back(net.share_key.public_key, static_cast<std::uint32_t>(7000 + i));
      send_handshake(net, shakers.back(), answered);
    }
    ASSERT_TRUE(net.wait([&] { return answered == n; }));
    for (const auto& s : shakers) ASSERT_TRUE(s.reply && s.reply->holepunch);
  }
  // Client `i` asks the share to punch (round 1), and the share has answered.
  void ask_to_punch(std::size_t i, std::uint64_t firewall, const dht::Address& peer,
                    std::vector<dht::Address> addresses = {}) {
    Shaker& s = shakers[i];
    hyperdht::HolepunchPayload hp;
    hp.firewall = firewall;
    hp.punching = true;
    if (!addresses.empty()) hp.addresses = std::move(addresses);
    hyperdht::SecurePayload secure(s.noise->result().hash);
    hyperdht::Holepunch msg{hyperdht::kModeFromRelayForServer, s.reply->holepunch->first,
                            secure.encrypt(hp), peer};
    // Sent as a DHT node relays it; the share answers toward that node, with a FROM_SERVER
    // holepunch under the same tid: the sign it has taken the round in.
    dht::Request req;
    req.tid = static_cast<std::uint16_t>(100 + i);
    req.to = net.share_dht->node().local_address();
    req.command = hyperdht::kPeerHolepunch;
    req.target = crypto::blake2b_256(net.share_key.public_key);
    req.value = hyperdht::encode(msg);
    bool answered = false;
    relay.on_message([&](ByteView d, const udx::Address&) {
      auto back = dht::decode_request(d);
      answered = answered || (back && back->tid == req.tid);
    });
    ASSERT_TRUE(relay.send(dht::encode(req), dht::to_udx(req.to)).ok());
    ASSERT_TRUE(net.wait([&] { return answered; })) << "the share answered the punch round";
    relay.on_message([](ByteView, const udx::Address&) {});
  }
  // Lets the loop read what has arrived (loopback delivers during the send itself).
  void drain() {
    for (int i = 0; i < 3; ++i) uv_run(&net.loop, UV_RUN_NOWAIT);
  }
};

}  // namespace

// A randomizing client (its NAT opened many mappings): the share sends to random ports of its
// host, 30 a tick for the first 100 ticks, then 5 a tick until 300 ticks (30 s), then stops.
TEST(PunchTiming, RandomProbesFollowTheScheduleThenStop) {
  in_own_network([] {
    ManualClock clock;
    PunchNet p(clock);
    p.shake_hands(1);
    p.ask_to_punch(0, hyperdht::kFirewallRandom, *dht::Address::parse("11.0.0.9", 6000));
    // The punch timer started with the slot, at this very time (the clock has not moved).
    clock.advance(kTick - 1);
    EXPECT_EQ(p.server.stats().random_probes, 0u) << "no probe before the first tick";
    const auto fast = static_cast<std::uint64_t>(hyperdht::kRandomProbesPerTick);
    const auto slow = static_cast<std::uint64_t>(hyperdht::kSlowRandomProbesPerTick);
    const auto fast_ticks = static_cast<std::uint64_t>(hyperdht::kFastRandomProbeTicks);
    clock.advance(1);
    EXPECT_EQ(p.server.stats().random_probes, fast) << "the first tick";
    EXPECT_EQ(p.server.stats().random_probing, 1u);
    for (std::uint64_t tick = 2; tick <= 300; ++tick) {
      clock.advance(kTick);
      p.drain();
      const std::uint64_t want =
          tick <= fast_ticks ? tick * fast : fast_ticks * fast + (tick - fast_ticks) * slow;
      ASSERT_EQ(p.server.stats().random_probes, want) << "after tick " << tick;
    }
    EXPECT_EQ(p.server.stats().random_probes, 4000u) << "3,000 in 10 s, then 1,000 in 20 s";
    clock.advance(kTick);
    EXPECT_EQ(p.server.stats().random_probes, 4000u) << "probing stops at 30 s";
    EXPECT_EQ(p.server.stats().random_probing, 0u);
  });
}

// A consistent client: one 0x00 when it asks, then one a second both to where its relay saw it
// and to an address it gave on that host, on ticks 1, 11, ... 91 of the slot's punch budget of
// 10 s, then nothing.
TEST(PunchTiming, ConsistentProbesOncePerSecondForTenSeconds) {
  in_own_network([] {
    ManualClock clock;
    PunchNet p(clock);
    struct Target {
      udx::Socket sock;
      std::size_t hits = 0;
      explicit Target(udx::Udx& u) : sock(u) {
        EXPECT_TRUE(sock.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
        sock.on_message([this](ByteView d, const udx::Address&) {
          hits += d.size() == 1 && d[0] == hyperdht::kPunch;
        });
      }
      dht::Address address() const { return dht::from_udx(sock.local_address()); }
    };
    Target seen(*p.net.udx), given(*p.net.udx);
    p.shake_hands(1);
    p.ask_to_punch(0, hyperdht::kFirewallConsistent, seen.address(), {given.address()});
    // Waits for what was sent, then checks that no more came.
    auto expect_hits = [&](std::size_t at_seen, std::size_t at_given, std::uint64_t ms) {
      EXPECT_TRUE(p.net.wait([&] { return seen.hits >= at_seen && given.hits >= at_given; }, 10000))
          << "at " << ms << " ms";
      p.drain();
      EXPECT_EQ(seen.hits, at_seen) << "where its relay saw it, at " << ms << " ms";
      EXPECT_EQ(given.hits, at_given) << "the address it gave, at " << ms << " ms";
    };
    expect_hits(1, 0, 0);  // the answer to its round comes with a punch
    std::uint64_t now = 0;
    for (std::size_t second = 0; second < 10; ++second) {
      const std::uint64_t due = second * 1000 + kTick;
      clock.advance(due - 1 - now);
      expect_hits(1 + second, second, due - 1);
      clock.advance(1);
      now = due;
      expect_hits(2 + second, 1 + second, due);
    }
    clock.advance(30000 - now);
    expect_hits(11, 10, 30000);
    EXPECT_EQ(p.server.stats().random_probes, 0u);
  });
}

// At most kMaxRandomProbingSlots randomizing clients are probed at once, each at the full rate:
// after ten ticks exactly 10 x 4 x 30 probes, never more, however many clients ask.
TEST(PunchTiming, AtMostFourRandomizingClientsAreProbedAtOnce) {
  in_own_network([] {
    ManualClock clock;
    PunchNet p(clock);
    constexpr int kClients = 6;
    p.shake_hands(kClients);
    for (std::size_t i = 0; i < kClients; ++i) {
      p.ask_to_punch(i, hyperdht::kFirewallRandom,
                     *dht::Address::parse("11.0.0.9", static_cast<std::uint16_t>(6000 + i)));
    }
    clock.advance(10 * kTick);
    const auto st = p.server.stats();
    EXPECT_EQ(st.slots, static_cast<std::size_t>(kClients));
    EXPECT_EQ(st.random_probing, static_cast<std::size_t>(limits::kMaxRandomProbingSlots));
    EXPECT_EQ(st.random_probes, 10u * limits::kMaxRandomProbingSlots *
                                    static_cast<std::uint64_t>(hyperdht::kRandomProbesPerTick));
  });
}
