#pragma once
// What share and connect have in common: an Engine on its own thread, its events printed as
// text or JSON lines, and a main thread that waits for SIGINT/SIGTERM (or for the one share
// or connection to fail) and then stops the engine within a bounded time.
#include <uv.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/engine.hpp"

namespace peerport::cli {

class Printer : public engine::EngineListener {
 public:
  explicit Printer(bool json) : json_(json) {}
  void on_event(const engine::Event& e) override;
  // Asks the main thread to end with this exit code (first call wins).
  void finish(int code);
  int exit_code() const { return exit_code_; }
  bool finished() const { return finished_; }
  // Extra handling per event (e.g. connect remembers its port); runs before printing.
  std::function<void(const engine::Event&)> hook;

  void print(const nlohmann::json& j, const std::string& text);

 private:
  bool json_;
  std::mutex mu_;
  std::atomic<bool> finished_{false};
  std::atomic<int> exit_code_{0};
  std::uint64_t ticks_ = 0;
};

// The main thread's wait: a small libuv loop of its own with uv_signal_t for SIGINT and
// SIGTERM (Ctrl+C and Ctrl+Break on a Windows console), the same code on every OS. Make it
// before the engine starts, so that an early signal is kept.
class StopWaiter {
 public:
  StopWaiter();
  ~StopWaiter();
  StopWaiter(const StopWaiter&) = delete;
  StopWaiter& operator=(const StopWaiter&) = delete;
  // Waits for a stop signal or printer.finish(), stops the engine; returns the exit code.
  int run_until_done(engine::Engine& engine, Printer& printer);

 private:
  uv_loop_t loop_;
  uv_signal_t sigint_;
  uv_signal_t sigterm_;
  uv_timer_t poll_;
  Printer* printer_ = nullptr;
  bool signalled_ = false;
};

}  // namespace peerport::cli
