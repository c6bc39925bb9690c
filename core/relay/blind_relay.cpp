#include "relay/blind_relay.hpp"

#include <sodium.h>

#include "crypto/hash.hpp"
#include "encoding/compact.hpp"

namespace peerport::relay {

namespace {
constexpr const char* kProtocol = "blind-relay";
constexpr std::uint64_t kPair = 0;
constexpr std::uint64_t kUnpair = 1;

Error relay_error(std::string why) {
  return make_error(Errc::relay_aborted, std::move(why));
}

// Frees `p` from the loop's timers phase: it may be the object whose callback we are in.
template <typename T>
void defer_delete(uv_loop_t* loop, std::unique_ptr<T> p) {
  if (!p) return;
  T* raw = p.release();
  uvx::after(loop, 0, [raw] { delete raw; });
}
}  // namespace

Bytes encode_pair(const PairMessage& m) {
  enc::Writer w;
  // compact-encoding-bitfield(7): one byte of flags.
  w.uint8(m.initiator ? 1 : 0).fixed(m.token).uint(m.id).uint(m.seq);
  return std::move(w).take();
}

std::optional<PairMessage> decode_pair(ByteView payload) {
  enc::Reader r(payload);
  PairMessage m;
  const std::uint8_t flags = r.uint8();
  if (flags > 0xfc) return std::nullopt;  // wider bitfields are not blind-relay's
  m.initiator = flags & 1;
  m.token = r.fixed<32>();
  m.id = r.uint();
  m.seq = r.uint();
  if (!r.ok() || m.id > 0xffffffffu) return std::nullopt;
  return m;
}

Bytes encode_unpair(const Token& token) {
  enc::Writer w;
  w.uint8(0).fixed(token);
  return std::move(w).take();
}

std::optional<Token> decode_unpair(ByteView payload) {
  enc::Reader r(payload);
  const std::uint8_t flags = r.uint8();
  Token t = r.fixed<32>();
  if (!r.ok() || flags > 0xfc) return std::nullopt;
  return t;
}

Token random_token() {
  return hyperdht::random_relay_token();
}

hyperdht::PairAtRelay pairer() {
  return [](hyperdht::Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& relay,
            bool initiator, const Token& token, std::uint32_t stream_id,
            std::function<void(Result<hyperdht::RelayPairing>)> done) {
    RelayClient::pair(dht, local, relay, initiator, token, stream_id, std::move(done));
  };
}

dht::NodeId relay_topic() {
  const std::string name = "peerport blind relay v1";
  return crypto::blake2b_256(
      ByteView(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
}

// ---------------------------------------------------------------------------------------------
// Client

// A pairing under way is held by its Dht (hyperdht::Dht::hold) until it ends, so a Dht that goes
// first takes it along, timer and all; once paired, the RelayClient holds it.
struct RelayClient::State : std::enable_shared_from_this<RelayClient::State> {
  hyperdht::Dht* dht = nullptr;
  std::unique_ptr<hyperdht::Connection> conn;
  std::unique_ptr<Mux> mux;
  std::uint64_t channel = 0;
  PairMessage request;
  Done done;
  std::unique_ptr<uvx::Timer> timer;
  bool finished = false;
  crypto::PublicKey relay{};

  void fail(const std::string& why) {
    if (finished) return;
    finished = true;
    auto keep = shared_from_this();
    dht->release(this);
    timer.reset();
    auto d = std::move(done);
    if (conn) {
      conn->set_callbacks({});
      conn->destroy();
      defer_delete(dht->node().socket().udx().loop(), std::move(conn));
    }
    if (d) d(relay_error(why));
  }
};

void RelayClient::pair(hyperdht::Dht& dht, const crypto::KeyPair& local,
                       const crypto::PublicKey& relay, bool initiator, const Token& token,
                       std::uint32_t stream_id, Done done) {
  auto st = std::make_shared<State>();
  st->dht = &dht;
  st->relay = relay;
  st->request = PairMessage{initiator, token, stream_id, 0};
  st->done = std::move(done);
  std::weak_ptr<State> weak = st;
  st->mux = std::make_unique<Mux>([weak](Bytes frame) {
    if (auto s = weak.lock(); s && s->conn) s->conn->write(frame);
  });
  st->timer = std::make_unique<uvx::Timer>(dht.node().socket().udx().clock());
  dht.hold(st);
  State* raw = st.get();  // the state's timer goes with it
  st->timer->start(kPairTimeoutMs, [raw] { raw->fail("the relay did not pair us within 15 s"); });

  hyperdht::Connection::Callbacks cb;
  cb.on_data = [weak](ByteView m) {
    auto s = weak.lock();
    if (!s || !s->mux) return;
    if (auto r = s->mux->feed(m); !r) {
      if (!s->finished)
        s->fail(r.error().message);
      else if (s->conn)
        s->conn->destroy();
    }
  };
  cb.on_end = [weak] {
    if (auto s = weak.lock(); s && s->conn) s->conn->end();
  };
  cb.on_close = [weak](const Status&) {
    if (auto s = weak.lock()) s->fail("the connection to the relay closed");
  };
  hyperdht::Connection::connect(
      dht, local, relay, cb,
      [weak, local_key = local.public_key](Result<std::unique_ptr<hyperdht::Connection>> r) {
        auto s = weak.lock();
        if (!s) {
          if (r) (*r)->destroy();
          return;
        }
        if (!r) {
          s->fail("cannot reach the relay: " + r.error().message);
          return;
        }
        s->conn = std::move(*r);
        Mux::ChannelCallbacks ch;
        ch.on_open = [weak] {
          auto me = weak.lock();
          if (!me || me->finished) return;
          me->mux->send(me->channel, kPair, encode_pair(me->request));
        };
        ch.on_message = [weak](std::uint64_t type, ByteView payload) {
          auto me = weak.lock();
          if (!me || me->finished || type != kPair) return;
          auto m = decode_pair(payload);
          if (!m || m->token != me->request.token || m->initiator != me->request.initiator) return;
          me->finished = true;
          me->timer.reset();
          me->dht->release(me.get());  // `me` keeps it; the RelayClient below takes it
          Paired out;
          auto client = std::unique_ptr<RelayClient>(new RelayClient());
          client->relay_ = me->relay;
          client->state_ = me;
          out.link = std::move(client);
          out.remote_id = static_cast<std::uint32_t>(m->id);
          out.socket = me->conn->stream().socket();
          out.address = me->conn->stream().remote_address();
          auto d = std::move(me->done);
          if (d) d(std::move(out));
        };
        ch.on_close = [weak] {
          if (auto me = weak.lock()) me->fail("the relay closed the pairing channel");
        };
        s->channel = s->mux->open(kProtocol, Bytes(local_key.begin(), local_key.end()), ch);
      });
}

RelayClient::~RelayClient() {
  if (state_) {
    state_->finished = true;
    if (state_->conn) {
      state_->conn->set_callbacks({});
      state_->conn->destroy();
      defer_delete(state_->dht->node().socket().udx().loop(), std::move(state_->conn));
    }
    state_.reset();
  }
}

// ---------------------------------------------------------------------------------------------
// Server

struct RelayServer::Session {
  std::unique_ptr<hyperdht::Connection> conn;
  std::unique_ptr<Mux> mux;
  std::uint64_t channel = 0;
  crypto::PublicKey peer{};
  std::set<Link*> links;
  bool ended = false;
  bool paused = false;  // our writes to the peer are backed up: its input waits
};

struct RelayServer::Link {
  Session* sides[2] = {nullptr, nullptr};  // [non-initiator, initiator]
  std::unique_ptr<udx::Stream> streams[2];
  std::string token;
  bool dead = false;
};

RelayServer::RelayServer(hyperdht::Dht& dht, const crypto::KeyPair& key_pair, Limits limits)
    : dht_(dht)
    , key_pair_(key_pair)
    , limits_(limits)
    , pairings_({limits.pending_per_session, limits.max_pending, limits.pending_timeout_ms}) {
  hyperdht::Server::Options so;
  so.firewall = [this](const crypto::PublicKey& remote, const dht::Address&) {
    if (live_sessions() >= limits_.max_sessions) {
      ++stats_.sessions_refused;
      return false;
    }
    std::size_t n = 0;
    for (auto& [p, s] : sessions_) n += (!s->ended && s->peer == remote) ? 1 : 0;
    if (n >= limits_.sessions_per_peer) {
      ++stats_.sessions_refused;
      return false;
    }
    return true;
  };
  server_ = std::make_unique<hyperdht::Server>(
      dht_, key_pair_, so,
      [this](std::unique_ptr<hyperdht::Connection> c) { on_connection(std::move(c)); });
  timer_ = std::make_unique<uvx::Timer>(dht_.node().socket().udx().clock());
  timer_->start(
      1000, [this] { sweep(); }, 1000);
}

RelayServer::~RelayServer() {
  alive_.end();
  timer_.reset();
  for (Link* l : std::set<Link*>(links_)) drop_link(l);
  owned_links_.clear();
  for (auto& [p, s] : sessions_) {
    s->ended = true;
    if (s->conn) {
      s->conn->set_callbacks({});
      s->conn->destroy();
    }
  }
  sessions_.clear();
  server_.reset();
}

void RelayServer::announce_topic(std::function<void(Status)> done) {
  uvx::Lifetime::Token alive = alive_;
  dht_.announce(relay_topic(), key_pair_, {}, [alive, done](Status st, std::size_t) {
    if (!alive.expired() && done) done(st);
  });
}

void RelayServer::listen(std::function<void(Status)> done) {
  uvx::Lifetime::Token alive = alive_;
  server_->listen([this, alive, done](Status st) {
    if (alive.expired()) return;
    if (!st) {
      if (done) done(st);
      return;
    }
    announce_topic(done);
  });
}

void RelayServer::unannounce(std::function<void()> done) {
  uvx::Lifetime::Token alive = alive_;
  dht_.unannounce(relay_topic(), key_pair_, [this, alive, done](Status, std::size_t) {
    if (alive.expired()) return;
    server_->unannounce(done);
  });
}

RelayServer::Stats RelayServer::stats() const {
  Stats s = stats_;
  s.links_active = links_.size();
  for (Link* l : links_) {
    for (auto& st : l->streams) {
      if (st) s.packets_dropped += st->stats().relay_dropped;
    }
  }
  return s;
}

std::size_t RelayServer::live_sessions() const {
  std::size_t n = 0;
  for (auto& [p, s] : sessions_) n += s->ended ? 0 : 1;
  return n;
}

void RelayServer::on_connection(std::unique_ptr<hyperdht::Connection> conn) {
  // Handshakes accepted together can pass the firewall check at once: counted again here.
  if (live_sessions() >= limits_.max_sessions) {
    ++stats_.sessions_refused;
    conn->set_callbacks({});
    conn->destroy();
    defer_delete(dht_.node().socket().udx().loop(), std::move(conn));
    return;
  }
  auto owned = std::make_unique<Session>();
  Session* s = owned.get();
  s->peer = conn->remote_public_key();
  s->conn = std::move(conn);
  sessions_[s] = std::move(owned);
  ++stats_.sessions_accepted;
  uvx::Lifetime::Token alive = alive_;
  s->mux = std::make_unique<Mux>([this, alive, s](Bytes frame) {
    if (!s->conn || s->ended) return;
    // A peer that does not read what we answer must not make us queue without end: stop
    // reading its requests until our answers drain (the stream holds at most its window).
    if (!s->conn->write(frame) && !s->paused) {
      s->paused = true;
      s->conn->pause_reading();
      if (!alive.expired()) ++stats_.sessions_paused;
    }
  });
  hyperdht::Connection::Callbacks cb;
  cb.on_data = [this, alive, s](ByteView m) {
    if (alive.expired() || s->ended) return;
    if (auto st = s->mux->feed(m); !st) {
      ++stats_.protocol_errors;
      end_session(s);
    }
  };
  cb.on_end = [this, alive, s] {
    if (!alive.expired()) end_session(s);
  };
  cb.on_drain = [alive, s] {
    if (alive.expired() || s->ended || !s->paused) return;
    s->paused = false;
    s->conn->resume_reading();
  };
  cb.on_close = [this, alive, s](const Status&) {
    if (!alive.expired()) end_session(s);
  };
  s->conn->set_callbacks(cb);
  // Opened before anything from the peer is read, so its OPEN finds ours waiting.
  Mux::ChannelCallbacks ch;
  ch.on_message = [this, alive, s](std::uint64_t type, ByteView payload) {
    if (alive.expired() || s->ended) return;
    if (type == kPair) {
      if (auto m = decode_pair(payload)) on_pair(*s, *m);
    } else if (type == kUnpair) {
      if (auto t = decode_unpair(payload)) on_unpair(*s, *t);
    }
  };
  ch.on_close = [this, alive, s] {
    if (!alive.expired()) end_session(s);
  };
  s->channel = s->mux->open(kProtocol, Bytes(s->peer.begin(), s->peer.end()), ch);
}

void RelayServer::on_pair(Session& s, const PairMessage& m) {
  ++stats_.pairings_requested;
  const std::string key = to_hex(m.token);
  const bool room = s.links.size() < limits_.links_per_session && links_.size() < limits_.max_links;
  Pairings::Match matched;
  switch (pairings_.pair(&s, key, m.initiator, m.id, dht_.node().socket().udx().clock().now_ms(),
                         room, &matched)) {
    case Pairings::Outcome::refused:
      ++stats_.pairings_refused;
      return;  // the client's pairing times out, as with a relay that is full
    case Pairings::Outcome::waiting:
    case Pairings::Outcome::duplicate:
      return;
    case Pairings::Outcome::matched:
      break;
  }
  ++stats_.pairings_matched;

  auto owned = std::make_unique<Link>();
  Link* link = owned.get();
  link->token = key;
  udx::Udx& udx = dht_.node().socket().udx();
  uvx::Lifetime::Token alive = alive_;
  for (int i = 0; i < 2; ++i) {
    link->sides[i] = static_cast<Session*>(matched.sides[i].session);
    udx::Stream::Callbacks cb;
    const std::uint32_t peer_stream = static_cast<std::uint32_t>(matched.sides[i].remote_id);
    // Each end shows itself with its first packet: that is where its stream is.
    cb.on_firewall = [link, i, peer_stream](udx::Socket& sock, const udx::Address& from) {
      auto& st = link->streams[i];
      return st && !st->connected() && st->connect(sock, peer_stream, from).ok();
    };
    cb.on_relayed = [this, alive](ByteView d) {
      if (alive.expired()) return;
      stats_.bytes_relayed += d.size();
      if (tap_) tap_(d);
    };
    cb.on_close = [this, alive, link](const Status&) {
      if (!alive.expired()) drop_link(link);
    };
    link->streams[i] = std::make_unique<udx::Stream>(udx, udx.new_stream_id(), std::move(cb));
    link->streams[i]->set_relay_rate(limits_.bytes_per_second);
  }
  (void)link->streams[0]->relay_to(*link->streams[1]);
  (void)link->streams[1]->relay_to(*link->streams[0]);
  links_.insert(link);
  owned_links_.push_back(std::move(owned));
  for (int i = 0; i < 2; ++i) link->sides[i]->links.insert(link);
  for (int i = 0; i < 2; ++i) {
    Session* x = link->sides[i];
    PairMessage reply{i == 1, m.token, link->streams[i]->id(), 0};
    x->mux->send(x->channel, kPair, encode_pair(reply));
  }
}

void RelayServer::on_unpair(Session& s, const Token& token) {
  const std::string key = to_hex(token);
  if (pairings_.unpair(key)) return;
  for (Link* l : std::set<Link*>(s.links)) {
    if (l->token == key) drop_link(l);
  }
}

void RelayServer::drop_link(Link* link) {
  if (link->dead) return;
  link->dead = true;
  links_.erase(link);
  for (Session* x : link->sides) {
    if (x) x->links.erase(link);
  }
  // The streams are closed now and freed on the next sweep: this may run inside one of their
  // own callbacks.
  for (auto& st : link->streams) {
    if (st) {
      stats_.packets_dropped += st->stats().relay_dropped;
      st->destroy();
    }
  }
}

void RelayServer::end_session(Session* s) {
  if (s->ended) return;
  s->ended = true;
  pairings_.end_session(s);
  for (Link* l : std::set<Link*>(s->links)) drop_link(l);
  if (s->conn) s->conn->destroy();
  // Freed on the next sweep, outside the connection's callbacks.
}

void RelayServer::sweep() {
  const std::uint64_t now = dht_.node().socket().udx().clock().now_ms();
  stats_.pairings_expired += pairings_.expire(now);
  for (auto it = owned_links_.begin(); it != owned_links_.end();) {
    it = (*it)->dead ? owned_links_.erase(it) : std::next(it);
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second->ended) {
      if (it->second->conn) it->second->conn->set_callbacks({});
      defer_delete(dht_.node().socket().udx().loop(), std::move(it->second->conn));
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  // Announcements live 20 minutes on the nodes storing them: refresh every 5.
  if (++ticks_ % 300 == 0) announce_topic(nullptr);
}

}  // namespace peerport::relay
