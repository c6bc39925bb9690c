#pragma once
// hyperdht 6.34 lib/messages.js: the records hyperdht stores and signs (peer, announce,
// mutable put/get, lookup replies), the connect path's messages (handshake, holepunch,
// noisePayload, holepunchPayload) and lib/constants.js COMMANDS and FIREWALL.

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
  bool operator==(const Peer&) const = default;
};

struct Announce {
  std::optional<Peer> peer;
  std::optional<FixedBytes<32>> refresh;
  std::optional<Signature> signature;
  std::uint64_t bump = 0;
  bool operator==(const Announce&) const = default;
};

struct MutableRecord {
  std::uint64_t seq = 0;
  Bytes value;
  Signature signature{};
  bool operator==(const MutableRecord&) const = default;
};

struct MutablePut {
  crypto::PublicKey public_key{};
  MutableRecord record;
  bool operator==(const MutablePut&) const = default;
};

// constants.js FIREWALL: what a peer says about its own reachability.
enum Firewall : std::uint64_t {
  kFirewallUnknown = 0,
  kFirewallOpen = 1,
  kFirewallConsistent = 2,
  kFirewallRandom = 3,
};

// messages.js handshake: a Noise message travelling through DHT nodes.
// Who sent a PEER_HANDSHAKE / PEER_HOLEPUNCH message (lib/constants.js MODE_*).
inline constexpr std::uint64_t kModeFromClient = 0;
inline constexpr std::uint64_t kModeFromServer = 1;
inline constexpr std::uint64_t kModeFromRelayForServer = 2;
inline constexpr std::uint64_t kModeReply = 4;

struct Handshake {
  std::uint64_t mode = 0;
  Bytes noise;
  std::optional<Address> peer_address;
  std::optional<Address> relay_address;
  bool operator==(const Handshake&) const = default;
};

// messages.js holepunch: an encrypted holepunch payload travelling through DHT nodes.
struct Holepunch {
  std::uint64_t mode = 0;
  std::uint64_t id = 0;
  Bytes payload;
  std::optional<Address> peer_address;
  bool operator==(const Holepunch&) const = default;
};

struct RelayInfo {
  Address relay_address;
  Address peer_address;
  bool operator==(const RelayInfo&) const = default;
};

struct UdxInfo {
  std::uint64_t version = 1;
  bool reusable_socket = false;
  std::uint64_t id = 0;
  std::uint64_t seq = 0;
  bool operator==(const UdxInfo&) const = default;
};

struct RelayThrough {
  std::uint64_t version = 1;
  crypto::PublicKey public_key{};
  FixedBytes<32> token{};
  bool operator==(const RelayThrough&) const = default;
};

// messages.js noisePayload: what each side tells the other inside the Noise handshake.
struct NoisePayload {
  std::uint64_t version = 1;
  std::uint64_t error = 0;
  std::uint64_t firewall = kFirewallUnknown;
  std::optional<std::pair<std::uint64_t, std::vector<RelayInfo>>> holepunch;  // id, relays
  std::vector<Address> addresses4;
  std::optional<UdxInfo> udx;
  bool secret_stream = false;
  std::optional<RelayThrough> relay_through;
  std::optional<std::vector<Address>> relay_addresses;
  bool operator==(const NoisePayload&) const = default;
};

// messages.js holepunchPayload: the decrypted content of a Holepunch.
struct HolepunchPayload {
  std::uint64_t error = 0;
  std::uint64_t firewall = kFirewallUnknown;
  std::uint64_t round = 0;
  bool connected = false;
  bool punching = false;
  std::optional<std::vector<Address>> addresses;
  std::optional<Address> remote_address;
  std::optional<FixedBytes<32>> token;
  std::optional<FixedBytes<32>> remote_token;
  bool operator==(const HolepunchPayload&) const = default;
};

Bytes encode(const Handshake& h);
std::optional<Handshake> decode_handshake(ByteView b);
Bytes encode(const Holepunch& h);
std::optional<Holepunch> decode_holepunch(ByteView b);
Bytes encode(const NoisePayload& p);
// A payload with a version other than 1 decodes to just its version, as the reference does,
// so the caller can answer VERSION_MISMATCH.
std::optional<NoisePayload> decode_noise_payload(ByteView b);
Bytes encode(const HolepunchPayload& p);
std::optional<HolepunchPayload> decode_holepunch_payload(ByteView b);

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
