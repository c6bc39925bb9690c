#pragma once
// The UDX packet header, as libudx (pinned by udx-native 1.21.3) writes and parses it
// (src/udx.c udx_write_header() / process_packet(); docs/udx-notes.md section 1).
//
//   0      magic 0xff
//   1      version 1
//   2      type flags (DATA 0x01, END 0x02, SACK 0x04, MESSAGE 0x08, DESTROY 0x10, HEARTBEAT 0x20)
//   3      data offset: bytes to skip after the header (MTU probe padding, or the SACK area)
//   4..7   the receiver's stream id       (u32 LE)
//   8..11  the sender's receive window    (u32 LE, bytes)
//   12..15 seq: this packet's sequence    (u32 LE, counts packets, not bytes)
//   16..19 ack: next seq the sender wants (u32 LE)
// SACK blocks follow the header in pure acks: [start, end) pairs of u32 LE, at most 50.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.hpp"

namespace peerport::udx {

inline constexpr std::uint8_t kMagic = 0xff;
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kMaxSacks = 50;
// libudx reads into a 2048-byte buffer and truncates anything longer.
inline constexpr std::size_t kMaxDatagram = 2048;

enum Flag : std::uint8_t {
  kData = 0x01,
  kEnd = 0x02,
  kSack = 0x04,
  kMessage = 0x08,
  kDestroy = 0x10,
  kHeartbeat = 0x20,
};

struct SackBlock {
  std::uint32_t start = 0;  // first seq received
  std::uint32_t end = 0;    // one past the last
  bool operator==(const SackBlock&) const = default;
};

struct Header {
  std::uint8_t type = 0;
  std::uint8_t data_offset = 0;
  std::uint32_t id = 0;
  std::uint32_t rwnd = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  bool operator==(const Header&) const = default;
};

struct Packet {
  Header header;
  ByteView payload;  // after the header and data_offset; for SACK packets, the SACK area
};

// Whether a datagram looks like UDX at all (length, magic, version). Anything else on a shared
// socket belongs to the DHT.
bool is_udx(ByteView datagram);

// nullopt for anything that is not a well-formed UDX packet: short, wrong magic or version,
// undefined flag bits, or a data offset past the end.
std::optional<Packet> parse(ByteView datagram);

void write_header(std::uint8_t* out, const Header& h);

// Up to kMaxSacks blocks from a SACK area; a trailing partial block is ignored, as libudx does.
std::vector<SackBlock> parse_sacks(ByteView area);

// Serial-number arithmetic on 32-bit sequence numbers (RFC 1982 style, as libudx seq_diff).
inline std::int32_t seq_diff(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b);
}
inline bool seq_lt(std::uint32_t a, std::uint32_t b) {
  return seq_diff(a, b) < 0;
}
inline bool seq_le(std::uint32_t a, std::uint32_t b) {
  return seq_diff(a, b) <= 0;
}

}  // namespace peerport::udx
