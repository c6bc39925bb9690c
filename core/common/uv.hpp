#pragma once
// libuv handles owned by one C++ object: the destructor closes the handle and libuv's close
// callback frees it, so an owner may go at any time, even inside the handle's own callback.

#include <uv.h>

#include <cstdint>
#include <functional>

namespace peerport::uvx {

class Timer {
 public:
  explicit Timer(uv_loop_t* loop) : h_(new uv_timer_t) {
    uv_timer_init(loop, h_);
    h_->data = this;
  }
  ~Timer() {
    h_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(h_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Calls fn after `ms`, then every `repeat` ms if that is not 0. fn may destroy this Timer.
  void start(std::uint64_t ms, std::function<void()> fn, std::uint64_t repeat = 0) {
    fn_ = std::move(fn);
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
  void stop() { uv_timer_stop(h_); }
  bool active() const { return uv_is_active(reinterpret_cast<const uv_handle_t*>(h_)) != 0; }

 private:
  uv_timer_t* h_;
  std::function<void()> fn_;
};

}  // namespace peerport::uvx
