#include "hyperdht/holepunch.hpp"

#include <sodium.h>
#include <uv.h>

#include <cstring>
#include <map>
#include <set>

namespace peerport::hyperdht {

SecurePayload::SecurePayload(ByteView handshake_hash) {
  auto s = crypto::blake2b_256(crypto::hyperdht_ns().peer_holepunch, handshake_hash);
  std::copy(s.begin(), s.end(), shared_.data());
  randombytes_buf(local_.data(), 32);
}

Bytes SecurePayload::encrypt(const HolepunchPayload& p) const {
  const Bytes plain = encode(p);
  Bytes out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, plain.data(), plain.size(),
                        out.data(), shared_.data());
  return out;
}

std::optional<HolepunchPayload> SecurePayload::decrypt(ByteView wire) const {
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (wire.size() <= kOverhead) return std::nullopt;
  Bytes plain(wire.size() - kOverhead);
  if (crypto_secretbox_open_easy(plain.data(), wire.data() + crypto_secretbox_NONCEBYTES,
                                 wire.size() - crypto_secretbox_NONCEBYTES, wire.data(),
                                 shared_.data()) != 0) {
    return std::nullopt;
  }
  return decode_holepunch_payload(plain);
}

FixedBytes<32> SecurePayload::token(const dht::Address& a) const {
  const std::string host = a.host_string();
  return crypto::blake2b_256(as_bytes(host), local_.view());
}

bool is_private(const dht::Address& a) {
  const auto& ip = a.host;
  return ip[0] == 10 || (ip[0] == 100 && ip[1] >= 64 && ip[1] <= 127) || ip[0] == 127 ||
         (ip[0] == 169 && ip[1] == 254) || (ip[0] == 172 && ip[1] >= 16 && ip[1] <= 31) ||
         (ip[0] == 192 && ip[1] == 168);
}

bool is_reserved(const dht::Address& a) {
  const auto& ip = a.host;
  return ip[0] == 0 || (ip[0] == 192 && ip[1] == 0 && ip[2] == 0) ||
         (ip[0] == 192 && ip[1] == 0 && ip[2] == 2) ||
         (ip[0] == 198 && ip[1] >= 18 && ip[1] <= 19) ||
         (ip[0] == 198 && ip[1] == 51 && ip[2] == 100) ||
         (ip[0] == 203 && ip[1] == 0 && ip[2] == 113) || ip[0] >= 224;
}

std::uint64_t firewall_from_samples(const std::vector<dht::Address>& samples) {
  if (samples.size() < 2) return kFirewallUnknown;
  std::map<std::string, std::set<std::uint16_t>> ports;
  for (const auto& s : samples) ports[s.host_string()].insert(s.port);
  std::size_t best = 0;
  std::size_t best_ports = 0;
  for (const auto& [host, set] : ports) {
    std::size_t n = 0;
    for (const auto& s : samples) n += s.host_string() == host;
    if (n > best) {
      best = n;
      best_ports = set.size();
    }
  }
  if (best < 2) return kFirewallUnknown;
  return best_ports == 1 ? kFirewallConsistent : kFirewallRandom;
}

std::vector<dht::Address> local_addresses(const dht::Address& bound) {
  if (bound.host != FixedBytes<4>{}) return {bound};
  std::vector<dht::Address> out;
  uv_interface_address_t* list = nullptr;
  int count = 0;
  if (uv_interface_addresses(&list, &count) != 0) return out;
  for (int i = 0; i < count; ++i) {
    if (list[i].is_internal || list[i].address.address4.sin_family != AF_INET) continue;
    dht::Address a;
    std::memcpy(a.host.data(), &list[i].address.address4.sin_addr, 4);
    a.port = bound.port;
    out.push_back(a);
  }
  uv_free_interface_addresses(list, count);
  return out;
}

std::optional<dht::Address> match_address(const std::vector<dht::Address>& ours,
                                          const std::vector<dht::Address>& theirs) {
  std::optional<dht::Address> best;
  int best_len = 0;
  for (const auto& t : theirs) {
    for (const auto& o : ours) {
      int n = 0;
      while (n < 3 && o.host[n] == t.host[n]) ++n;
      if (n > best_len) {
        best_len = n;
        best = t;
      }
    }
  }
  return best;
}

std::vector<std::unique_ptr<udx::Socket>> open_birthday_sockets(udx::Udx& udx,
                                                                const dht::Address& toward,
                                                                PunchOnSocket on_punch) {
  std::vector<std::unique_ptr<udx::Socket>> out;
  const std::uint8_t byte = kPunch;
  for (std::size_t i = 0; i < kBirthdaySockets; ++i) {
    auto s = std::make_unique<udx::Socket>(udx);
    if (!s->bind(*udx::Address::parse("0.0.0.0", 0))) break;  // out of descriptors: fewer
    udx::Socket* raw = s.get();
    s->on_message([raw, on_punch](ByteView d, const udx::Address& from) {
      if (d.size() <= 1 && on_punch) on_punch(*raw, dht::from_udx(from));
    });
    (void)s->send_ttl(ByteView(&byte, 1), dht::to_udx(toward), kSessionTtl);
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<dht::Address> first_public(const std::vector<dht::Address>& addresses) {
  for (const auto& a : addresses) {
    if (!is_bogon(a)) return a;
  }
  return std::nullopt;
}

dht::Address random_port_of(const dht::Address& host) {
  dht::Address a = host;
  a.port = static_cast<std::uint16_t>(1000 + randombytes_uniform(64536));
  return a;
}

}  // namespace peerport::hyperdht
