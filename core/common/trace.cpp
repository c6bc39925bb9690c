#include "common/trace.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace peerport::trace {
namespace {
const auto kStart = std::chrono::steady_clock::now();
}

bool enabled() {
  static const bool on = [] {
    const char* v = std::getenv("PEERPORT_TRACE");
    return v && *v && *v != '0';
  }();
  return on;
}

void log(const char* fmt, ...) {
  static std::mutex mu;  // the engine thread and the front end may both trace
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - kStart)
                      .count();
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "[trace %7lld ms] %s\n", static_cast<long long>(ms), line);
}

}  // namespace peerport::trace
