#pragma once
// An end-to-end encrypted connection to a peer found by its public key: a UDX stream on the
// DHT's socket (or a birthday socket, or through a blind relay), wrapped in SecretStream with the
// keys of the Noise IK handshake that went through the DHT.
//
// The modules follow hyperdht 6.34's:
//   connect.cpp        lib/connect.js: lookup, handshake, the choice of path
//   (docs/hyperdht-connect-notes.md) holepuncher.cpp    lib/holepuncher.js, the client's rounds and
//   probes relay_upgrade.cpp  relayThrough: pairing at a blind relay, and the move to a direct path
//   server.cpp         lib/server.js (server.hpp)
//   connection.cpp     the connection itself: stream, keys, data

#include <functional>
#include <map>
#include <memory>

#include "common/limits.hpp"
#include "common/uv.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret_stream.hpp"
#include "hyperdht/dht.hpp"
#include "hyperdht/relay_pairing.hpp"
#include "udx/udx.hpp"

namespace peerport::hyperdht {

struct ConnectOptions {
  // Offer this blind relay in the handshake (hyperdht's relayThrough): both peers pair there
  // and the stream runs through it unless a direct path is found first; a relayed stream
  // moves to a direct path as soon as one opens.
  std::optional<crypto::PublicKey> relay_through;
  // Through the relay even where a direct path exists, and stay there (diagnostics, and tests
  // on one host where everything is direct).
  bool force_relay = false;
  // How to pair at relay_through (relay::pairer()); without it a relay cannot be offered.
  PairAtRelay pair_relay;
  // Stop once the server has answered the handshake (Connection::probe): no path is opened,
  // and done gets an empty connection on success.
  bool handshake_only = false;
  // Skip the lookup: the server's announcement is held by this node (a lookup just made).
  std::optional<dht::Address> announced_at;
};

class Connection {
 public:
  struct Callbacks {
    std::function<void(ByteView)> on_data;
    std::function<void()> on_end;
    std::function<void()> on_drain;
    std::function<void(const Status&)> on_close;
    // The stream moved from the relay to a direct path (it never moves back).
    std::function<void()> on_direct;
  };
  using ConnectDone = std::function<void(Result<std::unique_ptr<Connection>>)>;

  // Connects to the server with public key `remote`, as `local` (the Noise static key).
  static void connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                      Callbacks callbacks, ConnectDone done, ConnectOptions options = {});
  // Asks whether the server with public key `remote` would take a connection from `local`:
  // the Noise handshake, nothing more. Ok: it answered and accepted. An
  // unanswered handshake (PEER_CONNECTION_FAILED) is how an allow list turns a key away, as
  // hyperdht's server drops a firewalled handshake without a word. The server holds its side
  // until its first-packet timeout; no stream opens, so its service never sees the probe.
  // `holder` is the DHT node a lookup found holding the server's announcement: the handshake
  // goes there, with no lookup of its own.
  static void probe(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                    const dht::Address& holder, std::function<void(Status)> done);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void set_callbacks(Callbacks cb) { cb_ = std::move(cb); }
  bool write(ByteView data);  // false: wait for on_drain
  void end();
  void destroy();
  // Receive-side backpressure: stop taking data from the peer until resumed.
  void pause_reading() {
    if (stream_) stream_->pause_reading();
  }
  void resume_reading() {
    if (stream_) stream_->resume_reading();
  }
  const crypto::PublicKey& remote_public_key() const { return remote_; }
  const udx::Stream& stream() const { return *stream_; }
  std::uint32_t rtt_ms() const { return stream_ ? stream_->stats().srtt_ms : 0; }
  // Whether the stream runs through a blind relay right now (it may move to direct later).
  bool relayed() const { return relayed_; }
  // Server side: the client asked to meet at a relay (the switch happens once paired).
  bool relay_offered() const { return relay_offered_; }

  // The server side (server.cpp), narrowly: a connection to a client whose handshake was
  // accepted. Its stream is connected toward where the client's relay saw it and adopts the
  // source of the client's first packet; false if the stream cannot connect.
  static std::unique_ptr<Connection> accept(udx::Udx& udx, udx::Socket& socket,
                                            const crypto::PublicKey& remote,
                                            std::uint32_t client_stream,
                                            const udx::Address& client);
  // Keys from the finished handshake; the header is queued until the stream connects.
  void start_secret(const crypto::HandshakeResult& keys);
  std::uint32_t stream_id() const { return stream_->id(); }
  void on_first_packet(std::function<void()> fn) { stream_->on_first_packet(std::move(fn)); }
  // Birthday sockets (a randomizing NAT): the stream may move to whichever one the peer's first
  // packet arrives on; the others close once data flows.
  void hold_sockets(std::vector<std::unique_ptr<udx::Socket>> sockets) {
    sockets_ = std::move(sockets);
  }
  std::size_t held_sockets() const { return sockets_.size(); }
  void send_from_held_sockets(ByteView data, const udx::Address& to, int ttl);
  // Pairs at the relay the client offered, as the other half (relay_upgrade.cpp). `ticket` is
  // held until the pairing ends, so the server can count pairings under way.
  void pair_for_client(Dht& dht, const crypto::KeyPair& local, const PairAtRelay& pair_relay,
                       const RelayThrough& offer, std::uint32_t client_stream,
                       std::shared_ptr<void> ticket);
  uvx::Lifetime::Token lifetime() const { return alive_; }

 private:
  Connection() = default;
  // One connect attempt (connect.cpp) and its holepunch (holepuncher.cpp).
  class Attempt;
  class Holepuncher;
  // The stream now runs through a relay (relay_upgrade.cpp).
  void take_relay(RelayPairing paired, std::uint32_t peer_stream, bool watch_direct);
  // A relayed stream found a direct path: move there (the relay link stays until the end).
  void upgrade(udx::Socket& socket, const udx::Address& to);
  void watch_for_direct();
  // Once data flows, the birthday sockets the stream did not take are closed.
  void prune_sockets();
  // The stream, its callbacks routed through this connection (set before any packet).
  void make_stream(udx::Udx& udx, std::uint32_t id, bool accept_first_packet,
                   std::uint32_t remote_id);

  crypto::PublicKey remote_{};
  Callbacks cb_;
  // Extra sockets this connection's stream may run on: birthday sockets of a holepunch through
  // a randomizing NAT. Declared before stream_ so they outlive it.
  std::vector<std::unique_ptr<udx::Socket>> sockets_;
  std::unique_ptr<udx::Stream> stream_;
  std::unique_ptr<crypto::SecretStream> secret_;
  // hyperdht's connection keep-alive (secret-stream setKeepAlive): an empty encrypted message
  // whenever nothing was written for kKeepAliveMs. It is data, so the peer must acknowledge
  // it: a peer that vanished (killed, powered off, gone from the network) runs the stream
  // into its retransmission timeouts and the connection closes, instead of an idle tunnel
  // holding its service connection forever. It also keeps NAT and relay bindings open.
  std::unique_ptr<uvx::Timer> keepalive_;
  std::uint64_t last_write_ms_ = 0;  // on the stream's clock
  bool ended_ = false;
  // Sends the keep-alive if nothing was written for kKeepAliveMs, and sets the timer for the
  // moment that will next be true: no gap between packets is longer, with no timer work per
  // write.
  void keep_alive();
  std::unique_ptr<RelayLink> relay_;
  bool relayed_ = false;
  bool relay_offered_ = false;
  udx::Address relay_address_;
  std::uint32_t peer_stream_id_ = 0;  // the peer's own stream id, for a direct path
  uvx::Lifetime alive_;
};

}  // namespace peerport::hyperdht
