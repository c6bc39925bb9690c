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
