#pragma once
// The blind relay (npm blind-relay 1.6, as hyperdht 6.34's relayThrough uses it;
// docs/relay-notes.md). Two peers that cannot punch through to each other each open an
// encrypted connection to a relay and send it PAIR with the same 32-byte token (one as
// initiator, one not) and the id of their own UDX stream. The relay creates one UDX stream per
// peer, answers each PAIR with that stream's id, and passes every UDX packet from one to the
// other with only the stream id rewritten. The peers' streams run end to end through it; the
// SecretStream inside is keyed by their own Noise handshake, so the relay sees ciphertext only.
//
// Channel "blind-relay" (protomux), id: the client's public key.
//   message 0 PAIR    flags (bit 0: isInitiator), token (32), stream id (uint), seq (uint)
//   message 1 UNPAIR  flags, token (32)
#include <uv.h>

#include <map>
#include <memory>
#include <set>

#include "common/limits.hpp"
#include "common/uv.hpp"
#include "hyperdht/connection.hpp"
#include "hyperdht/server.hpp"
#include "relay/pairings.hpp"
#include "relay/protomux.hpp"

namespace peerport::relay {

using Token = hyperdht::RelayToken;

struct PairMessage {
  bool initiator = false;
  Token token{};
  std::uint64_t id = 0;
  std::uint64_t seq = 0;
};
Bytes encode_pair(const PairMessage& m);
std::optional<PairMessage> decode_pair(ByteView payload);
Bytes encode_unpair(const Token& token);
std::optional<Token> decode_unpair(ByteView payload);

Token random_token();

// The pairing hyperdht's relayThrough needs (hyperdht::PairAtRelay): RelayClient::pair. Set it
// in ConnectOptions::pair_relay and Server::Options::pair_relay.
hyperdht::PairAtRelay pairer();

// Where relays announce themselves so clients can find one: BLAKE2b-256("peerport blind relay
// v1"). JS peers name their relay explicitly (relayThrough) and need not know it.
dht::NodeId relay_topic();

// One pairing at a relay, from the client side. Holds the connection to the relay for as long
// as the relayed stream lives (the relay ends the link when it goes).
class RelayClient : public hyperdht::RelayLink {
 public:
  using Paired = hyperdht::RelayPairing;  // its link is the RelayClient
  using Done = std::function<void(Result<Paired>)>;
  // How long a pairing may wait for the other peer (hyperdht's relay timeout).
  static constexpr std::uint64_t kPairTimeoutMs = 15000;

  static void pair(hyperdht::Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& relay,
                   bool initiator, const Token& token, std::uint32_t stream_id, Done done);
  ~RelayClient() override;
  const crypto::PublicKey& relay_key() const { return relay_; }

 private:
  RelayClient() = default;
  struct State;
  crypto::PublicKey relay_{};
  std::shared_ptr<State> state_;
};

// A relay: accepts connections on its key, pairs peers by token and relays their streams.
class RelayServer {
 public:
  struct Limits {
    std::size_t sessions_per_peer = 8;     // connections from one public key at once
    std::size_t links_per_session = 16;    // relayed streams through one connection
    std::size_t pending_per_session = 16;  // pairings waiting for their other half
    std::size_t max_links = 1024;          // relayed streams in all
    std::size_t max_sessions = limits::kRelayMaxSessions;  // connections in all (keys are free)
    std::size_t max_pending = limits::kRelayMaxPending;    // pairings waiting, in all
    std::uint64_t pending_timeout_ms = 30000;
    std::uint64_t bytes_per_second = 0;  // per relayed direction; 0: unlimited
  };
  struct Stats {
    std::uint64_t sessions_accepted = 0;
    std::uint64_t sessions_refused = 0;  // over sessions_per_peer
    std::uint64_t pairings_requested = 0;
    std::uint64_t pairings_matched = 0;
    std::uint64_t pairings_refused = 0;  // over a limit
    std::uint64_t pairings_expired = 0;
    std::uint64_t links_active = 0;
    std::uint64_t bytes_relayed = 0;
    std::uint64_t packets_dropped = 0;
    std::uint64_t protocol_errors = 0;
    std::uint64_t sessions_paused = 0;  // a peer not reading our answers: we stop reading it
  };

  RelayServer(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Limits limits);
  ~RelayServer();
  RelayServer(const RelayServer&) = delete;
  RelayServer& operator=(const RelayServer&) = delete;

  // Listens on the key and announces the relay under relay_topic(); done when both are stored.
  void listen(std::function<void(Status)> done);
  void unannounce(std::function<void()> done);
  const crypto::PublicKey& public_key() const { return key_pair_.public_key; }
  Stats stats() const;
  // Every datagram passed on: what the relay sees (tests assert it is ciphertext).
  void set_tap(std::function<void(ByteView)> tap) { tap_ = std::move(tap); }

 private:
  struct Session;
  struct Link;
  void on_connection(std::unique_ptr<hyperdht::Connection> conn);
  void on_pair(Session& s, const PairMessage& m);
  void on_unpair(Session& s, const Token& token);
  void end_session(Session* s);
  std::size_t live_sessions() const;
  void drop_link(Link* link);
  void sweep();
  void announce_topic(std::function<void(Status)> done);

  hyperdht::Dht& dht_;
  crypto::KeyPair key_pair_;
  Limits limits_;
  Stats stats_;
  std::unique_ptr<hyperdht::Server> server_;
  std::map<Session*, std::unique_ptr<Session>> sessions_;
  Pairings pairings_;  // by token hex
  std::set<Link*> links_;
  std::vector<std::unique_ptr<Link>> owned_links_;
  std::function<void(ByteView)> tap_;
  std::unique_ptr<uvx::Timer> timer_;
  std::uint64_t ticks_ = 0;
  uvx::Lifetime alive_;
};

}  // namespace peerport::relay
