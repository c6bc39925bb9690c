#include "tunnel/udp.hpp"

#include <algorithm>
#include <cstring>

#include "tunnel/framing.hpp"

namespace peerport::tunnel {

namespace {
constexpr std::size_t kRecvBuffer = 64u << 10;
// Datagrams held for a client while its connection is being made; more are dropped.
constexpr std::size_t kMaxQueued = 256u << 10;

std::string addr_key(const sockaddr_in& a) {
  char ip[INET_ADDRSTRLEN] = {};
  uv_ip4_name(&a, ip, sizeof ip);
  return std::string(ip) + ":" + std::to_string(ntohs(a.sin_port));
}

std::uint64_t now_ms(uv_loop_t* loop) {
  return uv_now(loop);
}
}  // namespace

// The sharing side of one peer: its stream and a UDP socket connected to the service.
// Deletes itself once the socket has closed, which happens after the connection has closed.
class UdpPipe : public PipeBase<UdpPipe> {
 public:
  UdpPipe(uv_loop_t* loop, std::shared_ptr<Stats> stats, EventFn on_event, std::string where)
      : PipeBase(std::move(stats), std::move(on_event)), loop_(loop), where_(std::move(where)) {
    last_active_ = uv_now(loop);
    uv_udp_init(loop, &udp_);
    udp_.data = this;
  }

  Status open(const udx::Address& target) {
    sockaddr_in any{};
    uv_ip4_addr(target.sa.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "127.0.0.1" : "0.0.0.0", 0,
                &any);
    int rc = uv_udp_bind(&udp_, reinterpret_cast<const sockaddr*>(&any), 0);
    // Connected, so the kernel hands us only the service's replies and reports its absence
    // (ICMP port unreachable) as ECONNREFUSED on the next receive.
    if (rc == 0) rc = uv_udp_connect(&udp_, reinterpret_cast<const sockaddr*>(&target.sa));
    if (rc == 0) {
      rc = uv_udp_recv_start(
          &udp_,
          [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
            auto* self = static_cast<UdpPipe*>(h->data);
            *buf = uv_buf_init(reinterpret_cast<char*>(self->buf_), kRecvBuffer);
          },
          [](uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr* from, unsigned) {
            // n == 0 without an address is libuv saying "nothing more"; with one, an empty
            // datagram, which is forwarded like any other.
            if (n == 0 && !from) return;
            static_cast<UdpPipe*>(h->data)->on_service(n, buf);
          });
    }
    if (rc != 0) return make_error(Errc::network_error, uv_strerror(rc));
    return Ok{};
  }

  // The sharer ended this client's tunnel: a clean close, no reason to report.
  void disconnect() {
    if (closing_) return;
    quiet_ = true;
    abort();
  }
  // Milliseconds since a datagram last went either way.
  std::uint64_t idle_for(std::uint64_t now) const { return now - last_active_; }
  void close_idle() {
    if (closing_) return;
    ++stats_->idle_closed;
    reason_ = "idle";
    code_ = Errc::idle_timeout;
    abort();
  }

  void attach(std::unique_ptr<hyperdht::Connection> conn) {
    conn_ = std::move(conn);
    peer_ = to_hex(conn_->remote_public_key());
    hyperdht::Connection::Callbacks cb;
    cb.on_data = [this](ByteView d) { from_peer(d); };
    cb.on_end = [this] {
      // The client is done (holesail ends its side when the local socket closes).
      if (conn_) conn_->end();
    };
    cb.on_drain = [this] { congested_ = false; };
    cb.on_direct = [this] {
      if (auto* t = traffic()) t->relayed = false;
      if (on_event_) on_event_({Event::path_changed, peer_, "", false});
    };
    cb.on_close = [this](const Status& st) {
      conn_closed_ = true;
      if (reason_.empty() && !quiet_ && !st.ok()) {
        reason_ = st.error().message;
        code_ = st.error().code;
      }
      close();
    };
    conn_->set_callbacks(std::move(cb));
    const bool relayed = conn_->relayed() || conn_->relay_offered();
    if (on_event_) on_event_({Event::opened, peer_, "", relayed});
  }

  void abort() {
    if (conn_ && !conn_closed_) conn_->destroy();
    close();
  }

  void close() { close_handle(reinterpret_cast<uv_handle_t*>(&udp_)); }

 private:
  void on_service(ssize_t n, const uv_buf_t* buf) {
    if (n < 0) {
      if (!refused_reported_ && on_event_) {
        refused_reported_ = true;
        on_event_({Event::error, peer_,
                   "service at " + where_ + " refused: " + uv_strerror(static_cast<int>(n)), false,
                   Errc::service_unreachable});
      }
      return;
    }
    if (!conn_ || conn_closed_) return;
    last_active_ = uv_now(loop_);
    if (congested_) {
      ++stats_->dropped;
      return;
    }
    refused_reported_ = false;  // the service answers (again)
    stats_->bytes_out += static_cast<std::uint64_t>(n);
    stats_->rtt_ms = conn_->rtt_ms();
    if (auto* t = traffic()) {
      t->bytes_out += static_cast<std::uint64_t>(n);
      t->rtt_ms = stats_->rtt_ms;
    }
    auto framed = frame_datagram(
        ByteView(reinterpret_cast<const std::uint8_t*>(buf->base), static_cast<std::size_t>(n)));
    if (!conn_->write(framed)) congested_ = true;
  }

  void from_peer(ByteView d) {
    if (closing_) return;
    last_active_ = uv_now(loop_);
    bool ok = decoder_.feed(d, [this](ByteView datagram) {
      stats_->bytes_in += datagram.size();
      if (auto* t = traffic()) t->bytes_in += datagram.size();
      uv_buf_t b = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(datagram.data())),
                               static_cast<unsigned>(datagram.size()));
      const int rc = uv_udp_try_send(&udp_, &b, 1, nullptr);
      if (rc < 0) {
        ++stats_->dropped;
        if (rc == UV_ECONNREFUSED && !refused_reported_ && on_event_) {
          refused_reported_ = true;
          on_event_({Event::error, peer_, "service at " + where_ + " refused: " + uv_strerror(rc),
                     false, Errc::service_unreachable});
        }
      }
    });
    if (!ok) {
      if (on_event_) {
        on_event_({Event::error, peer_, "the peer sent a malformed datagram frame", false,
                   Errc::invalid_value});
      }
      if (conn_) conn_->destroy();
    }
  }

  uv_loop_t* loop_;
  uv_udp_t udp_{};
  std::uint64_t last_active_ = 0;
  std::string where_;
  FrameDecoder decoder_;
  std::uint8_t buf_[kRecvBuffer];
  bool congested_ = false;
  bool refused_reported_ = false;
  bool quiet_ = false;  // closed by the sharer: no reason to report
};

UdpShare::UdpShare(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Options options,
                   EventFn on_event)
    : ShareTunnel(dht, std::move(options), std::move(on_event)) {
  make_server(key_pair,
              [this](std::unique_ptr<hyperdht::Connection> conn) { accept(std::move(conn)); });
}

void UdpShare::accept(std::unique_ptr<hyperdht::Connection> conn) {
  uv_loop_t* loop = this->loop();
  const std::string where = service_name();
  auto* pipe = new UdpPipe(loop, stats_, on_event_, where);
  pipe->set_registry(pipes_);
  pipe->hold_slot(gate_, conn->remote_public_key());
  pipe->attach(std::move(conn));
  pipe->track(ledger_, uv_now(loop));
  auto target = udx::Address::parse(options_.host, options_.port);
  Status st =
      target ? pipe->open(*target) : Status(make_error(Errc::invalid_value, "not an IPv4 address"));
  if (!st) {
    if (on_event_) {
      on_event_({Event::error, "", "cannot reach service at " + where + ": " + st.error().message,
                 false, Errc::service_unreachable});
    }
    pipe->abort();
  }
}

UdpShare::~UdpShare() {
  sweeper_.reset();
  auto copy = *pipes_;
  for (UdpPipe* p : copy) p->abort();
}

std::size_t UdpShare::disconnect(const crypto::PublicKey& peer, bool block) {
  return end_tunnels_of(pipes_, peer, block);
}

void UdpShare::start(std::function<void(Status)> done) {
  // UDP has no end: a client that goes away without closing its connection leaves the pipe
  // and its socket to the service behind, so pipes that carry nothing are closed.
  sweeper_ = std::make_unique<uvx::Timer>(loop());
  const std::uint64_t every = std::clamp<std::uint64_t>(options_.udp_idle_timeout_ms / 4, 10, 1000);
  sweeper_->start(
      every, [this] { sweep(); }, every);
  server_->listen(std::move(done));
}

void UdpShare::sweep() {
  const std::uint64_t now = uv_now(loop());
  std::vector<UdpPipe*> idle;
  for (UdpPipe* p : *pipes_) {
    if (p->idle_for(now) > options_.udp_idle_timeout_ms) idle.push_back(p);
  }
  for (UdpPipe* p : idle) {
    if (pipes_->count(p)) p->close_idle();
  }
}

struct UdpConnect::Client {
  sockaddr_in addr{};
  std::unique_ptr<hyperdht::Connection> conn;
  bool connecting = true;
  bool congested = false;
  std::vector<Bytes> queue;  // frames waiting for the connection
  std::size_t queued = 0;
  FrameDecoder decoder;
  std::uint64_t last_active = 0;
  hyperdht::Connection::Callbacks callbacks;  // kept for retries
};

UdpConnect::UdpConnect(hyperdht::Dht& dht, const crypto::KeyPair& key_pair,
                       const crypto::PublicKey& remote, Options options, EventFn on_event)
    : ConnectTunnel(dht, key_pair, remote, std::move(options), std::move(on_event)) {}

UdpConnect::~UdpConnect() {
  alive_.end();
  // Connections end while the DHT they run on still exists; their callbacks point here.
  auto clients = std::move(clients_);
  clients_.clear();
  for (auto& [k, c] : clients) {
    if (c->conn) c->conn->destroy();
  }
  socket_.reset();
  sweeper_.reset();
}

Status UdpConnect::start() {
  auto addr = udx::Address::parse(options_.host, options_.port);
  if (!addr) return make_error(Errc::invalid_value, "not an IPv4 address: " + options_.host);
  uv_loop_t* loop = this->loop();
  socket_ = uvx::make_handle<uv_udp_t>();
  uv_udp_init(loop, socket_.get());
  socket_->data = this;
  recv_buf_ = std::make_unique<std::uint8_t[]>(kRecvBuffer);
  int rc = uv_udp_bind(socket_.get(), reinterpret_cast<const sockaddr*>(&addr->sa), 0);
  if (rc == 0) {
    rc = uv_udp_recv_start(
        socket_.get(),
        [](uv_handle_t* h, std::size_t, uv_buf_t* buf) {
          auto* self = static_cast<UdpConnect*>(h->data);
          *buf = self ? uv_buf_init(reinterpret_cast<char*>(self->recv_buf_.get()), kRecvBuffer)
                      : uv_buf_init(nullptr, 0);
        },
        [](uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr* from, unsigned) {
          auto* self = static_cast<UdpConnect*>(h->data);
          if (!self || n < 0 || !from || from->sa_family != AF_INET) return;
          self->on_datagram(ByteView(reinterpret_cast<const std::uint8_t*>(buf->base),
                                     static_cast<std::size_t>(n)),
                            *reinterpret_cast<const sockaddr_in*>(from));
        });
  }
  if (rc != 0) {
    return make_error(Errc::network_error, "local UDP port " + options_.host + ":" +
                                               std::to_string(options_.port) +
                                               " is not available: " + uv_strerror(rc));
  }
  sockaddr_in bound{};
  int len = sizeof bound;
  uv_udp_getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.sin_port);
  sweeper_ = std::make_unique<uvx::Timer>(loop);
  sweeper_->start(
      1000, [this] { sweep(); }, 1000);
  return Ok{};
}

void UdpConnect::send_to(const sockaddr_in& to, ByteView d) {
  uv_buf_t b = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(d.data())),
                           static_cast<unsigned>(d.size()));
  if (uv_udp_try_send(socket_.get(), &b, 1, reinterpret_cast<const sockaddr*>(&to)) < 0) {
    ++stats_->dropped;
  }
}

void UdpConnect::on_datagram(ByteView d, const sockaddr_in& from) {
  const std::string key = addr_key(from);
  auto it = clients_.find(key);
  if (it == clients_.end()) it = open_client(key, from);
  Client* c = it->second.get();
  c->last_active = now_ms(loop());
  stats_->bytes_out += d.size();
  auto framed = frame_datagram(d);
  if (c->connecting) {
    if (c->queued + framed.size() > kMaxQueued) {
      ++stats_->dropped;
      return;
    }
    c->queued += framed.size();
    c->queue.push_back(std::move(framed));
    return;
  }
  if (c->congested || !c->conn) {
    ++stats_->dropped;
    return;
  }
  if (!c->conn->write(framed)) c->congested = true;
}

// A new local sender: its own connection to the peer, its datagrams queued until it opens.
std::map<std::string, std::shared_ptr<UdpConnect::Client>>::iterator UdpConnect::open_client(
    const std::string& key, const sockaddr_in& from) {
  auto c = std::make_shared<Client>();
  c->addr = from;
  std::weak_ptr<Client> weak = c;
  Client* client = c.get();
  auto it = clients_.emplace(key, std::move(c)).first;
  ++stats_->connections;
  ++stats_->active;
  hyperdht::Connection::Callbacks& cb = client->callbacks;
  // Callbacks hold the client weakly: it may be closed from inside one of them.
  cb.on_data = [this, weak](ByteView data) {
    auto cl = weak.lock();
    if (!cl) return;
    cl->last_active = now_ms(loop());
    if (cl->conn) stats_->rtt_ms = cl->conn->rtt_ms();
    bool ok = cl->decoder.feed(data, [this, &cl](ByteView datagram) {
      stats_->bytes_in += datagram.size();
      send_to(cl->addr, datagram);
    });
    if (!ok && cl->conn) cl->conn->destroy();
  };
  cb.on_drain = [weak] {
    if (auto cl = weak.lock()) cl->congested = false;
  };
  cb.on_end = [weak] {
    if (auto cl = weak.lock(); cl && cl->conn) cl->conn->end();
  };
  cb.on_close = [this, weak, key](const Status& st) {
    if (weak.expired()) return;
    const std::string k = key;
    if (st.ok())
      close_client(k, Errc::ok, "");
    else
      close_client(k, st.error().code, st.error().message);
  };
  connect_client(key, client, 0);
  return it;
}

void UdpConnect::connect_client(const std::string& key, Client* client, int attempt) {
  // The client's datagrams stay queued while it waits its turn (when_admitted); one closed or
  // replaced meanwhile takes no turn.
  when_admitted([this, key, client, attempt] {
    auto found = clients_.find(key);
    if (found == clients_.end() || found->second.get() != client) return false;
    start_attempt(key, client, attempt);
    return true;
  });
}

void UdpConnect::start_attempt(const std::string& key, Client* client, int attempt) {
  uvx::Lifetime::Token alive = alive_;
  // Still this client (not closed, nor replaced by a new sender from the same address)?
  auto current = [this, key, client] {
    auto found = clients_.find(key);
    return found != clients_.end() && found->second.get() == client;
  };
  auto done = [this, alive, key, client, attempt,
               current](Result<std::unique_ptr<hyperdht::Connection>> r) {
    if (alive.expired()) {
      if (r) (*r)->destroy();
      return;
    }
    attempt_done();
    if (!current()) {
      if (r) (*r)->destroy();
      return;
    }
    if (!r) {
      // Its datagrams stay queued (bounded by kMaxQueued) while we try again.
      const Errc code = r.error().code;
      const bool known = options_.refusal_known && options_.refusal_known();
      if (auto delay = connect_retry_delay_ms(code, attempt, known)) {
        if (on_event_)
          on_event_({Event::retrying, to_hex(remote_), r.error().message, false, code});
        uvx::after(dht_.node().socket().udx().clock(), *delay,
                   [this, alive, key, client, attempt, current] {
                     if (!alive.expired() && current()) connect_client(key, client, attempt + 1);
                   });
        return;
      }
      if (on_event_) on_event_({Event::error, to_hex(remote_), r.error().message, false, code});
      close_client(key, code, r.error().message);
      return;
    }
    client->conn = std::move(*r);
    client->connecting = false;
    if (on_event_) on_event_({Event::opened, to_hex(remote_), "", client->conn->relayed()});
    for (auto& f : client->queue) {
      if (!client->conn->write(f)) client->congested = true;
    }
    client->queue.clear();
    client->queued = 0;
  };
  connect_peer(dht_, options_.connector, key_pair_, remote_, client->callbacks, std::move(done));
}

void UdpConnect::close_client(const std::string& key, Errc code, const std::string& reason) {
  auto it = clients_.find(key);
  if (it == clients_.end()) return;
  std::shared_ptr<Client> client = std::move(it->second);
  clients_.erase(it);
  --stats_->active;
  const bool was_open = !client->connecting;
  if (client->conn) {
    // This may run inside the connection's own callback: it is released from the loop, later.
    auto conn = std::shared_ptr<hyperdht::Connection>(std::move(client->conn));
    client.reset();  // the callbacks see it gone from here on
    conn->destroy();
    uvx::defer(loop(), [conn] { (void)conn; });
  }
  if (was_open && on_event_) on_event_({Event::closed, to_hex(remote_), reason, false, code});
}

void UdpConnect::sweep() {
  const std::uint64_t now = now_ms(loop());
  std::vector<std::string> idle;
  for (auto& [k, c] : clients_) {
    if (!c->connecting && now - c->last_active > options_.idle_timeout_ms) idle.push_back(k);
  }
  for (auto& k : idle) close_client(k, Errc::idle_timeout, "idle");
}

}  // namespace peerport::tunnel
