#include "hyperdht/connection.hpp"

#include <sodium.h>

#include "crypto/hash.hpp"

namespace peerport::hyperdht {

namespace {
constexpr std::uint64_t kModeFromClient = 0;
constexpr std::uint64_t kModeFromServer = 1;
constexpr std::uint64_t kModeFromRelayForServer = 2;
constexpr std::uint64_t kModeReply = 4;

udx::Address to_udx(const dht::Address& a) {
  return dht::to_udx(a);
}

Error connect_error(std::string what) {
  return make_error(Errc::not_connected, "PEER_CONNECTION_FAILED: " + std::move(what));
}
}  // namespace

// What lives between the first step and the open connection: shared by the callbacks.
struct Connection::Pending {
  Dht* dht = nullptr;
  crypto::KeyPair local;
  crypto::PublicKey remote{};
  std::unique_ptr<crypto::NoiseHandshake> noise;
  std::unique_ptr<Connection> conn;
  ConnectDone done;
};

void Connection::connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                         Callbacks callbacks, ConnectDone done) {
  auto p = std::make_shared<Pending>();
  p->dht = &dht;
  p->local = local;
  p->remote = remote;
  p->done = std::move(done);
  p->conn.reset(new Connection());
  p->conn->remote_ = remote;
  p->conn->cb_ = std::move(callbacks);

  dht.find_peer(remote, [p](Result<std::pair<Peer, dht::Address>> found) {
    if (!found) {
      p->done(found.error());
      return;
    }
    const dht::Address relay = found->second;
    Connection* c = p->conn.get();
    udx::Udx& udx = p->dht->node().socket().udx();
    const std::uint32_t stream_id = udx.new_stream_id();

    // The stream exists (unconnected) before msg1 names its id. The server may connect back
    // before its handshake reply has made the longer trip through the DHT: its first packets
    // are taken in and held (reading paused) until the keys to read them exist.
    c->make_stream(udx, stream_id, false, 0);
    c->stream_->pause_reading();

    p->noise = std::make_unique<crypto::NoiseHandshake>(
        crypto::NoisePattern::IK, true, p->local, crypto::hyperdht_ns().peer_handshake, p->remote);
    NoisePayload mine;
    mine.firewall = kFirewallUnknown;
    mine.addresses4 = {p->dht->node().local_address()};
    mine.udx = UdxInfo{1, false, stream_id, 0};
    mine.secret_stream = true;
    auto msg1 = p->noise->send(encode(mine));
    if (!msg1) {
      p->done(msg1.error());
      return;
    }
    Handshake hs{kModeFromClient, std::move(*msg1), std::nullopt, std::nullopt};
    const dht::NodeId target = crypto::blake2b_256(p->remote);
    p->dht->node().request(
        relay, kPeerHandshake, false, target, encode(hs), [p, relay](const dht::Reply* r) {
          if (!r) {
            p->done(connect_error("the peer did not answer the handshake"));
            return;
          }
          auto reply = r->response.value ? decode_handshake(*r->response.value) : std::nullopt;
          if (!reply || reply->mode != kModeReply || reply->noise.empty()) {
            p->done(connect_error("bad handshake reply (BAD_HANDSHAKE_REPLY)"));
            return;
          }
          auto payload_bytes = p->noise->recv(reply->noise);
          if (!payload_bytes) {
            p->done(payload_bytes.error());
            return;
          }
          auto theirs = decode_noise_payload(*payload_bytes);
          if (!theirs || theirs->version != 1) {
            p->done(connect_error("the peer speaks another protocol version"));
            return;
          }
          if (theirs->error != 0 || !theirs->udx) {
            p->done(connect_error("the peer refused the connection (error " +
                                  std::to_string(theirs->error) + ")"));
            return;
          }
          // The server as the relay saw it: on one host or behind the same NAT that is where
          // its stream listens; holepunching for the other cases comes with the NAT work.
          const dht::Address server = reply->peer_address.value_or(relay);
          Connection* conn = p->conn.get();
          auto st = conn->stream_->connect(
              p->dht->node().socket(), static_cast<std::uint32_t>(theirs->udx->id), to_udx(server));
          if (!st) {
            p->done(st.error());
            return;
          }
          conn->secret_ = std::make_unique<crypto::SecretStream>(p->noise->result());
          const auto& header = conn->secret_->header_frame();
          conn->stream_->write(ByteView(header.data(), header.size()));
          udx::Stream* stream = conn->stream_.get();
          p->done(std::move(p->conn));
          stream->resume_reading();  // callbacks are in place now
        });
  });
}

void Connection::make_stream(udx::Udx& udx, std::uint32_t id, bool accept_first_packet,
                             std::uint32_t remote_id) {
  udx::Stream::Callbacks scb;
  std::weak_ptr<bool> alive = alive_;
  Connection* c = this;
  scb.on_data = [c, alive](ByteView d) {
    if (alive.expired() || !c->secret_) return;
    auto st = c->secret_->feed(d, [c, alive](ByteView m) {
      if (!alive.expired() && c->cb_.on_data) c->cb_.on_data(m);
    });
    if (!st && !alive.expired()) c->destroy();
  };
  scb.on_end = [c, alive] {
    if (!alive.expired() && c->cb_.on_end) c->cb_.on_end();
  };
  scb.on_drain = [c, alive] {
    if (!alive.expired() && c->cb_.on_drain) c->cb_.on_drain();
  };
  scb.on_close = [c, alive](const Status& st) {
    if (!alive.expired() && c->cb_.on_close) c->cb_.on_close(st);
  };
  if (!accept_first_packet) {
    // Before connect(): packets for our id from the peer's socket are accepted (hyperdht's
    // client stream firewall does the same), so nothing the server sends early is lost.
    scb.on_firewall = [](udx::Socket&, const udx::Address&) { return true; };
  } else {
    // The peer's first packet tells us where it is: connect the stream back to that source
    // (lib/server.js: the raw stream's firewall hook).
    scb.on_firewall = [c, alive, remote_id](udx::Socket& socket, const udx::Address& from) {
      if (alive.expired() || c->stream_->connected()) return false;
      return c->stream_->connect(socket, remote_id, from).ok();
    };
  }
  stream_ = std::make_unique<udx::Stream>(udx, id, std::move(scb));
}

Connection::~Connection() {
  *alive_ = false;
}

Server::Server(Dht& dht, const crypto::KeyPair& key_pair, Options options,
               OnConnection on_connection)
    : dht_(dht)
    , key_pair_(key_pair)
    , options_(std::move(options))
    , on_connection_(std::move(on_connection))
    , target_(crypto::blake2b_256(key_pair.public_key)) {
  refresh_ = new uv_timer_t;
  uv_timer_init(dht_.node().socket().udx().loop(), refresh_);
  refresh_->data = this;
  dht_.register_server(
      target_, [this](const dht::Request& r, const dht::Address& from) { on_handshake(r, from); });
}

Server::~Server() {
  *alive_ = false;
  dht_.unregister_server(target_);
  refresh_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(refresh_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void Server::announce(std::function<void(Status)> done) {
  std::weak_ptr<bool> alive = alive_;
  dht_.announce(target_, key_pair_, {}, [alive, done = std::move(done)](Status st, std::size_t) {
    if (!alive.expired() && done) done(st);
  });
}

void Server::unannounce(std::function<void()> done) {
  uv_timer_stop(refresh_);
  std::weak_ptr<bool> alive = alive_;
  dht_.unannounce(target_, key_pair_, [alive, done = std::move(done)](Status, std::size_t) {
    if (!alive.expired() && done) done();
  });
}

void Server::listen(std::function<void(Status)> done) {
  announce(std::move(done));
  // Announcements live 20 minutes on the nodes that store them; hyperdht refreshes well before.
  uv_timer_start(
      refresh_,
      [](uv_timer_t* t) {
        if (auto* self = static_cast<Server*>(t->data)) self->announce(nullptr);
      },
      5 * 60 * 1000, 5 * 60 * 1000);
}

void Server::on_handshake(const dht::Request& req, const dht::Address& from) {
  if (!req.value) return;
  auto hs = decode_handshake(*req.value);
  if (!hs || hs->noise.empty()) return;
  if (hs->mode != kModeFromRelayForServer && hs->mode != kModeFromClient) return;
  const std::uint64_t now = uv_now(dht_.node().socket().udx().loop());
  for (auto it = replies_.begin(); it != replies_.end();) {
    it = now - it->second.second > 10000 ? replies_.erase(it) : std::next(it);
  }
  const std::string key = to_hex(hs->noise);
  Bytes reply_noise;
  if (auto it = replies_.find(key); it != replies_.end()) {
    reply_noise = it->second.first;  // a retry of a handshake we already answered
  } else {
    auto noise = std::make_unique<crypto::NoiseHandshake>(
        crypto::NoisePattern::IK, false, key_pair_, crypto::hyperdht_ns().peer_handshake);
    auto payload_bytes = noise->recv(hs->noise);
    if (!payload_bytes) return;
    auto theirs = decode_noise_payload(*payload_bytes);
    if (!theirs || theirs->version != 1 || !theirs->udx) return;
    // msg1 carries the client's static key: known before we answer, so the firewall can judge.
    const crypto::PublicKey remote = *noise->remote_static();
    const dht::Address client = hs->peer_address.value_or(from);
    if (options_.firewall && !options_.firewall(remote, client)) {
      ++refused_;
      return;
    }
    std::unique_ptr<Connection> conn(new Connection());
    conn->remote_ = remote;
    udx::Udx& udx = dht_.node().socket().udx();
    const std::uint32_t stream_id = udx.new_stream_id();
    conn->make_stream(udx, stream_id, false, 0);
    // Connected at once to where the relay saw the client, so even a connection refused
    // right away (a dead local service) can still tell the client with a DESTROY; the
    // client's first packet corrects the address if it comes from elsewhere.
    if (!conn->stream_
             ->connect(dht_.node().socket(), static_cast<std::uint32_t>(theirs->udx->id),
                       dht::to_udx(client))
             .ok()) {
      return;
    }
    conn->stream_->adopt_first_source();
    NoisePayload mine;
    mine.firewall = kFirewallUnknown;
    mine.addresses4 = {dht_.node().local_address()};
    mine.udx = UdxInfo{1, false, stream_id, 0};
    mine.secret_stream = true;
    auto msg2 = noise->send(encode(mine));
    if (!msg2) return;
    reply_noise = *msg2;
    replies_[key] = {reply_noise, now};
    conn->secret_ = std::make_unique<crypto::SecretStream>(noise->result());
    const auto& header = conn->secret_->header_frame();
    // Queued until the stream connects on the client's first packet.
    conn->stream_->write(ByteView(header.data(), header.size()));
    if (on_connection_) on_connection_(std::move(conn));
  }
  if (hs->mode == kModeFromClient) {
    Handshake out{kModeReply, reply_noise, std::nullopt, std::nullopt};
    dht_.node().reply(req, from, 0, encode(out), false, false);
  } else {
    Handshake out{kModeFromServer, reply_noise, hs->peer_address, std::nullopt};
    dht_.node().relay(req, encode(out), from);
  }
}

bool Connection::write(ByteView data) {
  if (!secret_ || !stream_) return false;
  bool more = true;
  // Frames of at most 64 KiB keep each secretstream message far below any peer's limit.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 65536);
    Bytes frame = secret_->encrypt(data.first(n));
    more = stream_->write(frame) && more;
    data = data.subspan(n);
  }
  return more;
}

void Connection::end() {
  if (stream_) stream_->end();
}

void Connection::destroy() {
  if (stream_) stream_->destroy();
}

}  // namespace peerport::hyperdht
