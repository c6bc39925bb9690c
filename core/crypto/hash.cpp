#include "crypto/hash.hpp"

#include <sodium.h>

namespace peerport::crypto {

namespace {

template <std::size_t N>
FixedBytes<N> generichash(std::initializer_list<ByteView> parts, ByteView key) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.empty() ? nullptr : key.data(), key.size(), N);
  for (auto p : parts) crypto_generichash_update(&st, p.data(), p.size());
  FixedBytes<N> out;
  crypto_generichash_final(&st, out.data(), N);
  return out;
}

}  // namespace

Hash32 blake2b_256(ByteView data, ByteView key) {
  return generichash<32>({data}, key);
}

Hash32 blake2b_256(std::initializer_list<ByteView> parts, ByteView key) {
  return generichash<32>(parts, key);
}

FixedBytes<64> blake2b_512(std::initializer_list<ByteView> parts, ByteView key) {
  return generichash<64>(parts, key);
}

Hash32 sha256(ByteView data) {
  Hash32 out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

std::vector<Hash32> make_namespace(std::string_view name, std::initializer_list<std::uint8_t> ids) {
  Hash32 ns = blake2b_256(as_bytes(name));
  std::vector<Hash32> out;
  out.reserve(ids.size());
  for (std::uint8_t id : ids) {
    std::uint8_t tag[1] = {id};
    out.push_back(blake2b_256({ByteView(ns), ByteView(tag)}));
  }
  return out;
}

const HyperdhtNamespaces& hyperdht_ns() {
  // Command numbers from hyperdht lib/constants.js COMMANDS.
  static const HyperdhtNamespaces ns = [] {
    auto v = make_namespace("hyperswarm/dht", {4, 5, 6, 0, 1, 10});
    return HyperdhtNamespaces{v[0], v[1], v[2], v[3], v[4], v[5]};
  }();
  return ns;
}

const SecretStreamNamespaces& secret_stream_ns() {
  static const SecretStreamNamespaces ns = [] {
    auto v = make_namespace("hyperswarm/secret-stream", {0, 1, 2});
    return SecretStreamNamespaces{v[0], v[1], v[2]};
  }();
  return ns;
}

}  // namespace peerport::crypto
