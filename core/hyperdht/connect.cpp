// The client side of a connection (hyperdht 6.34 lib/connect.js): find the peer, send the Noise
// handshake through the node holding its announcement, and choose a path from its answer.
#include "common/trace.hpp"
#include "crypto/hash.hpp"
#include "hyperdht/connect_attempt.hpp"
#include "hyperdht/holepunch.hpp"

namespace peerport::hyperdht {

namespace {
// A path counts as open only once a packet of the peer's has come back on it; an address that
// swallows everything (a firewall, a stale mapping, a server that misjudged itself as open)
// fails the attempt after this long, with PEER_SILENT, so the caller can try a relay.
constexpr std::uint64_t kPeerSilentMs = 5000;

Error connect_error(std::string what, Errc code = Errc::peer_connection_failed) {
  return make_error(code, std::move(what));
}
}  // namespace

void Connection::connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                         Callbacks callbacks, ConnectDone done, ConnectOptions options) {
  Attempt::start(dht, local, remote, std::move(callbacks), std::move(done), std::move(options));
}

void Connection::probe(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                       const dht::Address& holder, std::function<void(Status)> done) {
  ConnectOptions options;
  options.handshake_only = true;
  options.announced_at = holder;
  Attempt::start(
      dht, local, remote, {},
      [done = std::move(done)](Result<std::unique_ptr<Connection>> r) {
        if (r)
          done(Ok{});
        else
          done(r.error());
      },
      std::move(options));
}

void Connection::Attempt::start(Dht& dht, const crypto::KeyPair& local,
                                const crypto::PublicKey& remote, Callbacks callbacks,
                                ConnectDone done, ConnectOptions options) {
  if (options.relay_through && !options.pair_relay) {
    done(make_error(Errc::relay_unavailable, "a relay was offered without a way to pair there"));
    return;
  }
  auto p = std::make_shared<Attempt>();
  p->dht = &dht;
  p->options = std::move(options);
  if (p->options.relay_through) p->token = random_relay_token();
  p->local = local;
  p->remote = remote;
  // A failed attempt's connection must not call back into the caller's object (a tunnel may
  // retry with the same callbacks), so they are dropped before the failure is reported.
  Attempt* raw = p.get();
  p->done = [raw, user_done = std::move(done)](Result<std::unique_ptr<Connection>> r) {
    if (!r && raw->conn) raw->conn->cb_ = {};
    user_done(std::move(r));
  };
  p->conn.reset(new Connection());
  p->conn->remote_ = remote;
  p->conn->cb_ = std::move(callbacks);

  if (p->options.announced_at) {
    const dht::Address holder = *p->options.announced_at;
    p->on_found(holder);
    return;
  }
  PP_TRACE("connect: looking up the peer");
  dht.find_peer(remote, [p](Result<std::pair<Peer, dht::Address>> found) {
    PP_TRACE("connect: lookup %s", found ? found->second.to_string().c_str() : "failed");
    if (!found) {
      p->done(found.error());
      return;
    }
    p->on_found(found->second);
  });
}

// The node at `relay` holds the peer's announcement: our handshake goes through it.
void Connection::Attempt::on_found(const dht::Address& relay) {
  Connection* c = conn.get();
  udx::Udx& udx = dht->node().socket().udx();
  const std::uint32_t stream_id = udx.new_stream_id();

  // The stream exists (unconnected) before msg1 names its id. The server may connect back
  // before its handshake reply has made the longer trip through the DHT: its first packets
  // are taken in and held (reading paused) until the keys to read them exist.
  c->make_stream(udx, stream_id, false, 0);
  c->stream_->pause_reading();

  noise = std::make_unique<crypto::NoiseHandshake>(crypto::NoisePattern::IK, true, local,
                                                   crypto::hyperdht_ns().peer_handshake, remote);
  NoisePayload mine;
  mine.firewall = kFirewallUnknown;
  mine.addresses4 = {dht->node().local_address()};
  mine.udx = UdxInfo{1, false, stream_id, 0};
  mine.secret_stream = true;
  if (options.relay_through) mine.relay_through = RelayThrough{1, *options.relay_through, token};
  auto msg1 = noise->send(encode(mine));
  if (!msg1) {
    done(msg1.error());
    return;
  }
  Handshake hs{kModeFromClient, std::move(*msg1), std::nullopt, std::nullopt};
  target = crypto::blake2b_256(remote);
  auto self = shared_from_this();
  dht->node().request(
      relay, kPeerHandshake, false, target, encode(hs),
      [self, relay](const dht::Reply* r) { self->on_reply(relay, r); }, std::nullopt, false,
      kRelayedRequestMinTimeoutMs);
}

void Connection::Attempt::on_reply(const dht::Address& relay, const dht::Reply* r) {
  PP_TRACE("connect: handshake reply %s", r ? "arrived" : "timed out");
  if (!r) {
    done(connect_error("the peer did not answer the handshake"));
    return;
  }
  auto reply = r->response.value ? decode_handshake(*r->response.value) : std::nullopt;
  if (!reply || reply->mode != kModeReply || reply->noise.empty()) {
    done(connect_error("bad handshake reply", Errc::bad_handshake_reply));
    return;
  }
  auto payload_bytes = noise->recv(reply->noise);
  if (!payload_bytes) {
    done(payload_bytes.error());
    return;
  }
  auto theirs = decode_noise_payload(*payload_bytes);
  if (!theirs || theirs->version != 1) {
    done(connect_error("the peer speaks another protocol version", Errc::server_incompatible));
    return;
  }
  if (theirs->error != 0 || !theirs->udx) {
    done(connect_error(
        "the peer refused the connection (error " + std::to_string(theirs->error) + ")",
        Errc::server_error));
    return;
  }
  if (options.handshake_only) {
    done(std::unique_ptr<Connection>());
    return;
  }
  decide(relay, *reply, r->response.to, *theirs);
}

// lib/connect.js connectAndHolepunch(): direct, LAN, or holepunch, from what the server said.
void Connection::Attempt::decide(const dht::Address& relay, const Handshake& reply,
                                 const dht::Address& client_address, const NoisePayload& theirs) {
  remote_udx_id = static_cast<std::uint32_t>(theirs.udx->id);
  PP_TRACE("connect: server firewall %llu, relayed %d, punchable %d",
           static_cast<unsigned long long>(theirs.firewall), reply.peer_address.has_value(),
           theirs.holepunch && !theirs.holepunch->second.empty());
  if (options.relay_through && options.force_relay) {
    start_relay();
    return;
  }
  const bool relayed = reply.peer_address.has_value();
  const dht::Address server = reply.peer_address.value_or(relay);
  const bool punchable = theirs.holepunch && !theirs.holepunch->second.empty();
  if (theirs.firewall == kFirewallOpen || !relayed || !punchable) {
    // Reachable as it is: its first public address, else where the relay saw it.
    complete(first_public(theirs.addresses4).value_or(server));
    return;
  }
  // Behind the same public address as us (one NAT, or one host): its LAN address, if the
  // server's relay address is public (on one host the relay's view already works).
  if (client_address.host == server.host && !is_private(server)) {
    std::vector<dht::Address> lan;
    for (const auto& a : theirs.addresses4) {
      if (!is_reserved(a)) lan.push_back(a);
    }
    auto mine = local_addresses(dht->node().local_address());
    if (auto found = match_address(mine, lan)) {
      complete(*found);
      return;
    }
  }
  if (is_private(server)) {
    complete(server);
    return;
  }
  if (options.relay_through) start_relay();
  start_punch(relay, server, theirs);
}

// Connects the stream to `to` and hands the connection over (the end of every direct path).
void Connection::Attempt::complete(const dht::Address& to, std::unique_ptr<udx::Socket> socket) {
  PP_TRACE("connect: path to %s%s", to.to_string().c_str(), socket ? " (birthday socket)" : "");
  // Relayed already (handed over, or waiting for the peer on the relay): a holepunch that got
  // through moves the stream there.
  Connection* relayed = nullptr;
  if (awaiting_peer && conn->relayed_) relayed = conn.get();
  if (!conn && handed && !handed_alive.expired() && handed->relayed_) relayed = handed;
  if (awaiting_peer || !conn) {
    if (!relayed || options.force_relay) return;
    udx::Socket* via = &dht->node().socket();
    if (socket) {
      via = socket.get();
      relayed->sockets_.push_back(std::move(socket));
    }
    relayed->upgrade(*via, dht::to_udx(to));
    return;
  }
  udx::Socket* via = &dht->node().socket();
  if (socket) {
    via = socket.get();
    conn->sockets_.push_back(std::move(socket));
  }
  auto st = conn->stream_->connect(*via, remote_udx_id, dht::to_udx(to));
  if (!st) {
    fail(st.error());
    return;
  }
  finish();
}

void Connection::Attempt::fail(Error error) {
  auto keep = shared_from_this();
  done(std::move(error));
  conn.reset();
}

void Connection::Attempt::punch_failed(Error error) {
  punch_path = Path::failed;
  punch_error = error;
  if (relay_path == Path::running) return;  // the relay may still connect us
  if (conn) fail(connect_error(error.message, error.code));
}

// The stream is connected (directly or to the relay): keys and header; handed over once the
// peer has been heard on the path.
void Connection::Attempt::finish() {
  conn->start_secret(noise->result());
  if (conn->stream_->stats().packets_received > 0) {
    hand_over();
    return;
  }
  awaiting_peer = true;
  std::weak_ptr<Attempt> weak = shared_from_this();
  conn->stream_->on_first_packet([weak] {
    if (auto me = weak.lock(); me && me->awaiting_peer) me->hand_over();
  });
  arm_silence();
}

// Bounds the wait for the peer's first packet on the path the stream now uses.
void Connection::Attempt::arm_silence() {
  silent = false;
  if (!silence) silence = std::make_unique<uvx::Timer>(dht->node().socket().udx().clock());
  // The Dht holds the attempt while it waits (nothing else may); hand_over and fail_silent
  // release it, and a Dht that goes first takes it along.
  dht->hold(shared_from_this());
  std::weak_ptr<Attempt> weak = shared_from_this();
  silence->start(kPeerSilentMs, [weak] {
    auto me = weak.lock();
    if (!me || !me->awaiting_peer) return;
    me->silent = true;
    if (me->relay_path == Path::running && !me->conn->relayed_) return;  // the relay may rescue it
    me->fail_silent("");
  });
}

void Connection::Attempt::fail_silent(const std::string& relay_error) {
  auto keep = shared_from_this();  // the Dht and the timer going below may hold the last ones
  dht->release(this);
  PP_TRACE("connect: the peer stayed silent");
  awaiting_peer = false;
  silence.reset();
  std::string why = std::string(conn->relayed_ ? "the relay" : "the peer's address") +
                    " took our packets but nothing came back in " +
                    std::to_string(kPeerSilentMs / 1000) + " s";
  if (!relay_error.empty()) why += "; relay: " + relay_error;
  fail(connect_error(why, Errc::peer_silent));
}

void Connection::Attempt::hand_over() {
  auto keep = shared_from_this();  // the Dht and the timer going below may hold the last ones
  dht->release(this);
  PP_TRACE("connect: open (%s), the peer was heard", conn->relayed_ ? "relayed" : "direct");
  awaiting_peer = false;
  silence.reset();
  Connection* c = conn.get();
  udx::Stream* stream = c->stream_.get();
  if (c->relayed_) {
    handed = c;
    handed_alive = c->alive_;
  }
  uvx::Lifetime::Token alive = c->alive_;
  done(std::move(conn));
  if (!alive.expired()) stream->resume_reading();  // callbacks are in place now
}

}  // namespace peerport::hyperdht
