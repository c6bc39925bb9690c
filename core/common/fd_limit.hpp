#pragma once
// The process's open-descriptor limit. Every tunnel holds descriptors (a local socket on the
// connecting side, a socket to the service on the sharing side), and desktop sessions start
// programs with a soft limit of 1024 while allowing far more: a share of a thousand connections
// would run out long before its own caps.
#include <cstdint>

namespace peerport {

struct FdLimit {
  std::uint64_t before = 0;  // the soft limit we were started with (0: unknown, e.g. Windows)
  std::uint64_t now = 0;     // the soft limit after raising it as far as the OS allows
};

// Raises the soft limit to the hard limit (at most kFdLimitWanted); never lowers it.
FdLimit raise_fd_limit();

// What we ask for: enough for the largest caps a user can set with room to spare, without
// asking a kernel for millions of descriptors it would then account for.
inline constexpr std::uint64_t kFdLimitWanted = 65536;

}  // namespace peerport
