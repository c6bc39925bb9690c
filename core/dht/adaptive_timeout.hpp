#pragma once
// Per-destination request timeouts from measured round trips (dht-rpc's adaptive-timeout
// 1.x, which dht-rpc 6.27 uses when configured): each address keeps a smoothed RTT and its
// deviation (1/8 and 1/4 gains, as TCP's RTO estimator); a request's timeout is
// (avg + 2 * deviation) * attempt plus jitter, clamped to [min, max]. Unknown addresses get an
// exponential schedule. Memory is bounded: entries expire and the table has a size cap.

#include <cstdint>
#include <map>
#include <string>

namespace peerport::dht {

class AdaptiveTimeout {
 public:
  struct Options {
    std::uint32_t min_ms = 300;
    std::uint32_t max_ms = 4000;
    std::uint32_t jitter_ms = 256;
    std::size_t max_entries = 65536;
    std::uint64_t max_age_ms = 10 * 60 * 1000;
  };
  AdaptiveTimeout() = default;
  explicit AdaptiveTimeout(Options o) : o_(o) {}

  // attempt counts from 1; `random` is any 32-bit random number (injected for tests).
  std::uint32_t get(const std::string& key, int attempt, std::uint32_t random,
                    std::uint64_t now) const;
  void put(const std::string& key, std::uint32_t rtt_ms, std::uint64_t now);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::int64_t avg = 0;
    std::int64_t variance = 0;
    std::uint64_t at = 0;
  };
  Options o_;
  std::map<std::string, Entry> entries_;
};

}  // namespace peerport::dht
