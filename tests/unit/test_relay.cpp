// core/relay: protomux framing, blind-relay messages, and a relayed connection through a
// RelayServer between real hyperdht peers on loopback (all in one loop, real sockets).
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <deque>

#include "crypto/key_text.hpp"
#include "encoding/compact.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "relay/protomux.hpp"
#include "common/limits.hpp"

#include "../support/run_until.hpp"

using namespace peerport;
using namespace peerport::relay;

namespace {

// Two muxes wired back to back through queues, delivered on demand.
struct MuxPair {
  std::deque<Bytes> to_a, to_b;
  Mux a{[this](Bytes f) { to_b.push_back(std::move(f)); }};
  Mux b{[this](Bytes f) { to_a.push_back(std::move(f)); }};
  void pump() {
    while (!to_a.empty() || !to_b.empty()) {
      while (!to_b.empty()) {
        Bytes f = std::move(to_b.front());
        to_b.pop_front();
        EXPECT_TRUE(b.feed(f).ok());
      }
      while (!to_a.empty()) {
        Bytes f = std::move(to_a.front());
        to_a.pop_front();
        EXPECT_TRUE(a.feed(f).ok());
      }
    }
  }
};

Bytes id_of(char c) {
  return Bytes(32, static_cast<std::uint8_t>(c));
}

}  // namespace

TEST(Protomux, ChannelsOpenWhenBothSidesOpenAndCarryTypedMessages) {
  MuxPair m;
  int opened = 0;
  std::vector<std::pair<std::uint64_t, std::string>> got;
  Mux::ChannelCallbacks ca;
  ca.on_open = [&] { ++opened; };
  Mux::ChannelCallbacks cb = ca;
  cb.on_message = [&](std::uint64_t type, ByteView p) {
    got.emplace_back(type, std::string(p.begin(), p.end()));
  };
  const auto ch_a = m.a.open("blind-relay", id_of('k'), ca);
  EXPECT_FALSE(m.a.send(ch_a, 0, as_bytes(std::string("early"))));  // not open yet
  const auto ch_b = m.b.open("blind-relay", id_of('k'), cb);
  m.pump();
  EXPECT_EQ(opened, 2);
  EXPECT_TRUE(m.a.send(ch_a, 1, as_bytes(std::string("hello"))));
  m.pump();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, 1u);
  EXPECT_EQ(got[0].second, "hello");
  bool closed = false;
  Mux::ChannelCallbacks none;
  (void)ch_b;
  // Closing on one side tells the other.
  m.b.close(ch_b);
  m.a.close(ch_a);
  m.pump();
  EXPECT_FALSE(m.a.is_open(ch_a));
  (void)closed;
}

TEST(Protomux, UnknownProtocolIsRejectedAndTheOpenerHearsIt) {
  MuxPair m;
  bool closed = false;
  Mux::ChannelCallbacks ca;
  ca.on_close = [&] { closed = true; };
  m.a.open("something-else", std::nullopt, ca);
  m.b.open("blind-relay", id_of('k'), {});
  m.pump();
  EXPECT_TRUE(closed);
  EXPECT_EQ(m.b.rejected_opens(), 1u);
}

TEST(Protomux, BatchesAreDecoded) {
  std::vector<std::string> got;
  Mux b([](Bytes) {});
  Mux::ChannelCallbacks cb;
  cb.on_message = [&](std::uint64_t, ByteView p) { got.emplace_back(p.begin(), p.end()); };
  b.open("p", std::nullopt, cb);
  // The remote's OPEN for its channel 5, then a batch of two messages on channel 5.
  enc::Writer open;
  open.uint(0).uint(1).uint(5).string("p").optional_buffer(nullptr);
  ASSERT_TRUE(b.feed(open.bytes()).ok());
  enc::Writer batch;
  batch.uint(0).uint(0).uint(5);
  for (std::string s : {"one", "two"}) {
    enc::Writer item;
    item.uint(0).fixed(as_bytes(s));
    batch.uint(item.size()).fixed(item.bytes());
  }
  ASSERT_TRUE(b.feed(batch.bytes()).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"one", "two"}));
}

TEST(Protomux, MalformedFramesAreErrorsNotCrashes) {
  Mux b([](Bytes) {});
  b.open("p", std::nullopt, {});
  const std::vector<Bytes> bad = {
      {0x00},                                      // control, no type
      {0x00, 0x01, 0x05},                          // open, truncated
      {0x00, 0x00, 0x01, 0x09},                    // batch item longer than the frame
      {0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x01},  // nested batch
      {0xfd},                                      // truncated uint
  };
  for (const auto& f : bad) EXPECT_FALSE(b.feed(f).ok());
  EXPECT_TRUE(b.feed(ByteView()).ok());  // keep-alive
  const Bytes unknown = {0x07, 0x00, 0x01};
  EXPECT_TRUE(b.feed(unknown).ok());  // a channel we do not know: ignored
}

TEST(BlindRelayMessages, PairMatchesTheReferenceEncoding) {
  PairMessage m{true, {}, 300, 0};
  std::fill(m.token.begin(), m.token.end(), 0xaa);
  Bytes want(33, 0xaa);  // flag byte, then the token (GCC 12 -O3 warns falsely on insert here)
  want[0] = 0x01;
  for (int b : {0xfd, 0x2c, 0x01, 0x00}) want.push_back(static_cast<std::uint8_t>(b));  // 300, 0
  EXPECT_EQ(encode_pair(m), want);
  auto back = decode_pair(want);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->initiator);
  EXPECT_EQ(back->id, 300u);
  EXPECT_EQ(back->token, m.token);
  want.resize(20);
  EXPECT_FALSE(decode_pair(want));
  auto t = decode_unpair(encode_unpair(m.token));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, m.token);
}

namespace {

// A bootstrap node, a relay, a server and a client: four DHT nodes in one loop.
struct RelayNet {
  uv_loop_t loop;
  uv_timer_t deadline;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> boot, relay_dht, server_dht, client_dht;
  std::unique_ptr<RelayServer> relay;
  std::unique_ptr<hyperdht::Server> server;
  std::vector<std::unique_ptr<hyperdht::Connection>> accepted;
  crypto::KeyPair relay_key = crypto::KeyPair::random();
  crypto::KeyPair server_key = crypto::KeyPair::random();
  crypto::KeyPair client_key = crypto::KeyPair::random();
  Bytes seen;  // everything the relay passed on

  explicit RelayNet(RelayServer::Limits limits = {}) {
    EXPECT_TRUE(crypto::init().ok());
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(&loop);
    auto opts = [](std::optional<dht::Address> b) {
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", 0);
      if (b) o.bootstrap = {*b};
      o.ephemeral = !b.has_value() ? false : true;
      return o;
    };
    boot = std::make_unique<hyperdht::Dht>(*udx, opts(std::nullopt));
    EXPECT_TRUE(boot->start().ok());
    const auto b = boot->node().local_address();
    relay_dht = std::make_unique<hyperdht::Dht>(*udx, opts(b));
    server_dht = std::make_unique<hyperdht::Dht>(*udx, opts(b));
    client_dht = std::make_unique<hyperdht::Dht>(*udx, opts(b));
    for (auto* d : {relay_dht.get(), server_dht.get(), client_dht.get()}) {
      EXPECT_TRUE(d->start().ok());
    }
    wait([&] {
      return relay_dht->node().bootstrapped() && server_dht->node().bootstrapped() &&
             client_dht->node().bootstrapped();
    });
    relay = std::make_unique<RelayServer>(*relay_dht, relay_key, limits);
    relay->set_tap([this](ByteView d) { seen.insert(seen.end(), d.begin(), d.end()); });
    bool relay_up = false;
    relay->listen([&](Status st) {
      EXPECT_TRUE(st.ok());
      relay_up = true;
    });
    hyperdht::Server::Options so;
    so.pair_relay = pairer();
    server =
        std::make_unique<hyperdht::Server>(*server_dht, server_key, so,
                                           [this](std::unique_ptr<hyperdht::Connection> c) {
                                             // An echo: what arrives goes back.
                                             hyperdht::Connection* raw = c.get();
                                             hyperdht::Connection::Callbacks cb;
                                             cb.on_data = [raw](ByteView d) { raw->write(d); };
                                             cb.on_end = [raw] { raw->end(); };
                                             c->set_callbacks(cb);
                                             accepted.push_back(std::move(c));
                                           });
    bool server_up = false;
    server->listen([&](Status st) {
      EXPECT_TRUE(st.ok());
      server_up = true;
    });
    EXPECT_TRUE(wait([&] { return relay_up && server_up; }));
  }
  bool wait(const std::function<bool()>& done, std::uint64_t ms = 20000) {
    return test::run_until(&loop, &deadline, done, ms);
  }
  ~RelayNet() {
    accepted.clear();
    server.reset();
    relay.reset();
    client_dht.reset();
    server_dht.reset();
    relay_dht.reset();
    boot.reset();
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

// Sends `data` through a relayed connection to the echo server and returns what came back.
Bytes relayed_echo(RelayNet& net, const Bytes& data, bool& relayed) {
  Bytes back;
  bool ended = false;
  std::unique_ptr<hyperdht::Connection> conn;
  std::optional<Status> failed;
  hyperdht::Connection::Callbacks cb;
  cb.on_data = [&](ByteView d) { back.insert(back.end(), d.begin(), d.end()); };
  cb.on_end = [&] { ended = true; };
  hyperdht::ConnectOptions o;
  o.relay_through = net.relay_key.public_key;
  o.pair_relay = pairer();
  o.force_relay = true;
  hyperdht::Connection::connect(
      *net.client_dht, net.client_key, net.server_key.public_key, cb,
      [&](Result<std::unique_ptr<hyperdht::Connection>> r) {
        if (!r) {
          failed = r.error();
          return;
        }
        conn = std::move(*r);
      },
      o);
  EXPECT_TRUE(net.wait([&] { return conn || failed; }));
  if (!conn) {
    ADD_FAILURE() << "no relayed connection: " << (failed ? failed->error().message : "timeout");
    return back;
  }
  relayed = conn->relayed();
  for (std::size_t off = 0; off < data.size(); off += 16384) {
    conn->write(ByteView(data).subspan(off, std::min<std::size_t>(16384, data.size() - off)));
  }
  EXPECT_TRUE(net.wait([&] { return back.size() >= data.size(); }, 60000));
  conn->destroy();
  net.wait([&] { return false; }, 50);
  (void)ended;
  return back;
}

}  // namespace

TEST(BlindRelay, RelayedConnectionCarriesDataAndTheRelaySeesOnlyCiphertext) {
  RelayNet net;
  // A marker that would stand out in any plaintext the relay could see.
  const std::string marker = "PEERPORT-PLAINTEXT-MARKER-";
  Bytes data;
  while (data.size() < (1u << 20)) data.insert(data.end(), marker.begin(), marker.end());
  bool relayed = false;
  Bytes back = relayed_echo(net, data, relayed);
  EXPECT_TRUE(relayed);
  EXPECT_EQ(back, data);
  const auto st = net.relay->stats();
  EXPECT_EQ(st.pairings_matched, 1u);
  EXPECT_GE(st.bytes_relayed, 2 * data.size());
  ASSERT_GE(net.seen.size(), 2 * data.size());
  auto hit = std::search(net.seen.begin(), net.seen.end(), marker.begin(), marker.end());
  EXPECT_TRUE(hit == net.seen.end()) << "the relay saw plaintext";
}

TEST(BlindRelay, RateLimitDropsOverTheLimitAndTheStreamStillDelivers) {
  RelayServer::Limits limits;
  limits.bytes_per_second = 256 * 1024;
  RelayNet net(limits);
  Bytes data(512 * 1024);
  randombytes_buf(data.data(), data.size());
  bool relayed = false;
  Bytes back = relayed_echo(net, data, relayed);
  EXPECT_TRUE(relayed);
  EXPECT_EQ(back, data);
  EXPECT_GT(net.relay->stats().packets_dropped, 0u);
}

TEST(BlindRelay, PendingPairingsPerPeerAreLimited) {
  RelayServer::Limits limits;
  limits.pending_per_session = 1;
  RelayNet net(limits);
  // A raw session: pair twice with different tokens; the second is over the limit.
  std::unique_ptr<hyperdht::Connection> conn;
  std::unique_ptr<Mux> mux;
  bool open = false;
  std::uint64_t id = 0;
  hyperdht::Connection::Callbacks cb;
  cb.on_data = [&](ByteView m) {
    if (mux) (void)mux->feed(m);
  };
  hyperdht::Connection::connect(
      *net.client_dht, net.client_key, net.relay_key.public_key, cb,
      [&](Result<std::unique_ptr<hyperdht::Connection>> r) {
        ASSERT_TRUE(r.ok());
        conn = std::move(*r);
        // Before anything from the relay is read (its OPEN must find ours).
        mux = std::make_unique<Mux>([&](Bytes f) { conn->write(f); });
        Mux::ChannelCallbacks ch;
        ch.on_open = [&] { open = true; };
        id = mux->open("blind-relay",
                       Bytes(net.client_key.public_key.begin(), net.client_key.public_key.end()),
                       ch);
      });
  ASSERT_TRUE(net.wait([&] { return open; }));
  mux->send(id, 0, encode_pair({true, random_token(), 1, 0}));
  mux->send(id, 0, encode_pair({true, random_token(), 2, 0}));
  EXPECT_TRUE(net.wait([&] { return net.relay->stats().pairings_requested == 2; }));
  EXPECT_EQ(net.relay->stats().pairings_refused, 1u);
  conn->destroy();
  net.wait([&] { return false; }, 50);
}

// ---- hostile peers against the relay (issue 15, item 5) ----

// One frame batching thousands of OPENs for protocols nobody serves made the relay queue one
// reject each. Past limits::kMuxMaxQueuedRejects in one frame it is a protocol error.
TEST(Protomux, AFrameOfUnknownOpensIsCutOffNotAnsweredInFull) {
  std::size_t rejects = 0;
  Mux b([&](Bytes) { ++rejects; });
  enc::Writer batch;
  batch.uint(0).uint(0).uint(0);  // a batch on the control channel
  for (std::uint64_t i = 1; i <= 10000; ++i) {
    enc::Writer open;
    open.uint(1).uint(i).string("nobody-serves-this").optional_buffer(nullptr);
    batch.uint(open.size()).fixed(open.bytes());
  }
  EXPECT_FALSE(b.feed(batch.bytes()).ok());
  EXPECT_EQ(rejects, limits::kMuxMaxQueuedRejects);
  // A few unknown OPENs per frame are still answered, frame after frame.
  Mux c([&](Bytes) { ++rejects; });
  for (std::uint64_t i = 1; i <= 100; ++i) {
    enc::Writer open;
    open.uint(0).uint(1).uint(i).string("nobody-serves-this").optional_buffer(nullptr);
    EXPECT_TRUE(c.feed(open.bytes()).ok());
  }
  EXPECT_EQ(c.rejected_opens(), 100u);
}

namespace {
// A client session at the relay speaking blind-relay by hand.
struct RawSession {
  std::unique_ptr<hyperdht::Connection> conn;
  std::unique_ptr<Mux> mux;
  bool open = false;
  std::optional<Status> failed;
  std::uint64_t id = 0;
  RawSession(RelayNet& net, const crypto::KeyPair& key) {
    hyperdht::Connection::Callbacks cb;
    cb.on_data = [this](ByteView m) {
      if (mux) (void)mux->feed(m);
    };
    hyperdht::Connection::connect(
        *net.client_dht, key, net.relay_key.public_key, cb,
        [this, key](Result<std::unique_ptr<hyperdht::Connection>> r) {
          if (!r) {
            failed = r.error();
            return;
          }
          conn = std::move(*r);
          mux = std::make_unique<Mux>([this](Bytes f) { conn->write(f); });
          Mux::ChannelCallbacks ch;
          ch.on_open = [this] { open = true; };
          id = mux->open("blind-relay", Bytes(key.public_key.begin(), key.public_key.end()), ch);
        });
  }
  ~RawSession() {
    if (conn) conn->destroy();
  }
};
}  // namespace

TEST(BlindRelay, PendingPairingsAreCappedInAll) {
  RelayServer::Limits limits;
  limits.max_pending = 2;
  RelayNet net(limits);
  RawSession s(net, net.client_key);
  ASSERT_TRUE(net.wait([&] { return s.open; }));
  for (std::uint64_t i = 1; i <= 5; ++i) s.mux->send(s.id, 0, encode_pair({true, random_token(), i, 0}));
  EXPECT_TRUE(net.wait([&] { return net.relay->stats().pairings_requested == 5; }));
  EXPECT_EQ(net.relay->stats().pairings_refused, 3u);
  s.conn->destroy();
  net.wait([&] { return false; }, 50);
}

// Sessions were limited per key, but keys are free: a global cap.
TEST(BlindRelay, SessionsAreCappedInAll) {
  RelayServer::Limits limits;
  limits.max_sessions = 1;
  RelayNet net(limits);
  RawSession first(net, net.client_key);
  ASSERT_TRUE(net.wait([&] { return first.open; }));
  RawSession second(net, crypto::KeyPair::random());
  EXPECT_TRUE(net.wait([&] { return second.failed.has_value() || second.open; }, 30000));
  EXPECT_FALSE(second.open);
  EXPECT_GE(net.relay->stats().sessions_refused, 1u);
  EXPECT_EQ(net.relay->stats().sessions_accepted, 1u);
  first.conn->destroy();
  net.wait([&] { return false; }, 50);
}

// A peer that never reads what the relay answers: the relay stops reading it instead of
// queueing answers without end.
TEST(BlindRelay, APeerThatDoesNotReadIsNotReadEither) {
  RelayNet net;
  RawSession s(net, net.client_key);
  ASSERT_TRUE(net.wait([&] { return s.open; }));
  s.conn->pause_reading();
  // Each frame: as many unknown OPENs as are answered, each answered with a reject.
  enc::Writer frame;
  frame.uint(0).uint(0).uint(0);
  for (std::uint64_t i = 1; i <= limits::kMuxMaxQueuedRejects; ++i) {
    enc::Writer open;
    open.uint(1).uint(1000000 + i).string("x").optional_buffer(nullptr);
    frame.uint(open.size()).fixed(open.bytes());
  }
  // Each reject is its own small message: some thousands of frames fill the relay's 4 MiB
  // send buffer.
  const Bytes f = frame.bytes();
  std::size_t sent = 0;
  for (int i = 0; i < 20000 && net.relay->stats().sessions_paused == 0; ++i) {
    s.conn->write(f);
    sent += f.size();
    if (i % 200 == 0) net.wait([&] { return false; }, 5);
  }
  EXPECT_TRUE(net.wait([&] { return net.relay->stats().sessions_paused > 0; }, 20000))
      << "sent " << sent;
  EXPECT_EQ(net.relay->stats().protocol_errors, 0u);
  s.conn->destroy();
  net.wait([&] { return false; }, 50);
}
