#include "udx/packet.hpp"

namespace peerport::udx {

namespace {
std::uint32_t load32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}
void store32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
constexpr std::uint8_t kKnownFlags = kData | kEnd | kSack | kMessage | kDestroy | kHeartbeat;
}  // namespace

bool is_udx(ByteView d) {
  return d.size() >= kHeaderSize && d[0] == kMagic && d[1] == kVersion;
}

std::optional<Packet> parse(ByteView d) {
  if (!is_udx(d)) return std::nullopt;
  Packet p;
  p.header.type = d[2];
  p.header.data_offset = d[3];
  p.header.id = load32(d.data() + 4);
  p.header.rwnd = load32(d.data() + 8);
  p.header.seq = load32(d.data() + 12);
  p.header.ack = load32(d.data() + 16);
  if (p.header.type & ~kKnownFlags) return std::nullopt;
  ByteView rest = d.subspan(kHeaderSize);
  if (p.header.type & kSack) {
    // libudx: the SACK area is data_offset long when that is a proper prefix, else everything.
    std::size_t area = rest.size();
    if (p.header.data_offset > 0 && p.header.data_offset < rest.size()) {
      area = p.header.data_offset;
    }
    p.payload = rest.first(area);
    return p;
  }
  if (p.header.data_offset > rest.size()) return std::nullopt;
  p.payload = rest.subspan(p.header.data_offset);
  return p;
}

void write_header(std::uint8_t* out, const Header& h) {
  out[0] = kMagic;
  out[1] = kVersion;
  out[2] = h.type;
  out[3] = h.data_offset;
  store32(out + 4, h.id);
  store32(out + 8, h.rwnd);
  store32(out + 12, h.seq);
  store32(out + 16, h.ack);
}

std::vector<SackBlock> parse_sacks(ByteView area) {
  std::vector<SackBlock> out;
  std::size_t n = std::min(area.size() / 8, kMaxSacks);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back({load32(area.data() + 8 * i), load32(area.data() + 8 * i + 4)});
  }
  return out;
}

}  // namespace peerport::udx
