#pragma once
// A relay's pairings waiting for their other half (blind-relay 1.6's _pairing map, by token):
// the bookkeeping that PAIR, UNPAIR, a session's end and the relay's sweep drive, with its
// limits, kept apart from the connections and streams so that a hostile peer's sequences of
// messages can be fuzzed without a network (tests/fuzz/fuzz_relay_pairings.cpp). Sessions are
// opaque handles; the relay owns what they point to.
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "common/limits.hpp"

namespace peerport::relay {

class Pairings {
 public:
  using Session = void*;
  struct Limits {
    std::size_t per_session = 16;                        // waiting pairings of one session
    std::size_t max_pending = limits::kRelayMaxPending;  // waiting pairings in all
    std::uint64_t timeout_ms = 30000;                    // how long one may wait
  };
  // One half of a pairing: the session it came on and the id of the peer's own stream.
  struct Half {
    Session session = nullptr;
    std::uint64_t remote_id = 0;
  };
  struct Match {
    Half sides[2];  // [non-initiator, initiator]
  };
  enum class Outcome {
    waiting,    // the first half: kept until the other comes, it expires or is cancelled
    matched,    // the second half: `out` has both, and the pairing is no longer waiting
    duplicate,  // that half is already waiting: ignored, as blind-relay does
    refused,    // over a limit, or `room_for_link` said no: the client's pairing times out
  };

  explicit Pairings(Limits limits) : limits_(limits) {}

  // `room_for_link`: whether the relay could relay one more stream for this session now.
  Outcome pair(Session s, const std::string& token, bool initiator, std::uint64_t remote_id,
               std::uint64_t now, bool room_for_link, Match* out);
  // UNPAIR: the waiting pairing under `token` is dropped. False if none waits.
  bool unpair(const std::string& token);
  // Every pairing the session takes part in is dropped (its other half times out).
  void end_session(Session s);
  // Drops pairings that waited longer than the timeout; returns how many.
  std::size_t expire(std::uint64_t now);

  std::size_t size() const { return waiting_.size(); }
  std::size_t waiting_for(Session s) const;
  // The two indexes agree and every limit holds (tests and the fuzzer check this).
  bool consistent() const;

 private:
  struct Entry {
    Half sides[2];
    std::uint64_t created = 0;
  };
  void erase(std::map<std::string, Entry>::iterator it);

  Limits limits_;
  std::map<std::string, Entry> waiting_;                 // by token
  std::map<Session, std::set<std::string>> by_session_;  // tokens each session waits on
};

}  // namespace peerport::relay
