#pragma once
// What share and connect have in common: an Engine on its own thread, its events printed as
// text or JSON lines, and a main thread that waits for SIGINT/SIGTERM (or for the one share
// or connection to fail) and then stops the engine within a bounded time.
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

// Blocks SIGINT/SIGTERM in this thread and every thread started after it: they are taken
// with sigtimedwait by run_until_done, not by whichever thread the kernel picks.
void block_stop_signals();
// Waits for a stop signal or printer.finish(); returns the exit code.
int run_until_done(engine::Engine& engine, Printer& printer);

}  // namespace peerport::cli
