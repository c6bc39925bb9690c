#pragma once
// The time seam of core (KeePassXC's Clock/MockClock; docs/architecture.md, "Testing"): what
// time it is, and the timers (uvx::Timer) that fire on that time. A Clock is libuv's loop
// clock unless a ManualClock stands behind it; then time moves only when a test advances it,
// and the timers due fire in order, so keep-alive, RTO, retry and punch schedules are checked
// to the millisecond under any load. I/O still runs on the loop either way.
//
// A Clock is a small value (the loop and, in tests, the ManualClock), handed down from the
// object that owns the time (udx::Udx) to whatever schedules on it. Reading the time costs a
// branch, not a virtual call: the stream reads it several times per packet.

#include <uv.h>

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <utility>

namespace peerport {

namespace uvx {
class Timer;
}

// Time for tests: starts at start_ms and moves only in advance(). Must outlive every Timer
// started on it.
class ManualClock {
 public:
  // Not 0: code that treats 0 as "never" must not see it as a real time.
  static constexpr std::uint64_t kStartMs = 1'000'000;

  explicit ManualClock(std::uint64_t start_ms = kStartMs) : now_us_(start_ms * 1000) {}
  ~ManualClock();
  ManualClock(const ManualClock&) = delete;
  ManualClock& operator=(const ManualClock&) = delete;

  std::uint64_t now_ms() const { return now_us_ / 1000; }
  std::uint64_t now_us() const { return now_us_; }

  // Moves time forward by `ms` (or `us`). Every timer due by then fires in order of its due
  // time (ties: in the order they were started), with the clock set to that due time while it
  // runs; a timer its callback (re)starts fires in the same advance if it falls due within it.
  // A repeating timer is due again `repeat` ms after its due time, as libuv's are.
  void advance(std::uint64_t ms) { advance_us(ms * 1000); }
  void advance_us(std::uint64_t us);
  // Advances to the next due timer and fires it (and any due at the same time); false if no
  // timer is armed.
  bool advance_to_next();

  std::size_t armed() const { return queue_.size(); }
  // Milliseconds (rounded up) until the next timer is due; nullopt if none is armed.
  std::optional<std::uint64_t> next_due_in() const;

 private:
  friend class uvx::Timer;
  using Key = std::pair<std::uint64_t, std::uint64_t>;  // due time in us, order of arming
  Key arm(uvx::Timer* timer, std::uint64_t due_us) {
    Key k{due_us, next_order_++};
    queue_.emplace(k, timer);
    return k;
  }
  void disarm(const Key& k) { queue_.erase(k); }

  std::uint64_t now_us_;
  std::uint64_t next_order_ = 0;
  std::map<Key, uvx::Timer*> queue_;
  // One-shot timers nobody else owns (uvx::after on this clock): each goes when it fires, and
  // any left go with the clock.
  friend void adopt_one_shot(ManualClock&, std::uint64_t, std::function<void()>);
  std::list<std::unique_ptr<uvx::Timer>> one_shots_;
};

// The seam itself: the loop's clock, or a ManualClock's.
class Clock {
 public:
  explicit Clock(uv_loop_t* loop, ManualClock* manual = nullptr) : loop_(loop), manual_(manual) {}

  uv_loop_t* loop() const { return loop_; }
  ManualClock* manual() const { return manual_; }
  // The loop's cached time in ms (uv_now), as libuv timers count it.
  std::uint64_t now_ms() const { return manual_ ? manual_->now_ms() : uv_now(loop_); }
  // The current time in us, read fresh (uv_hrtime), for rate samples finer than the loop's ms.
  std::uint64_t now_us() const { return manual_ ? manual_->now_us() : uv_hrtime() / 1000; }

 private:
  uv_loop_t* loop_;
  ManualClock* manual_;
};

}  // namespace peerport
