#pragma once
// A one-node DHT for tests that run peerport-cli as processes: `peerport-cli node` on loopback
// with no bootstrap, the whole network of the test. Its process ends with the object.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

#include "net.hpp"
#include "subprocess.hpp"

namespace peerport::test {

struct CliNetwork {
  std::uint16_t port = free_port(SOCK_DGRAM);
  Subprocess node;
  std::string buf;
  explicit CliNetwork(const std::string& cli)
      : node({cli, "node", "--host", "127.0.0.1", "--port", std::to_string(port), "--bootstrap",
              "none", "--json"}) {
    EXPECT_TRUE(next_event(node, buf, std::chrono::seconds(10), "listening"));
  }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port); }
};

}  // namespace peerport::test
