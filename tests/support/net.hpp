#pragma once
// Small helpers the process-level tests share: a free loopback port, and reading a child's
// output line by line within a deadline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "subprocess.hpp"

namespace peerport::test {

// A loopback port free right now (type: SOCK_DGRAM or SOCK_STREAM).
inline std::uint16_t free_port(int type) {
  int fd = ::socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// The next output line containing `needle` (any line if empty), or nullopt at the deadline
// or end of output.
inline std::optional<std::string> next_line(Subprocess& p, std::string& buf,
                                            std::chrono::milliseconds timeout,
                                            const std::string& needle = {}) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto nl = buf.find('\n');
    if (nl != std::string::npos) {
      std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (needle.empty() || line.find(needle) != std::string::npos) return line;
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto d = p.read_some(4096, left);
    if (!d || d->empty()) return std::nullopt;
    buf.append(d->begin(), d->end());
  }
}

// The next output line that is a JSON object.
inline std::optional<nlohmann::json> next_json(Subprocess& p, std::string& buf,
                                               std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto line = next_line(p, buf, std::max(left, std::chrono::milliseconds(0)));
    if (!line) return std::nullopt;
    auto j = nlohmann::json::parse(*line, nullptr, false);
    if (!j.is_discarded()) return j;
  }
}

// The next JSON line whose "event" is `name` (engine event lines come and go around it).
inline std::optional<nlohmann::json> next_event(Subprocess& p, std::string& buf,
                                                std::chrono::milliseconds timeout,
                                                const std::string& name) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto j = next_json(p, buf, std::max(left, std::chrono::milliseconds(0)));
    if (!j) return std::nullopt;
    if (j->is_object() && j->value("event", "") == name) return j;
  }
}

}  // namespace peerport::test
