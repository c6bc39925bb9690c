#include "tunnel/tcp.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "common/trace.hpp"

namespace peerport::tunnel {

namespace {
// Bytes queued towards the local TCP side above which the peer is paused, and below which it
// resumes: a slow local reader holds the remote writer back instead of growing a buffer.
constexpr std::size_t kPauseAbove = 1u << 20;
constexpr std::size_t kResumeBelow = 256u << 10;
constexpr std::size_t kReadBuffer = 64u << 10;
}  // namespace

// One TCP socket joined to one encrypted connection. Owns both; deletes itself once the TCP
// handle has closed (which happens only after the connection has closed too).
class Pipe : public PipeBase<Pipe> {
 public:
  Pipe(uv_loop_t* loop, std::shared_ptr<Stats> stats, EventFn on_event)
      : PipeBase(std::move(stats), std::move(on_event)) {
    uv_tcp_init(loop, &tcp_);
    tcp_.data = this;
  }

  uv_tcp_t* tcp() { return &tcp_; }
  // Expires when this pipe is deleted: for callbacks that may outlive it.
  uvx::Lifetime::Token life() const { return life_; }
  // The sharer ended this client's tunnel: a clean close on our side, not a failure.
  void disconnect() {
    local_reset_ = true;
    abort();
  }

  hyperdht::Connection::Callbacks callbacks() {
    hyperdht::Connection::Callbacks cb;
    cb.on_data = [this](ByteView d) { to_tcp(d); };
    cb.on_end = [this] {
      if (service_connecting_) {
        end_held_ = true;
        return;
      }
      finish_tcp();
    };
    cb.on_drain = [this] {
      if (tcp_paused_ && !closing_) {
        tcp_paused_ = false;
        start_reading();
      }
    };
    cb.on_direct = [this] {
      // Before attach() the move shows in the opened event itself.
      if (auto* t = traffic()) t->relayed = false;
      if (conn_ && on_event_) on_event_({Event::path_changed, peer_, "", false});
    };
    cb.on_close = [this](const Status& st) {
      conn_closed_ = true;
      const bool clean = st.ok() || local_reset_;
      reason_ = clean ? "" : st.error().message;
      code_ = clean ? Errc::ok : st.error().code;
      if (pending_ == 0) close_tcp();
    };
    return cb;
  }

  // The share side connects to its service while the peer may already be sending. POSIX queues
  // writes on a connecting socket; Windows refuses them (libuv: UV_EPIPE), so until the
  // connect completes the bytes wait here, counted in pending_ like any queued write.
  void service_connecting() { service_connecting_ = true; }
  void service_connected() {
    service_connecting_ = false;
    Bytes held = std::move(held_);
    held_.clear();
    pending_ -= held.size();
    if (!held.empty()) write_tcp(held);
    if (end_held_ && !closing_) finish_tcp();
    start_reading();
  }

  // The peer finished sending: finish our TCP side once what it sent is written.
  void finish_tcp() {
    shutdown_req_ = std::make_unique<uv_shutdown_t>();
    shutdown_req_->data = this;
    if (uv_shutdown(shutdown_req_.get(), reinterpret_cast<uv_stream_t*>(&tcp_),
                    [](uv_shutdown_t*, int) {}) != 0) {
      shutdown_req_.reset();
    }
  }

  void attach(std::unique_ptr<hyperdht::Connection> conn) {
    conn_ = std::move(conn);
    const bool relayed = conn_->relayed() || conn_->relay_offered();
    if (on_event_) on_event_({Event::opened, peer_, "", relayed});
  }

  void start_reading() {
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&tcp_),
        [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
          auto* self = static_cast<Pipe*>(h->data);
          *buf = uv_buf_init(reinterpret_cast<char*>(self->read_buf_), kReadBuffer);
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
          static_cast<Pipe*>(s->data)->on_tcp_read(n, buf);
        });
  }

  // Teardown from the owner (TcpShare / TcpConnect going away): the connection is ended and
  // released now, while the DHT it runs on still exists.
  void abort() {
    if (conn_) {
      if (!conn_closed_) conn_->destroy();
      conn_.reset();
    }
    close_tcp();
  }

  // The TCP side failed before or while connecting: report and tear down.
  void fail(const std::string& message, Errc code) {
    if (on_event_) on_event_({Event::error, peer_, message, false, code});
    if (conn_ && !conn_closed_) conn_->destroy();
    close_tcp();
  }

  void close_tcp() { close_handle(reinterpret_cast<uv_handle_t*>(&tcp_)); }

 private:
  struct WriteReq {
    uv_write_t req;
    Bytes data;
    Pipe* pipe;
  };

  void on_tcp_read(ssize_t n, const uv_buf_t* buf) {
    if (n > 0) {
      stats_->bytes_out += static_cast<std::uint64_t>(n);
      if (auto* t = traffic()) t->bytes_out += static_cast<std::uint64_t>(n);
      if (conn_ && !conn_->write(ByteView(reinterpret_cast<std::uint8_t*>(buf->base),
                                          static_cast<std::size_t>(n)))) {
        // The peer is not keeping up: stop reading until it drains.
        uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
        tcp_paused_ = true;
      }
      return;
    }
    if (n == UV_EOF) {
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&tcp_));
      if (conn_) conn_->end();
      return;
    }
    if (n < 0) {
      // The local program reset its connection: our teardown of the tunnel is no failure of
      // it, so the close carries no reason (a front end would show "tunnel lost").
      local_reset_ = true;
      if (conn_) conn_->destroy();
      close_tcp();
    }
  }

  void to_tcp(ByteView d) {
    if (closing_) return;
    stats_->bytes_in += d.size();
    if (conn_) stats_->rtt_ms = conn_->rtt_ms();
    if (auto* t = traffic()) {
      t->bytes_in += d.size();
      if (conn_) t->rtt_ms = conn_->rtt_ms();
    }
    if (service_connecting_) {
      held_.insert(held_.end(), d.begin(), d.end());
      pending_ += d.size();
      if (pending_ > kPauseAbove && conn_ && !conn_paused_) {
        conn_paused_ = true;
        conn_->pause_reading();
      }
      return;
    }
    write_tcp(d);
  }

  void write_tcp(ByteView d) {
    if (pending_ == 0) {
      // Nothing queued: write straight from the decrypted message and copy only what the
      // socket did not take (libuv refuses with UV_EAGAIN while connecting or queued; any
      // other error is left to uv_write below to report as before).
      uv_buf_t now = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(d.data())),
                                 static_cast<unsigned>(d.size()));
      int n = uv_try_write(reinterpret_cast<uv_stream_t*>(&tcp_), &now, 1);
      if (n > 0) d = d.subspan(static_cast<std::size_t>(n));
      if (d.empty()) return;
    }
    auto* w = new WriteReq{{}, Bytes(d.begin(), d.end()), this};
    w->req.data = w;
    uv_buf_t b =
        uv_buf_init(reinterpret_cast<char*>(w->data.data()), static_cast<unsigned>(w->data.size()));
    pending_ += d.size();
    if (uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp_), &b, 1, on_written) != 0) {
      pending_ -= d.size();
      delete w;
      fail("the local connection was lost", Errc::network_error);
      return;
    }
    if (pending_ > kPauseAbove && conn_ && !conn_paused_) {
      conn_paused_ = true;
      conn_->pause_reading();
    }
  }

  static void on_written(uv_write_t* req, int status) {
    auto* w = static_cast<WriteReq*>(req->data);
    Pipe* self = w->pipe;
    self->pending_ -= w->data.size();
    delete w;
    if (status == UV_ECANCELED) return;  // the handle is closing; it cleans up
    if (status < 0) {
      if (self->conn_ && !self->conn_closed_) self->conn_->destroy();
      self->close_tcp();
      return;
    }
    if (self->conn_paused_ && self->pending_ < kResumeBelow && self->conn_) {
      self->conn_paused_ = false;
      self->conn_->resume_reading();
    }
    if (self->conn_closed_ && self->pending_ == 0) self->close_tcp();
  }

  uv_tcp_t tcp_;
  uvx::Lifetime life_;
  std::unique_ptr<uv_shutdown_t> shutdown_req_;
  std::uint8_t read_buf_[kReadBuffer];
  std::size_t pending_ = 0;
  bool tcp_paused_ = false;
  bool conn_paused_ = false;
  bool local_reset_ = false;
  bool service_connecting_ = false;
  bool end_held_ = false;  // the peer's END came while connecting: shut down once connected
  Bytes held_;
};

TcpShare::TcpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options,
                   EventFn on_event)
    : ShareTunnel(dht, std::move(options), std::move(on_event)) {
  make_server(key_pair,
              [this](std::unique_ptr<hyperdht::Connection> conn) { accept(std::move(conn)); });
}

void TcpShare::accept(std::unique_ptr<hyperdht::Connection> conn) {
  uv_loop_t* loop = this->loop();
  auto* pipe = new Pipe(loop, stats_, on_event_);
  pipe->set_registry(pipes_);
  pipe->hold_slot(gate_, conn->remote_public_key());
  pipe->set_peer(conn->remote_public_key());
  conn->set_callbacks(pipe->callbacks());
  pipe->attach(std::move(conn));
  pipe->track(ledger_, uv_now(loop));
  auto target = udx::Address::parse(options_.host, options_.port);
  const std::string where = service_name();
  // The request lives in its context, freed by the callback (or here if never sent).
  struct Ctx {
    uv_connect_t req;
    Pipe* pipe;
    std::string where;
  };
  auto* ctx = new Ctx{{}, pipe, where};
  uv_connect_t* req = &ctx->req;
  req->data = ctx;
  pipe->service_connecting();
  PP_TRACE("share: a peer's stream opened, connecting to the service");
  int rc = target ? uv_tcp_connect(req, pipe->tcp(), reinterpret_cast<const sockaddr*>(&target->sa),
                                   [](uv_connect_t* r, int status) {
                                     auto* c = static_cast<Ctx*>(r->data);
                                     if (status == 0) {
                                       c->pipe->service_connected();
                                     } else if (status != UV_ECANCELED) {
                                       c->pipe->fail("service at " + c->where +
                                                         " refused: " + uv_strerror(status),
                                                     Errc::service_unreachable);
                                     }
                                     delete c;
                                   })
                  : UV_EINVAL;
  if (rc != 0) {
    delete ctx;
    pipe->fail("cannot connect to service at " + where + ": " + uv_strerror(rc),
               Errc::service_unreachable);
  }
}

namespace {
void abort_all(const std::shared_ptr<std::set<Pipe*>>& pipes) {
  auto copy = *pipes;
  for (Pipe* p : copy) p->abort();
}
}  // namespace

TcpShare::~TcpShare() {
  abort_all(pipes_);
}

std::size_t TcpShare::disconnect(const crypto::PublicKey& peer, bool block) {
  return end_tunnels_of(pipes_, peer, block);
}

void TcpShare::start(std::function<void(Status)> done) {
  server_->listen(std::move(done));
}

TcpConnect::TcpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair,
                       const crypto::PublicKey& remote, Options options, EventFn on_event)
    : ConnectTunnel(dht, key_pair, remote, std::move(options), std::move(on_event)) {}

TcpConnect::~TcpConnect() {
  alive_.end();
  abort_all(pipes_);
}

// Local connections the kernel queues before we accept them (capped by net.core.somaxconn). At
// 128, a burst of local connections (a browser, a download manager, a test) overflowed it; with
// SYN cookies the overflowed ones looked open to the client and were then reset.
constexpr int kLocalListenBacklog = 4096;

Status TcpConnect::start() {
  auto addr = udx::Address::parse(options_.host, options_.port);
  if (!addr) return make_error(Errc::invalid_value, "not an IPv4 address: " + options_.host);
  listener_ = uvx::make_handle<uv_tcp_t>();
  uv_tcp_init(loop(), listener_.get());
  listener_->data = this;
  int rc = uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr->sa), 0);
  if (rc == 0)
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), kLocalListenBacklog,
                   on_connection);
  if (rc != 0) {
    return make_error(Errc::network_error, "local port " + options_.host + ":" +
                                               std::to_string(options_.port) +
                                               " is not available: " + uv_strerror(rc));
  }
  sockaddr_in bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.sin_port);
  return Ok{};
}

void TcpConnect::on_connection(uv_stream_t* server, int status) {
  auto* self = static_cast<TcpConnect*>(server->data);
  if (!self || status < 0) return;
  auto* pipe = new Pipe(server->loop, self->stats_, self->on_event_);
  pipe->set_registry(self->pipes_);
  pipe->set_peer(self->remote_);
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(pipe->tcp())) != 0) {
    pipe->close_tcp();
    return;
  }
  self->connect_pipe(pipe, 0);
}

void TcpConnect::connect_pipe(Pipe* pipe, int attempt) {
  uvx::Lifetime::Token pipe_alive = pipe->life();
  // The local connection waits its turn unread (when_admitted); one that closed meanwhile
  // takes no turn.
  when_admitted([this, pipe, pipe_alive, attempt] {
    if (pipe_alive.expired()) return false;
    start_attempt(pipe, attempt);
    return true;
  });
}

void TcpConnect::start_attempt(Pipe* pipe, int attempt) {
  uvx::Lifetime::Token alive = alive_;
  uvx::Lifetime::Token pipe_alive = pipe->life();
  auto done = [this, pipe, alive, pipe_alive,
               attempt](Result<std::unique_ptr<hyperdht::Connection>> r) {
    if (alive.expired()) return;  // the pipe went with its owner
    attempt_done();
    if (pipe_alive.expired()) {  // the local side went away while we were connecting
      if (r) (*r)->destroy();
      return;
    }
    if (r) {
      pipe->attach(std::move(*r));
      pipe->start_reading();
      return;
    }
    // The local connection waits (unread) while we try again (connect_retry_delay_ms), then
    // it is closed with the reason.
    const Errc code = r.error().code;
    const bool known = options_.refusal_known && options_.refusal_known();
    const auto delay = connect_retry_delay_ms(code, attempt, known);
    if (!delay) {
      pipe->fail(r.error().message, code);
      return;
    }
    if (on_event_) on_event_({Event::retrying, to_hex(remote_), r.error().message, false, code});
    uvx::after(dht_.node().socket().udx().clock(), *delay,
               [this, pipe, next = attempt + 1, alive, pipe_alive] {
                 if (!alive.expired() && !pipe_alive.expired()) connect_pipe(pipe, next);
               });
  };
  connect_peer(dht_, options_.connector, key_pair_, remote_, pipe->callbacks(), std::move(done));
}

}  // namespace peerport::tunnel
