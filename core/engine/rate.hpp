#pragma once
// Rates from byte counters sampled once per tick, averaged over the last few ticks so a
// display does not flicker (qBittorrent's SpeedMonitor does the same with a ring buffer).

#include <array>
#include <cstdint>

namespace peerport::engine {

class RateMeter {
 public:
  static constexpr std::size_t kWindow = 3;

  void sample(std::uint64_t total_in, std::uint64_t total_out, double seconds) {
    if (primed_ && seconds > 0) {
      // Counters only grow; a smaller value (a reset) counts as no traffic.
      const double din = total_in >= last_in_ ? static_cast<double>(total_in - last_in_) : 0;
      const double dout = total_out >= last_out_ ? static_cast<double>(total_out - last_out_) : 0;
      in_[next_] = din / seconds;
      out_[next_] = dout / seconds;
      next_ = (next_ + 1) % kWindow;
      if (count_ < kWindow) ++count_;
    }
    primed_ = true;
    last_in_ = total_in;
    last_out_ = total_out;
  }
  double rate_in() const { return average(in_); }
  double rate_out() const { return average(out_); }

 private:
  double average(const std::array<double, kWindow>& v) const {
    if (count_ == 0) return 0;
    double sum = 0;
    for (std::size_t i = 0; i < count_; ++i) sum += v[i];
    return sum / static_cast<double>(count_);
  }
  std::array<double, kWindow> in_{};
  std::array<double, kWindow> out_{};
  std::size_t next_ = 0;
  std::size_t count_ = 0;
  std::uint64_t last_in_ = 0;
  std::uint64_t last_out_ = 0;
  bool primed_ = false;
};

}  // namespace peerport::engine
