// The sharing side against clients that take more than their share (issue 15, item 8): caps on
// connections per share and per client key, and UDP pipes that carry nothing being closed.
// Real shares, real services and real hyperdht clients on loopback, all in one loop.
#include <gtest/gtest.h>
#include <sodium.h>

#include <deque>
#include <optional>

#include "../support/run_until.hpp"
#include "../support/tcp_echo.hpp"
#include "../support/udp_echo.hpp"
#include "common/limits.hpp"
#include "hyperdht/connection.hpp"
#include "tunnel/framing.hpp"
#include "tunnel/tcp.hpp"
#include "tunnel/udp.hpp"

using namespace peerport;

namespace {

// One client connection: filled in by the connect callback, which may run as late as the
// network's teardown, so these outlive the network (declare them first).
struct Attempt {
  std::unique_ptr<hyperdht::Connection> conn;
  std::optional<Error> failed;
  Bytes received;
  bool closed = false;
  bool settled() const { return conn != nullptr || failed.has_value(); }
};

// A bootstrap node, the sharer's node and a client node in one loop.
struct ShareNet {
  uv_loop_t loop;
  uv_timer_t deadline;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> boot, share_dht, client_dht;
  crypto::KeyPair share_key = crypto::KeyPair::random();
  std::deque<tunnel::Event> events;

  ShareNet() {
    EXPECT_TRUE(crypto::init().ok());
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(&loop);
    auto opts = [](std::optional<dht::Address> b) {
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", 0);
      if (b) o.bootstrap = {*b};
      o.ephemeral = b.has_value();
      return o;
    };
    boot = std::make_unique<hyperdht::Dht>(*udx, opts(std::nullopt));
    EXPECT_TRUE(boot->start().ok());
    const auto b = boot->node().local_address();
    share_dht = std::make_unique<hyperdht::Dht>(*udx, opts(b));
    client_dht = std::make_unique<hyperdht::Dht>(*udx, opts(b));
    EXPECT_TRUE(share_dht->start().ok());
    EXPECT_TRUE(client_dht->start().ok());
    EXPECT_TRUE(wait(
        [&] { return share_dht->node().bootstrapped() && client_dht->node().bootstrapped(); }));
  }
  bool wait(const std::function<bool()>& done, std::uint64_t ms = 20000) {
    return test::run_until(&loop, &deadline, done, ms);
  }
  void settle(std::uint64_t ms) {
    wait([] { return false; }, ms);
  }
  tunnel::EventFn listener() {
    return [this](const tunnel::Event& e) { events.push_back(e); };
  }
  // Starts a connection from `key` to the share; `a` receives what the share sends back.
  void connect(const crypto::KeyPair& key, Attempt& a) {
    hyperdht::Connection::Callbacks cb;
    cb.on_data = [&a](ByteView d) { a.received.insert(a.received.end(), d.begin(), d.end()); };
    cb.on_close = [&a](const Status&) { a.closed = true; };
    hyperdht::Connection::connect(*client_dht, key, share_key.public_key, cb,
                                  [&a](Result<std::unique_ptr<hyperdht::Connection>> r) {
                                    if (r)
                                      a.conn = std::move(*r);
                                    else
                                      a.failed = r.error();
                                  });
  }
  ~ShareNet() {
    client_dht.reset();
    share_dht.reset();
    boot.reset();
    udx.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

template <typename Share>
void start(ShareNet& net, Share& share) {
  bool up = false;
  share.start([&](Status st) {
    EXPECT_TRUE(st.ok());
    up = true;
  });
  ASSERT_TRUE(net.wait([&] { return up; }));
}

}  // namespace

// A client could open connections to a share until the machine ran out of descriptors: each
// holds a socket to the service. Now one key gets at most max_connections_per_peer and all of
// them together max_connections; a closed connection gives its slot back.
TEST(HostileShare, ConnectionsAreCappedPerPeerAndInAll) {
  std::deque<Attempt> attempts;  // outlives the network: callbacks may land in teardown
  test::EchoService echo;
  ShareNet net;
  tunnel::ShareOptions o;
  o.port = echo.port();
  o.max_connections = 3;
  o.max_connections_per_peer = 2;
  tunnel::TcpShare share(*net.share_dht, net.share_key, o, net.listener());
  start(net, share);

  const auto a = crypto::KeyPair::random();
  const auto b = crypto::KeyPair::random();
  const auto c = crypto::KeyPair::random();
  auto open = [&](const crypto::KeyPair& key) -> Attempt& {
    attempts.emplace_back();
    net.connect(key, attempts.back());
    return attempts.back();
  };
  auto& a1 = open(a);
  auto& a2 = open(a);
  ASSERT_TRUE(net.wait([&] { return a1.conn && a2.conn; }));
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 2; }));

  // A third from the same key: refused, whatever the share's total room.
  auto& a3 = open(a);
  EXPECT_TRUE(net.wait([&] { return share.stats().refused_over_limit >= 1; }));
  EXPECT_FALSE(a3.conn);
  EXPECT_EQ(share.stats().active, 2u);

  // Another key gets the last slot; a third key finds the share full.
  auto& b1 = open(b);
  ASSERT_TRUE(net.wait([&] { return b1.conn != nullptr; }));
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 3; }));
  const auto refused = share.stats().refused_over_limit;
  auto& c1 = open(c);
  EXPECT_TRUE(net.wait([&] { return share.stats().refused_over_limit > refused; }));
  EXPECT_FALSE(c1.conn);
  EXPECT_EQ(share.stats().active, 3u);

  // A connection that ends gives its slot back.
  a1.conn->destroy();
  ASSERT_TRUE(net.wait([&] { return share.stats().active == 2; }));
  auto& c2 = open(c);
  ASSERT_TRUE(net.wait([&] { return c2.conn != nullptr; }));
  EXPECT_TRUE(net.wait([&] { return share.stats().active == 3; }));

  // The admitted connections still carry data to the service and back.
  const Bytes hello = {'h', 'i'};
  c2.conn->write(hello);
  EXPECT_TRUE(net.wait([&] { return c2.received.size() >= hello.size(); }));
  EXPECT_EQ(c2.received, hello);

  for (auto& x : attempts) {
    if (x.conn) x.conn->destroy();
  }
  net.settle(50);
  // A connection's stream closes its timers on the network's loop, so it goes before the loop.
  for (auto& x : attempts) x.conn.reset();
  net.settle(10);
}

// The defaults are the named limits: a share nobody configured is still bounded.
TEST(HostileShare, DefaultsAreTheNamedLimits) {
  tunnel::ShareOptions o;
  EXPECT_EQ(o.max_connections, limits::kShareMaxConnections);
  EXPECT_EQ(o.max_connections_per_peer, limits::kShareMaxConnectionsPerPeer);
  EXPECT_EQ(o.udp_idle_timeout_ms, limits::kShareUdpIdleTimeoutMs);
  EXPECT_LT(limits::kShareMaxConnectionsPerPeer, limits::kShareMaxConnections);
}

// UDP has no end of stream: a client that vanished left its pipe (a socket to the service, a
// stream) on the sharing side for good. A pipe carrying nothing for udp_idle_timeout_ms is
// closed; one that keeps carrying datagrams is not.
TEST(HostileShare, IdleUdpPipesAreClosedBusyOnesAreNot) {
  Attempt quiet, busy;
  test::UdpEcho echo;
  ShareNet net;
  tunnel::ShareOptions o;
  o.port = echo.port();
  o.udp_idle_timeout_ms = 1000;
  tunnel::UdpShare share(*net.share_dht, net.share_key, o, net.listener());
  start(net, share);

  net.connect(crypto::KeyPair::random(), quiet);
  net.connect(crypto::KeyPair::random(), busy);
  ASSERT_TRUE(net.wait([&] { return quiet.conn && busy.conn; }));
  const Bytes ping = tunnel::frame_datagram(as_bytes("ping"));
  quiet.conn->write(ping);
  busy.conn->write(ping);
  ASSERT_TRUE(net.wait([&] { return quiet.received.size() >= ping.size(); }));
  ASSERT_EQ(share.stats().active, 2u);

  // The busy client sends every 100 ms for 2.5 s (past two timeouts, with room for a loaded
  // machine's pauses); the quiet one sends nothing.
  for (int i = 0; i < 25; ++i) {
    busy.conn->write(ping);
    net.settle(100);
  }
  EXPECT_TRUE(net.wait([&] { return share.stats().idle_closed >= 1; }, 5000))
      << "the idle pipe was kept";
  EXPECT_EQ(share.stats().idle_closed, 1u);
  EXPECT_EQ(share.stats().active, 1u);
  EXPECT_FALSE(busy.closed);
  // The client hears that its connection ended.
  EXPECT_TRUE(net.wait([&] { return quiet.closed; }, 5000));
  bool said_idle = false;
  for (const auto& e : net.events)
    said_idle |= e.kind == tunnel::Event::closed && e.message == "idle";
  EXPECT_TRUE(said_idle);

  // The busy pipe still works.
  const std::size_t before = busy.received.size();
  busy.conn->write(ping);
  EXPECT_TRUE(net.wait([&] { return busy.received.size() > before; }));
  busy.conn->destroy();
  net.settle(50);
  quiet.conn.reset();
  busy.conn.reset();
  net.settle(10);
}
