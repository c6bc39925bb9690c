#pragma once
// What every tunnel (TCP or UDP, sharing or connecting side) reports to its owner.

#include <cstdint>
#include <functional>
#include <string>

namespace peerport::tunnel {

struct Stats {
  std::uint64_t bytes_in = 0;   // from the peer to the local side
  std::uint64_t bytes_out = 0;  // from the local side to the peer
  std::uint64_t connections = 0;
  std::uint64_t active = 0;
  std::uint64_t dropped = 0;    // UDP datagrams dropped: a congested tunnel or a full socket
  std::uint32_t rtt_ms = 0;     // smoothed round-trip time of the busiest recent connection
};

struct Event {
  enum Kind { opened, closed, error, retrying } kind = opened;
  std::string peer;     // the remote public key, hex
  std::string message;  // for errors, retries and closes
};
using EventFn = std::function<void(const Event&)>;

}  // namespace peerport::tunnel
