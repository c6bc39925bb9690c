// Fuzzes enc::Reader with a read sequence chosen by the input: the first byte says how many of
// the following bytes are opcodes, and the rest is the message those reads decode. Beyond "no
// crash" (ASan/UBSan catch overreads), it checks the Reader's promises: it never moves past its
// input, every view points inside it, and once failed it stays put and returns zeros.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "encoding/compact.hpp"
#include "fuzz_check.hpp"

namespace {

using peerport::ByteView;
using peerport::Errc;
using peerport::enc::Ipv4Address;
using peerport::enc::kMaxArrayLength;
using peerport::enc::Reader;
using peerport::enc::Writer;

bool inside(ByteView v, ByteView input) {
  if (v.empty()) return true;
  return v.data() >= input.data() && v.data() + v.size() <= input.data() + input.size();
}

// One read; returns whether the value it produced was the zero value, for the after-error check.
bool read_one(Reader& r, std::uint8_t op, ByteView input) {
  switch (op % 16) {
    case 0: {
      std::uint64_t v = r.uint();
      if (r.ok()) {
        // Whatever form it had on the wire, our canonical encoding must read back the same.
        Writer w;
        w.uint(v);
        FUZZ_CHECK(w.size() == peerport::enc::uint_size(v));
        Reader back(w.bytes());
        FUZZ_CHECK(back.uint() == v && back.ok() && back.at_end());
      }
      return v == 0;
    }
    case 1:
      return r.uint8() == 0;
    case 2:
      return r.uint16() == 0;
    case 3: {
      std::uint32_t v = r.uint24();
      FUZZ_CHECK(v <= 0xffffff);
      return v == 0;
    }
    case 4:
      return r.uint32() == 0;
    case 5:
      return r.uint32be() == 0;
    case 6:
      return r.uint64() == 0;
    case 7:
      return !r.boolean();
    case 8: {
      auto v = r.fixed(op / 16);
      FUZZ_CHECK(inside(v, input));
      FUZZ_CHECK(!r.ok() || v.size() == op / 16u);
      return v.empty();
    }
    case 9: {
      auto v = r.fixed<32>();
      for (auto b : v) {
        if (b) return false;
      }
      return true;
    }
    case 10: {
      auto v = r.buffer();
      FUZZ_CHECK(inside(v, input));
      return v.empty();
    }
    case 11: {
      auto v = r.optional_buffer();
      FUZZ_CHECK(!v || !v->empty());
      return !v.has_value();
    }
    case 12:
      return r.string().empty();
    case 13: {
      Ipv4Address a = r.ipv4();
      if (r.ok()) {
        auto back = Ipv4Address::parse(a.host_string(), a.port);
        FUZZ_CHECK(back && *back == a);
      }
      return a == Ipv4Address{};
    }
    case 14: {
      const std::size_t min = op / 16;
      const std::size_t before = r.remaining();
      std::size_t n = r.array_length(min);
      if (r.ok()) {
        FUZZ_CHECK(n <= kMaxArrayLength);
        FUZZ_CHECK(min == 0 || n <= r.remaining() / min);
        FUZZ_CHECK(r.remaining() < before);
      }
      return n == 0;
    }
    default: {
      auto v = r.rest();
      FUZZ_CHECK(inside(v, input));
      FUZZ_CHECK(!r.ok() || r.at_end());
      return v.empty();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t nops = std::min<std::size_t>(data[0], size - 1);
  ByteView ops(data + 1, nops);
  ByteView input(data + 1 + nops, size - 1 - nops);

  Reader r(input);
  Errc first_error = Errc::ok;
  for (std::uint8_t op : ops) {
    const bool was_ok = r.ok();
    const std::size_t pos = r.position();
    const bool zero = read_one(r, op, input);
    FUZZ_CHECK(r.position() <= input.size());
    FUZZ_CHECK(r.remaining() == input.size() - r.position());
    if (!was_ok) {
      // Latched: nothing consumed, a zero value, and the first error kept.
      FUZZ_CHECK(r.position() == pos);
      FUZZ_CHECK(zero);
      FUZZ_CHECK(r.error_code() == first_error);
    } else if (!r.ok()) {
      first_error = r.error_code();
      FUZZ_CHECK(first_error == Errc::out_of_bounds || first_error == Errc::too_large);
    }
  }
  auto st = r.finish("fuzz message");
  FUZZ_CHECK(st.ok() == r.ok());
  if (!st.ok()) {
    FUZZ_CHECK(st.error().code == r.error_code());
    FUZZ_CHECK(st.error().message.find("fuzz message") != std::string::npos);
  }

  // The same bytes as a dotted quad: whatever parses must print back to itself.
  std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  if (auto a = Ipv4Address::parse(text, 1)) {
    auto again = Ipv4Address::parse(a->host_string(), 1);
    FUZZ_CHECK(again && *again == *a);
  }
  return 0;
}
