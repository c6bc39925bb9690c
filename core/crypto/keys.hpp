#pragma once
// ed25519 identities, as hyperdht 6.34 lib/crypto.js createKeyPair: the secret key is libsodium's
// 64-byte form (seed || public key), so keyPair(seed) here equals HyperDHT.keyPair(seed).

#include <optional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/secret.hpp"

namespace peerport::crypto {

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSecretKeyBytes = 64;
inline constexpr std::size_t kSeedBytes = 32;

using PublicKey = FixedBytes<kPublicKeyBytes>;
using Seed = SecretBytes<kSeedBytes>;

struct KeyPair {
  PublicKey public_key{};
  SecretBytes<kSecretKeyBytes> secret_key;

  static KeyPair random();
  static KeyPair from_seed(const Seed& seed);
  Seed seed() const;  // the first half of the secret key
};

// sodium_init() plus known-answer checks of every primitive PeerPort relies on. Call once at
// start; a failure means this libsodium cannot be trusted and the message says so.
Status init();

Seed random_seed();
std::optional<Seed> seed_from_hex(std::string_view hex);

}  // namespace peerport::crypto
