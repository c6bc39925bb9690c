#include "common/result.hpp"

namespace peerport {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::ok: return "OK";
    case Errc::out_of_bounds: return "OUT_OF_BOUNDS";
    case Errc::too_large: return "TOO_LARGE";
    case Errc::invalid_value: return "INVALID_VALUE";
    case Errc::invalid_key: return "INVALID_KEY";
    case Errc::handshake_failed: return "HANDSHAKE_FAILED";
    case Errc::decrypt_failed: return "DECRYPT_FAILED";
    case Errc::invalid_header: return "INVALID_HEADER";
    case Errc::buffer_full: return "BUFFER_FULL";
    case Errc::crypto_init_failed: return "CRYPTO_INIT_FAILED";
    case Errc::not_connected: return "NOT_CONNECTED";
    case Errc::connection_reset: return "CONNECTION_RESET";
    case Errc::timed_out: return "TIMED_OUT";
    case Errc::destroyed: return "DESTROYED";
    case Errc::network_error: return "NETWORK_ERROR";
  }
  return "UNKNOWN";
}

}  // namespace peerport
