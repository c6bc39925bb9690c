// compact-encoding as hyperdht puts it on the wire. Expected bytes come from compact-encoding
// 3.5.2 and compact-encoding-net (checked with node in tests/interop), so a round trip that only
// agrees with itself cannot pass.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "encoding/compact.hpp"

namespace peerport::enc {
namespace {

Bytes bytes(std::initializer_list<int> v) {
  Bytes out;
  for (int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

// ---------------------------------------------------------------------------------------------
// uint (varint)

struct VarintCase {
  std::uint64_t value;
  Bytes wire;
};

std::vector<VarintCase> varint_cases() {
  return {
      {0, bytes({0x00})},
      {1, bytes({0x01})},
      {0xfc, bytes({0xfc})},
      {0xfd, bytes({0xfd, 0xfd, 0x00})},
      {0xfe, bytes({0xfd, 0xfe, 0x00})},
      {0x1234, bytes({0xfd, 0x34, 0x12})},
      {0xffff, bytes({0xfd, 0xff, 0xff})},
      {0x10000, bytes({0xfe, 0x00, 0x00, 0x01, 0x00})},
      {0x12345678, bytes({0xfe, 0x78, 0x56, 0x34, 0x12})},
      {0xffffffff, bytes({0xfe, 0xff, 0xff, 0xff, 0xff})},
      {0x100000000, bytes({0xff, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00})},
      {0x0102030405060708, bytes({0xff, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01})},
      {UINT64_MAX, bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})},
  };
}

TEST(CompactUint, EncodesEveryBoundaryToTheReferenceBytes) {
  for (const auto& c : varint_cases()) {
    SCOPED_TRACE("value " + std::to_string(c.value));
    Writer w;
    w.uint(c.value);
    EXPECT_EQ(w.bytes(), c.wire);
    EXPECT_EQ(w.size(), c.wire.size());
    EXPECT_EQ(uint_size(c.value), c.wire.size());
  }
}

TEST(CompactUint, DecodesEveryBoundary) {
  for (const auto& c : varint_cases()) {
    SCOPED_TRACE("value " + std::to_string(c.value));
    Reader r(c.wire);
    EXPECT_EQ(r.uint(), c.value);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.at_end());
    EXPECT_EQ(r.position(), c.wire.size());
  }
}

TEST(CompactUint, NonMinimalFormDecodesLikeTheReference) {
  // compact-encoding does not insist on the shortest form: 0xfd 01 00 is 1.
  const Bytes in = bytes({0xfd, 0x01, 0x00});
  Reader r(in);
  EXPECT_EQ(r.uint(), 1u);
  EXPECT_TRUE(r.ok());
}

TEST(CompactUint, TruncatedAfterMarkerFails) {
  for (int marker : {0xfd, 0xfe, 0xff}) {
    SCOPED_TRACE(marker);
    // The marker and one byte fewer than its integer needs.
    const std::size_t need = marker == 0xfd ? 2 : marker == 0xfe ? 4 : 8;
    Bytes in(1 + need - 1, 0x11);
    in[0] = static_cast<std::uint8_t>(marker);
    Reader r(in);
    EXPECT_EQ(r.uint(), 0u);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
}

TEST(CompactUint, EmptyInputFails) {
  Reader r(ByteView{});
  EXPECT_EQ(r.uint(), 0u);
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

// ---------------------------------------------------------------------------------------------
// Fixed-width integers, bool, raw bytes

TEST(CompactFixedWidth, EncodesLittleEndianAndBigEndianWhereAsked) {
  Writer w;
  w.uint8(0xab)
      .uint16(0x1234)
      .uint24(0x123456)
      .uint32(0x12345678)
      .uint32be(0x12345678)
      .uint64(0x0102030405060708);
  EXPECT_EQ(w.bytes(), bytes({0xab, 0x34, 0x12, 0x56, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0x12,
                              0x34, 0x56, 0x78, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01}));

  Reader r(w.bytes());
  EXPECT_EQ(r.uint8(), 0xab);
  EXPECT_EQ(r.uint16(), 0x1234);
  EXPECT_EQ(r.uint24(), 0x123456u);
  EXPECT_EQ(r.uint32(), 0x12345678u);
  EXPECT_EQ(r.uint32be(), 0x12345678u);
  EXPECT_EQ(r.uint64(), 0x0102030405060708u);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(CompactFixedWidth, ExtremesRoundTrip) {
  Writer w;
  w.uint8(0xff)
      .uint16(0xffff)
      .uint24(0xffffff)
      .uint32(0xffffffff)
      .uint32be(0xffffffff)
      .uint64(UINT64_MAX);
  w.uint8(0).uint16(0).uint24(0).uint32(0).uint32be(0).uint64(0);
  EXPECT_EQ(w.size(), 2 * (1 + 2 + 3 + 4 + 4 + 8));
  Reader r(w.bytes());
  EXPECT_EQ(r.uint8(), 0xff);
  EXPECT_EQ(r.uint16(), 0xffff);
  EXPECT_EQ(r.uint24(), 0xffffffu);
  EXPECT_EQ(r.uint32(), 0xffffffffu);
  EXPECT_EQ(r.uint32be(), 0xffffffffu);
  EXPECT_EQ(r.uint64(), UINT64_MAX);
  EXPECT_EQ(r.uint8(), 0);
  EXPECT_EQ(r.uint16(), 0);
  EXPECT_EQ(r.uint24(), 0u);
  EXPECT_EQ(r.uint32(), 0u);
  EXPECT_EQ(r.uint32be(), 0u);
  EXPECT_EQ(r.uint64(), 0u);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(CompactFixedWidth, Uint24WritesOnlyThreeBytes) {
  // The top byte of the argument is not part of a uint24.
  Writer w;
  w.uint24(0xaabbccdd);
  EXPECT_EQ(w.bytes(), bytes({0xdd, 0xcc, 0xbb}));
}

TEST(CompactBool, EncodesAsOneByte) {
  Writer w;
  w.boolean(true).boolean(false);
  EXPECT_EQ(w.bytes(), bytes({0x01, 0x00}));
  Reader r(w.bytes());
  EXPECT_TRUE(r.boolean());
  EXPECT_FALSE(r.boolean());
  EXPECT_TRUE(r.ok());
}

TEST(CompactBool, OnlyOneIsTrueAsInTheReference) {
  // compact-encoding's bool.decode is `uint8 === 1`.
  const Bytes in = bytes({0x02, 0xff});
  Reader r(in);
  EXPECT_FALSE(r.boolean());
  EXPECT_FALSE(r.boolean());
  EXPECT_TRUE(r.ok());
}

TEST(CompactFixed, WritesRawBytesWithoutLength) {
  const Bytes raw = bytes({1, 2, 3, 4, 5});
  Writer w;
  w.fixed(raw).fixed(ByteView{});
  EXPECT_EQ(w.bytes(), raw);

  Reader r(w.bytes());
  auto first = r.fixed(2);
  EXPECT_EQ(Bytes(first.begin(), first.end()), bytes({1, 2}));
  auto rest = r.fixed<3>();
  EXPECT_EQ(rest, (FixedBytes<3>{3, 4, 5}));
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(r.fixed(0).empty());
  EXPECT_TRUE(r.ok());
}

TEST(CompactFixed, TooFewBytesFailsAndLeavesArrayZeroed) {
  const Bytes in = bytes({9, 9, 9});
  Reader r(in);
  auto v = r.fixed<4>();
  EXPECT_EQ(v, (FixedBytes<4>{}));
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  EXPECT_EQ(r.position(), 0u);
}

TEST(CompactRest, TakesEverythingLeft) {
  const Bytes in = bytes({7, 8, 9});
  Reader r(in);
  EXPECT_EQ(r.uint8(), 7);
  auto rest = r.rest();
  EXPECT_EQ(Bytes(rest.begin(), rest.end()), bytes({8, 9}));
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(r.rest().empty());
  EXPECT_TRUE(r.ok());
}

// ---------------------------------------------------------------------------------------------
// buffer, optional_buffer, string

TEST(CompactBuffer, IsLengthPrefixed) {
  Writer w;
  w.buffer(bytes({0xaa, 0xbb})).buffer(ByteView{});
  EXPECT_EQ(w.bytes(), bytes({0x02, 0xaa, 0xbb, 0x00}));

  Reader r(w.bytes());
  auto a = r.buffer();
  EXPECT_EQ(Bytes(a.begin(), a.end()), bytes({0xaa, 0xbb}));
  EXPECT_TRUE(r.buffer().empty());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(CompactBuffer, LongBufferUsesVarintLength) {
  Bytes big(300);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i);
  Writer w;
  w.buffer(big);
  ASSERT_EQ(w.size(), 3 + big.size());
  EXPECT_EQ(w.bytes()[0], 0xfd);
  EXPECT_EQ(w.bytes()[1], 0x2c);
  EXPECT_EQ(w.bytes()[2], 0x01);

  Reader r(w.bytes());
  auto v = r.buffer();
  EXPECT_EQ(Bytes(v.begin(), v.end()), big);
  EXPECT_TRUE(r.ok());
}

TEST(CompactBuffer, ViewPointsIntoTheInput) {
  // Reader::buffer() promises a view, not a copy; callers rely on it to avoid copies.
  const Bytes in = bytes({0x03, 1, 2, 3});
  Reader r(in);
  auto v = r.buffer();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.data(), in.data() + 1);
}

TEST(CompactBuffer, LengthPrefixLargerThanInputFails) {
  const Bytes in = bytes({0x05, 1, 2, 3});
  Reader r(in);
  EXPECT_TRUE(r.buffer().empty());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

TEST(CompactBuffer, HugeLengthPrefixFailsWithoutOverflow) {
  // A 64-bit length must not wrap when compared against what remains.
  Bytes in = bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3});
  {
    Reader r(in);
    EXPECT_TRUE(r.buffer().empty());
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
  {
    Reader r(in);
    EXPECT_EQ(r.string(), "");
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
  {
    Reader r(in);
    EXPECT_FALSE(r.optional_buffer().has_value());
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
}

TEST(CompactOptionalBuffer, NullAndEmptyEncodeAsZeroLength) {
  const Bytes value = bytes({4, 5, 6});
  const Bytes empty;
  Writer w;
  w.optional_buffer(nullptr).optional_buffer(&value).optional_buffer(&empty);
  EXPECT_EQ(w.bytes(), bytes({0x00, 0x03, 4, 5, 6, 0x00}));

  Reader r(w.bytes());
  EXPECT_FALSE(r.optional_buffer().has_value());
  auto v = r.optional_buffer();
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, value);
  // compact-encoding decodes a zero length as null.
  EXPECT_FALSE(r.optional_buffer().has_value());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(CompactString, IsUtf8BytesWithLength) {
  const std::string s = "h\xc3\xa9llo";  // "héllo": 6 bytes of UTF-8
  Writer w;
  w.string(s).string("");
  EXPECT_EQ(w.bytes(), bytes({0x06, 'h', 0xc3, 0xa9, 'l', 'l', 'o', 0x00}));
  Reader r(w.bytes());
  EXPECT_EQ(r.string(), s);
  EXPECT_EQ(r.string(), "");
  EXPECT_TRUE(r.ok());
}

TEST(CompactString, EmbeddedNulSurvives) {
  const std::string s("a\0b", 3);
  Writer w;
  w.string(s);
  Reader r(w.bytes());
  EXPECT_EQ(r.string(), s);
}

// ---------------------------------------------------------------------------------------------
// ipv4

TEST(CompactIpv4, HostBytesThenLittleEndianPort) {
  Ipv4Address a;
  a.host = {192, 168, 1, 20};
  a.port = 8080;  // 0x1f90
  Writer w;
  w.ipv4(a);
  EXPECT_EQ(w.bytes(), bytes({192, 168, 1, 20, 0x90, 0x1f}));
  Reader r(w.bytes());
  EXPECT_EQ(r.ipv4(), a);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(CompactIpv4, TruncatedPortFails) {
  const Bytes in = bytes({1, 2, 3, 4, 5});
  Reader r(in);
  EXPECT_EQ(r.ipv4(), (Ipv4Address{{1, 2, 3, 4}, 0}));
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

TEST(Ipv4Address, ToString) {
  Ipv4Address a{{10, 0, 255, 1}, 49737};
  EXPECT_EQ(a.host_string(), "10.0.255.1");
  EXPECT_EQ(a.to_string(), "10.0.255.1:49737");
}

TEST(Ipv4Address, ParsesDottedQuads) {
  auto a = Ipv4Address::parse("127.0.0.1", 80);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, (FixedBytes<4>{127, 0, 0, 1}));
  EXPECT_EQ(a->port, 80);

  auto zero = Ipv4Address::parse("0.0.0.0", 0);
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->host, (FixedBytes<4>{0, 0, 0, 0}));

  auto top = Ipv4Address::parse("255.255.255.255", 65535);
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->host, (FixedBytes<4>{255, 255, 255, 255}));
  EXPECT_EQ(top->port, 65535);

  auto back = Ipv4Address::parse(top->host_string(), top->port);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, *top);
}

TEST(Ipv4Address, RejectsMalformedHosts) {
  for (const char* bad :
       {"256.1.1.1", "1.2.3", "1.2.3.4.5", "a.b.c.d", "", "1.2.3.256", "1..2.3", "1.2.3.", ".1.2.3",
        "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "-1.2.3.4", "1.2.3.4:80", "0001.2.3.4", "1.2.3.-4",
        "1.2.3.4x", "99999999999999999999.1.1.1"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(Ipv4Address::parse(bad, 1).has_value());
  }
}

TEST(Ipv4Address, NotNulTerminatedInput) {
  // parse() takes a string_view: only the first 7 characters of "1.2.3.45" are the host.
  const std::string text = "1.2.3.45";
  auto a = Ipv4Address::parse(std::string_view(text).substr(0, 7), 1);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->host, (FixedBytes<4>{1, 2, 3, 4}));
}

// ---------------------------------------------------------------------------------------------
// array_length

TEST(CompactArrayLength, AcceptsCountsTheInputCanHold) {
  Writer w;
  w.uint(3).fixed(bytes({1, 2, 3}));
  Reader r(w.bytes());
  EXPECT_EQ(r.array_length(), 3u);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.remaining(), 3u);
}

TEST(CompactArrayLength, ZeroIsFineOnEmptyRest) {
  const Bytes in = bytes({0x00});
  Reader r(in);
  EXPECT_EQ(r.array_length(6), 0u);
  EXPECT_TRUE(r.ok());
}

TEST(CompactArrayLength, CountLargerThanWhatRemainsIsOutOfBounds) {
  Writer w;
  w.uint(3).fixed(bytes({1, 2}));
  Reader r(w.bytes());
  EXPECT_EQ(r.array_length(), 0u);
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

TEST(CompactArrayLength, MinElementSizeScalesTheCheck) {
  {
    Writer w;
    w.uint(2).fixed(Bytes(12, 0));  // two ipv4 addresses of 6 bytes
    Reader r(w.bytes());
    EXPECT_EQ(r.array_length(6), 2u);
    EXPECT_TRUE(r.ok());
  }
  {
    Writer w;
    w.uint(2).fixed(Bytes(11, 0));
    Reader r(w.bytes());
    EXPECT_EQ(r.array_length(6), 0u);
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
}

TEST(CompactArrayLength, OverTheReferenceLimitIsTooLarge) {
  // Checked before the remaining bytes, so a forged count is refused even with a big input.
  Writer w;
  w.uint(kMaxArrayLength + 1).fixed(Bytes(kMaxArrayLength + 1, 0));
  Reader r(w.bytes());
  EXPECT_EQ(r.array_length(), 0u);
  EXPECT_EQ(r.error_code(), Errc::too_large);
}

TEST(CompactArrayLength, AtTheReferenceLimitIsAccepted) {
  Writer w;
  w.uint(kMaxArrayLength).fixed(Bytes(kMaxArrayLength, 0));
  Reader r(w.bytes());
  EXPECT_EQ(r.array_length(), kMaxArrayLength);
  EXPECT_TRUE(r.ok());
}

TEST(CompactArrayLength, MaxUint64CountIsTooLarge) {
  Writer w;
  w.uint(UINT64_MAX);
  Reader r(w.bytes());
  EXPECT_EQ(r.array_length(), 0u);
  EXPECT_EQ(r.error_code(), Errc::too_large);
}

TEST(CompactArrayLength, TruncatedCountIsOutOfBounds) {
  const Bytes in = bytes({0xfe, 0x01});
  Reader r(in);
  EXPECT_EQ(r.array_length(), 0u);
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

// ---------------------------------------------------------------------------------------------
// A multi-field message, and what truncation and errors do to it

struct Message {
  std::uint64_t small = 0;
  std::uint64_t big = 0;
  std::uint8_t u8 = 0;
  std::uint16_t u16 = 0;
  std::uint32_t u24 = 0;
  std::uint32_t u32 = 0;
  std::uint32_t u32be = 0;
  std::uint64_t u64 = 0;
  bool flag = false;
  FixedBytes<32> id{};
  Bytes token;
  std::optional<Bytes> maybe;
  std::string name;
  std::vector<Ipv4Address> peers;
  bool operator==(const Message&) const = default;
};

Message sample_message() {
  Message m;
  m.small = 7;
  m.big = 0x100000001;
  m.u8 = 0x42;
  m.u16 = 0xbeef;
  m.u24 = 0xabcdef;
  m.u32 = 0xdeadbeef;
  m.u32be = 0x01020304;
  m.u64 = 0x1122334455667788;
  m.flag = true;
  for (std::size_t i = 0; i < m.id.size(); ++i) m.id[i] = static_cast<std::uint8_t>(i * 3);
  m.token = Bytes(300, 0x5a);
  m.maybe = bytes({9, 8, 7});
  m.name = "peerport";
  m.peers = {Ipv4Address{{1, 2, 3, 4}, 1000}, Ipv4Address{{5, 6, 7, 8}, 65535}};
  return m;
}

Bytes encode(const Message& m) {
  Writer w;
  w.uint(m.small).uint(m.big).uint8(m.u8).uint16(m.u16).uint24(m.u24).uint32(m.u32);
  w.uint32be(m.u32be).uint64(m.u64).boolean(m.flag).fixed(m.id).buffer(m.token);
  w.optional_buffer(m.maybe ? &*m.maybe : nullptr).string(m.name);
  w.uint(m.peers.size());
  for (const auto& p : m.peers) w.ipv4(p);
  return std::move(w).take();
}

Message decode(Reader& r) {
  Message m;
  m.small = r.uint();
  m.big = r.uint();
  m.u8 = r.uint8();
  m.u16 = r.uint16();
  m.u24 = r.uint24();
  m.u32 = r.uint32();
  m.u32be = r.uint32be();
  m.u64 = r.uint64();
  m.flag = r.boolean();
  m.id = r.fixed<32>();
  auto token = r.buffer();
  m.token.assign(token.begin(), token.end());
  m.maybe = r.optional_buffer();
  m.name = r.string();
  const std::size_t n = r.array_length(6);
  for (std::size_t i = 0; i < n; ++i) m.peers.push_back(r.ipv4());
  return m;
}

TEST(CompactMessage, RoundTrips) {
  const Message m = sample_message();
  const Bytes wire = encode(m);
  Reader r(wire);
  EXPECT_EQ(decode(r), m);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(r.finish("Sample").ok());
}

TEST(CompactMessage, TrailingBytesAreAllowed) {
  const Message m = sample_message();
  Bytes wire = encode(m);
  wire.push_back(0xee);
  wire.push_back(0xff);
  Reader r(wire);
  EXPECT_EQ(decode(r), m);
  EXPECT_TRUE(r.finish("Sample").ok());
  EXPECT_EQ(r.remaining(), 2u);
}

TEST(CompactMessage, EveryTruncationFailsWithinBounds) {
  const Bytes wire = encode(sample_message());
  for (std::size_t len = 0; len < wire.size(); ++len) {
    SCOPED_TRACE("length " + std::to_string(len));
    // An exactly-sized heap copy, so a sanitizer build catches any read past the end.
    auto copy = std::make_unique<std::uint8_t[]>(len == 0 ? 1 : len);
    std::copy(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(len), copy.get());
    Reader r(ByteView(copy.get(), len));
    (void)decode(r);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
    EXPECT_LE(r.position(), len);
    auto st = r.finish("Sample");
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Errc::out_of_bounds);
  }
}

TEST(CompactReader, ReadsAfterAnErrorReturnZerosAndDoNotAdvance) {
  // Plenty of bytes remain after the failed read; none of them may be consumed.
  Bytes in(64, 0xab);
  in[0] = 0x40;  // buffer length 64, one more than is left
  Reader r(in);
  EXPECT_TRUE(r.buffer().empty());
  ASSERT_EQ(r.error_code(), Errc::out_of_bounds);
  const std::size_t pos = r.position();

  EXPECT_EQ(r.uint(), 0u);
  EXPECT_EQ(r.uint8(), 0);
  EXPECT_EQ(r.uint16(), 0);
  EXPECT_EQ(r.uint24(), 0u);
  EXPECT_EQ(r.uint32(), 0u);
  EXPECT_EQ(r.uint32be(), 0u);
  EXPECT_EQ(r.uint64(), 0u);
  EXPECT_FALSE(r.boolean());
  EXPECT_TRUE(r.fixed(1).empty());
  EXPECT_EQ(r.fixed<4>(), (FixedBytes<4>{}));
  EXPECT_TRUE(r.buffer().empty());
  EXPECT_FALSE(r.optional_buffer().has_value());
  EXPECT_EQ(r.string(), "");
  EXPECT_EQ(r.ipv4(), Ipv4Address{});
  EXPECT_TRUE(r.rest().empty());
  EXPECT_EQ(r.array_length(), 0u);
  EXPECT_EQ(r.position(), pos);
  EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
}

TEST(CompactReader, KeepsTheFirstErrorCode) {
  {
    Writer w;
    w.uint(kMaxArrayLength + 1);
    Reader r(w.bytes());
    (void)r.array_length();
    ASSERT_EQ(r.error_code(), Errc::too_large);
    (void)r.uint64();  // would be out_of_bounds on its own
    r.fail(Errc::invalid_value);
    EXPECT_EQ(r.error_code(), Errc::too_large);
  }
  {
    Reader r(ByteView{});
    (void)r.uint8();
    ASSERT_EQ(r.error_code(), Errc::out_of_bounds);
    r.fail(Errc::invalid_value);
    r.fail(Errc::too_large);
    EXPECT_EQ(r.error_code(), Errc::out_of_bounds);
  }
}

TEST(CompactReader, CallerCanFailWithItsOwnCode) {
  const Bytes in = bytes({1, 2, 3});
  Reader r(in);
  EXPECT_EQ(r.uint8(), 1);
  r.fail(Errc::invalid_value);
  EXPECT_EQ(r.uint8(), 0);
  auto st = r.finish("PING");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::invalid_value);
}

TEST(CompactReader, FinishNamesTheMessage) {
  const Bytes in = bytes({0x05, 1});
  Reader r(in);
  (void)r.buffer();
  auto st = r.finish("FIND_PEER reply");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::out_of_bounds);
  EXPECT_NE(st.error().message.find("FIND_PEER reply"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find(std::string(errc_name(Errc::out_of_bounds))), std::string::npos)
      << st.error().message;
}

TEST(CompactReader, FinishIsOkWhenNothingFailed) {
  const Bytes in = bytes({1});
  Reader r(in);
  EXPECT_EQ(r.uint8(), 1);
  EXPECT_TRUE(r.finish("anything").ok());
}

}  // namespace
}  // namespace peerport::enc
