#pragma once
// A benchmark's targets (the README's and the docs' claims), checked in the run that measured
// them: each prints one line
//   target <bench> <what> <value> (>= | <= | =) <bound> met|MISSED
// which `./dev.sh bench` gathers into one table, and a miss makes the benchmark exit 1.
#include <cstdio>
#include <string>

namespace peerport::bench {

class Targets {
 public:
  explicit Targets(std::string bench) : bench_(std::move(bench)) {}

  // `value` must be at least `bound`; a value that could not be measured (<= 0) misses.
  void at_least(const std::string& what, double value, double bound) {
    report(what, value, ">=", bound, value > 0 && value >= bound);
  }
  void at_most(const std::string& what, double value, double bound) {
    report(what, value, "<=", bound, value > 0 && value <= bound);
  }
  // A run that did not complete is a miss too, so an incomplete benchmark never passes.
  void complete(const std::string& what, bool done) {
    std::printf("target %s %s %s = yes %s\n", bench_.c_str(), what.c_str(), done ? "yes" : "no",
                done ? "met" : "MISSED");
    if (!done) ++misses_;
  }
  int misses() const { return misses_; }
  int exit_code() const { return misses_ == 0 ? 0 : 1; }

 private:
  void report(const std::string& what, double value, const char* op, double bound, bool ok) {
    std::printf("target %s %s %.3g %s %.3g %s\n", bench_.c_str(), what.c_str(), value, op, bound,
                ok ? "met" : "MISSED");
    if (!ok) ++misses_;
  }

  std::string bench_;
  int misses_ = 0;
};

}  // namespace peerport::bench
