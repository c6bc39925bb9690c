#pragma once
// Runs a test's libuv loop until `done` holds or `ms` pass (on the given deadline timer, which
// the test owns and closes), for single-loop tests that drive real sockets in-process.
#include <uv.h>

#include <cstdint>
#include <functional>

namespace peerport::test {

inline bool run_until(uv_loop_t* loop, uv_timer_t* deadline, const std::function<bool()>& done,
                      std::uint64_t ms) {
  uv_timer_start(
      deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, ms, 0);
  uv_idle_t idle;
  uv_idle_init(loop, &idle);
  idle.data = const_cast<std::function<bool()>*>(&done);
  uv_idle_start(&idle, [](uv_idle_t* h) {
    if ((*static_cast<std::function<bool()>*>(h->data))()) uv_stop(h->loop);
  });
  uv_run(loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&idle), nullptr);
  uv_run(loop, UV_RUN_NOWAIT);
  return done();
}

}  // namespace peerport::test
