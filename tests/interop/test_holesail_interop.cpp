// PeerPort's share and connect against holesail 2.4.1 (driven by holesail-peer.js), with
// peerport-cli node as the only DHT node: TCP both ways with 32 MiB echoed (so 32 MiB each
// way, compared byte for byte), holesail's private (hs://s000) mode both ways, and UDP both
// ways with every datagram checked. holesail reads the record a share publishes to learn TCP
// or UDP, so these also prove PeerPort's record is the one it expects.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "../support/cli_network.hpp"
#include "../support/net.hpp"
#include "../support/subprocess.hpp"
#include "../support/tcp_echo.hpp"
#include "../support/udp_echo.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using peerport::test::EchoService;
using peerport::test::free_port;
using peerport::test::next_event;
using peerport::test::round_trip_exact;
using peerport::test::Subprocess;
using peerport::test::udp_echo_matches;
using peerport::test::UdpEcho;

namespace {

const std::string kCli = PEERPORT_BINARY_DIR "/app/peerport-cli";
const std::string kPeer = PEERPORT_SOURCE_DIR "/tests/interop/holesail-peer.js";

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  randombytes_buf(v.data(), v.size());
  return v;
}

// One peerport-cli node on loopback: the whole DHT of a test.
struct Network : peerport::test::CliNetwork {
  Network() : CliNetwork(kCli) {}
};

struct Share {
  Subprocess p;
  std::string buf;
  json listening;
  Share(const Network& net, std::uint16_t service, std::vector<std::string> extra)
      : p([&] {
          std::vector<std::string> args = {kCli, "share", "--port", std::to_string(service),
                                           "--bootstrap", net.bootstrap(), "--json"};
          args.insert(args.end(), extra.begin(), extra.end());
          return args;
        }()) {
    auto l = next_event(p, buf, 20s, "listening");
    EXPECT_TRUE(l) << "peerport-cli share did not start";
    if (l) listening = *l;
  }
};

struct Connect {
  Subprocess p;
  std::string buf;
  std::uint16_t port = 0;
  Connect(const Network& net, const std::string& key)
      : p({kCli, "connect", key, "--bootstrap", net.bootstrap(), "--json"}) {
    auto l = next_event(p, buf, 20s, "listening");
    EXPECT_TRUE(l) << "peerport-cli connect did not start";
    if (l) port = (*l)["port"].get<std::uint16_t>();
  }
};

// holesail as a server (sharing `service`) or client (on `local`, for `url`).
struct Holesail {
  Subprocess p;
  std::string buf;
  json listening;
  explicit Holesail(std::vector<std::string> args)
      : p([&] {
          std::vector<std::string> a = {"node", kPeer};
          a.insert(a.end(), args.begin(), args.end());
          return a;
        }(),
          PEERPORT_SOURCE_DIR "/tests/interop") {
    auto l = next_event(p, buf, 30s, "listening");
    EXPECT_TRUE(l) << "holesail did not start: " << buf;
    if (l) listening = *l;
  }
};

std::string port_of(const Network& net) { return std::to_string(net.port); }

void expect_echo(std::uint16_t port, std::size_t n) {
  auto data = random_bytes(n);
  auto back = round_trip_exact(port, data);
  ASSERT_TRUE(back.has_value()) << "no full echo of " << n << " bytes";
  EXPECT_TRUE(*back == data) << "the echo differs";
}

class HolesailInterop : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

}  // namespace

TEST_F(HolesailInterop, HolesailClientReachesPeerportShare) {
  Network net;
  EchoService echo;
  Share share(net, echo.port(), {});
  ASSERT_FALSE(share.listening.is_null());
  const auto local = free_port(SOCK_STREAM);
  Holesail client({"client", port_of(net), share.listening["url"], std::to_string(local)});
  ASSERT_FALSE(client.listening.is_null());
  EXPECT_EQ(client.listening["protocol"], "tcp");
  expect_echo(local, 32u << 20);
}

TEST_F(HolesailInterop, PeerportConnectReachesHolesailServer) {
  Network net;
  EchoService echo;
  Holesail server({"server", port_of(net), std::to_string(echo.port())});
  ASSERT_FALSE(server.listening.is_null());
  Connect conn(net, server.listening["url"]);
  ASSERT_NE(conn.port, 0);
  expect_echo(conn.port, 32u << 20);
}

TEST_F(HolesailInterop, PrivateShareBothWays) {
  Network net;
  EchoService echo;
  // A PeerPort --private share, reached by holesail with its hs://s000 URL.
  Share share(net, echo.port(), {"--private"});
  ASSERT_FALSE(share.listening.is_null());
  const std::string url = share.listening["url"];
  ASSERT_EQ(url.rfind("hs://s000", 0), 0u) << url;
  const auto local = free_port(SOCK_STREAM);
  Holesail client({"client", port_of(net), url, std::to_string(local)});
  ASSERT_FALSE(client.listening.is_null());
  expect_echo(local, 4u << 20);
  // A holesail secure server, reached by PeerPort with its hs://s000 URL.
  Holesail server({"server", port_of(net), std::to_string(echo.port()), "secure"});
  ASSERT_FALSE(server.listening.is_null());
  const std::string hs_url = server.listening["url"];
  ASSERT_EQ(hs_url.rfind("hs://s000", 0), 0u) << hs_url;
  Connect conn(net, hs_url);
  ASSERT_NE(conn.port, 0);
  expect_echo(conn.port, 4u << 20);
}

TEST_F(HolesailInterop, UdpBothWays) {
  Network net;
  UdpEcho echo;
  // holesail client -> PeerPort --udp share: holesail learns UDP from our record.
  Share share(net, echo.port(), {"--udp"});
  ASSERT_FALSE(share.listening.is_null());
  EXPECT_EQ(share.listening["protocol"], "udp");
  const auto local = free_port(SOCK_DGRAM);
  Holesail client({"client", port_of(net), share.listening["url"], std::to_string(local)});
  ASSERT_FALSE(client.listening.is_null());
  EXPECT_EQ(client.listening["protocol"], "udp");
  EXPECT_EQ(udp_echo_matches(local, 10), 10 * 9);
  // PeerPort connect -> holesail UDP server: we learn UDP from holesail's record.
  Holesail server({"server", port_of(net), std::to_string(echo.port()), "udp"});
  ASSERT_FALSE(server.listening.is_null());
  Connect conn(net, server.listening["url"]);
  ASSERT_NE(conn.port, 0);
  EXPECT_EQ(udp_echo_matches(conn.port, 10), 10 * 9);
}
