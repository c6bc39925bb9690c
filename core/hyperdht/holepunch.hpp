#pragma once
// Pieces of hyperdht's holepunch (6.34 lib/secure-payload.js, lib/holepuncher.js, bogon 1.3):
// the encrypted holepunch payload, address tokens, and the address classes that decide
// whether a peer is tried directly, over the LAN or by punching. The rounds run in
// holepuncher.cpp (the client) and server.cpp (the server's side).

#include <optional>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "dht/node.hpp"
#include "hyperdht/messages.hpp"
#include "udx/udx.hpp"

namespace peerport::hyperdht {

// XSalsa20-Poly1305 (crypto_secretbox) under the holepunch secret of one handshake:
// nonce(24) || MAC(16) || encoded holepunchPayload.
class SecurePayload {
 public:
  // The secret is BLAKE2b-256(NS_PEER_HOLEPUNCH, key = the Noise handshake hash).
  explicit SecurePayload(ByteView handshake_hash);
  Bytes encrypt(const HolepunchPayload& p) const;
  std::optional<HolepunchPayload> decrypt(ByteView wire) const;
  // Proof that a peer receives at `host`: BLAKE2b-256(host as text, key = a local secret).
  FixedBytes<32> token(const dht::Address& a) const;

 private:
  crypto::SecretBytes<32> shared_;
  crypto::SecretBytes<32> local_;
};

// bogon 1.3: private (10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16) and
// reserved (0/8, TEST-NETs, 198.18/15, multicast, 240/4) ranges.
bool is_private(const dht::Address& a);
bool is_reserved(const dht::Address& a);
inline bool is_bogon(const dht::Address& a) {
  return is_private(a) || is_reserved(a);
}

// The first address a peer can be reached at from the internet, as getFirstRemoteAddress.
std::optional<dht::Address> first_public(const std::vector<dht::Address>& addresses);

// Our NAT as a FIREWALL value from one sample per answering node (dht-rpc nat-sampler): the
// same address from at least two nodes is CONSISTENT, the same host on several ports RANDOM.
std::uint64_t firewall_from_samples(const std::vector<dht::Address>& samples);
// Where peers on our LAN reach a socket bound to `bound`: that address, or for a wildcard
// bind every non-loopback IPv4 interface with its port (Holepuncher.localAddresses).
std::vector<dht::Address> local_addresses(const dht::Address& bound);
// The entry of `theirs` sharing the longest prefix with one of `ours` (holepuncher.js
// matchAddress, at most 3 octets), else nullopt.
std::optional<dht::Address> match_address(const std::vector<dht::Address>& ours,
                                          const std::vector<dht::Address>& theirs);

// The random side of a punch opens this many sockets (holepuncher.js BIRTHDAY_SOCKETS): each
// sends toward the peer with a short TTL, so its NAT keeps that many mappings open, and the
// peer's probes to random ports of our host find one of them (the birthday paradox).
inline constexpr std::size_t kBirthdaySockets = 256;
using PunchOnSocket = std::function<void(udx::Socket&, const dht::Address& from)>;
std::vector<std::unique_ptr<udx::Socket>> open_birthday_sockets(udx::Udx& udx,
                                                                const dht::Address& toward,
                                                                PunchOnSocket on_punch);

// The consistent side of a punch against a randomizing NAT sends 0x00 to random ports of the
// peer's host, one of which may be a birthday mapping. hyperdht sends 50 a second for 35 s:
// against 256 mappings that finds one at 0.2/s (median 3.5 s, p90 11.5 s). We send 300 a
// second for the first 10 s, as 30 every 100 ms tick so no burst overruns a router queue:
// 1.2/s, median 0.6 s, p90 1.9 s, about one attempt in 100,000 past 10 s. Then 50 a second, as
// hyperdht, for the rest of the budget. Each probe costs our own router one conntrack entry:
// at most 3,000 + 1,000 per attempt, and probing stops at the first answer.
inline constexpr int kRandomProbesPerTick = 30;
inline constexpr int kFastRandomProbeTicks = 100;
inline constexpr int kSlowRandomProbesPerTick = 5;
inline constexpr int kPunchTickMs = 100;
// How many random probes this tick, for a prober that has done `ticks_done` ticks of them (and
// counts this one): the schedule above, shared by the client and the share.
inline int random_probes_this_tick(int& ticks_done) {
  return ticks_done++ < kFastRandomProbeTicks ? kRandomProbesPerTick : kSlowRandomProbesPerTick;
}
// A random port of `host`'s address (1000 and up, as holepuncher.js _randomProbes).
dht::Address random_port_of(const dht::Address& host);
// The random side keeps its birthday mappings open (holepuncher.js _keepAliveRandomNat) by
// sending on this many of its sockets per tick, in turn: each socket every ~5 s.
inline constexpr int kBirthdayKeepAlivePerTick = 5;

// Holepunch packets are one byte: 0x00 (lib/holepuncher.js holepunch()).
inline constexpr std::uint8_t kPunch = 0;
// openSession's TTL: far enough to open our own NAT mapping, too short to reach the peer.
inline constexpr int kSessionTtl = 5;

}  // namespace peerport::hyperdht
