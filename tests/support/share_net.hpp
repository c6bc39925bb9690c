#pragma once
// A small hyperdht network in one loop for tests of the sharing side: a bootstrap node, the
// sharer's node and a client's node on loopback, plus the raw parts that play a client or the
// world (Mirror, Shaker), and a network namespace of its own for tests that send toward public
// addresses. Real sockets, real handshakes; nothing is mocked.
#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <functional>
#include <optional>

#include "common/clock.hpp"
#include "crypto/noise.hpp"
#include "hyperdht/server.hpp"
#include "run_until.hpp"
#include "tunnel/common.hpp"

namespace peerport::test {

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

  // With a ManualClock, every timer of the three nodes (and what runs on them) waits for the
  // test to advance it; the handshakes and lookups of setting up are I/O and need no time.
  explicit ShareNet(ManualClock* clock = nullptr) {
    EXPECT_TRUE(crypto::init().ok());
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    udx = std::make_unique<udx::Udx>(Clock(&loop, clock));
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

// Answers every DHT request with a chosen view of the sender's address: a handful of these make
// a node on loopback believe it is behind a NAT (its samples are how the world sees it).
struct Mirror {
  udx::Socket sock;
  dht::Address seen;
  Mirror(udx::Udx& u, dht::Address view) : sock(u), seen(view) {
    EXPECT_TRUE(sock.bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    sock.on_message([this](ByteView d, const udx::Address& from) {
      auto req = dht::decode_request(d);
      if (!req) return;
      dht::Response r;
      r.tid = req->tid;
      r.to = seen;
      (void)sock.send(dht::encode(r), from);
    });
  }
};

// A client that only shakes hands: Noise msg1 from a fresh key, sent straight to the server's
// node as PEER_HANDSHAKE, costing the sender one datagram.
struct Shaker {
  std::unique_ptr<crypto::NoiseHandshake> noise;
  Bytes msg1;
  std::optional<hyperdht::NoisePayload> reply;  // the server's, once answered
  Shaker(const crypto::PublicKey& server, std::uint32_t stream_id,
         std::optional<hyperdht::RelayThrough> relay = std::nullopt) {
    noise = std::make_unique<crypto::NoiseHandshake>(crypto::NoisePattern::IK, true,
                                                     crypto::KeyPair::random(),
                                                     crypto::hyperdht_ns().peer_handshake, server);
    hyperdht::NoisePayload mine;
    mine.udx = hyperdht::UdxInfo{1, false, stream_id, 0};
    mine.secret_stream = true;
    mine.relay_through = relay;
    msg1 = *noise->send(hyperdht::encode(mine));
  }
};

inline void send_handshake(ShareNet& net, Shaker& s, int& answered,
                           std::optional<Bytes>* raw = nullptr) {
  const auto target = crypto::blake2b_256(net.share_key.public_key);
  hyperdht::Handshake hs{hyperdht::kModeFromClient, s.msg1, std::nullopt, std::nullopt};
  net.client_dht->node().request(net.share_dht->node().local_address(), hyperdht::kPeerHandshake,
                                 false, target, hyperdht::encode(hs),
                                 [&s, &answered, raw](const dht::Reply* r) {
                                   ++answered;
                                   if (!r || !r->response.value) return;
                                   auto h = hyperdht::decode_handshake(*r->response.value);
                                   if (!h) return;
                                   if (raw) *raw = h->noise;
                                   if (s.noise->complete()) return;  // a retry's answer
                                   if (auto p = s.noise->recv(h->noise))
                                     s.reply = hyperdht::decode_noise_payload(*p);
                                 });
}

// Runs `body` in a child process in a network namespace of its own, with only loopback up: for
// scenarios that send toward public addresses, which must not leave this machine. The child's
// gtest failures become its exit status.
inline void in_own_network(const std::function<void()>& body) {
  ASSERT_EQ(geteuid(), 0u) << "this test needs root for a network namespace; CI runs as root";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (unshare(CLONE_NEWNET) != 0) _exit(3);
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) _exit(4);
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) _exit(5);
    close(fd);
    body();
    _exit(testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died (signal " << WTERMSIG(status) << ")";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's failures above (3-5: namespace setup)";
}

}  // namespace peerport::test
