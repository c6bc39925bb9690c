// Blind relaying against the npm reference (hyperdht 6.34 relayThrough, blind-relay 1.6.1),
// on a loopback DHT of one peerport-cli node. On one host every peer can reach every other
// directly, so the PeerPort client is told to go through the relay (--force-relay): the
// relayed path is then the only one its packets take, and the far side moves its stream to
// the relay when the pairing completes.
//   - a PeerPort client reaches a JS hyperdht server through a PeerPort relay it found on the
//     DHT by itself: the JS server pairs at PeerPort's relay (relayThrough as non-initiator),
//     and its stream's far end, as hyperdht itself sees it, is the relay's socket;
//   - a PeerPort share and a PeerPort client pair at a JS blind-relay server.
// Every test moves 4 MiB each way and compares it byte for byte.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "../support/cli_network.hpp"
#include "../support/net.hpp"
#include "../support/subprocess.hpp"
#include "../support/tcp_echo.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using peerport::test::EchoService;
using peerport::test::free_port;
using peerport::test::next_event;
using peerport::test::round_trip_exact;
using peerport::test::Subprocess;

namespace {

const std::string kCli = PEERPORT_BINARY_DIR "/app/peerport-cli";
const std::string kPeer = PEERPORT_SOURCE_DIR "/tests/interop/relay-peer.js";
constexpr std::size_t kBytes = 4u << 20;

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  randombytes_buf(v.data(), v.size());
  return v;
}

std::string temp_path(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("peerport-relay-interop-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

struct Network : peerport::test::CliNetwork {
  Network() : CliNetwork(kCli) {}
};

// peerport-cli node --relay, joined to the test's network.
struct PeerportRelay {
  std::uint16_t port = free_port(SOCK_DGRAM);
  Subprocess p;
  std::string buf;
  std::string key;
  explicit PeerportRelay(const Network& net)
      : p({kCli, "node", "--host", "127.0.0.1", "--port", std::to_string(port), "--bootstrap",
           net.bootstrap(), "--relay", "--relay-key-file", temp_path("relay.key"), "--json"}) {
    auto r = next_event(p, buf, 20s, "relay");
    EXPECT_TRUE(r) << "peerport-cli node --relay did not announce a relay: " << buf;
    if (r) key = (*r)["key"];
  }
  // Stops it and returns its final relay statistics.
  json stop() {
    p.signal(SIGINT);
    auto s = next_event(p, buf, 10s, "stopped");
    return s && s->contains("relay") ? (*s)["relay"] : json();
  }
};

struct JsPeer {
  Subprocess p;
  std::string buf;
  json ready;
  JsPeer(const Network& net, const std::string& role, const std::string& event)
      : p({"node", kPeer, role, std::to_string(net.port)}, PEERPORT_SOURCE_DIR "/tests/interop") {
    auto r = next_event(p, buf, 30s, event);
    EXPECT_TRUE(r) << "relay-peer.js " << role << " did not start: " << buf;
    if (r) ready = *r;
  }
};

struct Connect {
  Subprocess p;
  std::string buf;
  std::uint16_t port = 0;
  Connect(const Network& net, const std::string& key, std::vector<std::string> extra)
      : p([&] {
        std::vector<std::string> a = {kCli,
                                      "connect",
                                      key,
                                      "--bootstrap",
                                      net.bootstrap(),
                                      "--json",
                                      "--key-file",
                                      temp_path("client.key")};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
      }()) {
    auto l = next_event(p, buf, 20s, "listening");
    EXPECT_TRUE(l) << "peerport-cli connect did not start: " << buf;
    if (l) port = (*l)["port"].get<std::uint16_t>();
  }
};

void expect_echo(std::uint16_t port) {
  auto data = random_bytes(kBytes);
  auto back = round_trip_exact(port, data);
  ASSERT_TRUE(back.has_value()) << "no full echo of " << kBytes << " bytes";
  EXPECT_TRUE(*back == data) << "the echo differs";
}

class RelayInterop : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

}  // namespace

TEST_F(RelayInterop, PeerportClientReachesJsServerThroughPeerportRelay) {
  Network net;
  PeerportRelay relay(net);
  ASSERT_FALSE(relay.key.empty());
  JsPeer server(net, "server", "listening");
  ASSERT_FALSE(server.ready.is_null());
  // No --relay: the client finds the relay under the DHT topic relays announce on.
  Connect conn(net, server.ready["publicKey"], {"--force-relay"});
  ASSERT_NE(conn.port, 0);
  expect_echo(conn.port);
  auto opened = next_event(conn.p, conn.buf, 5s, "connection-opened");
  ASSERT_TRUE(opened);
  EXPECT_EQ((*opened)["path"], "relayed");
  // The far side's view, not PeerPort's: the JS server's stream gets its packets from the
  // relay's UDP socket (its DHT port), never from the client's.
  auto stream = next_event(server.p, server.buf, 5s, "stream");
  ASSERT_TRUE(stream) << "the JS server printed no stream address: " << server.buf;
  EXPECT_EQ((*stream)["remoteHost"], "127.0.0.1");
  EXPECT_EQ((*stream)["remotePort"].get<int>(), relay.port)
      << "the JS server's stream does not come from the relay";
  const json stats = relay.stop();
  ASSERT_FALSE(stats.is_null()) << "the relay printed no statistics";
  EXPECT_GE(stats["pairings"].get<std::uint64_t>(), 1u);
  // Both directions went through it: 4 MiB each way, plus headers and acks.
  EXPECT_GE(stats["bytesRelayed"].get<std::uint64_t>(), 2 * kBytes);
}

TEST_F(RelayInterop, PeerportShareAndClientPairAtJsRelay) {
  Network net;
  JsPeer relay(net, "relay", "relay");
  ASSERT_FALSE(relay.ready.is_null());
  EchoService echo;
  Subprocess share({kCli, "share", "--port", std::to_string(echo.port()), "--bootstrap",
                    net.bootstrap(), "--json", "--key-file", temp_path("share.key")});
  std::string share_buf;
  auto listening = next_event(share, share_buf, 20s, "listening");
  ASSERT_TRUE(listening) << share_buf;
  Connect conn(net, (*listening)["publicKey"],
               {"--force-relay", "--no-relay-discovery", "--relay", relay.ready["key"]});
  ASSERT_NE(conn.port, 0);
  expect_echo(conn.port);
  auto opened = next_event(conn.p, conn.buf, 5s, "connection-opened");
  ASSERT_TRUE(opened);
  EXPECT_EQ((*opened)["path"], "relayed");
  // The JS relay matched the two halves: the client (initiator) and the share.
  auto pair = next_event(relay.p, relay.buf, 5s, "pair");
  ASSERT_TRUE(pair) << "the JS relay paired nobody: " << relay.buf;
  EXPECT_GE((*pair)["matched"].get<int>(), 1);
}
