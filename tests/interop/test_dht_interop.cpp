// core/dht against JS hyperdht 6.34 / dht-rpc 6.27 on loopback:
//  - a 10-node JS testnet bootstraps from `peerport-cli node` alone, every JS node keeps the C++
//    node in its routing table, and a JS client reaches a JS server by key through that network;
//  - an in-process C++ node bootstraps from a JS testnet and its queries are answered by it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "../support/net.hpp"
#include "../support/subprocess.hpp"
#include "dht/node.hpp"

using namespace peerport;
using namespace std::chrono_literals;
using nlohmann::json;

TEST(DhtInterop, JsTestnetBootstrapsFromPeerportCliNode) {
  const std::uint16_t port = test::free_port(SOCK_DGRAM);
  test::Subprocess cli({PEERPORT_BINARY_DIR "/app/peerport-cli", "node", "--host", "127.0.0.1",
                        "--port", std::to_string(port), "--bootstrap", "none", "--json"});
  std::string cli_buf;
  auto listening = test::next_json(cli, cli_buf, 10s);
  ASSERT_TRUE(listening) << "peerport-cli node did not start";
  EXPECT_EQ((*listening)["port"].get<int>(), port);

  test::Subprocess js({"node", "dht-testnet.js", "join", "127.0.0.1:" + std::to_string(port)},
                      PEERPORT_SOURCE_DIR "/tests/interop");
  std::string js_buf;
  auto result = test::next_json(js, js_buf, 95s);
  ASSERT_TRUE(result) << "the JS testnet reported nothing";
  EXPECT_TRUE((*result)["ok"].get<bool>()) << result->dump();
  // Every one of the ten JS nodes keeps the C++ node (counted before the JS server and client
  // join the testnet).
  EXPECT_EQ((*result)["tables"].get<int>(), 10) << result->dump();
  EXPECT_EQ((*result)["tablesWithCpp"].get<int>(), 10) << result->dump();
  auto js_status = js.wait(30s);
  ASSERT_TRUE(js_status.has_value());
  EXPECT_EQ(*js_status, 0);

  // SIGINT stops the node cleanly and quickly.
  cli.signal(SIGINT);
  auto status = cli.wait(5s);
  ASSERT_TRUE(status.has_value()) << "peerport-cli node did not stop on SIGINT";
  EXPECT_EQ(*status, 0);
}

TEST(DhtInterop, CppNodeBootstrapsFromJsTestnetAndQueriesIt) {
  ASSERT_GE(sodium_init(), 0);
  test::Subprocess js({"node", "dht-testnet.js", "serve"}, PEERPORT_SOURCE_DIR "/tests/interop");
  std::string js_buf;
  auto hello = test::next_json(js, js_buf, 60s);
  ASSERT_TRUE(hello) << "the JS testnet did not start";
  const std::string boot = (*hello)["bootstrap"];
  const auto colon = boot.rfind(':');
  auto boot_addr = dht::Address::parse(
      boot.substr(0, colon), static_cast<std::uint16_t>(std::stoi(boot.substr(colon + 1))));
  ASSERT_TRUE(boot_addr);

  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    udx::Udx udx(&loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    dht::Node node(udx, opts);
    bool bootstrapped = false;
    node.on_bootstrapped([&] {
      bootstrapped = true;
      uv_stop(&loop);
    });
    ASSERT_TRUE(node.start().ok());
    uv_timer_t deadline;
    uv_timer_init(&loop, &deadline);
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 30000, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    ASSERT_TRUE(bootstrapped) << "bootstrap did not finish in 30 s";
    EXPECT_GE(node.table().size(), 5u) << "JS nodes in our routing table";
    // The JS nodes saw us at 127.0.0.1 and told us so.
    ASSERT_TRUE(node.sampled_address().has_value());
    EXPECT_EQ(node.sampled_address()->host_string(), "127.0.0.1");

    dht::NodeId target;
    randombytes_buf(target.data(), target.size());
    std::optional<std::vector<dht::Reply>> closest;
    node.query(target, dht::kFindNode, true, std::nullopt, nullptr, [&](std::vector<dht::Reply> r) {
      closest = std::move(r);
      uv_stop(&loop);
    });
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 30000, 0);
    uv_run(&loop, UV_RUN_DEFAULT);
    ASSERT_TRUE(closest.has_value()) << "query did not finish in 30 s";
    EXPECT_GE(closest->size(), 5u);
    for (std::size_t i = 1; i < closest->size(); ++i) {
      EXPECT_FALSE(dht::closer(target, dht::node_id((*closest)[i].from),
                               dht::node_id((*closest)[i - 1].from)))
          << "replies are ordered by distance";
    }
    EXPECT_EQ(node.stats().malformed, 0u);
    EXPECT_EQ(node.stats().bad_ids, 0u);
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  js.close_stdin();
  auto status = js.wait(30s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

// With peerport-cli node as the only DHT node, a JS server announces itself to it and a JS
// client's handshake can reach the server only through it: our node relays PEER_HANDSHAKE
// (and PEER_HOLEPUNCH) as hyperdht's router does. Without the relay the client fails with
// PEER_CONNECTION_FAILED.
TEST(DhtInterop, JsPeersConnectThroughPeerportRelayAlone) {
  const std::uint16_t port = test::free_port(SOCK_DGRAM);
  test::Subprocess cli({PEERPORT_BINARY_DIR "/app/peerport-cli", "node", "--host", "127.0.0.1",
                        "--port", std::to_string(port), "--bootstrap", "none", "--json"});
  std::string cli_buf;
  ASSERT_TRUE(test::next_json(cli, cli_buf, 10s)) << "peerport-cli node did not start";
  test::Subprocess js({"node", "dht-testnet.js", "relay", "127.0.0.1:" + std::to_string(port)},
                      PEERPORT_SOURCE_DIR "/tests/interop");
  std::string js_buf;
  auto result = test::next_json(js, js_buf, 60s);
  ASSERT_TRUE(result) << "the JS peers reported nothing";
  EXPECT_TRUE((*result)["ok"].get<bool>()) << result->dump();
  auto js_status = js.wait(30s);
  ASSERT_TRUE(js_status.has_value());
  EXPECT_EQ(*js_status, 0);
  cli.signal(SIGINT);
  auto status = cli.wait(5s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}
