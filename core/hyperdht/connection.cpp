// The connection itself: its stream, keys and data, whichever module made it.
#include "hyperdht/connection.hpp"

#include "common/trace.hpp"

namespace peerport::hyperdht {

namespace {
// hyperdht's connectionKeepAlive default.
constexpr std::uint32_t kKeepAliveMs = 5000;
}  // namespace

std::unique_ptr<Connection> Connection::accept(udx::Udx& udx, udx::Socket& socket,
                                               const crypto::PublicKey& remote,
                                               std::uint32_t client_stream,
                                               const udx::Address& client) {
  std::unique_ptr<Connection> conn(new Connection());
  conn->remote_ = remote;
  conn->make_stream(udx, udx.new_stream_id(), false, 0);
  if (!conn->stream_->connect(socket, client_stream, client).ok()) return nullptr;
  conn->stream_->adopt_first_source();
  return conn;
}

void Connection::start_secret(const crypto::HandshakeResult& keys) {
  secret_ = std::make_unique<crypto::SecretStream>(keys);
  const auto& header = secret_->header_frame();
  // Queued until the stream connects (on the server, on the client's first packet).
  stream_->write(ByteView(header.data(), header.size()));
  keepalive_ = std::make_unique<uvx::Timer>(stream_->udx().clock());
  last_write_ms_ = stream_->udx().clock().now_ms();
  keep_alive();
}

void Connection::keep_alive() {
  if (ended_ || !stream_ || !secret_) return;
  const std::uint64_t now = stream_->udx().clock().now_ms();
  if (now - last_write_ms_ >= kKeepAliveMs) {
    // Not connected yet (a server waiting for the client's first packet): nothing to keep
    // alive, look again a period later.
    if (stream_->connected()) stream_->write(secret_->encrypt({}));
    last_write_ms_ = now;
  }
  keepalive_->start(last_write_ms_ + kKeepAliveMs - now, [this] { keep_alive(); });
}

void Connection::send_from_held_sockets(ByteView data, const udx::Address& to, int ttl) {
  for (auto& sock : sockets_) (void)sock->send_ttl(data, to, ttl);
}

void Connection::make_stream(udx::Udx& udx, std::uint32_t id, bool accept_first_packet,
                             std::uint32_t remote_id) {
  udx::Stream::Callbacks scb;
  uvx::Lifetime::Token alive = alive_;
  Connection* c = this;
  scb.on_data = [c, alive](ByteView d) {
    if (alive.expired() || !c->secret_) return;
    if (trace::enabled() && c->stream_->stats().bytes_received == d.size()) {
      PP_TRACE("stream %u: first data from the peer (%zu bytes)", c->stream_->id(), d.size());
    }
    if (c->sockets_.size() > 1) c->prune_sockets();
    auto st = c->secret_->feed(d, [c, alive](ByteView m) {
      // Empty messages are keep-alives (ours and hyperdht's), not data.
      if (!m.empty() && !alive.expired() && c->cb_.on_data) c->cb_.on_data(m);
    });
    if (!st && !alive.expired()) {
      PP_TRACE("stream %u: secret stream failed: %s", c->stream_->id(), st.error().message.c_str());
      c->destroy();
    }
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

void Connection::prune_sockets() {
  udx::Socket* used = stream_ ? stream_->socket() : nullptr;
  std::vector<std::unique_ptr<udx::Socket>> keep;
  for (auto& s : sockets_) {
    if (s.get() == used) keep.push_back(std::move(s));
  }
  sockets_ = std::move(keep);
}

Connection::~Connection() {
  alive_.end();
}

bool Connection::write(ByteView data) {
  if (!secret_ || !stream_) return false;
  last_write_ms_ = stream_->udx().clock().now_ms();
  bool more = true;
  // Frames of at most 64 KiB keep each secretstream message far below any peer's limit.
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), 65536);
    Bytes frame = secret_->encrypt(data.first(n));
    more = stream_->write(std::move(frame)) && more;
    data = data.subspan(n);
  }
  return more;
}

void Connection::end() {
  ended_ = true;
  if (stream_) stream_->end();
}

void Connection::destroy() {
  if (stream_) stream_->destroy();
}

}  // namespace peerport::hyperdht
