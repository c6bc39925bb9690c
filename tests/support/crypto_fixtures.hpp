#pragma once
// What the crypto unit tests share: libsodium initialised (with its self-check) once per test
// binary, and deterministic keys from a repeated seed byte. Include from one file per binary.
#include <gtest/gtest.h>

#include "crypto/keys.hpp"

namespace peerport::crypto::test_support {

class CryptoEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_TRUE(init().ok()); }
};
[[maybe_unused]] inline const auto* const kCryptoEnv =
    ::testing::AddGlobalTestEnvironment(new CryptoEnvironment);

inline Seed seed_of(std::uint8_t fill) {
  Seed s;
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = fill;
  return s;
}

inline KeyPair key_pair(std::uint8_t fill) {
  return KeyPair::from_seed(seed_of(fill));
}

}  // namespace peerport::crypto::test_support
