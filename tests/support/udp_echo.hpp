#pragma once
// A UDP echo service on loopback, and a client that checks datagrams come back one by one.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <thread>
#include <vector>

namespace peerport::test {
// A UDP echo service on loopback, on its own thread.
class UdpEcho {
 public:
  UdpEcho() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      std::uint8_t buf[65536];
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        sockaddr_in from{};
        socklen_t fl = sizeof from;
        auto n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
        if (n >= 0) {
          ::sendto(fd_, buf, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from),
                   fl);
        }
      }
    });
  }
  ~UdpEcho() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Sends datagrams of many sizes to 127.0.0.1:port, each awaited in turn so nothing is lost to
// a full buffer and each answer is compared with its own question; returns how many matched
// out of rounds * 9.
inline int udp_echo_matches(std::uint16_t port, int rounds) {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return 0;
  }
  int matched = 0;
  const std::size_t sizes[] = {1, 2, 100, 1200, 1500, 9000, 30000, 65000, 0};
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t size : sizes) {
      std::vector<std::uint8_t> d(size);
      if (!d.empty()) randombytes_buf(d.data(), d.size());
      if (::send(fd, d.data(), d.size(), 0) != static_cast<ssize_t>(d.size())) continue;
      std::vector<std::uint8_t> got(65536);
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) continue;
      auto n = ::recv(fd, got.data(), got.size(), 0);
      if (n < 0) continue;
      got.resize(static_cast<std::size_t>(n));
      if (got == d)
        ++matched;
      else if (std::getenv("PEERPORT_TEST_DEBUG"))
        std::fprintf(stderr, "udp echo: sent %zu, got %zd\n", size, n);
    }
  }
  ::close(fd);
  return matched;
}

}  // namespace peerport::test
