#pragma once
// Internal to core/hyperdht: one client connect attempt, shared by connect.cpp (the lookup,
// the handshake and the choice of path), holepuncher.cpp and relay_upgrade.cpp.
//
// An attempt ends once, in done(): with a connection the peer has been heard on, or an error.
// Until then up to two paths race: a direct one (straight, LAN, or a holepunch) and, when a
// relay was offered, the relay. Whichever connects first carries the stream; a holepunch that
// succeeds after a relayed hand-over moves the stream to the direct path.

#include <memory>
#include <optional>

#include "common/uv.hpp"
#include "crypto/noise.hpp"
#include "hyperdht/connection.hpp"

namespace peerport::hyperdht {

// A handshake or holepunch goes to a node, on to the server and back: a retry sent on the node's
// own round trip reaches a server still working on the first copy, and a hyperdht server aborts
// a randomizing punch that a duplicate round arrives for (TRY_LATER).
inline constexpr std::uint32_t kRelayedRequestMinTimeoutMs = 2000;

class Connection::Attempt : public std::enable_shared_from_this<Connection::Attempt> {
 public:
  static void start(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                    Callbacks callbacks, ConnectDone done, ConnectOptions options);

  // Where each path stands; the attempt ends when neither can still connect. done: it got
  // through (paired at the relay, or punched).
  enum class Path { idle, running, done, failed };

  Dht* dht = nullptr;
  crypto::KeyPair local;
  crypto::PublicKey remote{};
  ConnectOptions options;
  std::unique_ptr<crypto::NoiseHandshake> noise;
  std::unique_ptr<Connection> conn;  // ours until handed over (or dropped on failure)
  ConnectDone done;
  std::uint32_t remote_udx_id = 0;
  dht::NodeId target{};
  RelayToken token{};
  Path relay_path = Path::idle;
  Path punch_path = Path::idle;
  std::optional<Error> punch_error;  // why the holepunch failed, while the relay still tries
  // A connection handed over relayed, for a holepunch that succeeds after all.
  Connection* handed = nullptr;
  uvx::Lifetime::Token handed_alive;
  // The stream is connected and waits for the peer's first packet before it is handed over.
  bool awaiting_peer = false;
  bool silent = false;  // nothing came back within kPeerSilentMs; a pending relay decides
  std::unique_ptr<uvx::Timer> silence;

  // A path was found: connect the stream to `to` (on a birthday socket if given).
  void complete(const dht::Address& to, std::unique_ptr<udx::Socket> socket = nullptr);
  // Ends the attempt with an error, dropping the connection.
  void fail(Error error);
  // The holepunch ended without a path: the relay, if running, may still connect.
  void punch_failed(Error error);

 private:
  void on_found(const dht::Address& relay);
  void on_reply(const dht::Address& relay, const dht::Reply* r);
  void decide(const dht::Address& relay, const Handshake& reply, const dht::Address& client_address,
              const NoisePayload& theirs);
  void finish();
  void arm_silence();
  void fail_silent(const std::string& relay_error);
  void hand_over();
  // relay_upgrade.cpp
  void start_relay();
  void on_relay_paired(Result<RelayPairing> r);
  // holepuncher.cpp
  void start_punch(const dht::Address& relay, const dht::Address& server,
                   const NoisePayload& theirs);
};

}  // namespace peerport::hyperdht
