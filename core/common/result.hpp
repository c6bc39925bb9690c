#pragma once
// Expected failures travel as values (design.md, "Errors"): a Result holds either a value or an
// Error with a stable code named after hyperdht's lib/errors.js where one exists, plus a sentence
// a user can act on. GCC 12's libstdc++ has no std::expected in C++20 mode, hence this small type.

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
};

std::string_view errc_name(Errc code);

struct Error {
  Errc code = Errc::ok;
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
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

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace peerport
