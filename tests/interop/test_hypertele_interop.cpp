// PeerPort's share and connect against hypertele 1.1.4 (its own hyperdht 6.20.1), with
// peerport-cli node as the only DHT node: a hypertele client reaches a PeerPort share, and
// PeerPort connect reaches a hypertele server, 32 MiB echoed each time (32 MiB each way) and compared. No
// half-close is used: hypertele cuts data short on one (seen with hypertele on both ends: 3 of
// 8 parallel 2 MiB echo connections came back short).
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "../support/net.hpp"
#include "../support/subprocess.hpp"
#include "../support/tcp_echo.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using peerport::test::EchoService;
using peerport::test::free_port;
using peerport::test::next_line;
using peerport::test::round_trip_exact;
using peerport::test::Subprocess;

namespace {

const std::string kCli = PEERPORT_BINARY_DIR "/app/peerport-cli";
const std::string kHypertele = PEERPORT_SOURCE_DIR "/tests/interop/node_modules/hypertele";

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  randombytes_buf(v.data(), v.size());
  return v;
}

}  // namespace

TEST(HyperteleInterop, HyperteleClientReachesPeerportShare) {
  ASSERT_GE(sodium_init(), 0);
  const auto dht_port = free_port(SOCK_DGRAM);
  Subprocess node({kCli, "node", "--host", "127.0.0.1", "--port", std::to_string(dht_port),
                   "--bootstrap", "none", "--json"});
  std::string nbuf;
  ASSERT_TRUE(next_line(node, nbuf, 10s, "listening"));
  EchoService echo;
  Subprocess share({kCli, "share", "--port", std::to_string(echo.port()), "--bootstrap",
                    "127.0.0.1:" + std::to_string(dht_port), "--seed", std::string(64, '1'),
                    "--json"});
  std::string sbuf;
  auto listening = next_line(share, sbuf, 20s, "\"listening\"");
  ASSERT_TRUE(listening);
  const std::string key = json::parse(*listening)["publicKey"];
  const auto local = free_port(SOCK_STREAM);
  Subprocess client({"node", kHypertele + "/client.js", "-p", std::to_string(local), "-s", key,
                     "--bootstrap", std::to_string(dht_port)});
  std::string cbuf;
  ASSERT_TRUE(next_line(client, cbuf, 20s, "Server ready")) << "hypertele client did not start";
  auto data = random_bytes(32u << 20);
  auto back = round_trip_exact(local, data);
  ASSERT_TRUE(back.has_value()) << "no full echo through hypertele -> PeerPort";
  EXPECT_TRUE(*back == data);
  client.signal(SIGTERM);
  share.signal(SIGINT);
  auto st = share.wait(5s);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(*st, 0);
}

TEST(HyperteleInterop, PeerportConnectReachesHyperteleServer) {
  ASSERT_GE(sodium_init(), 0);
  const auto dht_port = free_port(SOCK_DGRAM);
  Subprocess node({kCli, "node", "--host", "127.0.0.1", "--port", std::to_string(dht_port),
                   "--bootstrap", "none", "--json"});
  std::string nbuf;
  ASSERT_TRUE(next_line(node, nbuf, 10s, "listening"));
  EchoService echo;
  // Letters, not digits: hypertele's argument parser would take all-digit hex for a number.
  const std::string seed(64, 'b');
  Subprocess server({"node", kHypertele + "/server.js", "-l", std::to_string(echo.port()), "--seed",
                     seed, "--bootstrap", std::to_string(dht_port)});
  std::string hbuf;
  auto line = next_line(server, hbuf, 20s, "hypertele:");
  ASSERT_TRUE(line) << "hypertele-server did not start";
  const std::string key = line->substr(line->find(':') + 2);
  Subprocess connect(
      {kCli, "connect", key, "--bootstrap", "127.0.0.1:" + std::to_string(dht_port), "--json"});
  std::string cbuf;
  auto cl = next_line(connect, cbuf, 20s, "\"listening\"");
  ASSERT_TRUE(cl);
  const auto port = json::parse(*cl)["port"].get<std::uint16_t>();
  auto data = random_bytes(32u << 20);
  auto back = round_trip_exact(port, data);
  ASSERT_TRUE(back.has_value()) << "no full echo through PeerPort -> hypertele";
  EXPECT_TRUE(*back == data);
  server.signal(SIGTERM);
  connect.signal(SIGINT);
  auto st = connect.wait(5s);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(*st, 0);
}
