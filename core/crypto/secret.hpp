#pragma once
// Key material lives in buffers that are wiped with sodium_memzero when they die and compared
// in constant time, so no copy of a secret outlives its owner in freed memory.

#include <sodium.h>

#include <array>
#include <cstdint>
#include <span>

namespace peerport::crypto {

template <std::size_t N>
class SecretBytes {
 public:
  SecretBytes() { bytes_.fill(0); }
  SecretBytes(const SecretBytes& o) : bytes_(o.bytes_) {}
  SecretBytes& operator=(const SecretBytes& o) {
    bytes_ = o.bytes_;
    return *this;
  }
  ~SecretBytes() { sodium_memzero(bytes_.data(), N); }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return N; }
  std::span<const std::uint8_t, N> view() const { return std::span<const std::uint8_t, N>(bytes_); }
  std::span<std::uint8_t, N> span() { return std::span<std::uint8_t, N>(bytes_); }
  std::uint8_t& operator[](std::size_t i) { return bytes_[i]; }
  std::uint8_t operator[](std::size_t i) const { return bytes_[i]; }
  // Constant time, as comparisons of secrets must be.
  bool operator==(const SecretBytes& o) const { return sodium_memcmp(data(), o.data(), N) == 0; }

 private:
  std::array<std::uint8_t, N> bytes_;
};

}  // namespace peerport::crypto
