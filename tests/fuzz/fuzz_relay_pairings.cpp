// libFuzzer target: a relay's pairing bookkeeping (relay::Pairings, behind RelayServer's PAIR
// and UNPAIR handlers) driven by sequences of what hostile sessions can do: PAIR halves under a
// few tokens, duplicates, UNPAIR, sessions ending, time passing, and the relay running out of
// room for links. After every step the indexes must agree and the limits hold; a match must
// join one half of each kind, and a session that ended must never come back in a match.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_check.hpp"
#include "relay/pairings.hpp"

namespace {

using namespace peerport::relay;

constexpr int kSessions = 6;
constexpr int kTokens = 12;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  Pairings::Limits limits;
  limits.per_session = 1 + data[0] % 4;
  limits.max_pending = 1 + data[1] % 8;
  limits.timeout_ms = 1000;
  Pairings p(limits);
  std::array<int, kSessions> sessions{};  // their addresses are the handles
  std::array<bool, kSessions> ended{};
  std::uint64_t now = 0;
  bool room = true;
  for (std::size_t i = 2; i + 1 < size; i += 2) {
    const std::uint8_t op = data[i];
    const std::uint8_t arg = data[i + 1];
    const int s = arg % kSessions;
    const std::string token(1, static_cast<char>('a' + (arg >> 3) % kTokens));
    switch (op % 6) {
      case 0:
      case 1: {               // PAIR: op bit 3 initiator
        if (ended[s]) break;  // an ended session sends nothing more
        const bool initiator = op & 8;
        const std::size_t before = p.size();
        Pairings::Match m;
        const auto out = p.pair(&sessions[s], token, initiator, op >> 4, now, room, &m);
        if (out == Pairings::Outcome::matched) {
          FUZZ_CHECK(p.size() + 1 == before);
          for (const auto& h : m.sides) {
            FUZZ_CHECK(h.session != nullptr);
            const auto idx = static_cast<int*>(h.session) - sessions.data();
            FUZZ_CHECK(idx >= 0 && idx < kSessions && !ended[static_cast<std::size_t>(idx)]);
          }
          FUZZ_CHECK(m.sides[initiator ? 1 : 0].session == &sessions[s]);
        } else if (out == Pairings::Outcome::waiting) {
          FUZZ_CHECK(p.size() == before + 1);
        } else {
          FUZZ_CHECK(p.size() == before);
        }
        break;
      }
      case 2:
        (void)p.unpair(token);
        break;
      case 3:
        p.end_session(&sessions[s]);
        ended[s] = true;
        FUZZ_CHECK(p.waiting_for(&sessions[s]) == 0);
        break;
      case 4:
        now += arg * 10;
        (void)p.expire(now);
        break;
      case 5:
        room = arg & 1;
        break;
    }
    FUZZ_CHECK(p.consistent());
  }
  return 0;
}
