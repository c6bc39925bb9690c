#pragma once
// What every tunnel (TCP or UDP, sharing or connecting side) reports to its owner.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hyperdht/connection.hpp"

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
  // path_changed: a relayed tunnel moved to a direct path (relayed = false).
  enum Kind { opened, closed, error, retrying, path_changed } kind = opened;
  std::string peer;     // the remote public key, hex
  std::string message;  // for errors, retries and closes
  bool relayed = false;  // opened: the tunnel runs through a blind relay
  Errc code = Errc::ok;  // errors and retries: what went wrong, for decisions and translations
};
using EventFn = std::function<void(const Event&)>;

// What a sharing side (TCP or UDP) needs to know about its service and who may reach it.
struct ShareOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // Empty: anyone with the key. Otherwise only these client keys (hypertele's allow list).
  std::vector<crypto::PublicKey> allow;
  // Told about every client the allow list turned away, so the sharer can see refusals.
  std::function<void(const crypto::PublicKey&)> on_refused;
};

// The server options of a share: a firewall admitting only `allow`, when it is not empty.
inline hyperdht::Server::Options share_server_options(
    const std::vector<crypto::PublicKey>& allow,
    std::function<void(const crypto::PublicKey&)> on_refused = nullptr) {
  hyperdht::Server::Options so;
  if (!allow.empty()) {
    so.firewall = [allow, on_refused](const crypto::PublicKey& remote, const dht::Address&) {
      const bool admitted = std::find(allow.begin(), allow.end(), remote) != allow.end();
      if (!admitted && on_refused) on_refused(remote);
      return admitted;
    };
  }
  return so;
}

}  // namespace peerport::tunnel
