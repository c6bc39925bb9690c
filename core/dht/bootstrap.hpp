#pragma once
// Bootstrap lists as hyperdht writes them: "host:port" or "ip@host:port" (the ip saves a DNS
// lookup), comma-separated; "none" for a new network. Names are resolved here, synchronously,
// so call this before the engine loop starts, not on it.

#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "dht/messages.hpp"

namespace peerport::dht {

// hyperdht 6.34 lib/constants.js BOOTSTRAP_NODES.
inline constexpr std::string_view kPublicBootstrap =
    "88.99.3.86@node1.hyperdht.org:49737,142.93.90.113@node2.hyperdht.org:49737,"
    "138.68.147.8@node3.hyperdht.org:49737";

Result<std::vector<Address>> parse_bootstrap(std::string_view list);

}  // namespace peerport::dht
