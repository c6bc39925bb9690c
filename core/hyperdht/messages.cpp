#include "hyperdht/messages.hpp"

#include <sodium.h>

#include "crypto/hash.hpp"

namespace peerport::hyperdht {

void encode(enc::Writer& w, const Peer& p) {
  w.fixed(p.public_key).uint(p.relay_addresses.size());
  for (const auto& a : p.relay_addresses) w.ipv4(a);
}

std::optional<Peer> decode_peer(enc::Reader& r) {
  Peer p;
  p.public_key = r.fixed<32>();
  const std::size_t n = r.array_length(6);
  for (std::size_t i = 0; i < n; ++i) p.relay_addresses.push_back(r.ipv4());
  if (!r.ok()) return std::nullopt;
  return p;
}

Bytes encode(const Announce& a) {
  enc::Writer w;
  w.uint((a.peer ? 1 : 0) | (a.refresh ? 2 : 0) | (a.signature ? 4 : 0) | (a.bump ? 8 : 0));
  if (a.peer) encode(w, *a.peer);
  if (a.refresh) w.fixed(*a.refresh);
  if (a.signature) w.fixed(*a.signature);
  if (a.bump) w.uint(a.bump);
  return std::move(w).take();
}

std::optional<Announce> decode_announce(ByteView b) {
  enc::Reader r(b);
  Announce a;
  const auto flags = r.uint();
  if (flags & 1) {
    a.peer = decode_peer(r);
    if (!a.peer) return std::nullopt;
  }
  if (flags & 2) a.refresh = r.fixed<32>();
  if (flags & 4) a.signature = r.fixed<64>();
  if (flags & 8) a.bump = r.uint();
  if (!r.ok()) return std::nullopt;
  return a;
}

Bytes encode(const MutableRecord& m) {
  enc::Writer w;
  w.uint(m.seq).buffer(m.value).fixed(m.signature);
  return std::move(w).take();
}

std::optional<MutableRecord> decode_mutable_record(ByteView b) {
  enc::Reader r(b);
  MutableRecord m;
  m.seq = r.uint();
  auto v = r.buffer();
  m.value.assign(v.begin(), v.end());
  m.signature = r.fixed<64>();
  if (!r.ok()) return std::nullopt;
  return m;
}

Bytes encode(const MutablePut& m) {
  enc::Writer w;
  w.fixed(m.public_key).uint(m.record.seq).buffer(m.record.value).fixed(m.record.signature);
  return std::move(w).take();
}

std::optional<MutablePut> decode_mutable_put(ByteView b) {
  enc::Reader r(b);
  MutablePut m;
  m.public_key = r.fixed<32>();
  m.record.seq = r.uint();
  auto v = r.buffer();
  m.record.value.assign(v.begin(), v.end());
  m.record.signature = r.fixed<64>();
  if (!r.ok()) return std::nullopt;
  return m;
}

Bytes encode_lookup_reply(const std::vector<Bytes>& peers, std::uint64_t bump) {
  enc::Writer w;
  w.uint(peers.size());
  for (const auto& p : peers) w.fixed(p);
  w.uint(bump);
  return std::move(w).take();
}

std::optional<std::vector<Peer>> decode_lookup_reply(ByteView b) {
  enc::Reader r(b);
  std::vector<Peer> out;
  const std::size_t n = r.array_length(33);
  for (std::size_t i = 0; i < n; ++i) {
    auto p = decode_peer(r);
    if (!p) return std::nullopt;
    out.push_back(std::move(*p));
  }
  if (!r.ok()) return std::nullopt;
  return out;
}

namespace {

void addresses(enc::Writer& w, const std::vector<Address>& a) {
  w.uint(a.size());
  for (const auto& x : a) w.ipv4(x);
}

std::vector<Address> addresses(enc::Reader& r) {
  std::vector<Address> out;
  const std::size_t n = r.array_length(6);
  for (std::size_t i = 0; i < n; ++i) out.push_back(r.ipv4());
  return out;
}

}  // namespace

Bytes encode(const Handshake& h) {
  enc::Writer w;
  w.uint((h.peer_address ? 1 : 0) | (h.relay_address ? 2 : 0)).uint(h.mode).buffer(h.noise);
  if (h.peer_address) w.ipv4(*h.peer_address);
  if (h.relay_address) w.ipv4(*h.relay_address);
  return std::move(w).take();
}

std::optional<Handshake> decode_handshake(ByteView b) {
  enc::Reader r(b);
  Handshake h;
  const auto flags = r.uint();
  h.mode = r.uint();
  auto n = r.buffer();
  h.noise.assign(n.begin(), n.end());
  if (flags & 1) h.peer_address = r.ipv4();
  if (flags & 2) h.relay_address = r.ipv4();
  if (!r.ok()) return std::nullopt;
  return h;
}

Bytes encode(const Holepunch& h) {
  enc::Writer w;
  w.uint(h.peer_address ? 1 : 0).uint(h.mode).uint(h.id).buffer(h.payload);
  if (h.peer_address) w.ipv4(*h.peer_address);
  return std::move(w).take();
}

std::optional<Holepunch> decode_holepunch(ByteView b) {
  enc::Reader r(b);
  Holepunch h;
  const auto flags = r.uint();
  h.mode = r.uint();
  h.id = r.uint();
  auto p = r.buffer();
  h.payload.assign(p.begin(), p.end());
  if (flags & 1) h.peer_address = r.ipv4();
  if (!r.ok()) return std::nullopt;
  return h;
}

Bytes encode(const NoisePayload& p) {
  enc::Writer w;
  std::uint64_t flags = 0;
  if (p.holepunch) flags |= 1;
  if (!p.addresses4.empty()) flags |= 2;
  if (p.udx) flags |= 8;
  if (p.secret_stream) flags |= 16;
  if (p.relay_through) flags |= 32;
  if (p.relay_addresses) flags |= 64;
  w.uint(1).uint(flags).uint(p.error).uint(p.firewall);
  if (p.holepunch) {
    w.uint(p.holepunch->first).uint(p.holepunch->second.size());
    for (const auto& ri : p.holepunch->second) w.ipv4(ri.relay_address).ipv4(ri.peer_address);
  }
  if (!p.addresses4.empty()) addresses(w, p.addresses4);
  if (p.udx) w.uint(1).uint(p.udx->reusable_socket ? 1 : 0).uint(p.udx->id).uint(p.udx->seq);
  if (p.secret_stream) w.uint(1);
  if (p.relay_through) {
    w.uint(1).uint(0).fixed(p.relay_through->public_key).fixed(p.relay_through->token);
  }
  if (p.relay_addresses) addresses(w, *p.relay_addresses);
  return std::move(w).take();
}

std::optional<NoisePayload> decode_noise_payload(ByteView b) {
  enc::Reader r(b);
  NoisePayload p;
  p.version = r.uint();
  if (!r.ok()) return std::nullopt;
  if (p.version != 1) return p;
  const auto flags = r.uint();
  p.error = r.uint();
  p.firewall = r.uint();
  if (flags & 1) {
    const auto id = r.uint();
    std::vector<RelayInfo> relays;
    const std::size_t n = r.array_length(12);
    for (std::size_t i = 0; i < n; ++i) {
      RelayInfo ri;
      ri.relay_address = r.ipv4();
      ri.peer_address = r.ipv4();
      relays.push_back(ri);
    }
    p.holepunch = std::make_pair(id, std::move(relays));
  }
  if (flags & 2) p.addresses4 = addresses(r);
  if (flags & 4) {
    // IPv6 addresses: 16 bytes + port each. PeerPort speaks IPv4 only; they are skipped.
    const std::size_t n = r.array_length(18);
    for (std::size_t i = 0; i < n; ++i) (void)r.fixed(18);
  }
  if (flags & 8) {
    UdxInfo u;
    u.version = r.uint();
    u.reusable_socket = (r.uint() & 1) != 0;
    u.id = r.uint();
    u.seq = r.uint();
    p.udx = u;
  }
  if (flags & 16) {
    (void)r.uint();
    p.secret_stream = true;
  }
  if (flags & 32) {
    RelayThrough t;
    t.version = r.uint();
    (void)r.uint();
    t.public_key = r.fixed<32>();
    t.token = r.fixed<32>();
    p.relay_through = t;
  }
  if (flags & 64) p.relay_addresses = addresses(r);
  if (!r.ok()) return std::nullopt;
  return p;
}

Bytes encode(const HolepunchPayload& p) {
  enc::Writer w;
  w.uint((p.connected ? 1 : 0) | (p.punching ? 2 : 0) | (p.addresses ? 4 : 0) |
         (p.remote_address ? 8 : 0) | (p.token ? 16 : 0) | (p.remote_token ? 32 : 0));
  w.uint(p.error).uint(p.firewall).uint(p.round);
  if (p.addresses) addresses(w, *p.addresses);
  if (p.remote_address) w.ipv4(*p.remote_address);
  if (p.token) w.fixed(*p.token);
  if (p.remote_token) w.fixed(*p.remote_token);
  return std::move(w).take();
}

std::optional<HolepunchPayload> decode_holepunch_payload(ByteView b) {
  enc::Reader r(b);
  HolepunchPayload p;
  const auto flags = r.uint();
  p.error = r.uint();
  p.firewall = r.uint();
  p.round = r.uint();
  p.connected = flags & 1;
  p.punching = flags & 2;
  if (flags & 4) p.addresses = addresses(r);
  if (flags & 8) p.remote_address = r.ipv4();
  if (flags & 16) p.token = r.fixed<32>();
  if (flags & 32) p.remote_token = r.fixed<32>();
  if (!r.ok()) return std::nullopt;
  return p;
}

namespace {
FixedBytes<64> mutable_signable(std::uint64_t seq, ByteView value) {
  enc::Writer w;
  w.uint(seq).buffer(value);
  FixedBytes<64> s{};
  const auto& ns = crypto::hyperdht_ns().mutable_put;
  std::copy(ns.begin(), ns.end(), s.begin());
  auto h = crypto::blake2b_256(w.bytes());
  std::copy(h.begin(), h.end(), s.begin() + 32);
  return s;
}
}  // namespace

Signature sign_mutable(std::uint64_t seq, ByteView value, const crypto::KeyPair& kp) {
  auto signable = mutable_signable(seq, value);
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, signable.data(), signable.size(), kp.secret_key.data());
  return sig;
}

bool verify_mutable(const MutableRecord& m, const crypto::PublicKey& pk) {
  auto signable = mutable_signable(m.seq, m.value);
  return crypto_sign_verify_detached(m.signature.data(), signable.data(), signable.size(),
                                     pk.data()) == 0;
}

FixedBytes<64> announce_signable(const dht::NodeId& target, const dht::NodeId& node_id,
                                 const dht::Token& token, const Announce& a,
                                 const FixedBytes<32>& ns) {
  enc::Writer peer;
  if (a.peer) encode(peer, *a.peer);
  Bytes refresh;
  if (a.refresh) refresh.assign(a.refresh->begin(), a.refresh->end());
  FixedBytes<64> s{};
  std::copy(ns.begin(), ns.end(), s.begin());
  auto h = crypto::blake2b_256({ByteView(target), ByteView(node_id), ByteView(token),
                                ByteView(peer.bytes()), ByteView(refresh)});
  std::copy(h.begin(), h.end(), s.begin() + 32);
  return s;
}

}  // namespace peerport::hyperdht
