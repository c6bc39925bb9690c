#pragma once
// What kind of network we are on, from how DHT nodes see our address (dht-rpc's nat-sampler
// and hyperdht's FIREWALL classification, in PeerPort's words for users):
//   open        nodes see one of our own interface addresses, on the port we bound
//   consistent  every node sees the same public address and port (an "easy" NAT: punchable)
//   random      nodes see the same host on different ports (a "hard", randomizing NAT)
//   offline     bootstrapped, yet no node answers
//   unknown     fewer than two nodes have answered
//   firewalled  open by its address, but answers sent to a port of ours that never sent
//               anything do not arrive (dht-rpc's PING_NAT check, Node::check_firewall)
// "open" is only reported once that check has passed.

#include <vector>

#include "dht/messages.hpp"
#include "engine/engine.hpp"

namespace peerport::engine {

// `interfaces`: our own IPv4 addresses (empty: ask the system).
NatType classify_nat(const std::vector<dht::Address>& samples, const dht::Address& local,
                     bool bootstrapped, std::size_t nodes,
                     const std::vector<dht::Address>& interfaces = {});

std::string_view nat_type_name(NatType t);  // "open", "consistent", ...

// Our IPv4 interface addresses, to notice a network switch.
std::vector<dht::Address> own_addresses();

}  // namespace peerport::engine
