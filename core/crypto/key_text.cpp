#include "crypto/key_text.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "crypto/hash.hpp"

namespace peerport::crypto {

namespace {

constexpr std::string_view kAlphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

int z32_value(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error key_error(std::string why) {
  return make_error(Errc::invalid_key, "Not a valid key (" + why + "). Accepted: " +
                                           std::string(kAcceptedKeyFormats) + ".");
}

std::string first_bad_char(std::string_view s, bool (*good)(char)) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!good(s[i])) {
      return "unexpected character '" + std::string(1, s[i]) + "' at position " +
             std::to_string(i + 1);
    }
  }
  return {};
}

bool is_hex_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_z32_char(char c) {
  return z32_value(c) >= 0;
}

Result<ParsedKey> parse_public(std::string_view s, KeyFormat z32_format) {
  ParsedKey out;
  if (s.size() == 64 && std::all_of(s.begin(), s.end(), is_hex_char)) {
    auto raw = from_hex(s);
    std::copy(raw->begin(), raw->end(), out.public_key.begin());
    out.format = KeyFormat::hex;
    return out;
  }
  if (s.size() == 52) {
    if (auto bad = first_bad_char(s, is_z32_char); !bad.empty()) return key_error(bad);
    auto raw = z32_decode(s);
    if (!raw) return key_error("the last character is not a valid end of a z32 key");
    std::copy(raw->begin(), raw->end(), out.public_key.begin());
    out.format = z32_format;
    return out;
  }
  if (s.size() == 64) return key_error(first_bad_char(s, is_hex_char));
  return key_error("it has " + std::to_string(s.size()) + " characters");
}

}  // namespace

std::string z32_encode(ByteView buf) {
  std::string s;
  const std::size_t bits = buf.size() * 8;
  s.reserve((bits + 4) / 5);
  for (std::size_t p = 0; p < bits; p += 5) {
    std::size_t i = p / 8;
    std::size_t j = p % 8;
    unsigned v;
    if (j <= 3) {
      v = (buf[i] >> (3 - j)) & 0x1f;
    } else {
      std::size_t of = j - 3;
      unsigned hi = (static_cast<unsigned>(buf[i]) << of) & 0x1f;
      unsigned lo = i + 1 < buf.size() ? buf[i + 1] >> (8 - of) : 0;
      v = hi | lo;
    }
    s.push_back(kAlphabet[v]);
  }
  return s;
}

std::optional<Bytes> z32_decode(std::string_view text) {
  Bytes out;
  out.reserve(text.size() * 5 / 8);
  unsigned acc = 0;
  int nbits = 0;
  for (char c : text) {
    int v = z32_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 5) | static_cast<unsigned>(v);
    nbits += 5;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> nbits));
      acc &= (1u << nbits) - 1;
    }
  }
  if (acc != 0) return std::nullopt;  // leftover bits must be padding zeros
  return out;
}

KeyPair holesail_key_pair(std::string_view secret) {
  Hash32 digest = sha256(as_bytes(secret));
  Seed seed;
  std::memcpy(seed.data(), digest.data(), seed.size());
  sodium_memzero(digest.data(), digest.size());
  return KeyPair::from_seed(seed);
}

std::string new_holesail_secret() {
  Seed raw = random_seed();
  return to_hex(raw.view());
}

std::string hs_public_url(const PublicKey& key) {
  return "hs://0000" + z32_encode(key);
}

std::string hs_private_url(std::string_view secret) {
  return "hs://s000" + std::string(secret);
}

std::string peerport_url(const PublicKey& key) {
  return "peerport://" + z32_encode(key);
}

std::string peerport_private_url(std::string_view secret) {
  return "peerport://s000" + std::string(secret);
}

Result<ParsedKey> parse_key(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return key_error("it is empty");

  auto has_scheme = [&](std::string_view scheme) {
    return s.size() >= scheme.size() &&
           std::equal(scheme.begin(), scheme.end(), s.begin(), [](char a, char b) {
             return a == std::tolower(static_cast<unsigned char>(b));
           });
  };
  constexpr std::string_view kHs = "hs://";
  constexpr std::string_view kPeerport = "peerport://";
  if (has_scheme(kPeerport)) {
    // PeerPort's own links: the key as hex or z32, or holesail's 4-character prefix and key,
    // with the trailing slash some chat apps and browsers add.
    std::string_view rest = s.substr(kPeerport.size());
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.empty()) return key_error("the peerport:// link has no key in it");
    if (rest.size() > 4 && (rest.substr(0, 4) == "0000" || rest.substr(0, 4) == "s000") &&
        rest.size() != 64) {
      return parse_key("hs://" + std::string(rest));
    }
    return parse_public(rest, KeyFormat::z32);
  }
  if (has_scheme(kHs)) {
    std::string_view rest = s.substr(kHs.size());
    if (rest.size() < 4) return key_error("an hs:// URL needs a 4-character prefix and a key");
    std::string_view prefix = rest.substr(0, 4);
    std::string_view body = rest.substr(4);
    if (body.empty()) return key_error("the hs:// URL has no key after its prefix");
    // holesail's urlParser marks private URLs by an 's' in the first prefix position.
    if (prefix[0] == 's') {
      ParsedKey out;
      out.format = KeyFormat::holesail_private;
      out.key_pair = holesail_key_pair(body);
      out.public_key = out.key_pair->public_key;
      out.secret = std::string(body);
      return out;
    }
    return parse_public(body, KeyFormat::holesail_public);
  }
  return parse_public(s, KeyFormat::z32);
}

}  // namespace peerport::crypto
