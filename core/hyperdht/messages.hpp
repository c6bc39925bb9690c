#pragma once
// hyperdht 6.34 lib/messages.js: the records hyperdht stores and signs (peer, announce,
// mutable put/get, lookup replies) and lib/constants.js COMMANDS. The handshake and holepunch
// messages join these with the connect path.

#include <optional>
#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/keys.hpp"
#include "dht/messages.hpp"

namespace peerport::hyperdht {

using dht::Address;
using Signature = FixedBytes<64>;

enum Command : std::uint64_t {
  kPeerHandshake = 0,
  kPeerHolepunch = 1,
  kFindPeer = 2,
  kLookup = 3,
  kAnnounce = 4,
  kUnannounce = 5,
  kMutablePut = 6,
  kMutableGet = 7,
  kImmutablePut = 8,
  kImmutableGet = 9,
  kPlugin = 10,
};

// Response error codes (constants.js ERROR).
inline constexpr std::uint64_t kErrSeqReused = 16;
inline constexpr std::uint64_t kErrSeqTooLow = 17;

struct Peer {
  crypto::PublicKey public_key{};
  std::vector<Address> relay_addresses;
};

struct Announce {
  std::optional<Peer> peer;
  std::optional<FixedBytes<32>> refresh;
  std::optional<Signature> signature;
  std::uint64_t bump = 0;
};

struct MutableRecord {
  std::uint64_t seq = 0;
  Bytes value;
  Signature signature{};
};

struct MutablePut {
  crypto::PublicKey public_key{};
  MutableRecord record;
};

void encode(enc::Writer& w, const Peer& p);
std::optional<Peer> decode_peer(enc::Reader& r);
Bytes encode(const Announce& a);
std::optional<Announce> decode_announce(ByteView b);
Bytes encode(const MutableRecord& m);  // mutableGetResponse
std::optional<MutableRecord> decode_mutable_record(ByteView b);
Bytes encode(const MutablePut& m);
std::optional<MutablePut> decode_mutable_put(ByteView b);
// lookupRawReply: already-encoded peer records and the bump.
Bytes encode_lookup_reply(const std::vector<Bytes>& peers, std::uint64_t bump);
std::optional<std::vector<Peer>> decode_lookup_reply(ByteView b);

// Persistent.signMutable / verifyMutable: ed25519 over NS_MUTABLE_PUT || H(seq, value).
Signature sign_mutable(std::uint64_t seq, ByteView value, const crypto::KeyPair& kp);
bool verify_mutable(const MutableRecord& m, const crypto::PublicKey& pk);
// annSignable: NS || H(target, node id, token, encoded peer, refresh).
FixedBytes<64> announce_signable(const dht::NodeId& target, const dht::NodeId& node_id,
                                 const dht::Token& token, const Announce& a,
                                 const FixedBytes<32>& ns);

}  // namespace peerport::hyperdht
