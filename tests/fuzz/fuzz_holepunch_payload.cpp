// libFuzzer target: the holepunch payload as a server or client receives it in PEER_HOLEPUNCH,
// SecurePayload::decrypt (XSalsa20-Poly1305 under the handshake's holepunch secret) and the
// holepunchPayload decoder behind it. Random bytes never pass the MAC, so byte 0 picks:
//  - even: the rest is the wire as a peer sent it (nonce, MAC, ciphertext): must be refused
//    or decoded, never crash;
//  - odd: the rest is the plaintext, sealed under the same secret as a peer holding the
//    handshake would: what decrypts must equal a plain decode of it, and re-encode to a
//    payload that decodes the same.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "crypto/hash.hpp"
#include "fuzz_check.hpp"
#include "hyperdht/holepunch.hpp"

namespace {

using namespace peerport;
using namespace peerport::hyperdht;

const Bytes kHandshakeHash(64, 0x5a);

bool same(const HolepunchPayload& a, const HolepunchPayload& b) {
  return a.error == b.error && a.firewall == b.firewall && a.round == b.round &&
         a.connected == b.connected && a.punching == b.punching && a.addresses == b.addresses &&
         a.remote_address == b.remote_address && a.token == b.token &&
         a.remote_token == b.remote_token;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = sodium_init() >= 0;
  FUZZ_CHECK(ready);
  static const SecurePayload secure(kHandshakeHash);
  static const auto key = crypto::blake2b_256(crypto::hyperdht_ns().peer_holepunch, kHandshakeHash);
  if (size < 1) return 0;
  ByteView rest(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    if (auto p = secure.decrypt(rest)) {
      auto again = decode_holepunch_payload(encode(*p));
      FUZZ_CHECK(again && same(*again, *p));
    }
    return 0;
  }
  Bytes wire(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + rest.size());
  for (std::size_t i = 0; i < crypto_secretbox_NONCEBYTES; ++i)
    wire[i] = static_cast<std::uint8_t>(data[0] ^ i);
  crypto_secretbox_easy(wire.data() + crypto_secretbox_NONCEBYTES, rest.data(), rest.size(),
                        wire.data(), key.data());
  auto opened = secure.decrypt(wire);
  auto plain = decode_holepunch_payload(rest);
  // An empty plaintext is refused before decoding (nothing after the MAC).
  if (rest.empty()) {
    FUZZ_CHECK(!opened);
    return 0;
  }
  FUZZ_CHECK(opened.has_value() == plain.has_value());
  if (!opened) return 0;
  FUZZ_CHECK(same(*opened, *plain));
  auto again = decode_holepunch_payload(encode(*opened));
  FUZZ_CHECK(again && same(*again, *opened));
  // A single flipped bit anywhere in the sealed message is refused.
  wire[data[0] % wire.size()] ^= 0x01;
  FUZZ_CHECK(!secure.decrypt(wire));
  return 0;
}
