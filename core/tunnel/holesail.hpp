#pragma once
// The record a holesail server publishes about its service (holesail-server 2.4.0 index.js
// start()/put()): a mutable DHT record under the share's key pair holding the JSON
// {"host": ..., "udp": ..., "port": ...}, refreshed every 50 minutes; seq moves on only when
// the value changes. Clients read it to learn whether to speak TCP or UDP and which local
// port to offer.

#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace peerport::tunnel {

struct ServiceRecord {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool udp = false;
};

Bytes encode_service_record(const ServiceRecord& r);
// Lenient like holesail-client (missing fields keep their defaults) but never throws: text
// that is not a JSON object, or a port outside 0-65535, is an error.
Result<ServiceRecord> parse_service_record(ByteView bytes);

inline constexpr std::uint64_t kServiceRecordRefreshMs = 50ull * 60 * 1000;

}  // namespace peerport::tunnel
