#pragma once
// A TCP echo service on loopback and TCP clients that push data through a tunnel and read it
// back: what the share/connect tests put at either end of a tunnel.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

namespace peerport::test {

using namespace std::chrono_literals;

// A TCP echo service on loopback: echoes until the client half-closes, then closes.
class EchoService {
 public:
  // port 0: any free port. A given port lets a test bring a service back where it was.
  explicit EchoService(std::uint16_t port = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 256);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) continue;
        std::thread([c] {
          char buf[65536];
          ssize_t n;
          while ((n = ::read(c, buf, sizeof buf)) > 0) {
            for (ssize_t off = 0; off < n;) {
              ssize_t w = ::write(c, buf + off, static_cast<std::size_t>(n - off));
              if (w <= 0) break;
              off += w;
            }
          }
          ::close(c);
        }).detach();
      }
    });
  }
  ~EchoService() {
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

// Sends `data` through localhost:port, half-closes, and reads everything back until EOF.
inline std::optional<std::vector<std::uint8_t>> round_trip(std::uint16_t port,
                                                           const std::vector<std::uint8_t>& data) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::vector<std::uint8_t> got;
  std::size_t sent = 0;
  bool shut = false;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < data.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 1000) < 0) break;
    if (p.revents & POLLOUT) {
      ssize_t w = ::write(fd, data.data() + sent, std::min<std::size_t>(65536, data.size() - sent));
      if (w > 0) sent += static_cast<std::size_t>(w);
    }
    if (sent == data.size() && !shut) {
      ::shutdown(fd, SHUT_WR);
      shut = true;
    }
    if (p.revents & (POLLIN | POLLHUP)) {
      std::uint8_t buf[65536];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fd);
        return got;
      }
      got.insert(got.end(), buf, buf + n);
    }
  }
  ::close(fd);
  return std::nullopt;
}

// A TCP connection to a loopback port, or -1.
inline int connect_loopback_tcp(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// Writes `data` on an open connection and reads until as many bytes came back (60 s at most);
// the connection stays open.
inline std::vector<std::uint8_t> echo_on(int fd, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> got;
  std::size_t sent = 0;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (got.size() < data.size() && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < data.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 1000) < 0) break;
    if (p.revents & POLLOUT) {
      ssize_t w = ::write(fd, data.data() + sent, std::min<std::size_t>(65536, data.size() - sent));
      if (w > 0) sent += static_cast<std::size_t>(w);
    }
    if (p.revents & (POLLIN | POLLHUP)) {
      std::uint8_t buf[65536];
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.insert(got.end(), buf, buf + n);
    }
  }
  return got;
}

// Like round_trip, but without half-closing: reads until as many bytes came back as were sent
// (hypertele cuts data short on a client half-close, so its interop must not rely on one).
inline std::optional<std::vector<std::uint8_t>> round_trip_exact(
    std::uint16_t port, const std::vector<std::uint8_t>& data) {
  const int fd = connect_loopback_tcp(port);
  if (fd < 0) return std::nullopt;
  auto got = echo_on(fd, data);
  ::close(fd);
  if (got != data) return std::nullopt;
  return got;
}

// A local connection through a tunnel, held open after `data` went through and came back
// intact: its fd (the caller closes it), or -1.
inline int hold_open(std::uint16_t port, const std::vector<std::uint8_t>& data) {
  const int fd = connect_loopback_tcp(port);
  if (fd >= 0 && echo_on(fd, data) == data) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

}  // namespace peerport::test
