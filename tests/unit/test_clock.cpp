// core/common/clock.hpp: the ManualClock and uvx::Timer on it (order, repeats, stops, a timer
// destroyed by its own callback), and a DHT node's retry schedule on it, to the millisecond.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/run_until.hpp"
#include "common/clock.hpp"
#include "common/uv.hpp"
#include "dht/node.hpp"

using namespace peerport;

namespace {

// A loop that is never run for time: the ManualClock's timers need none.
struct Loop {
  uv_loop_t loop{};
  Loop() { uv_loop_init(&loop); }
  ~Loop() {
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

}  // namespace

TEST(ManualClock, TimersFireInDueOrderAtTheirDueTime) {
  Loop l;
  ManualClock clock;
  const Clock c(&l.loop, &clock);
  std::vector<std::string> fired;
  uvx::Timer a(c), b(c), d(c);
  const std::uint64_t t0 = clock.now_ms();
  a.start(30, [&] { fired.push_back("a@" + std::to_string(clock.now_ms() - t0)); });
  b.start(10, [&] { fired.push_back("b@" + std::to_string(clock.now_ms() - t0)); });
  d.start(10, [&] { fired.push_back("d@" + std::to_string(clock.now_ms() - t0)); });
  EXPECT_EQ(a.due_in(), 30u);
  EXPECT_EQ(clock.next_due_in(), 10u);
  clock.advance(9);
  EXPECT_TRUE(fired.empty());
  EXPECT_TRUE(b.active());
  clock.advance(100);
  EXPECT_EQ(fired, (std::vector<std::string>{"b@10", "d@10", "a@30"}));
  EXPECT_EQ(clock.now_ms() - t0, 109u);
  EXPECT_FALSE(a.active());
  EXPECT_EQ(clock.armed(), 0u);
}

TEST(ManualClock, RepeatsKeepTheirCadenceAndStopStops) {
  Loop l;
  ManualClock clock;
  const Clock c(&l.loop, &clock);
  int ticks = 0;
  uvx::Timer t(c);
  t.start(
      5, [&] { ++ticks; }, 20);
  clock.advance(5);
  EXPECT_EQ(ticks, 1);
  clock.advance(200);  // 25, 45, ..., 205: ten more
  EXPECT_EQ(ticks, 11);
  // A restart replaces the schedule.
  t.start(
      7, [&] { ticks += 100; }, 0);
  clock.advance(6);
  EXPECT_EQ(ticks, 11);
  clock.advance(1);
  EXPECT_EQ(ticks, 111);
  EXPECT_FALSE(t.active());
  t.start(
      1, [&] { ++ticks; }, 1);
  t.stop();
  clock.advance(1000);
  EXPECT_EQ(ticks, 111);
}

TEST(ManualClock, ACallbackMayDestroyItsTimerAndArmOthers) {
  Loop l;
  ManualClock clock;
  const Clock c(&l.loop, &clock);
  auto self = std::make_unique<uvx::Timer>(c);
  uvx::Timer later(c);
  std::vector<int> order;
  self->start(
      10,
      [&] {
        order.push_back(1);
        self.reset();  // gone inside its own callback, repeat and all
        later.start(5, [&] { order.push_back(2); });
      },
      10);
  clock.advance(100);  // `later` falls due inside the same advance: it fires in it
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(clock.armed(), 0u);
}

// uvx::after on a manual clock: fires once at its time, and one still pending goes with the
// clock (under ASan a leak here fails the run).
TEST(ManualClock, AfterFiresOnceAtItsTimeAndPendingOnesGoWithTheClock) {
  Loop l;
  int fired = 0;
  {
    ManualClock clock;
    const Clock c(&l.loop, &clock);
    uvx::after(c, 500, [&] { ++fired; });
    uvx::after(c, 5000, [&] { fired += 100; });  // never reached
    clock.advance(499);
    EXPECT_EQ(fired, 0);
    clock.advance(1);
    EXPECT_EQ(fired, 1);
    clock.advance(1000);
    EXPECT_EQ(fired, 1);
    EXPECT_EQ(clock.armed(), 1u);
  }
  EXPECT_EQ(fired, 1);
}

TEST(ManualClock, WithoutOneTheClockIsTheLoops) {
  Loop l;
  const Clock c(&l.loop);
  uv_update_time(&l.loop);
  EXPECT_EQ(c.now_ms(), uv_now(&l.loop));
  EXPECT_EQ(c.manual(), nullptr);
}

// A DHT request to a node that never answers (dht-rpc's fixed timeout: adaptive off): sent, then
// retried at 1, 2 and 3 s, and given up at 4 s, the callback told so; each time the node's 50 ms
// tick reaches the deadline, not a tick later or sooner.
TEST(DhtOnAManualClock, AnUnansweredRequestIsRetriedThenTimesOutOnSchedule) {
  Loop l;
  ManualClock clock;
  uv_timer_t deadline;
  uv_timer_init(&l.loop, &deadline);
  {
    udx::Udx udx(Clock(&l.loop, &clock));
    udx::Socket silent(udx);  // swallows the requests, answers nothing
    ASSERT_TRUE(silent.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    std::size_t received = 0;
    silent.on_message([&](ByteView, const udx::Address&) { ++received; });
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.adaptive_timeout = false;
    o.request_timeout_ms = 1000;
    o.retries = 3;
    dht::Node node(udx, o);
    ASSERT_TRUE(node.start().ok());
    bool timed_out = false;
    node.request(dht::from_udx(silent.local_address()), dht::kPing, true, std::nullopt,
                 std::nullopt, [&](const dht::Reply* r) { timed_out = r == nullptr; });
    auto wait_received = [&](std::size_t n) {
      EXPECT_TRUE(test::run_until(
          &l.loop, &deadline, [&] { return received >= n; }, 10000));
      EXPECT_EQ(received, n);
    };
    wait_received(1);
    for (std::uint64_t retry = 1; retry <= 3; ++retry) {
      clock.advance(999);
      EXPECT_EQ(node.stats().retries, retry - 1) << "retry " << retry << " came early";
      clock.advance(1);
      EXPECT_EQ(node.stats().retries, retry) << "no retry at " << retry << " s";
      wait_received(retry + 1);
    }
    clock.advance(999);
    EXPECT_FALSE(timed_out) << "gave up early";
    clock.advance(1);
    EXPECT_TRUE(timed_out);
    EXPECT_EQ(node.stats().timeouts, 1u);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
}
