#include "dht/messages.hpp"

#include "crypto/hash.hpp"

namespace peerport::dht {

NodeId node_id(const Address& a) {
  enc::Writer w(6);
  w.ipv4(a);
  return crypto::blake2b_256(w.bytes());
}

bool closer(const NodeId& target, const NodeId& a, const NodeId& b) {
  for (std::size_t i = 0; i < target.size(); ++i) {
    std::uint8_t da = a[i] ^ target[i];
    std::uint8_t db = b[i] ^ target[i];
    if (da != db) return da < db;
  }
  return false;
}

Bytes encode(const Request& r) {
  enc::Writer w(128);
  w.uint8(kRequestType);
  w.uint((r.id ? 1 : 0) | (r.token ? 2 : 0) | (r.internal ? 4 : 0) | (r.target ? 8 : 0) |
         (r.value ? 16 : 0));
  w.uint16(r.tid).ipv4(r.to);
  if (r.id) w.fixed(*r.id);
  if (r.token) w.fixed(*r.token);
  w.uint(r.command);
  if (r.target) w.fixed(*r.target);
  if (r.value) w.buffer(*r.value);
  return std::move(w).take();
}

Bytes encode(const Response& r) {
  enc::Writer w(128 + 6 * r.closer_nodes.size());
  w.uint8(kResponseType);
  w.uint((r.id ? 1 : 0) | (r.token ? 2 : 0) | (!r.closer_nodes.empty() ? 4 : 0) |
         (r.error > 0 ? 8 : 0) | (r.value ? 16 : 0));
  w.uint16(r.tid).ipv4(r.to);
  if (r.id) w.fixed(*r.id);
  if (r.token) w.fixed(*r.token);
  if (!r.closer_nodes.empty()) {
    w.uint(r.closer_nodes.size());
    for (const auto& a : r.closer_nodes) w.ipv4(a);
  }
  if (r.error > 0) w.uint(r.error);
  if (r.value) w.buffer(*r.value);
  return std::move(w).take();
}

std::optional<Request> decode_request(ByteView d) {
  if (d.size() < 2 || d[0] != kRequestType) return std::nullopt;
  enc::Reader rd(d.subspan(1));
  Request r;
  const auto flags = rd.uint();
  r.tid = rd.uint16();
  r.to = rd.ipv4();
  if (flags & 1) r.id = rd.fixed<32>();
  if (flags & 2) r.token = rd.fixed<32>();
  r.internal = (flags & 4) != 0;
  r.command = rd.uint();
  if (flags & 8) r.target = rd.fixed<32>();
  if (flags & 16) {
    auto v = rd.buffer();
    r.value = Bytes(v.begin(), v.end());
  }
  if (!rd.ok()) return std::nullopt;
  return r;
}

std::optional<Response> decode_response(ByteView d) {
  if (d.size() < 2 || d[0] != kResponseType) return std::nullopt;
  enc::Reader rd(d.subspan(1));
  Response r;
  const auto flags = rd.uint();
  r.tid = rd.uint16();
  r.to = rd.ipv4();
  if (flags & 1) r.id = rd.fixed<32>();
  if (flags & 2) r.token = rd.fixed<32>();
  if (flags & 4) {
    const std::size_t n = rd.array_length(6);
    r.closer_nodes.reserve(n);
    for (std::size_t i = 0; i < n; ++i) r.closer_nodes.push_back(rd.ipv4());
  }
  if (flags & 8) r.error = rd.uint();
  if (flags & 16) {
    auto v = rd.buffer();
    r.value = Bytes(v.begin(), v.end());
  }
  if (!rd.ok()) return std::nullopt;
  return r;
}

}  // namespace peerport::dht
