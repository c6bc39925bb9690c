#include "common/result.hpp"

namespace peerport {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::ok:
      return "OK";
    case Errc::out_of_bounds:
      return "OUT_OF_BOUNDS";
    case Errc::too_large:
      return "TOO_LARGE";
    case Errc::invalid_value:
      return "INVALID_VALUE";
    case Errc::invalid_key:
      return "INVALID_KEY";
    case Errc::handshake_failed:
      return "HANDSHAKE_FAILED";
    case Errc::decrypt_failed:
      return "DECRYPT_FAILED";
    case Errc::invalid_header:
      return "INVALID_HEADER";
    case Errc::buffer_full:
      return "BUFFER_FULL";
    case Errc::crypto_init_failed:
      return "CRYPTO_INIT_FAILED";
    case Errc::not_connected:
      return "NOT_CONNECTED";
    case Errc::connection_reset:
      return "CONNECTION_RESET";
    case Errc::timed_out:
      return "TIMED_OUT";
    case Errc::destroyed:
      return "DESTROYED";
    case Errc::network_error:
      return "NETWORK_ERROR";
    case Errc::peer_not_found:
      return "PEER_NOT_FOUND";
    case Errc::peer_connection_failed:
      return "PEER_CONNECTION_FAILED";
    case Errc::server_error:
      return "SERVER_ERROR";
    case Errc::server_incompatible:
      return "SERVER_INCOMPATIBLE";
    case Errc::bad_handshake_reply:
      return "BAD_HANDSHAKE_REPLY";
    case Errc::holepunch_probe_timeout:
      return "HOLEPUNCH_PROBE_TIMEOUT";
    case Errc::holepunch_aborted:
      return "HOLEPUNCH_ABORTED";
    case Errc::holepunch_double_randomized_nats:
      return "HOLEPUNCH_DOUBLE_RANDOMIZED_NATS";
    case Errc::holepunch_invalid:
      return "HOLEPUNCH_INVALID";
    case Errc::bad_holepunch_reply:
      return "BAD_HOLEPUNCH_REPLY";
    case Errc::remote_aborted:
      return "REMOTE_ABORTED";
    case Errc::remote_not_holepunching:
      return "REMOTE_NOT_HOLEPUNCHING";
    case Errc::relay_aborted:
      return "RELAY_ABORTED";
    case Errc::relay_unavailable:
      return "RELAY_UNAVAILABLE";
    case Errc::peer_silent:
      return "PEER_SILENT";
    case Errc::service_unreachable:
      return "SERVICE_UNREACHABLE";
    case Errc::idle_timeout:
      return "IDLE_TIMEOUT";
  }
  return "UNKNOWN";
}

}  // namespace peerport
