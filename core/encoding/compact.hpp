#pragma once
// compact-encoding 3.5.2 (npm), the subset dht-rpc 6 and hyperdht 6 put on the wire, plus
// compact-encoding-net's ipv4Address. Little-endian throughout; `uint` is the variable-length
// integer: <= 0xfc in one byte, else a 0xfd/0xfe/0xff marker and a 2/4/8-byte integer.
//
// The Reader never reads past its input: the first failed read latches an error, every later
// read returns a zero value, and the caller checks ok() once at the end of a message.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace peerport::enc {

// compact-encoding's array() refuses more elements than this.
inline constexpr std::uint64_t kMaxArrayLength = 0x100000;

struct Ipv4Address {
  FixedBytes<4> host{};
  std::uint16_t port = 0;

  std::string host_string() const;
  std::string to_string() const;  // "a.b.c.d:port"
  // "a.b.c.d" with each part 0-255; nullopt otherwise.
  static std::optional<Ipv4Address> parse(std::string_view host, std::uint16_t port);
  bool operator==(const Ipv4Address&) const = default;
};

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t reserve) { out_.reserve(reserve); }

  Writer& uint(std::uint64_t n);
  Writer& uint8(std::uint8_t n);
  Writer& uint16(std::uint16_t n);
  Writer& uint24(std::uint32_t n);
  Writer& uint32(std::uint32_t n);
  Writer& uint32be(std::uint32_t n);
  Writer& uint64(std::uint64_t n);
  Writer& boolean(bool b);
  Writer& fixed(ByteView bytes);                // raw bytes, no length (fixed32, fixed64, raw)
  Writer& buffer(ByteView bytes);               // length-prefixed
  Writer& optional_buffer(const Bytes* bytes);  // null encodes as length 0
  Writer& string(std::string_view s);           // utf8: length-prefixed bytes
  Writer& ipv4(const Ipv4Address& a);

  const Bytes& bytes() const& { return out_; }
  Bytes take() && { return std::move(out_); }
  std::size_t size() const { return out_.size(); }

 private:
  Bytes out_;
};

// Size of uint(n) on the wire (compact-encoding's preencode).
std::size_t uint_size(std::uint64_t n);

class Reader {
 public:
  explicit Reader(ByteView input) : in_(input) {}

  std::uint64_t uint();
  std::uint8_t uint8();
  std::uint16_t uint16();
  std::uint32_t uint24();
  std::uint32_t uint32();
  std::uint32_t uint32be();
  std::uint64_t uint64();
  bool boolean();
  ByteView fixed(std::size_t n);
  template <std::size_t N>
  FixedBytes<N> fixed() {
    FixedBytes<N> out{};
    auto v = fixed(N);
    if (ok()) std::copy(v.begin(), v.end(), out.begin());
    return out;
  }
  ByteView buffer();  // views into the input: valid while the input is
  std::optional<Bytes> optional_buffer();
  std::string string();
  Ipv4Address ipv4();
  ByteView rest();  // raw: everything left
  // Reads an array's length and checks it against kMaxArrayLength and against what is left
  // (each element takes at least min_element_size bytes), so a forged count cannot make the
  // caller reserve memory the input could never fill.
  std::size_t array_length(std::size_t min_element_size = 1);

  bool ok() const { return error_ == Errc::ok; }
  Errc error_code() const { return error_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ == in_.size(); }
  // The latched error as a Status naming the message. Trailing bytes are allowed, as
  // compact-encoding allows them (newer peers append fields older ones skip).
  Status finish(std::string_view what) const;
  void fail(Errc code) {
    if (error_ == Errc::ok) error_ = code;
  }

 private:
  const std::uint8_t* take(std::size_t n);

  ByteView in_;
  std::size_t pos_ = 0;
  Errc error_ = Errc::ok;
};

}  // namespace peerport::enc
