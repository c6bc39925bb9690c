#pragma once
// Tells "UDP is blocked here" from "offline" when no DHT node answers: a TCP connect to the
// bootstrap hosts (their DHT port, and 443) that is accepted or actively refused proves the
// hosts are reachable over IP, so it is UDP that does not get through. Timeouts and
// unreachable networks on every try mean we are offline.
#include <uv.h>

#include <functional>
#include <memory>
#include <vector>

#include "common/uv.hpp"
#include "dht/messages.hpp"

namespace peerport::engine {

// How long each TCP try may take before it counts as no answer.
inline constexpr std::uint64_t kReachabilityTimeoutMs = 3000;

class ReachabilityProbe {
 public:
  // done(true): some bootstrap host answered over TCP. Called once, on the loop's thread, at
  // most kReachabilityTimeoutMs after start; never after the probe is destroyed.
  static std::shared_ptr<ReachabilityProbe> start(uv_loop_t* loop,
                                                  const std::vector<dht::Address>& hosts,
                                                  std::function<void(bool)> done);
  ~ReachabilityProbe();
  ReachabilityProbe(const ReachabilityProbe&) = delete;
  ReachabilityProbe& operator=(const ReachabilityProbe&) = delete;
  void cancel();

 private:
  ReachabilityProbe() = default;
  struct Try;
  void finish(bool reachable);
  std::vector<Try*> tries_;
  std::unique_ptr<uvx::Timer> timer_;
  std::function<void(bool)> done_;
  std::size_t pending_ = 0;
};

}  // namespace peerport::engine
