#pragma once
// Every limit protecting a node, relay or share from what a remote peer can make it hold or
// send, named in one place. docs/architecture.md ("Limits against hostile peers") has the same
// table with the reasons; each one has a test that a peer hitting it is refused and counted.
// Option structs (dht::Node::Options, hyperdht::Limits, RelayServer::Limits) take their
// defaults from here so tests can shrink them.

#include <cstddef>
#include <cstdint>

namespace peerport::limits {

// ---- datagrams (DHT side of every socket) ----
// libudx receives into a fixed 2048-byte buffer (UDX_SOCKET_PACKET_BUFFER_SIZE) and truncates
// anything longer, so no JS peer can send or read a larger DHT message: larger ones are hostile.
inline constexpr std::size_t kMaxDatagram = 2048;

// ---- replies ----
// A reply to a request without a valid token (the source may be spoofed) is at most this many
// times the request's size; the value goes first, then the closer nodes. A 44-byte FIND_NODE
// answered with 20 closer nodes, an id and a token is ~200 bytes (4.5x), so 8 keeps routing
// whole while a GET for a large value needs a token (one extra round trip for real clients).
inline constexpr std::size_t kReplyAmplification = 8;
// Bytes of replies to token-less requests sent to one destination IP per second: bounds what a
// spoofer reflects at one victim through us, whatever the ratio.
inline constexpr std::size_t kUnverifiedReplyBytesPerIpPerSecond = 256 * 1024;
// Destinations tracked for that budget; when full the oldest window is reused.
inline constexpr std::size_t kReplyBudgetDestinations = 4096;

// ---- storage (a persistent node's records) ----
// A stored value (immutable value or encoded mutable record) must fit a GET reply within
// kMaxDatagram with its id, token and 20 closer nodes (about 240 bytes of overhead).
inline constexpr std::size_t kMaxStoredValue = 1800;
// Bytes of stored values and records (keys included) in all, and from one source IP.
inline constexpr std::size_t kStorageBytes = 48 * 1024 * 1024;
inline constexpr std::size_t kStorageBytesPerIp = 1024 * 1024;

// ---- Our own requests ----
// Requests waiting for one of the node's 160 in-flight slots (dht-rpc's congestion window).
// Past this many, a request fails at once (on a later loop turn): only our own activity fills
// it (a few thousand shares announcing or lookups at once), never a peer.
inline constexpr std::size_t kMaxWaitingRequests = 8192;

// ---- DELAYED_PING ----
// Delayed pings waiting at once, over all sources; each holds only what its reply needs.
inline constexpr std::size_t kMaxDelayedPings = 1024;

// ---- NAT sampling ----
// Distinct responders remembered (one sample each; the oldest responder makes room). Up to 3
// of them may disagree with the rest, as in dht-rpc's nat-sampler, before a NAT looks random.
inline constexpr std::size_t kNatSamples = 32;

// ---- holepunch ----
// Addresses of a peer's holepunch payload we keep and punch: a peer names its own sampled
// address (hyperdht sends one), so more is only a way to make us spray packets at other hosts.
// Of those, an address on another host than the one the DHT saw the peer at is unverified and
// punched only every fourth second, as hyperdht's _consistentProbe does.
inline constexpr std::size_t kMaxPunchAddresses = 4;
// Clients a share probes random ports for at once (300 packets a second each, at first): the
// rest wait their turn, so a crowd of clients claiming a randomizing NAT cannot turn a share
// into a packet hose.
inline constexpr int kMaxRandomProbingSlots = 4;

// ---- a server's handshakes (a share answering clients it does not know yet) ----
// A handshake costs its sender one datagram and a fresh key, and us a stream, a Noise state, a
// cached reply and maybe a holepunch slot, birthday sockets and a relay pairing, all kept until
// the client's first packet or kSlotLifetime. Each kind is capped: over the pending and slot caps
// the oldest entry makes room (an honest client is through within a round trip or a punch);
// over the others a client is answered without the extra.
// Accepted handshakes waiting for the client's first packet (and their cached replies): as many
// as a share's connections, so a burst of honest parallel connects still fits.
inline constexpr std::size_t kServerMaxPendingHandshakes = 256;
// Holepunch slots (one per client punching toward us, each alive 40 s).
inline constexpr std::size_t kServerMaxHolepunchSlots = 64;
// Answers to handshakes (msg2, keyed by the hash of msg1) kept for kReplyLifetime (10 s), so a
// client's retransmitted msg1 gets the same answer and never a second connection: answered
// anew, it made a second stream toward the client's one, whose header the client rejected.
// Sized for a burst of a thousand handshakes inside that lifetime; each entry is ~300 bytes.
inline constexpr std::size_t kServerMaxCachedReplies = 4096;
// Handshakes holding a set of birthday sockets (kBirthdaySockets = 256 descriptors each) at
// once, when we are behind a randomizing NAT: two sets stay well inside a default 1024-descriptor
// limit. Over it a client is still answered, without birthday sockets (it may need a relay).
inline constexpr std::size_t kServerMaxBirthdaySets = 2;
// Relay pairings (a client's relayThrough) being set up at once: each runs a connect to the relay
// through the DHT. Over it the client is answered without our half of the pairing.
inline constexpr std::size_t kServerMaxRelayPairings = 16;

// ---- relay (protomux, blind relay) ----
// Control replies (rejects) a relay queues for one peer before the peer must read them.
inline constexpr std::size_t kMuxMaxQueuedRejects = 64;
// Relay sessions (connections) and pairings waiting for their other half, over all peers.
inline constexpr std::size_t kRelayMaxSessions = 256;
inline constexpr std::size_t kRelayMaxPending = 512;

// ---- shares (the sharing side of a tunnel) ----
// Connections one share carries at once, from all clients. Each holds a socket to the shared
// service (a descriptor) and a stream's buffers; client keys cost nothing, so this is what
// bounds a share. Two of them still fit a default 1024-descriptor limit with room for the DHT.
inline constexpr std::size_t kShareMaxConnections = 256;
// Connections from one client key at once: a browser opens 6-10 per host, a download manager or
// a test pushing 100 transfers in parallel (e2e HundredParallelConnectionsOfOneMiBEach) more;
// one client must still leave half the share to the others.
inline constexpr std::size_t kShareMaxConnectionsPerPeer = 128;
// A UDP pipe on the sharing side that carried no datagram either way for this long is closed
// with its socket to the service. The connecting side closes its idle clients after 120 s, so
// a PeerPort client normally ends first; this catches clients that never do.
inline constexpr std::uint64_t kShareUdpIdleTimeoutMs = 180000;

// ---- connects (the connecting side of a tunnel) ----
// Connect attempts (a DHT lookup and a handshake each) one tunnel runs at once; local
// connections beyond it wait their turn, unread, in arrival order. A burst of a thousand local
// connections would otherwise be a thousand lookups at once from one address, which DHT nodes
// throttle (kUnverifiedReplyBytesPerIpPerSecond), and a thousand handshakes at a share that
// answers at most kServerMaxPendingHandshakes at a time: most of them failed.
inline constexpr std::size_t kConnectMaxAttemptsInFlight = 32;

}  // namespace peerport::limits
