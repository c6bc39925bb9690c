#include "dht/adaptive_timeout.hpp"

#include <algorithm>
#include <array>

namespace peerport::dht {

namespace {
// adaptive-timeout's TimeoutExponential: slow start, rapid backoff, for addresses never timed.
constexpr std::array<std::uint32_t, 5> kFallback = {250, 500, 1000, 2000, 4000};
}  // namespace

std::uint32_t AdaptiveTimeout::get(const std::string& key, int attempt, std::uint32_t random,
                                   std::uint64_t now) const {
  const std::uint32_t jitter = o_.jitter_ms ? random % o_.jitter_ms : 0;
  attempt = std::max(attempt, 1);
  auto it = entries_.find(key);
  if (it == entries_.end() || now - it->second.at > o_.max_age_ms) {
    const auto i =
        std::min<std::size_t>(static_cast<std::size_t>(attempt - 1), kFallback.size() - 1);
    return kFallback[i] + jitter;
  }
  const std::int64_t base = it->second.avg + it->second.variance * 2;
  const std::int64_t value = base * attempt + jitter;
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(value, o_.min_ms, o_.max_ms));
}

void AdaptiveTimeout::put(const std::string& key, std::uint32_t rtt_ms, std::uint64_t now) {
  auto it = entries_.find(key);
  const auto v = static_cast<std::int64_t>(rtt_ms);
  if (it == entries_.end() || now - it->second.at > o_.max_age_ms) {
    if (it == entries_.end() && entries_.size() >= o_.max_entries) {
      // Full: the stalest entry makes room (a scan, but only when full).
      auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                     [](auto& a, auto& b) { return a.second.at < b.second.at; });
      entries_.erase(oldest);
    }
    entries_[key] = Entry{v, v / 2, now};
    return;
  }
  Entry& e = it->second;
  e.variance += ((v > e.avg ? v - e.avg : e.avg - v) - e.variance) / 4;
  e.avg += (v - e.avg) / 8;
  e.at = now;
}

}  // namespace peerport::dht
