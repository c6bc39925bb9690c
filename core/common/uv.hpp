#pragma once
// libuv handles owned by one C++ object: the destructor closes the handle and libuv's close
// callback frees it, so an owner may go at any time, even inside the handle's own callback.

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>

#include "common/clock.hpp"

namespace peerport::uvx {

// Closes a libuv handle and frees it once libuv is done with it. A handle that was never
// initialised (no loop yet) is freed at once. Its data pointer is cleared first, so a callback
// already queued for it finds no owner.
struct CloseAndFree {
  template <class T>
  void operator()(T* h) const {
    static_assert(std::is_standard_layout_v<T>, "a libuv handle type");
    auto* handle = reinterpret_cast<uv_handle_t*>(h);
    handle->data = nullptr;
    if (handle->loop == nullptr) {
      delete h;
      return;
    }
    uv_close(handle, [](uv_handle_t* x) { delete reinterpret_cast<T*>(x); });
  }
};

// An owned libuv handle (uv_tcp_t, uv_udp_t, uv_idle_t, ...): initialise it with uv_*_init on
// get(); the owner may go at any time, also inside the handle's own callback.
template <class T>
using Handle = std::unique_ptr<T, CloseAndFree>;

template <class T>
Handle<T> make_handle() {
  return Handle<T>(new T{});  // zeroed: loop == nullptr until initialised
}

// Calls fn once, on the loop's next iteration (after the current callbacks unwind): for work
// that must not run inside the callback that asked for it, such as deleting its caller.
inline void defer(uv_loop_t* loop, std::function<void()> fn) {
  struct Deferred {
    uv_idle_t idle;
    std::function<void()> fn;
  };
  auto* d = new Deferred{{}, std::move(fn)};
  uv_idle_init(loop, &d->idle);
  d->idle.data = d;
  uv_idle_start(&d->idle, [](uv_idle_t* h) {
    auto* me = static_cast<Deferred*>(h->data);
    uv_idle_stop(h);
    auto call = std::move(me->fn);
    uv_close(reinterpret_cast<uv_handle_t*>(h),
             [](uv_handle_t* x) { delete static_cast<Deferred*>(x->data); });
    call();
  });
}

// Calls fn once after `ms`, with no owner to cancel it: fn checks for itself (a Lifetime token)
// that what it touches is still there.
inline void after(uv_loop_t* loop, std::uint64_t ms, std::function<void()> fn) {
  struct Pending {
    uv_timer_t timer;
    std::function<void()> fn;
  };
  auto* d = new Pending{{}, std::move(fn)};
  uv_timer_init(loop, &d->timer);
  d->timer.data = d;
  uv_timer_start(
      &d->timer,
      [](uv_timer_t* h) {
        auto* me = static_cast<Pending*>(h->data);
        auto call = std::move(me->fn);
        uv_close(reinterpret_cast<uv_handle_t*>(h),
                 [](uv_handle_t* x) { delete static_cast<Pending*>(x->data); });
        call();
      },
      ms, 0);
}

}  // namespace peerport::uvx
namespace peerport {
void adopt_one_shot(ManualClock& clock, std::uint64_t ms, std::function<void()> fn);
}  // namespace peerport
namespace peerport::uvx {

// after() on a Clock: on a ManualClock, fn runs when the test's time reaches it.
inline void after(const Clock& clock, std::uint64_t ms, std::function<void()> fn) {
  if (clock.manual()) return adopt_one_shot(*clock.manual(), ms, std::move(fn));
  after(clock.loop(), ms, std::move(fn));
}

// Deletes an object on the loop's next iteration (see defer).
template <class T>
void defer_delete(uv_loop_t* loop, std::unique_ptr<T> p) {
  if (!p) return;
  T* raw = p.release();
  defer(loop, [raw] { delete raw; });
}

// The one liveness token: an object owns a Lifetime, and callbacks that may outlive the object
// hold its token() and check alive() (or expired()) before touching it.
class Lifetime {
 public:
  using Token = std::weak_ptr<const void>;
  operator Token() const { return flag_; }  // NOLINT(google-explicit-constructor)
  // Expires every token now, before the owner's members go (call first in a destructor, so
  // callbacks its teardown triggers find it gone).
  void end() { flag_.reset(); }

 private:
  std::shared_ptr<const void> flag_ = std::make_shared<int>(0);
};

// A timer on a Clock: a libuv timer, or on a ManualClock one that fires when the test advances
// time. fn may destroy the Timer.
class Timer {
 public:
  explicit Timer(uv_loop_t* loop) : Timer(Clock(loop)) {}
  explicit Timer(const Clock& clock) : manual_(clock.manual()) {
    if (manual_) return;
    h_ = new uv_timer_t;
    uv_timer_init(clock.loop(), h_);
    h_->data = this;
  }
  ~Timer() {
    if (!h_) {
      stop();
      return;
    }
    h_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(h_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Calls fn after `ms`, then every `repeat` ms if that is not 0. fn may destroy this Timer.
  void start(std::uint64_t ms, std::function<void()> fn, std::uint64_t repeat = 0) {
    fn_ = std::move(fn);
    if (manual_) {
      stop();
      repeat_ = repeat;
      arm(manual_->now_us() + ms * 1000);
      return;
    }
    uv_timer_start(
        h_,
        [](uv_timer_t* t) {
          auto* self = static_cast<Timer*>(t->data);
          if (!self) return;
          auto call = self->fn_;  // a copy: the call may destroy the Timer and its fn_
          call();
        },
        ms, repeat);
  }
  void stop() {
    if (!manual_) {
      uv_timer_stop(h_);
    } else if (armed_) {
      manual_->disarm(key_);
      armed_ = false;
    }
  }
  bool active() const {
    return manual_ ? armed_ : uv_is_active(reinterpret_cast<const uv_handle_t*>(h_)) != 0;
  }
  // Milliseconds from now until the timer is due; 0 once that time has passed.
  std::uint64_t due_in() const {
    if (!manual_) return uv_timer_get_due_in(h_);
    if (!armed_ || key_.first <= manual_->now_us()) return 0;
    return (key_.first - manual_->now_us() + 999) / 1000;
  }

 private:
  friend class peerport::ManualClock;
  void arm(std::uint64_t due_us) {
    key_ = manual_->arm(this, due_us);
    armed_ = true;
  }
  // ManualClock::advance_us, with the clock at our due time and our entry already gone.
  void fire() {
    armed_ = false;
    if (repeat_ != 0) arm(key_.first + repeat_ * 1000);  // re-armed before the call, as libuv
    auto call = fn_;  // a copy: the call may destroy the Timer and its fn_
    call();
  }

  uv_timer_t* h_ = nullptr;  // libuv's clock only
  ManualClock* manual_;
  ManualClock::Key key_{};
  std::uint64_t repeat_ = 0;
  bool armed_ = false;
  std::function<void()> fn_;
};

}  // namespace peerport::uvx
