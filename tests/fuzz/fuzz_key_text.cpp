// Fuzzes the key text parsers with arbitrary strings. Besides crashes, it checks that what
// parse_key accepts is consistent (the key it found prints and parses back to itself) and that
// every refusal is an invalid_key error naming the accepted formats, and that z32_decode is the
// exact inverse of z32_encode on the strings it accepts.

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crypto/key_text.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace peerport;
using namespace peerport::crypto;

void check_parse(std::string_view text) {
  auto r = parse_key(text);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code == Errc::invalid_key);
    FUZZ_CHECK(r.error().message.find(kAcceptedKeyFormats) != std::string::npos);
    return;
  }
  const ParsedKey& k = *r;
  // Each accepted key has a canonical spelling that must parse to the same key.
  auto hex = parse_key(to_hex(k.public_key));
  FUZZ_CHECK(hex.ok() && hex->public_key == k.public_key && hex->format == KeyFormat::hex);
  auto z = parse_key(z32_encode(k.public_key));
  FUZZ_CHECK(z.ok() && z->public_key == k.public_key && z->format == KeyFormat::z32);
  if (k.format == KeyFormat::holesail_private) {
    FUZZ_CHECK(k.key_pair.has_value() && !k.secret.empty());
    FUZZ_CHECK(k.key_pair->public_key == k.public_key);
    FUZZ_CHECK(holesail_key_pair(k.secret).public_key == k.public_key);
  } else {
    FUZZ_CHECK(!k.key_pair.has_value());
    auto url = parse_key(hs_public_url(k.public_key));
    FUZZ_CHECK(url.ok() && url->public_key == k.public_key &&
               url->format == KeyFormat::holesail_public);
  }
}

void check_z32(std::string_view text) {
  auto raw = z32_decode(text);
  if (!raw) return;
  FUZZ_CHECK(raw->size() == text.size() * 5 / 8);
  const std::string again = z32_encode(*raw);
  auto back = z32_decode(again);
  FUZZ_CHECK(back && *back == *raw);
  // For a length encode can produce, decoding lost nothing: the text is the encoding, modulo case.
  if (again.size() == text.size()) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      FUZZ_CHECK(again[i] == std::tolower(static_cast<unsigned char>(text[i])));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!init().ok()) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  check_parse(text);
  check_z32(text);
  // Most interesting inputs sit behind a prefix the fuzzer would take long to find.
  if (size < 200) {
    check_parse("hs://0000" + std::string(text));
    check_parse("hs://s000" + std::string(text));
  }
  // Raw bytes as a key: 32 bytes encode to a valid z32 and hex key whatever they are.
  if (size == kPublicKeyBytes) {
    PublicKey pk{};
    std::copy(data, data + size, pk.begin());
    auto z = parse_key(z32_encode(pk));
    FUZZ_CHECK(z.ok() && z->public_key == pk);
    auto h = parse_key(to_hex(pk));
    FUZZ_CHECK(h.ok() && h->public_key == pk);
  }
  return 0;
}
