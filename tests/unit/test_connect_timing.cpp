// A connecting tunnel's retries on a ManualClock (common/clock.hpp): a local client whose share
// cannot be found waits while the tunnel looks again 0.5, 1 and 2 s after each failure
// (tunnel::connect_retry_delay_ms), then is told why. Real sockets, a real DHT and real lookups;
// only time is the test's, so each retry is checked 1 ms before and at its time under any load.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../support/share_net.hpp"
#include "tunnel/tunnel.hpp"

using namespace peerport;
using namespace peerport::test;

namespace {

// A local client of the tunnel's port: a TCP connection (the kernel completes it; the loop
// accepts it) or a datagram from a UDP socket.
int open_local_client(tunnel::Transport transport, std::uint16_t port) {
  const int fd = socket(AF_INET, transport == tunnel::Transport::tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  if (transport == tunnel::Transport::udp) {
    EXPECT_EQ(send(fd, "hello", 5, 0), 5);
  }
  return fd;
}

void retries_on_schedule(tunnel::Transport transport) {
  ManualClock clock;
  ShareNet net(&clock);
  const auto nobody = crypto::KeyPair::random().public_key;  // no share has this key
  auto t = tunnel::make_connect(transport, *net.client_dht, crypto::KeyPair::random(), nobody, {},
                                net.listener());
  ASSERT_TRUE(t->start().ok());
  auto count = [&](tunnel::Event::Kind kind) {
    std::size_t n = 0;
    for (const auto& e : net.events) n += e.kind == kind;
    return n;
  };
  auto lookups = [&] { return net.client_dht->peer_lookups(); };
  const std::uint64_t before = lookups();
  const int fd = open_local_client(transport, t->port());
  ASSERT_TRUE(net.wait([&] { return count(tunnel::Event::retrying) == 1; }))
      << "the first attempt did not fail as not found";
  EXPECT_EQ(lookups(), before + 1);
  const std::uint64_t delays[] = {500, 1000, 2000};
  for (std::size_t i = 0; i < 3; ++i) {
    clock.advance(delays[i] - 1);
    net.settle(1);
    EXPECT_EQ(lookups(), before + 1 + i) << "retry " << i + 1 << " came early";
    clock.advance(1);
    EXPECT_EQ(lookups(), before + 2 + i) << "no retry " << delays[i] << " ms after the failure";
    ASSERT_TRUE(net.wait([&] {
      return count(tunnel::Event::retrying) == i + 2 || count(tunnel::Event::error) == 1;
    })) << "attempt "
        << i + 2 << " did not end";
  }
  // The fourth attempt was the last: the client is told, and nothing more is looked up.
  EXPECT_EQ(count(tunnel::Event::retrying), 3u);
  EXPECT_EQ(count(tunnel::Event::error), 1u);
  for (const auto& e : net.events) {
    if (e.kind == tunnel::Event::error || e.kind == tunnel::Event::retrying) {
      EXPECT_EQ(e.code, Errc::peer_not_found) << e.message;
    }
  }
  clock.advance(60000);
  net.settle(1);
  EXPECT_EQ(lookups(), before + 4);
  close(fd);
  t.reset();
  net.settle(1);
}

}  // namespace

TEST(ConnectTiming, TcpClientWaitsThroughRetriesAtHalfOneAndTwoSeconds) {
  retries_on_schedule(tunnel::Transport::tcp);
}

TEST(ConnectTiming, UdpClientWaitsThroughRetriesAtHalfOneAndTwoSeconds) {
  retries_on_schedule(tunnel::Transport::udp);
}
