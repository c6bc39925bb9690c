#pragma once
// The ways a key is written down by the tools PeerPort interoperates with:
//  - 64 hex characters (hyperdht, hypertele);
//  - z-base-32, 52 characters, as the z32 1.1 npm package (holesail, keet);
//  - holesail 2.4 URLs: hs://0000<z32 public key>, and hs://s000<secret> for a private share,
//    whose key pair is HyperDHT.keyPair(SHA-256(secret as UTF-8)) on both ends (holesail
//    src/index.js #initialise and holesail-client's secure mode).

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::crypto {

std::string z32_encode(ByteView bytes);
// Strict: only z-base-32 characters (either case), and the unused low bits of the last
// character must be zero, so a mistyped last character is caught rather than ignored.
std::optional<Bytes> z32_decode(std::string_view text);

enum class KeyFormat {
  hex,
  z32,
  holesail_public,
  holesail_private,
};

struct ParsedKey {
  KeyFormat format = KeyFormat::hex;
  PublicKey public_key{};
  // Set for private (secure-mode) keys: whoever holds the secret holds the key pair.
  std::optional<KeyPair> key_pair;
  std::string secret;  // the hs://s000 secret, to show the URL again
};

// Accepts every format above, with surrounding whitespace. The error says which formats are
// accepted and what was wrong with this one.
Result<ParsedKey> parse_key(std::string_view text);

// A private share's key pair from its holesail secret string.
KeyPair holesail_key_pair(std::string_view secret);
// A new holesail secret: 32 random bytes as hex, as holesail does.
std::string new_holesail_secret();

std::string hs_public_url(const PublicKey& key);
std::string hs_private_url(std::string_view secret);
// PeerPort links (what the desktop app registers and puts in QR codes): peerport://<z32 key>,
// peerport://s000<secret>. parse_key also takes peerport://<hex>.
std::string peerport_url(const PublicKey& key);
std::string peerport_private_url(std::string_view secret);

inline constexpr std::string_view kAcceptedKeyFormats =
    "64 hex characters, a 52-character z32 key, hs://0000<z32 key>, hs://s000<secret> or a "
    "peerport:// link";

}  // namespace peerport::crypto
