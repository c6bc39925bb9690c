// ManualClock: the timers a test's time reaches fire in order (common/clock.hpp).
#include "common/clock.hpp"

#include "common/uv.hpp"

namespace peerport {

ManualClock::~ManualClock() {
  one_shots_.clear();  // while queue_ is still there for them to leave
}

void adopt_one_shot(ManualClock& clock, std::uint64_t ms, std::function<void()> fn) {
  auto& list = clock.one_shots_;
  auto it = list.insert(list.end(), std::make_unique<uvx::Timer>(Clock(nullptr, &clock)));
  (*it)->start(ms, [&list, it, fn = std::move(fn)] {
    auto call = fn;  // the Timer, and this lambda with it, go first
    list.erase(it);
    call();
  });
}

void ManualClock::advance_us(std::uint64_t us) {
  const std::uint64_t target = now_us_ + us;
  while (!queue_.empty() && queue_.begin()->first.first <= target) {
    auto it = queue_.begin();
    uvx::Timer* timer = it->second;
    if (it->first.first > now_us_) now_us_ = it->first.first;
    queue_.erase(it);
    timer->fire();  // may arm timers, stop them, or destroy this one
  }
  now_us_ = target;
}

bool ManualClock::advance_to_next() {
  if (queue_.empty()) return false;
  const std::uint64_t due = queue_.begin()->first.first;
  advance_us(due > now_us_ ? due - now_us_ : 0);
  return true;
}

std::optional<std::uint64_t> ManualClock::next_due_in() const {
  if (queue_.empty()) return std::nullopt;
  const std::uint64_t due = queue_.begin()->first.first;
  return due > now_us_ ? (due - now_us_ + 999) / 1000 : 0;
}

}  // namespace peerport
