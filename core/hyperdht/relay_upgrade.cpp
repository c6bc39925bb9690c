// relayThrough (hyperdht 6.34 lib/connect.js relayConnection, lib/server.js): both peers pair
// at a blind relay named in the handshake, the stream moves there, and it moves on to a direct
// path as soon as one opens. The pairing itself is core/relay's, injected as PairAtRelay.
#include <sodium.h>

#include "common/trace.hpp"
#include "hyperdht/connect_attempt.hpp"

namespace peerport::hyperdht {

RelayToken random_relay_token() {
  RelayToken t{};
  randombytes_buf(t.data(), t.size());
  return t;
}

// Pairs at the relay we offered, as the initiator; runs beside the holepunch, and whichever
// connects first carries the stream.
void Connection::Attempt::start_relay() {
  if (relay_path == Path::running || !conn) return;
  relay_path = Path::running;
  PP_TRACE("connect: pairing at the relay");
  auto self = shared_from_this();
  options.pair_relay(*dht, local, *options.relay_through, true, token, conn->stream_->id(),
                     [self](Result<RelayPairing> r) { self->on_relay_paired(std::move(r)); });
}

void Connection::Attempt::on_relay_paired(Result<RelayPairing> r) {
  relay_path = r ? Path::done : Path::failed;
  PP_TRACE("connect: relay pairing %s", r ? "done" : "failed");
  if (!conn) return;  // a direct path won; the pairing goes with r
  if (awaiting_peer) {
    // A direct path was taken but the peer has not been heard on it: the relay is the better
    // bet, and a direct path can still take over later (watch_for_direct).
    if (!r) {
      if (silent) fail_silent(r.error().message);  // else the direct path may answer
      return;
    }
    if (!conn->stream_->change_remote(*r->socket, r->remote_id, r->address).ok()) return;
    conn->take_relay(std::move(*r), remote_udx_id, !options.force_relay);
    arm_silence();  // the relay gets its own time to bring the peer's first packet
    return;
  }
  if (!r) {
    if (punch_path == Path::running) return;  // the holepunch may still connect, or report
    std::string why = r.error().message;
    if (punch_error) why = punch_error->message + "; relay: " + why;
    fail(make_error(r.error().code, why));
    return;
  }
  auto st = conn->stream_->connect(*r->socket, r->remote_id, r->address);
  if (!st) {
    fail(st.error());
    return;
  }
  conn->take_relay(std::move(*r), remote_udx_id, !options.force_relay);
  finish();
}

void Connection::take_relay(RelayPairing paired, std::uint32_t peer_stream, bool watch_direct) {
  relay_ = std::move(paired.link);
  relayed_ = true;
  relay_address_ = paired.address;
  peer_stream_id_ = peer_stream;
  if (watch_direct) watch_for_direct();
}

void Connection::pair_for_client(Dht& dht, const crypto::KeyPair& local,
                                 const PairAtRelay& pair_relay, const RelayThrough& offer,
                                 std::uint32_t client_stream, std::shared_ptr<void> ticket) {
  relay_offered_ = true;
  uvx::Lifetime::Token alive = alive_;
  pair_relay(dht, local, offer.public_key, false, offer.token, stream_->id(),
             [this, alive, client_stream, ticket](Result<RelayPairing> r) {
               (void)ticket;  // held until the pairing ends
               if (alive.expired() || !r) return;
               // The stream moves to the relay unless the client's packets already arrived
               // directly; the link is kept either way, as the client may still use it.
               if (stream_->adopting()) {
                 stream_->stop_adopting();
                 if (stream_->change_remote(*r->socket, r->remote_id, r->address).ok()) {
                   take_relay(std::move(*r), client_stream, true);
                   return;
                 }
               }
               relay_address_ = r->address;
               peer_stream_id_ = client_stream;
               relay_ = std::move(r->link);
             });
}

void Connection::upgrade(udx::Socket& socket, const udx::Address& to) {
  if (!relayed_ || !stream_) return;
  if (stream_->change_remote(socket, peer_stream_id_, to).ok()) {
    relayed_ = false;
    stream_->watch_source(nullptr);
    PP_TRACE("stream %u: moved from the relay to a direct path", stream_->id());
    if (cb_.on_direct) cb_.on_direct();
  }
}

void Connection::watch_for_direct() {
  // The peer's packets arriving from anywhere but the relay mean its side found a direct path
  // (its holepunch won after all): ours follows.
  uvx::Lifetime::Token alive = alive_;
  stream_->watch_source([this, alive](udx::Socket& socket, const udx::Address& from) {
    if (alive.expired() || from == relay_address_) return;
    upgrade(socket, from);
  });
}

}  // namespace peerport::hyperdht
