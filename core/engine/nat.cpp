#include "engine/nat.hpp"

#include <uv.h>

#include <algorithm>
#include <cstring>
#include <map>

namespace peerport::engine {

std::vector<dht::Address> own_addresses() {
  std::vector<dht::Address> out;
  uv_interface_address_t* list = nullptr;
  int count = 0;
  if (uv_interface_addresses(&list, &count) != 0) return out;
  for (int i = 0; i < count; ++i) {
    if (list[i].address.address4.sin_family != AF_INET) continue;
    dht::Address a;
    std::memcpy(a.host.data(), &list[i].address.address4.sin_addr, 4);
    out.push_back(a);
  }
  uv_free_interface_addresses(list, count);
  return out;
}

std::string_view nat_type_name(NatType t) {
  switch (t) {
    case NatType::unknown:
      return "unknown";
    case NatType::open:
      return "open";
    case NatType::consistent:
      return "consistent";
    case NatType::random:
      return "random";
    case NatType::firewalled:
      return "firewalled";
    case NatType::offline:
      return "offline";
    case NatType::udp_blocked:
      return "udp-blocked";
  }
  return "unknown";
}

NatType classify_nat(const std::vector<dht::Address>& samples, const dht::Address& local,
                     bool bootstrapped, std::size_t nodes,
                     const std::vector<dht::Address>& interfaces) {
  if (bootstrapped && nodes == 0) return NatType::offline;
  if (samples.size() < 2) return NatType::unknown;
  // The most common host, and how many ports nodes saw on it.
  std::map<std::string, std::vector<std::uint16_t>> by_host;
  for (const auto& s : samples) by_host[s.host_string()].push_back(s.port);
  auto best = std::max_element(by_host.begin(), by_host.end(),
                               [](auto& a, auto& b) { return a.second.size() < b.second.size(); });
  auto ports = best->second;
  std::sort(ports.begin(), ports.end());
  const bool one_port = ports.front() == ports.back();
  if (!one_port) return NatType::random;
  const auto mine = interfaces.empty() ? own_addresses() : interfaces;
  const bool own_host = std::any_of(mine.begin(), mine.end(), [&](const dht::Address& a) {
    return a.host_string() == best->first;
  });
  if (own_host && ports.front() == local.port) return NatType::open;
  return NatType::consistent;
}

}  // namespace peerport::engine
