#include "crypto/keys.hpp"

#include <sodium.h>

#include <cstring>

#include "crypto/hash.hpp"

namespace peerport::crypto {

KeyPair KeyPair::random() {
  KeyPair kp;
  crypto_sign_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

KeyPair KeyPair::from_seed(const Seed& seed) {
  KeyPair kp;
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

Seed KeyPair::seed() const {
  Seed s;
  std::memcpy(s.data(), secret_key.data(), kSeedBytes);
  return s;
}

Seed random_seed() {
  Seed s;
  randombytes_buf(s.data(), s.size());
  return s;
}

std::optional<Seed> seed_from_hex(std::string_view hex) {
  auto raw = from_hex(hex);
  if (!raw || raw->size() != kSeedBytes) return std::nullopt;
  Seed s;
  std::memcpy(s.data(), raw->data(), kSeedBytes);
  sodium_memzero(raw->data(), raw->size());
  return s;
}

namespace {

bool hex_is(ByteView got, std::string_view want) {
  return to_hex(got) == want;
}

}  // namespace

Status init() {
  if (sodium_init() < 0) {
    return make_error(Errc::crypto_init_failed,
                      "libsodium failed to initialise (no usable random source?)");
  }
  // Known answers: RFC 8032 test 1 for ed25519, BLAKE2b-256 of "abc" (as hypercore-crypto's
  // hash), and the hyperdht PEER_HANDSHAKE namespace, which every connection's prologue uses.
  auto seed = seed_from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  KeyPair kp = KeyPair::from_seed(*seed);
  if (!hex_is(kp.public_key, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")) {
    return make_error(Errc::crypto_init_failed, "libsodium self-check failed: ed25519");
  }
  if (!hex_is(blake2b_256(as_bytes("abc")),
              "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")) {
    return make_error(Errc::crypto_init_failed, "libsodium self-check failed: BLAKE2b");
  }
  return Ok{};
}

}  // namespace peerport::crypto
