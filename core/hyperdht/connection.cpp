#include "hyperdht/connection.hpp"

#include <sodium.h>

#include "crypto/hash.hpp"

namespace peerport::hyperdht {

namespace {
constexpr std::uint64_t kModeFromClient = 0;
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

    // The stream exists (unconnected) before msg1 names its id.
    udx::Stream::Callbacks scb;
    std::weak_ptr<bool> alive = c->alive_;
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
    c->stream_ = std::make_unique<udx::Stream>(udx, stream_id, std::move(scb));

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
          p->done(std::move(p->conn));
        });
  });
}

Connection::~Connection() {
  *alive_ = false;
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
