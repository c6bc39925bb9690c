#pragma once
// Expected failures (timeouts, a peer's refusal, a malformed packet, a mistyped key) travel as
// values, never as exceptions across libuv callbacks: a Result holds either a value or an Error
// with a stable code named after hyperdht's lib/errors.js where one exists, plus a sentence a
// user can act on (decisions read the code, never the sentence). GCC 12's libstdc++ has no
// std::expected in C++20 mode, hence this small type.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace peerport {

enum class Errc {
  ok = 0,
  // encoding
  out_of_bounds,
  too_large,
  invalid_value,
  // keys and crypto
  invalid_key,
  handshake_failed,
  decrypt_failed,
  invalid_header,
  buffer_full,
  crypto_init_failed,
  // transport
  not_connected,
  connection_reset,  // the peer destroyed the stream (libudx ECONNRESET)
  timed_out,         // no ack progress through repeated retransmission timeouts (ETIMEDOUT)
  destroyed,         // destroyed locally
  network_error,
  // reaching a peer: hyperdht's lib/errors.js names, which errc_name returns
  peer_not_found,          // no node knows the key
  peer_connection_failed,  // found, but no handshake reply or a refusal
  server_error,            // the server answered with an error or no UDX data
  server_incompatible,     // another protocol version
  bad_handshake_reply,
  holepunch_probe_timeout,           // the server's relay stopped answering the probe
  holepunch_aborted,                 // punching did not get through in time
  holepunch_double_randomized_nats,  // both sides behind randomizing NATs
  holepunch_invalid,                 // a holepunch payload that does not decrypt
  bad_holepunch_reply,
  remote_aborted,  // the server stopped its side of the punch
  remote_not_holepunching,
  relay_aborted,  // the blind relay refused, closed or did not pair in time
  // ours
  relay_unavailable,    // punching cannot work and no relay is known
  peer_silent,          // a path was chosen but no packet of the peer's came back on it
  service_unreachable,  // the shared service refused or is down
  idle_timeout,         // nothing moved either way for longer than the idle limit
};

std::string_view errc_name(Errc code);

struct Error {
  Errc code = Errc::ok;
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace peerport
