// The Engine as front ends use it: real engines (each on its own thread) sharing and
// connecting through a real DHT node on loopback, driven only by commands and observed only
// through events. Covers the port-sharing issue's access modes, errors and load.
#include <gtest/gtest.h>
#include <sodium.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

#include "../support/dht_node.hpp"
#include "../support/net.hpp"
#include "../support/tcp_echo.hpp"
#include "../support/udp_echo.hpp"
#include "crypto/key_text.hpp"
#include "engine/engine.hpp"

using namespace std::chrono_literals;
using namespace peerport;
using namespace peerport::engine;
using peerport::test::DhtNode;
using peerport::test::EchoService;
using peerport::test::free_port;
using peerport::test::round_trip;
using peerport::test::UdpEcho;

namespace {

// Collects events; tests wait for the first one matching a predicate.
class Recorder : public EngineListener {
 public:
  void on_event(const Event& e) override {
    std::lock_guard lock(mu_);
    events_.push_back(e);
    cv_.notify_all();
  }
  template <class T>
  std::optional<T> wait(std::function<bool(const T&)> pred = nullptr,
                        std::chrono::milliseconds timeout = 20s) {
    std::unique_lock lock(mu_);
    std::optional<T> found;
    cv_.wait_for(lock, timeout, [&] {
      for (auto& e : events_) {
        if (auto* t = std::get_if<T>(&e); t && (!pred || pred(*t))) {
          found = *t;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  template <class T>
  std::optional<T> latest() {
    std::lock_guard lock(mu_);
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if (auto* t = std::get_if<T>(&*it)) return *t;
    }
    return std::nullopt;
  }
  template <class T>
  std::size_t count(std::function<bool(const T&)> pred = nullptr) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (auto& e : events_) {
      if (auto* t = std::get_if<T>(&e); t && (!pred || pred(*t))) ++n;
    }
    return n;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Event> events_;
};

crypto::KeyPair key(char c) {
  return crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, c)));
}

struct Peer {
  Recorder events;
  std::unique_ptr<Engine> engine;
  Peer(const DhtNode& boot, crypto::KeyPair identity,
       std::function<void(Config&)> tweak = nullptr) {
    Config c;
    c.identity = identity;
    c.bootstrap = boot.address().to_string();
    c.bind_host = "127.0.0.1";
    c.lookup_timeout = 5s;
    if (tweak) tweak(c);
    engine = std::make_unique<Engine>(c, events);
    EXPECT_TRUE(engine->start().ok());
  }
  ~Peer() { engine->stop(); }

  std::optional<ShareStarted> share(ShareSpec spec, Id id = 1) {
    engine->post(ShareCommand{id, std::move(spec)});
    return events.wait<ShareStarted>([id](const ShareStarted& s) { return s.id == id; });
  }
  std::optional<ConnectStarted> connect(ConnectSpec spec, Id id = 2) {
    engine->post(ConnectCommand{id, std::move(spec)});
    return events.wait<ConnectStarted>([id](const ConnectStarted& s) { return s.id == id; });
  }
};

ConnectSpec to(std::string key_text) {
  ConnectSpec c;
  c.key = std::move(key_text);
  return c;
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  randombytes_buf(v.data(), v.size());
  return v;
}

bool echoes(std::uint16_t port, std::size_t n) {
  auto data = random_bytes(n);
  auto back = round_trip(port, data);
  return back && *back == data;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init().ok()); }
  DhtNode boot;
};

}  // namespace

TEST_F(EngineTest, ShareAndConnectThroughCommandsAndEvents) {
  EchoService echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->service, "127.0.0.1:" + std::to_string(echo.port()));
  EXPECT_EQ(shared->url, "hs://0000" + shared->z32);
  // The share's key is derived from the identity and the service: stable, not the identity.
  EXPECT_EQ(shared->public_key, to_hex(derive_share_key_pair(key('a'), spec).public_key));
  EXPECT_NE(shared->public_key, to_hex(key('a').public_key));

  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  EXPECT_NE(conn->port, 0);
  EXPECT_EQ(conn->protocol, Protocol::tcp);  // from the share's published record
  ASSERT_TRUE(echoes(conn->port, 1u << 20));
  auto opened = alice.events.wait<PeerConnected>();
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->peer, to_hex(key('b').public_key));  // the allow lists' view of Bob
  EXPECT_EQ(opened->path, Path::direct);
  // A stats snapshot shows the bytes that went through, on both sides.
  auto moved = [](const Stats& s) {
    return !s.items.empty() && s.items[0].bytes_in >= (1u << 20) &&
           s.items[0].bytes_out >= (1u << 20);
  };
  EXPECT_TRUE(alice.events.wait<Stats>(moved, 5s));
  EXPECT_TRUE(bob.events.wait<Stats>(moved, 5s));

  bob.engine->post(DisconnectCommand{2});
  EXPECT_TRUE(bob.events.wait<Stopped>([](const Stopped& s) { return s.id == 2; }));
  alice.engine->post(UnshareCommand{1});
  EXPECT_TRUE(alice.events.wait<Stopped>([](const Stopped& s) { return s.id == 1; }));
}

TEST_F(EngineTest, BadKeyIsAFatalErrorListingTheFormats) {
  Peer bob(boot, key('b'));
  bob.engine->post(ConnectCommand{7, to("hs://0000not-a-key")});
  auto e = bob.events.wait<ErrorEvent>();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::invalid_key);
  EXPECT_TRUE(e->fatal);
  EXPECT_NE(e->message.find(crypto::kAcceptedKeyFormats), std::string::npos) << e->message;
  EXPECT_TRUE(bob.events.wait<Stopped>([](const Stopped& s) { return s.id == 7; }));
}

// The bootstrap list is text in Config: the engine parses it, and a bad one stops start() with
// a code and a message naming the accepted form, before any socket is bound.
TEST(EngineConfig, BadBootstrapListFailsStartWithInvalidValue) {
  Recorder events;
  Config c;
  c.identity = key('7');
  c.bootstrap = "bogus:::";
  Engine engine(c, events);
  auto st = engine.start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::invalid_value);
  EXPECT_NE(st.error().message.find("host:port"), std::string::npos) << st.error().message;
  EXPECT_FALSE(engine.running());
  c.bootstrap = "none";  // a network of our own: fine
  Engine alone(c, events);
  EXPECT_TRUE(alone.start().ok());
  alone.stop();
}

TEST_F(EngineTest, LocalPortInUseIsReported) {
  EchoService busy;  // holds a TCP port on 127.0.0.1
  Peer bob(boot, key('b'));
  ConnectSpec spec = to(to_hex(key('z').public_key));
  spec.port = busy.port();
  spec.protocol = Protocol::tcp;
  bob.engine->post(ConnectCommand{3, spec});
  auto e = bob.events.wait<ErrorEvent>();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::port_in_use);
  EXPECT_NE(e->message.find(std::to_string(busy.port())), std::string::npos) << e->message;
}

// The lookup's deadline is a timer on the engine's loop; how soon it fires is not what this
// checks (a loaded machine only delays it): that the unknown key ends in a report, not silence.
TEST_F(EngineTest, UnknownKeyIsReportedNotFound) {
  Peer bob(boot, key('b'));
  auto conn = bob.connect(to(crypto::z32_encode(key('q').public_key)));
  ASSERT_TRUE(conn);  // the listener is up; the key is checked in the background
  auto e = bob.events.wait<ErrorEvent>(nullptr, 60s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::peer_not_found);
  EXPECT_FALSE(e->fatal);  // the listener stays: the share may come up later
}

TEST_F(EngineTest, AllowListAdmitsOnlyListedKeys) {
  EchoService echo;
  Peer alice(boot, key('a')), friend_(boot, key('f')), stranger(boot, key('s'));
  ShareSpec spec;
  spec.port = echo.port();
  spec.access = Access::allow_list;
  spec.allow = {key('f').public_key};
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto good = friend_.connect(to(shared->public_key));
  ASSERT_TRUE(good);
  EXPECT_TRUE(echoes(good->port, 4096));
  auto bad = stranger.connect(to(shared->public_key));
  ASSERT_TRUE(bad);
  auto back = round_trip(bad->port, random_bytes(4096));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty()) << "a key not on the list got through";
  EXPECT_TRUE(stranger.events.wait<ErrorEvent>(
      [](const ErrorEvent& e) { return e.code == ErrorCode::connection_failed; }));
}

// What live peer state costs the DHT: one lookup per connection per check. First one
// connection to an open share, then another to a share that refuses us, whose probe sends
// its handshake to the node the check's lookup found (no lookup of its own).
TEST_F(EngineTest, PeerChecksCostOneLookupPerConnectionPerInterval) {
  EchoService echo;
  Peer alice(boot, key('a'));
  Peer bob(boot, key('b'), [](Config& c) { c.peer_check_interval = 1s; });
  ShareSpec open;
  open.port = echo.port();
  ShareSpec closed = open;
  closed.access = Access::allow_list;
  closed.allow = {key('f').public_key};  // not Bob
  closed.seed = crypto::Seed{};
  std::fill(closed.seed->data(), closed.seed->data() + crypto::Seed::size(), std::uint8_t{9});
  auto s1 = alice.share(open, 1);
  auto s2 = alice.share(closed, 2);
  ASSERT_TRUE(s1 && s2);
  // Lookups while eight more checks per connection fall due, counted from the stats (peer
  // checks due and lookups started, read together on the engine thread): by event, so a slow
  // machine stretches the window but cannot change what is counted.
  struct Window {
    std::uint64_t lookups = 0, checks = 0;
  };
  // The window opens at the first stats after the next check falls due, so a connection's
  // first lookup (at connect, not on a check) is never inside it.
  auto over_eight_checks = [&bob](std::uint64_t connections) {
    const auto now = bob.events.latest<Stats>();
    const std::uint64_t next = (now ? now->dht.peer_checks : 0) + 1;
    const auto first =
        bob.events.wait<Stats>([next](const Stats& st) { return st.dht.peer_checks >= next; }, 60s);
    EXPECT_TRUE(first) << "no check fell due";
    if (!first) return Window{};
    const std::uint64_t until = first->dht.peer_checks + 8 * connections;
    const auto last = bob.events.wait<Stats>(
        [until](const Stats& st) { return st.dht.peer_checks >= until; }, 60s);
    EXPECT_TRUE(last) << "the checks did not fall due (peer_checks stuck)";
    if (!last) return Window{};
    return Window{last->dht.peer_lookups - first->dht.peer_lookups,
                  last->dht.peer_checks - first->dht.peer_checks};
  };
  ASSERT_TRUE(bob.connect(to(s1->z32), 11));
  ASSERT_TRUE(bob.events.wait<PeerStateChanged>(
      [](const PeerStateChanged& p) { return p.id == 11 && p.state == PeerState::online; }, 20s));
  const Window one = over_eight_checks(1);
  ASSERT_TRUE(bob.connect(to(s2->z32), 12));
  ASSERT_TRUE(bob.events.wait<PeerStateChanged>(
      [](const PeerStateChanged& p) { return p.id == 12 && p.state == PeerState::refused; }, 30s))
      << "the refused share was not found refused";
  const Window two = over_eight_checks(2);
  std::printf(
      "peer lookups: %llu for %llu checks of one connection, %llu for %llu of two\n",
      static_cast<unsigned long long>(one.lookups), static_cast<unsigned long long>(one.checks),
      static_cast<unsigned long long>(two.lookups), static_cast<unsigned long long>(two.checks));
  EXPECT_LE(one.lookups, one.checks) << "more than one lookup per check";
  // A lookup on loopback takes milliseconds; checks are a second apart, so few can be skipped.
  EXPECT_GE(2 * one.lookups, one.checks) << "the checks did not look up (or nothing counts)";
  // The refused connection's probe waits out its unanswered handshake (about 8 s), and its
  // checks that fall due meanwhile are skipped, so two connections cost fewer lookups, never
  // more than one each per check.
  EXPECT_LE(two.lookups, two.checks) << "more than one lookup per connection per check";
  EXPECT_GE(2 * two.lookups, two.checks / 2) << "the open share's checks did not look up";
  // The refusing share stays refused, and no probe opened a tunnel on either share.
  EXPECT_EQ(bob.events.latest<PeerStateChanged>()->state, PeerState::refused);
  EXPECT_EQ(alice.events.count<PeerConnected>(), 0u);
}

TEST_F(EngineTest, SecretShareAdmitsOnlyHoldersOfTheSecret) {
  EchoService echo;
  Peer alice(boot, key('a')), holder(boot, key('h')), guesser(boot, key('g'));
  ShareSpec spec;
  spec.port = echo.port();
  spec.access = Access::secret;
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  ASSERT_FALSE(shared->secret.empty());
  EXPECT_EQ(shared->url, crypto::hs_private_url(shared->secret));
  auto good = holder.connect(to(shared->url));
  ASSERT_TRUE(good);
  EXPECT_TRUE(echoes(good->port, 4096));
  // Knowing the public key is not enough.
  auto bad = guesser.connect(to(shared->public_key));
  ASSERT_TRUE(bad);
  auto back = round_trip(bad->port, random_bytes(4096));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty()) << "the public key alone got into a secret share";
}

TEST_F(EngineTest, DeadServiceIsReportedAndTheShareRecovers) {
  const std::uint16_t port = free_port(SOCK_STREAM);
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = port;
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  auto back = round_trip(conn->port, random_bytes(100));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty());
  auto e = alice.events.wait<ErrorEvent>();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::service_unreachable);
  EXPECT_FALSE(e->fatal);
  EXPECT_NE(e->message.find("service at 127.0.0.1:" + std::to_string(port) + " refused"),
            std::string::npos)
      << e->message;
  // The service comes back on its port: the same share and connection work again.
  EchoService echo(port);
  EXPECT_TRUE(echoes(conn->port, 64u << 10));
}

TEST_F(EngineTest, HundredParallelConnectionsOfOneMiBEach) {
  EchoService echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  constexpr int kConnections = 100;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kConnections; ++i) {
    threads.emplace_back([&] {
      if (echoes(conn->port, 1u << 20)) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kConnections);
  EXPECT_EQ(alice.events.count<PeerConnected>(), static_cast<std::size_t>(kConnections));
}

TEST_F(EngineTest, UdpDatagramsComeBackOneByOne) {
  UdpEcho echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  spec.protocol = Protocol::udp;
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->protocol, Protocol::udp);
  auto conn = bob.connect(to(shared->url));  // UDP learned from the share's record
  ASSERT_TRUE(conn);
  ASSERT_EQ(conn->protocol, Protocol::udp);

  EXPECT_EQ(peerport::test::udp_echo_matches(conn->port, 20), 20 * 9);
}

// UDP connects retry like TCP ones (tunnel::connect_retry_delay_ms): a datagram sent before the
// share is up waits in its client's queue while the connect is tried again, and is answered once
// the share appears. Before, the first failure closed the client and the datagram was lost.
TEST_F(EngineTest, UdpDatagramSentBeforeTheShareIsUpIsAnsweredAfterARetry) {
  UdpEcho echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  spec.protocol = Protocol::udp;
  ConnectSpec c = to(to_hex(derive_share_key_pair(key('a'), spec).public_key));
  c.protocol = Protocol::udp;
  auto conn = bob.connect(c);
  ASSERT_TRUE(conn);
  // The first of nine datagrams goes out now, into a failing connect; each waits 5 s for its echo.
  auto matched = std::async(std::launch::async, [port = conn->port] {
    return peerport::test::udp_echo_matches(port, 1);
  });
  // The share comes up once the first connect has failed and is being tried again (0.5, 1, 2 s).
  ASSERT_TRUE(bob.events.wait<ErrorEvent>([](const ErrorEvent& e) { return e.retrying; }, 60s));
  ASSERT_TRUE(alice.share(spec));
  EXPECT_EQ(matched.get(), 9) << "the datagram sent before the share was up was lost";
}

TEST_F(EngineTest, ClientKeepsItsListenerAndReconnectsWhenTheShareReturns) {
  EchoService echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec, 1);
  ASSERT_TRUE(shared);
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  ASSERT_TRUE(echoes(conn->port, 4096));
  // Alice goes away (unannounced); Bob's next local connection waits while he retries.
  alice.engine->post(UnshareCommand{1});
  ASSERT_TRUE(alice.events.wait<Stopped>([](const Stopped& s) { return s.id == 1; }));
  std::optional<bool> result;
  std::thread user([&] { result = echoes(conn->port, 4096); });
  // Once his connect has failed and waits to be tried again (0.5, 1, 2 s), she comes back: not
  // after a fixed sleep, which a loaded machine could end before his first attempt.
  EXPECT_TRUE(bob.events.wait<ErrorEvent>([](const ErrorEvent& e) { return e.retrying; }, 60s));
  // She comes back with the same service (same derived key) before his retries run out.
  auto again = alice.share(spec, 5);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key, shared->public_key);
  user.join();
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(*result) << "the waiting connection did not get through after the share returned";
  EXPECT_GE(bob.events.count<ErrorEvent>([](const ErrorEvent& e) { return e.retrying; }), 1u);
}

// A share started while no DHT node answers (offline at start) is not lost: its announcement
// fails, is reported as not final, and is tried again until a node stores it.
TEST_F(EngineTest, ShareWhoseAnnouncementFailedIsAnnouncedWhenTheDhtReturns) {
  EchoService echo;
  auto dht = std::make_unique<DhtNode>();
  const std::uint16_t dht_port = dht->address().port;
  Peer alice(*dht, key('a'));
  ASSERT_TRUE(alice.events.wait<DhtStatus>([](const DhtStatus& d) { return d.bootstrapped; }));
  dht.reset();  // the only node goes away
  ShareSpec spec;
  spec.port = echo.port();
  alice.engine->post(ShareCommand{1, spec});
  auto failed = alice.events.wait<ErrorEvent>([](const ErrorEvent& e) { return e.id == 1; }, 60s);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->code, ErrorCode::announce_failed);
  EXPECT_FALSE(failed->fatal);
  EXPECT_TRUE(failed->retrying);
  EXPECT_EQ(alice.events.count<Stopped>(), 0u);
  // The node comes back where it was; the next try (kShareAnnounceRetryMs later) is stored.
  dht = std::make_unique<DhtNode>(dht_port);
  auto shared = alice.events.wait<ShareStarted>(nullptr, 60s);
  ASSERT_TRUE(shared) << "the share was not announced after the DHT came back";
  Peer bob(*dht, key('b'));
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  EXPECT_TRUE(echoes(conn->port, 4096));
}

TEST_F(EngineTest, ConnectionGoesThroughARelayTheEngineFoundOnTheDht) {
  EchoService echo;
  // Carol relays for others; Bob must go through a relay (on one host everything else would
  // be direct) and knows none: he finds Carol's under the relays' DHT topic.
  Peer carol(boot, key('c'), [](Config& c) { c.run_relay = true; });
  auto relay =
      carol.events.wait<DhtStatus>([](const DhtStatus& d) { return !d.relay_key.empty(); });
  ASSERT_TRUE(relay) << "the relay was never announced";
  Peer alice(boot, key('a'));
  Peer bob(boot, key('b'), [](Config& c) { c.force_relay = true; });
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  ASSERT_TRUE(echoes(conn->port, 2u << 20));
  auto opened = bob.events.wait<PeerConnected>();
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->path, Path::relayed);
  auto served = alice.events.wait<PeerConnected>();
  ASSERT_TRUE(served);
  EXPECT_EQ(served->path, Path::relayed);
}

TEST_F(EngineTest, NoRelayToGoThroughIsReportedWithWhatToDo) {
  EchoService echo;
  Peer alice(boot, key('a'));
  Peer bob(boot, key('b'), [](Config& c) {
    c.force_relay = true;
    c.discover_relays = false;
  });
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto conn = bob.connect(to(shared->z32));
  ASSERT_TRUE(conn);
  // The local connection is refused once the attempts are spent; the error says why.
  (void)round_trip(conn->port, random_bytes(16));
  auto e = bob.events.wait<ErrorEvent>(
      [](const ErrorEvent& x) { return x.code == ErrorCode::relay_unavailable; });
  ASSERT_TRUE(e);
  EXPECT_NE(e->message.find("--relay"), std::string::npos) << e->message;
}

// Stopping the engine while an unshared share is still being unannounced: stop() returns (the
// share went with the engine; it used to keep the loop alive, and stop() waited forever).
TEST_F(EngineTest, StopRightAfterUnshareReturns) {
  Peer alice(boot, key('a'));
  ShareSpec spec;
  spec.port = free_port(SOCK_STREAM);  // nothing listens there
  ASSERT_TRUE(alice.share(spec, 7));
  // The share has settled once its first service check is reported (nothing listens there).
  ASSERT_TRUE(alice.events.wait<ServiceState>(
      [](const ServiceState& s) { return s.id == 7 && !s.up; }, 30s));
  alice.engine->post(UnshareCommand{7});
  auto stopping = std::async(std::launch::async, [&] { alice.engine->stop(); });
  EXPECT_EQ(stopping.wait_for(10s), std::future_status::ready) << "stop() did not return";
  if (stopping.wait_for(0s) != std::future_status::ready) std::abort();  // would hang the suite
}

namespace {

// A local client that keeps its TCP connection open between exchanges, as a game or an SSH
// session would: the share sees one tunnel from its peer for as long as it is held.
class HeldClient {
 public:
  explicit HeldClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~HeldClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  // Writes n random bytes and reads them back from the echo service; false on a short answer.
  bool exchange(std::size_t n, std::chrono::milliseconds timeout = 20s) {
    auto data = random_bytes(n);
    std::size_t sent = 0, got = 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got < n && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, static_cast<short>(POLLIN | (sent < n ? POLLOUT : 0)), 0};
      if (::poll(&p, 1, 200) < 0) return false;
      if (p.revents & POLLOUT) {
        ssize_t w = ::write(fd_, data.data() + sent, std::min<std::size_t>(65536, n - sent));
        if (w > 0) sent += static_cast<std::size_t>(w);
      }
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        std::uint8_t buf[65536];
        ssize_t r = ::read(fd_, buf, sizeof buf);
        if (r <= 0) return false;
        if (!std::equal(buf, buf + r, data.begin() + static_cast<std::ptrdiff_t>(got)))
          return false;
        got += static_cast<std::size_t>(r);
      }
    }
    return got == n;
  }

  // Whether the tunnel behind it was closed (EOF or reset) within the timeout.
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        std::uint8_t buf[4096];
        if (::read(fd_, buf, sizeof buf) <= 0) return true;
      }
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

const PeerStats* peer_in(const Stats& s, Id share, const std::string& hex) {
  for (auto& item : s.items) {
    if (item.id != share) continue;
    for (auto& p : item.peers) {
      if (p.peer == hex) return &p;
    }
  }
  return nullptr;
}

std::size_t peers_of(const Stats& s, Id share) {
  for (auto& item : s.items) {
    if (item.id == share) return item.peers.size();
  }
  return 0;
}

}  // namespace

// The sharer's per-peer view: two friends hold tunnels to one share and move different amounts;
// each shows with its own bytes and a live rate, sampled on the stats tick. Then one of them is
// disconnected: only their tunnel ends, the other keeps working, the share keeps running, and
// the disconnected friend may come back (no block was asked for).
TEST_F(EngineTest, ShareReportsEachPeersTrafficAndDisconnectsOne) {
  EchoService echo;
  Peer alice(boot, key('a')), bob(boot, key('b')), carol(boot, key('c'));
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto to_bob = bob.connect(to(shared->z32));
  auto to_carol = carol.connect(to(shared->z32));
  ASSERT_TRUE(to_bob && to_carol);
  const auto started = std::chrono::steady_clock::now();
  HeldClient bobs(to_bob->port), carols(to_carol->port);
  ASSERT_TRUE(bobs.connected() && carols.connected());
  ASSERT_TRUE(bobs.exchange(300000));
  ASSERT_TRUE(carols.exchange(100000));
  const std::string b = to_hex(key('b').public_key), c = to_hex(key('c').public_key);

  auto both = alice.events.wait<Stats>(
      [&](const Stats& s) {
        auto* pb = peer_in(s, 1, b);
        auto* pc = peer_in(s, 1, c);
        return pb && pc && pb->bytes_in >= 300000 && pb->bytes_out >= 300000 &&
               pc->bytes_in >= 100000 && pc->bytes_out >= 100000;
      },
      10s);
  ASSERT_TRUE(both) << "the share's stats never showed both peers' bytes";
  EXPECT_EQ(peers_of(*both, 1), 2u);
  const PeerStats* pb = peer_in(*both, 1, b);
  const PeerStats* pc = peer_in(*both, 1, c);
  // Each peer's own bytes, not the share's total.
  EXPECT_LT(pc->bytes_in, 300000u);
  EXPECT_EQ(pb->tunnels, 1u);
  EXPECT_EQ(pc->tunnels, 1u);
  EXPECT_EQ(pb->path, Path::direct);
  EXPECT_LE(pb->connected_ms,
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count()) +
                1000);
  // The rate follows traffic: Bob sends again and his rate shows it, Carol's stays at zero.
  ASSERT_TRUE(bobs.exchange(500000));
  EXPECT_TRUE(alice.events.wait<Stats>(
      [&](const Stats& s) {
        auto* x = peer_in(s, 1, b);
        auto* y = peer_in(s, 1, c);
        return x && y && x->bytes_in >= 800000 && x->rate_in > 0 && y->rate_in == 0;
      },
      10s));

  alice.engine->post(DisconnectPeerCommand{1, b, false});
  auto gone = alice.events.wait<PeerDisconnected>(
      [&](const PeerDisconnected& d) { return d.id == 1 && d.peer == b; }, 10s);
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->reason.empty()) << gone->reason;  // our own doing, no failure
  EXPECT_FALSE(gone->code.has_value());
  EXPECT_TRUE(bobs.closed_within(10s)) << "Bob's local connection stayed open";
  // Bob's side learns why, as a code: the share reset his tunnel.
  auto cut = bob.events.wait<PeerDisconnected>(
      [&](const PeerDisconnected& d) { return d.id == to_bob->id; }, 10s);
  ASSERT_TRUE(cut);
  ASSERT_TRUE(cut->code.has_value()) << "a broken tunnel reported as a clean close";
  EXPECT_EQ(*cut->code, ErrorCode::peer_reset) << error_code_name(*cut->code);
  EXPECT_EQ(
      alice.events.count<PeerDisconnected>([&](const PeerDisconnected& d) { return d.peer == c; }),
      0u);
  EXPECT_TRUE(carols.exchange(20000)) << "Carol's tunnel did not survive Bob's disconnect";
  auto only_carol = alice.events.wait<Stats>(
      [&](const Stats& s) {
        // Carol's bytes after the disconnect, so not a tick from before Bob's tunnel opened.
        return peers_of(s, 1) == 1 && peer_in(s, 1, c) && peer_in(s, 1, c)->bytes_in >= 120000;
      },
      5s);
  EXPECT_TRUE(only_carol);
  EXPECT_EQ(alice.events.count<Stopped>(), 0u);  // the share still runs
  // Not blocked: Bob's next local connection gets through as a new tunnel of his.
  HeldClient again(to_bob->port);
  ASSERT_TRUE(again.exchange(1000));
  EXPECT_EQ(alice.events.count<PeerConnected>([&](const PeerConnected& p) { return p.peer == b; }),
            2u);
}

// Disconnect and block: the client's tunnels end and its new attempts are turned away (seen as
// refusals) while the share runs; another client is untouched.
TEST_F(EngineTest, DisconnectAndBlockTurnsThePeerAwayWhileTheShareRuns) {
  EchoService echo;
  Peer alice(boot, key('a')), bob(boot, key('b')), carol(boot, key('c'));
  ShareSpec spec;
  spec.port = echo.port();
  auto shared = alice.share(spec);
  ASSERT_TRUE(shared);
  auto to_bob = bob.connect(to(shared->z32));
  auto to_carol = carol.connect(to(shared->z32));
  ASSERT_TRUE(to_bob && to_carol);
  HeldClient bobs(to_bob->port), carols(to_carol->port);
  ASSERT_TRUE(bobs.exchange(10000));
  ASSERT_TRUE(carols.exchange(10000));
  const std::string b = to_hex(key('b').public_key);

  alice.engine->post(DisconnectPeerCommand{1, b, true});
  EXPECT_TRUE(bobs.closed_within(10s));
  // His next attempt reaches the share's firewall and goes no further.
  HeldClient retry(to_bob->port);
  ASSERT_TRUE(retry.connected());
  EXPECT_TRUE(alice.events.wait<PeerRefused>(
      [&](const PeerRefused& r) { return r.id == 1 && r.peer == b; }, 15s));
  EXPECT_EQ(alice.events.count<PeerConnected>([&](const PeerConnected& p) { return p.peer == b; }),
            1u);
  EXPECT_TRUE(carols.exchange(10000));
}

// A key that is no key is an error for that command alone; the share keeps its peers.
TEST_F(EngineTest, DisconnectPeerWithABadKeyIsAnError) {
  EchoService echo;
  Peer alice(boot, key('a'));
  ShareSpec spec;
  spec.port = echo.port();
  ASSERT_TRUE(alice.share(spec));
  alice.engine->post(DisconnectPeerCommand{1, "abc", false});
  auto e = alice.events.wait<ErrorEvent>(nullptr, 5s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, ErrorCode::invalid_key);
  EXPECT_FALSE(e->fatal);
}

// A UDP share counts each client's datagrams too, and ends its pipe on DisconnectPeer.
TEST_F(EngineTest, UdpShareReportsItsPeerAndDisconnectsIt) {
  UdpEcho echo;
  Peer alice(boot, key('a')), bob(boot, key('b'));
  ShareSpec spec;
  spec.port = echo.port();
  spec.protocol = Protocol::udp;
  ASSERT_TRUE(alice.share(spec));
  ConnectSpec c = to(to_hex(derive_share_key_pair(key('a'), spec).public_key));
  c.protocol = Protocol::udp;
  auto conn = bob.connect(c);
  ASSERT_TRUE(conn);
  const auto matched = static_cast<std::uint64_t>(peerport::test::udp_echo_matches(conn->port, 20));
  ASSERT_GT(matched, 0u);
  const std::string b = to_hex(key('b').public_key);
  auto seen = alice.events.wait<Stats>(
      [&](const Stats& s) {
        auto* p = peer_in(s, 1, b);
        return p && p->bytes_in >= matched && p->bytes_out >= matched;
      },
      10s);
  ASSERT_TRUE(seen) << "the UDP share's stats never showed Bob's datagrams";
  EXPECT_EQ(peer_in(*seen, 1, b)->tunnels, 1u);
  alice.engine->post(DisconnectPeerCommand{1, b, false});
  auto gone = alice.events.wait<PeerDisconnected>(
      [&](const PeerDisconnected& d) { return d.id == 1 && d.peer == b; }, 10s);
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->reason.empty()) << gone->reason;
  // Only a tick after the close: one connection made, none open, nobody listed.
  EXPECT_TRUE(alice.events.wait<Stats>(
      [&](const Stats& s) {
        return !s.items.empty() && s.items[0].connections >= 1 && s.items[0].active == 0 &&
               s.items[0].peers.empty();
      },
      5s));
}
