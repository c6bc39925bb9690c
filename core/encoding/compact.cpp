#include "encoding/compact.hpp"

#include <charconv>
#include <cstring>

namespace peerport::enc {

std::string Ipv4Address::host_string() const {
  std::string s;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i) s.push_back('.');
    s += std::to_string(host[i]);
  }
  return s;
}

std::string Ipv4Address::to_string() const {
  return host_string() + ":" + std::to_string(port);
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text, std::uint16_t port) {
  Ipv4Address a;
  a.port = port;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (std::size_t i = 0; i < 4; ++i) {
    if (i) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p || next - p > 3 || v > 255) return std::nullopt;
    a.host[i] = static_cast<std::uint8_t>(v);
    p = next;
  }
  if (p != end) return std::nullopt;
  return a;
}

std::size_t uint_size(std::uint64_t n) {
  return n <= 0xfc ? 1 : n <= 0xffff ? 3 : n <= 0xffffffffULL ? 5 : 9;
}

Writer& Writer::uint(std::uint64_t n) {
  if (n <= 0xfc) return uint8(static_cast<std::uint8_t>(n));
  if (n <= 0xffff) return uint8(0xfd).uint16(static_cast<std::uint16_t>(n));
  if (n <= 0xffffffffULL) return uint8(0xfe).uint32(static_cast<std::uint32_t>(n));
  return uint8(0xff).uint64(n);
}

Writer& Writer::uint8(std::uint8_t n) {
  out_.push_back(n);
  return *this;
}

Writer& Writer::uint16(std::uint16_t n) {
  out_.push_back(static_cast<std::uint8_t>(n));
  out_.push_back(static_cast<std::uint8_t>(n >> 8));
  return *this;
}

Writer& Writer::uint24(std::uint32_t n) {
  for (int i = 0; i < 3; ++i) out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return *this;
}

Writer& Writer::uint32(std::uint32_t n) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return *this;
}

Writer& Writer::uint32be(std::uint32_t n) {
  for (int i = 3; i >= 0; --i) out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return *this;
}

Writer& Writer::uint64(std::uint64_t n) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return *this;
}

Writer& Writer::boolean(bool b) {
  return uint8(b ? 1 : 0);
}

Writer& Writer::fixed(ByteView bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
  return *this;
}

Writer& Writer::buffer(ByteView bytes) {
  return uint(bytes.size()).fixed(bytes);
}

Writer& Writer::optional_buffer(const Bytes* bytes) {
  if (!bytes) return uint8(0);
  return buffer(*bytes);
}

Writer& Writer::string(std::string_view s) {
  return buffer(as_bytes(s));
}

Writer& Writer::ipv4(const Ipv4Address& a) {
  return fixed(a.host).uint16(a.port);
}

const std::uint8_t* Reader::take(std::size_t n) {
  if (!ok()) return nullptr;
  if (n > remaining()) {
    fail(Errc::out_of_bounds);
    return nullptr;
  }
  const std::uint8_t* p = in_.data() + pos_;
  pos_ += n;
  return p;
}

namespace {
std::uint64_t load_le(const std::uint8_t* p, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
}  // namespace

std::uint64_t Reader::uint() {
  std::uint8_t a = uint8();
  if (a <= 0xfc) return a;
  if (a == 0xfd) return uint16();
  if (a == 0xfe) return uint32();
  return uint64();
}

std::uint8_t Reader::uint8() {
  auto p = take(1);
  return p ? p[0] : 0;
}

std::uint16_t Reader::uint16() {
  auto p = take(2);
  return p ? static_cast<std::uint16_t>(load_le(p, 2)) : 0;
}

std::uint32_t Reader::uint24() {
  auto p = take(3);
  return p ? static_cast<std::uint32_t>(load_le(p, 3)) : 0;
}

std::uint32_t Reader::uint32() {
  auto p = take(4);
  return p ? static_cast<std::uint32_t>(load_le(p, 4)) : 0;
}

std::uint32_t Reader::uint32be() {
  auto p = take(4);
  if (!p) return 0;
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

std::uint64_t Reader::uint64() {
  auto p = take(8);
  return p ? load_le(p, 8) : 0;
}

bool Reader::boolean() {
  return uint8() == 1;
}

ByteView Reader::fixed(std::size_t n) {
  auto p = take(n);
  return p ? ByteView{p, n} : ByteView{};
}

ByteView Reader::buffer() {
  std::uint64_t len = uint();
  if (!ok()) return {};
  if (len > remaining()) {
    fail(Errc::out_of_bounds);
    return {};
  }
  return fixed(static_cast<std::size_t>(len));
}

std::optional<Bytes> Reader::optional_buffer() {
  auto v = buffer();
  if (!ok() || v.empty()) return std::nullopt;
  return Bytes(v.begin(), v.end());
}

std::string Reader::string() {
  auto v = buffer();
  return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

Ipv4Address Reader::ipv4() {
  Ipv4Address a;
  a.host = fixed<4>();
  a.port = uint16();
  return a;
}

ByteView Reader::rest() {
  return fixed(remaining());
}

std::size_t Reader::array_length(std::size_t min_element_size) {
  std::uint64_t n = uint();
  if (!ok()) return 0;
  if (n > kMaxArrayLength) {
    fail(Errc::too_large);
    return 0;
  }
  if (min_element_size && n > remaining() / min_element_size) {
    fail(Errc::out_of_bounds);
    return 0;
  }
  return static_cast<std::size_t>(n);
}

Status Reader::finish(std::string_view what) const {
  if (ok()) return Ok{};
  return make_error(error_, std::string(what) + ": malformed (" + std::string(errc_name(error_)) +
                                " at byte " + std::to_string(pos_) + ")");
}

}  // namespace peerport::enc
