// core/udx timing on a ManualClock (common/clock.hpp): keep-alive cadence, the RTO and its
// back-off, the tail loss probe and RACK's reordering window, each checked to the millisecond.
// Packets still cross real loopback sockets; only time is the test's. A wait for a packet is
// bounded by a real deadline that never decides a result: the manual clock does not move while
// the loop waits, so load only makes a test slower.
#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "../support/run_until.hpp"
#include "common/clock.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;

namespace {

// Stream `a` (id 1) on a manual clock, and a raw socket playing its peer (id 2), so the test
// decides what the stream receives and when.
struct Timed {
  uv_loop_t loop{};
  uv_timer_t deadline{};
  ManualClock clock;  // before everything that arms timers on it: outlives them
  std::unique_ptr<Udx> udx;
  std::unique_ptr<Socket> sa;
  std::unique_ptr<Socket> raw;
  std::unique_ptr<Stream> a;
  std::optional<Status> closed;
  std::vector<Header> seen;  // every UDX packet the peer got, in order

  Timed() {
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<Udx>(Clock(&loop, &clock));
    sa = std::make_unique<Socket>(*udx);
    raw = std::make_unique<Socket>(*udx);
    const auto lo = *Address::parse("127.0.0.1", 0);
    EXPECT_TRUE(sa->bind(lo).ok());
    EXPECT_TRUE(raw->bind(lo).ok());
    raw->on_message([this](ByteView d, const Address&) {
      if (auto p = parse(d)) seen.push_back(p->header);
    });
    Stream::Callbacks cb;
    cb.on_close = [this](const Status& s) { closed = s; };
    a = std::make_unique<Stream>(*udx, 1, std::move(cb));
    EXPECT_TRUE(a->connect(*sa, 2, raw->local_address()).ok());
  }
  ~Timed() {
    a.reset();
    raw.reset();
    sa.reset();
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }

  // Runs the loop (I/O only: the clock stands still) until `done`, at most 10 s of real time.
  bool until(const std::function<bool()>& done) {
    return test::run_until(&loop, &deadline, done, 10000);
  }
  // Sends a packet from the peer and waits until the stream has taken it in.
  void send(const Header& h) {
    Bytes d(kHeaderSize);
    write_header(d.data(), h);
    const std::uint64_t before = a->stats().packets_received;
    ASSERT_TRUE(raw->send(d, sa->local_address()).ok());
    ASSERT_TRUE(until([&] { return a->stats().packets_received > before; }));
  }
  std::size_t count(std::uint8_t type) const {
    std::size_t n = 0;
    for (const auto& h : seen) n += (h.type & type) ? 1 : 0;
    return n;
  }
  std::size_t times_sent(std::uint32_t seq) const {
    std::size_t n = 0;
    for (const auto& h : seen) n += (h.type & kData) && h.seq == seq;
    return n;
  }
  // Waits until the peer has seen `n` transmissions of `seq`, then checks that no more came.
  void expect_sent(std::uint32_t seq, std::size_t n) {
    EXPECT_TRUE(until([&] { return times_sent(seq) >= n; })) << "seq " << seq;
    EXPECT_EQ(times_sent(seq), n) << "seq " << seq;
  }
  // The peer's packet acking everything below `ack`, with a window of 1 MiB.
  void ack(std::uint32_t acked) { send({0, 0, 1, 1 << 20, 0, acked}); }
};

Header peer_header(std::uint8_t type, std::uint32_t ack) {
  return {type, 0, 1, 1 << 20, 0, ack};
}

}  // namespace

TEST(UdxTiming, KeepaliveSendsOneHeartbeatPerPeriodExactly) {
  Timed t;
  t.a->set_keepalive(20);
  t.clock.advance(19);
  EXPECT_EQ(t.a->stats().heartbeats_sent, 0u) << "a heartbeat before the period was up";
  t.clock.advance(1);
  EXPECT_EQ(t.a->stats().heartbeats_sent, 1u);
  t.clock.advance(180);  // 200 ms idle: one every 20 ms, no more, no fewer
  EXPECT_EQ(t.a->stats().heartbeats_sent, 10u);
  // They really left, and nothing else crosses an idle stream.
  EXPECT_TRUE(t.until([&] { return t.count(kHeartbeat) >= 10; }));
  EXPECT_EQ(t.count(kHeartbeat), 10u);
  EXPECT_EQ(t.seen.size(), 10u);
  // Switched off, they stop.
  t.a->set_keepalive(0);
  t.clock.advance(1000);
  EXPECT_EQ(t.a->stats().heartbeats_sent, 10u);
}

TEST(UdxTiming, KeepaliveStaysQuietWhileDataIsInFlight) {
  Timed t;
  t.a->set_keepalive(20);
  ASSERT_TRUE(t.a->write(Bytes(100, 7)));
  t.expect_sent(0, 1);
  t.clock.advance(100);  // unacked data keeps the path warm by itself
  EXPECT_EQ(t.a->stats().heartbeats_sent, 0u);
  t.ack(1);
  t.clock.advance(20);
  EXPECT_EQ(t.a->stats().heartbeats_sent, 1u);
}

// With no RTT measured the RTO is 1 s (RFC 6298 2.1), doubling at each expiry up to 30 s; after
// kMaxRtoStrikes (6) back-offs the next expiry closes the stream: 1+2+4+8+16+30+30 = 91 s.
TEST(UdxTiming, RtoFiresOnTimeBacksOffAndTimesTheStreamOut) {
  Timed t;
  ASSERT_TRUE(t.a->write(Bytes(100, 7)));
  t.expect_sent(0, 1);
  std::uint64_t elapsed = 0;
  const std::uint64_t schedule[] = {1000, 2000, 4000, 8000, 16000, 30000};
  for (std::size_t i = 0; i < std::size(schedule); ++i) {
    t.clock.advance(schedule[i] - 1);
    EXPECT_EQ(t.a->stats().rto_fires, i) << "the RTO came early, " << elapsed << " ms in";
    t.clock.advance(1);
    elapsed += schedule[i];
    EXPECT_EQ(t.a->stats().rto_fires, i + 1) << "no RTO at " << elapsed << " ms";
    t.expect_sent(0, i + 2);  // each expiry resends the packet
  }
  t.clock.advance(29999);
  EXPECT_FALSE(t.closed) << "closed before the seventh expiry";
  t.clock.advance(1);
  ASSERT_TRUE(t.closed);
  EXPECT_EQ(t.closed->error().code, Errc::timed_out);
  EXPECT_EQ(t.a->stats().tail_loss_probes, 0u);  // no RTT measured: no probe before the RTO
}

// After a 10 ms RTT the RTO is its floor of 200 ms. A write goes unanswered: two smoothed RTTs
// later the tail loss probe resends it, and the RTO, re-armed by the probe, waits its 200 ms.
TEST(UdxTiming, TailLossProbeAtTwoRttsThenTheRtoAtItsFloor) {
  Timed t;
  ASSERT_TRUE(t.a->write(Bytes(100, 7)));
  t.expect_sent(0, 1);
  t.clock.advance(10);
  t.ack(1);
  EXPECT_EQ(t.a->stats().srtt_ms, 10u);
  EXPECT_EQ(t.a->stats().rto_ms, 200u);
  ASSERT_TRUE(t.a->write(Bytes(100, 8)));
  t.expect_sent(1, 1);
  t.clock.advance(19);
  EXPECT_EQ(t.a->stats().tail_loss_probes, 0u) << "probed before two RTTs";
  t.clock.advance(1);
  EXPECT_EQ(t.a->stats().tail_loss_probes, 1u);
  t.expect_sent(1, 2);
  t.clock.advance(199);
  EXPECT_EQ(t.a->stats().rto_fires, 0u) << "the 200 ms RTO fired early";
  t.clock.advance(1);
  EXPECT_EQ(t.a->stats().rto_fires, 1u);
  t.expect_sent(1, 3);
}

// RACK (RFC 8985): ten packets, a 40 ms RTT; 0 and 2 arrive, 1 does not. The hole is resent a
// quarter of the min RTT (10 ms) after the packet above it was delivered, not sooner (it may
// only be reordered) and not at the RTO.
TEST(UdxTiming, RackResendsAHoleAfterAQuarterOfTheMinRtt) {
  Timed t;
  t.send(peer_header(0, 0));  // the peer's first packet: the stream knows it is there
  ASSERT_TRUE(t.a->write(Bytes(10 * Stream::kMaxPayload, 7)));
  t.expect_sent(9, 1);
  t.clock.advance(40);
  t.ack(1);
  Bytes sack(8);
  sack[0] = 2;  // SACK [2, 3), little-endian
  sack[4] = 3;
  Bytes d(kHeaderSize + sack.size());
  write_header(d.data(), peer_header(kSack, 1));
  std::copy(sack.begin(), sack.end(), d.begin() + kHeaderSize);
  const std::uint64_t before = t.a->stats().packets_received;
  ASSERT_TRUE(t.raw->send(d, t.sa->local_address()).ok());
  ASSERT_TRUE(t.until([&] { return t.a->stats().packets_received > before; }));
  EXPECT_EQ(t.a->stats().retransmits, 0u) << "resent inside the reordering window";
  t.clock.advance(9);
  EXPECT_EQ(t.a->stats().retransmits, 0u) << "resent before a quarter of the min RTT";
  t.clock.advance(1);
  EXPECT_EQ(t.a->stats().retransmits, 1u);
  t.expect_sent(1, 2);
  EXPECT_EQ(t.a->stats().rto_fires, 0u);
  for (std::uint32_t s = 3; s < 10; ++s) EXPECT_EQ(t.times_sent(s), 1u) << "seq " << s;
}
