#pragma once
// The Engine: the one door between front ends (peerport-cli, the Qt app) and the network.
//
// It owns a libuv loop on its own thread; every DHT, UDX and tunnel object lives there and is
// touched only there (../../docs/architecture.md, "One engine thread"). Front ends:
//  - post Commands from any thread (a mutex-guarded queue plus uv_async_send);
//  - receive Events through an EngineListener, called on the engine thread, one at a time.
//    The listener must not block: the CLI prints, the GUI re-posts as a queued Qt signal.
// Ids of shares and connections are chosen by the caller (next_id()), so a command and the
// events about it can be matched without waiting for an answer.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/limits.hpp"
#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::engine {

using Id = std::uint64_t;

enum class Protocol {
  tcp,
  udp,
};

enum class Access {
  open,        // anyone with the key
  allow_list,  // only the listed client keys (hypertele's allow list)
  secret,      // the key handed out is a secret (holesail hs://s000, hypertele --private)
};

enum class Path {
  direct,
  relayed,
};

// What the outside world lets us do, from the DHT's NAT sampling (dht-rpc's nat-sampler).
enum class NatType {
  unknown,      // not enough answers yet
  open,         // reachable at our own address
  consistent,   // behind a NAT that keeps our port for every destination ("easy")
  random,       // behind a NAT with a new port per destination ("hard")
  firewalled,   // public address, unsolicited packets dropped
  offline,      // no DHT node answers, and the bootstrap hosts do not answer over TCP either
  udp_blocked,  // no DHT node answers, but the bootstrap hosts answer over TCP: UDP is filtered
};

// Stable names, as the reference names its errors, so front ends can translate them.
enum class ErrorCode {
  invalid_key,          // text that is no key; message lists the accepted formats
  invalid_argument,     // a port or host that cannot work
  port_in_use,          // our local listener could not bind
  peer_not_found,       // PEER_NOT_FOUND: the key is not announced on the DHT
  connection_failed,    // PEER_CONNECTION_FAILED: found but the handshake failed or was refused
  holepunch_aborted,    // HOLEPUNCH_ABORTED: punching did not get through in time
  double_randomized,    // HOLEPUNCH_DOUBLE_RANDOMIZED_NATS: both peers behind randomizing NATs
  relay_unavailable,    // RELAY_UNAVAILABLE: punching cannot work and no relay is known
  service_unreachable,  // the shared service refused or is down ("service at h:p refused")
  dht_unreachable,      // no bootstrap node answered, and the hosts are not reachable at all
  udp_blocked,          // no bootstrap node answered over UDP, but the hosts answer over TCP
  announce_failed,      // no DHT node stored our announcement
  // Why an open tunnel ended (PeerDisconnected):
  peer_reset,      // the peer closed or reset it
  peer_timed_out,  // the peer stopped acknowledging: gone, or its network changed
  idle_timeout,    // nothing moved either way for longer than the idle limit (UDP)
  internal,
};
std::string_view error_code_name(ErrorCode code);  // e.g. "PEER_NOT_FOUND"

// ---- Commands (front end -> engine) ----

struct ShareSpec {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  Protocol protocol = Protocol::tcp;
  Access access = Access::open;
  std::vector<crypto::PublicKey> allow;  // for Access::allow_list
  // The share's key pair comes from, in order: `secret` (Access::secret; empty: a new random
  // one, reported in ShareStarted so it can be saved), `seed`, or else it is derived from the
  // engine identity and host:port/protocol, so the same share keeps its key across restarts.
  std::string secret;
  std::optional<crypto::Seed> seed;
  // Connections the share carries at once, in all and from one client key
  // (limits::kShareMaxConnections, kShareMaxConnectionsPerPeer).
  std::size_t max_connections = limits::kShareMaxConnections;
  std::size_t max_connections_per_peer = limits::kShareMaxConnectionsPerPeer;
};

struct ShareCommand {
  Id id = 0;
  ShareSpec spec;
};
struct UnshareCommand {
  Id id = 0;
};

struct ConnectSpec {
  std::string key;  // as the user wrote it: hex, z32, hs://..., peerport://...
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (reported in ConnectStarted)
  // Unset: what the share's published record says (holesail metadata), else TCP.
  std::optional<Protocol> protocol;
};

struct ConnectCommand {
  Id id = 0;
  ConnectSpec spec;
};
struct DisconnectCommand {
  Id id = 0;
};

// Ends every tunnel one client has open to a share; the share keeps running, and so do the
// other clients' tunnels. The client may open new tunnels later unless `block`: then the share
// turns it away (as an allow list would, reported as PeerRefused) for as long as it runs. A
// front end that wants the block to outlast the share takes the key off its allow list.
// Answered by a PeerDisconnected per tunnel ended (reason empty); nothing if it had none.
struct DisconnectPeerCommand {
  Id id = 0;         // the share
  std::string peer;  // the client's public key, hex (as PeerConnected and PeerStats name it)
  bool block = false;
};

using Command = std::variant<ShareCommand, UnshareCommand, ConnectCommand, DisconnectCommand,
                             DisconnectPeerCommand>;

// ---- Events (engine -> front end) ----

struct DhtStatus {
  bool bootstrapped = false;
  std::size_t nodes = 0;       // in our routing table
  std::string public_address;  // "ip:port" as the DHT sees us; empty if not known yet
  NatType nat = NatType::unknown;
  // With Config::run_relay: our relay's key (hex) once it is announced on the DHT.
  std::string relay_key;
  std::string node_id;     // our DHT node id (hex)
  std::uint16_t port = 0;  // the UDP port our node is bound to
  // Peer lookups started since the engine did: one per connection per check interval at most,
  // plus those of local clients' tunnels.
  std::uint64_t peer_lookups = 0;
  // Checks of connections' shares that fell due since the engine started (one per connection
  // per Config::peer_check_interval); a check still running when the next is due skips it.
  std::uint64_t peer_checks = 0;
};

struct ShareStarted {
  Id id = 0;
  std::string public_key;  // hex
  std::string z32;
  std::string url;      // hs://0000<z32> or hs://s000<secret>
  std::string secret;   // set for Access::secret shares
  std::string service;  // "host:port"
  Protocol protocol = Protocol::tcp;
};

struct ConnectStarted {
  Id id = 0;
  std::string host;
  std::uint16_t port = 0;  // where the local listener is
  std::string public_key;  // the share's key, hex
  Protocol protocol = Protocol::tcp;
};

struct PeerConnected {
  Id id = 0;         // the share or connection this belongs to
  std::string peer;  // the remote public key, hex
  Path path = Path::direct;
};

// A tunnel of this share or connection changed path: a relayed one found a direct path.
struct PathChanged {
  Id id = 0;
  std::string peer;  // the remote public key, hex
  Path path = Path::direct;
};

struct PeerDisconnected {
  Id id = 0;
  std::string peer;
  std::string reason;             // empty for a clean close; detail for logs, not decisions
  std::optional<ErrorCode> code;  // why it broke; none for a clean close
};

// A share or connection ended (by command or by a fatal error reported just before).
struct Stopped {
  Id id = 0;
};

struct ErrorEvent {
  Id id = 0;  // 0: about the engine itself
  ErrorCode code = ErrorCode::internal;
  std::string message;  // a sentence for the user, naming what happened and what to do
  bool fatal = false;   // the share or connection is gone (a Stopped follows)
  // Not final: the engine tries again after a delay, and the local client waits meanwhile
  // (tunnel::connect_retry_delay_ms). The message says so in words; decisions read this.
  bool retrying = false;
};

// One client of a share with a tunnel open, as sampled at a stats tick.
struct PeerStats {
  std::string peer;             // the client's public key, hex
  std::uint64_t bytes_in = 0;   // from this client to the service, since `connected_ms` ago
  std::uint64_t bytes_out = 0;  // from the service to this client
  double rate_in = 0;           // bytes per second, averaged as StatsItem's
  double rate_out = 0;
  std::uint32_t tunnels = 0;       // open now (one per TCP connection or UDP client)
  std::uint64_t connected_ms = 0;  // since its first open tunnel opened
  std::uint32_t rtt_ms = 0;        // 0: not measured yet
  Path path = Path::direct;        // of its latest tunnel
};

// One snapshot per tick (about once a second), never per packet.
struct StatsItem {
  Id id = 0;
  std::uint64_t bytes_in = 0;   // from peers to the local side
  std::uint64_t bytes_out = 0;  // from the local side to peers
  double rate_in = 0;           // bytes per second, averaged over the last few seconds
  double rate_out = 0;
  std::uint64_t connections = 0;  // opened so far
  std::uint64_t active = 0;       // open now
  std::uint32_t rtt_ms = 0;       // smoothed round-trip time to the peer; 0: not measured yet
  std::uint64_t refused_over_limit = 0;  // shares: clients turned away by a connection cap
  // Shares: each client with a tunnel open now (at most the share's max_connections), sorted
  // by key. Empty for connections, whose one peer is the item itself.
  std::vector<PeerStats> peers;
};

struct Stats {
  std::vector<StatsItem> items;
  DhtStatus dht;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  double rate_in = 0;
  double rate_out = 0;
};

// Whether a connection's share can be reached right now. The engine checks on its own, whether
// or not a local client uses the connection (Config::peer_check_interval).
enum class PeerState {
  unknown,    // not checked yet
  online,     // announced on the DHT (or a tunnel to it just opened)
  offline,    // was reachable in this session, is not announced any more
  refused,    // announced, but turned our handshake away or left it unanswered (an allow list
              // without our key drops it silently, as hyperdht's server does)
  not_found,  // never found: a wrong key, or the share has not run yet
};
std::string_view peer_state_name(PeerState state);  // "online", ..., "not-found"

// A connection's PeerState changed (sent once per change, and once after the first check).
struct PeerStateChanged {
  Id id = 0;
  PeerState state = PeerState::unknown;
};

// A share's allow list turned a client away. At most one per client and share per
// kRefusalReportInterval, however often it retries.
struct PeerRefused {
  Id id = 0;
  std::string peer;  // the refused client's key, hex
};

// Whether a TCP share's local service accepts connections (checked every
// Config::service_check_interval, and at once when a tunnel could not reach it). Sent on change,
// and once after the first check.
struct ServiceState {
  Id id = 0;
  bool up = true;
};

// The engine thread has ended (after stop()); nothing follows.
// The engine's thread ended. What the node and the relay did over its life, for a summary.
struct EngineStopped {
  std::uint64_t requests = 0;   // DHT requests answered
  std::uint64_t malformed = 0;  // datagrams dropped as malformed
  // Replies not sent: their destination's byte budget for unverified requests was spent
  // (limits::kUnverifiedReplyBytesPerIpPerSecond).
  std::uint64_t replies_dropped = 0;
  bool relay = false;  // Config::run_relay: the relay figures below are set
  std::uint64_t relay_sessions = 0;
  std::uint64_t relay_pairings = 0;
  std::uint64_t relay_bytes = 0;
  std::uint64_t relay_refused = 0;  // pairings and sessions over a limit
  std::uint64_t relay_dropped = 0;
};

using Event = std::variant<DhtStatus, ShareStarted, ConnectStarted, PeerConnected, PathChanged,
                           PeerDisconnected, Stopped, ErrorEvent, Stats, EngineStopped,
                           PeerStateChanged, PeerRefused, ServiceState>;

inline constexpr std::chrono::milliseconds kRefusalReportInterval{10000};
// How long a relay whose announcement failed waits before announcing again.
inline constexpr std::uint64_t kRelayAnnounceRetryMs = 5000;
// A share whose first announcement no DHT node stored (offline at start, a node's per-address
// store limit) tries again after this, doubling each time up to kShareAnnounceRetryMaxMs, and
// reports each failure as a non-fatal ANNOUNCE_FAILED with `retrying` set.
inline constexpr std::uint64_t kShareAnnounceRetryMs = 5000;
inline constexpr std::uint64_t kShareAnnounceRetryMaxMs = 60000;
// Refused clients a share remembers for that rate limit; more distinct keys (a client cycling
// keys) start the memory afresh, so it stays bounded.
inline constexpr std::size_t kMaxRefusalsRemembered = 256;

class EngineListener {
 public:
  virtual ~EngineListener() = default;
  // Called on the engine thread. Must return quickly and must not call stop().
  virtual void on_event(const Event& event) = 0;
};

struct Config {
  // The identity: the Noise static key we connect with (what allow lists name), and the root
  // share keys are derived from.
  crypto::KeyPair identity;
  // Bootstrap nodes as the user writes them: "host:port,..." (hyperdht's "ip@name:port" too),
  // "none" for a network of our own, or empty for the public HyperDHT network. start() fails
  // with INVALID_VALUE, saying which formats are accepted, if the list does not parse.
  std::string bootstrap;
  std::string bind_host = "0.0.0.0";
  std::uint16_t bind_port = 0;
  std::chrono::milliseconds stats_interval{1000};
  // How long a connect may look for a key before PEER_NOT_FOUND.
  std::chrono::milliseconds lookup_timeout{20000};
  // How often each connection looks its share up on the DHT to know whether it is online: one
  // lookup per connection per interval at most, plus one at start and one after a wake.
  std::chrono::milliseconds peer_check_interval{30000};
  // How often a TCP share whose service is down tries a local connection to it, to see it is
  // back; one that answers is tried every 6 intervals (each try shows in the service's log), and
  // at once when a tunnel could not reach it.
  std::chrono::milliseconds service_check_interval{10000};
  // Blind relays for connections holepunching cannot make: these first, then any announced on
  // the DHT (unless discover_relays is off).
  std::vector<crypto::PublicKey> relays;
  bool discover_relays = true;
  bool force_relay = false;  // every connection through a relay (diagnostics)
  // Relay for others too (a host with a public address helping peers behind hard NATs). Its
  // announcement is tried again every kRelayAnnounceRetryMs until the DHT stores it.
  bool run_relay = false;
  // The relay's key; without one it is derived from the identity (stable per identity).
  std::optional<crypto::KeyPair> relay_identity;
  std::uint64_t relay_bytes_per_second = 0;  // per relayed stream and direction; 0: unlimited
  std::size_t relay_links_per_session = 16;  // relayed streams one peer connection may hold
  // A persistent DHT node others bootstrap from (peerport-cli node): it keeps an id derived from
  // the address it is reached at (bind_host, when that is not 0.0.0.0) and stores announcements.
  // Without it the node is ephemeral, as hyperdht's clients are.
  bool persistent_node = false;
};

class Engine {
 public:
  Engine(Config config, EngineListener& listener);
  ~Engine();  // stop()s if still running
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Starts the thread and the DHT node; fails if the UDP socket cannot be bound.
  Status start();
  // From any thread.
  void post(Command command);
  Id next_id() { return next_id_.fetch_add(1); }
  // Unannounces every share and closes every tunnel, waiting at most `grace` for peers to
  // acknowledge, then ends the thread. Idempotent; from any thread but the engine's.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<Id> next_id_{1};
};

// A share's key pair when none is given: BLAKE2b(identity secret, "peerport share" + host:port
// + protocol) as seed, so keys are stable per service and unlinkable across services.
crypto::KeyPair derive_share_key_pair(const crypto::KeyPair& identity, const ShareSpec& spec);

}  // namespace peerport::engine
