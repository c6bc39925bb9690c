#pragma once
// The hashes hyperdht uses: BLAKE2b through crypto_generichash (hypercore-crypto 3.7 hash() and
// namespace(), hyperdht lib/crypto.js), keyed BLAKE2b for the stream ids and holepunch secret,
// and SHA-256 for holesail's secret-to-seed step.

#include <initializer_list>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"

namespace peerport::crypto {

using Hash32 = FixedBytes<32>;

// crypto_generichash with a 32-byte output over the concatenation of parts, optionally keyed
// (sodium's crypto_generichash_batch(out, parts, key)).
Hash32 blake2b_256(ByteView data, ByteView key = {});
Hash32 blake2b_256(std::initializer_list<ByteView> parts, ByteView key = {});
FixedBytes<64> blake2b_512(std::initializer_list<ByteView> parts, ByteView key = {});
Hash32 sha256(ByteView data);

// hypercore-crypto namespace(name, ids): ns = H(name); entry i = H(ns || byte(ids[i])).
std::vector<Hash32> make_namespace(std::string_view name, std::initializer_list<std::uint8_t> ids);

// hyperdht 6 lib/constants.js NS, indexed by the command numbers.
struct HyperdhtNamespaces {
  Hash32 announce;
  Hash32 unannounce;
  Hash32 mutable_put;
  Hash32 peer_handshake;
  Hash32 peer_holepunch;
  Hash32 plugin;
};
const HyperdhtNamespaces& hyperdht_ns();

// @hyperswarm/secret-stream 6 NS_INITIATOR, NS_RESPONDER, NS_SEND.
struct SecretStreamNamespaces {
  Hash32 initiator;
  Hash32 responder;
  Hash32 send;
};
const SecretStreamNamespaces& secret_stream_ns();

}  // namespace peerport::crypto
