#pragma once
// Connection tracing for people debugging a slow or failed connect: PEERPORT_TRACE=1 prints
// each step of an attempt (lookup, handshake, punch rounds, relay) to stderr, with the
// milliseconds since the process started. Only stages, codes, counts and network addresses are
// traced: never keys, tokens or payloads.

namespace peerport::trace {

bool enabled();

// C99 formats (%zu, %llu) everywhere: MinGW's own printf (__USE_MINGW_ANSI_STDIO, set by
// core/CMakeLists.txt) formats them, and the check must expect them there too.
#if defined(__MINGW32__)
__attribute__((format(gnu_printf, 1, 2)))
#elif defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 1, 2)))
#endif
void log(const char* fmt, ...);

}  // namespace peerport::trace

#define PP_TRACE(...)                                                      \
  do {                                                                     \
    if (::peerport::trace::enabled()) ::peerport::trace::log(__VA_ARGS__); \
  } while (0)
