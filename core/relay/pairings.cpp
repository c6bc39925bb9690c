#include "relay/pairings.hpp"

namespace peerport::relay {

Pairings::Outcome Pairings::pair(Session s, const std::string& token, bool initiator,
                                 std::uint64_t remote_id, std::uint64_t now, bool room_for_link,
                                 Match* out) {
  const int side = initiator ? 1 : 0;
  auto it = waiting_.find(token);
  if (it == waiting_.end()) {
    if (!room_for_link || waiting_for(s) >= limits_.per_session ||
        waiting_.size() >= limits_.max_pending) {
      return Outcome::refused;
    }
    Entry e;
    e.sides[side] = {s, remote_id};
    e.created = now;
    waiting_.emplace(token, e);
    by_session_[s].insert(token);
    return Outcome::waiting;
  }
  if (it->second.sides[side].session) return Outcome::duplicate;
  if (!room_for_link) return Outcome::refused;
  Match m;
  m.sides[side] = {s, remote_id};
  m.sides[1 - side] = it->second.sides[1 - side];
  erase(it);
  if (out) *out = m;
  return Outcome::matched;
}

bool Pairings::unpair(const std::string& token) {
  auto it = waiting_.find(token);
  if (it == waiting_.end()) return false;
  erase(it);
  return true;
}

void Pairings::end_session(Session s) {
  auto sit = by_session_.find(s);
  if (sit == by_session_.end()) return;
  const std::set<std::string> tokens = sit->second;
  for (const auto& t : tokens) {
    if (auto it = waiting_.find(t); it != waiting_.end()) erase(it);
  }
  by_session_.erase(s);
}

std::size_t Pairings::expire(std::uint64_t now) {
  std::size_t n = 0;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto next = std::next(it);
    if (now - it->second.created > limits_.timeout_ms) {
      erase(it);
      ++n;
    }
    it = next;
  }
  return n;
}

std::size_t Pairings::waiting_for(Session s) const {
  auto it = by_session_.find(s);
  return it == by_session_.end() ? 0 : it->second.size();
}

void Pairings::erase(std::map<std::string, Entry>::iterator it) {
  for (const Half& h : it->second.sides) {
    if (!h.session) continue;
    auto sit = by_session_.find(h.session);
    if (sit == by_session_.end()) continue;
    sit->second.erase(it->first);
    if (sit->second.empty()) by_session_.erase(sit);
  }
  waiting_.erase(it);
}

bool Pairings::consistent() const {
  if (waiting_.size() > limits_.max_pending) return false;
  std::size_t listed = 0;
  for (const auto& [s, tokens] : by_session_) {
    if (!s || tokens.empty() || tokens.size() > limits_.per_session) return false;
    for (const auto& t : tokens) {
      auto it = waiting_.find(t);
      if (it == waiting_.end()) return false;
      if (it->second.sides[0].session != s && it->second.sides[1].session != s) return false;
    }
    listed += tokens.size();
  }
  std::size_t expected = 0;
  for (const auto& [t, e] : waiting_) {
    // A waiting pairing has exactly one half: the second one matches it away.
    if ((e.sides[0].session != nullptr) == (e.sides[1].session != nullptr)) return false;
    for (const Half& h : e.sides) {
      if (!h.session) continue;
      auto sit = by_session_.find(h.session);
      if (sit == by_session_.end() || !sit->second.count(t)) return false;
      ++expected;
    }
  }
  return listed == expected;
}

}  // namespace peerport::relay
