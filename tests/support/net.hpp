#pragma once
// Small helpers the process-level tests share: a free loopback port, and reading a child's
// output line by line within a deadline.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "subprocess.hpp"

namespace peerport::test {

// A loopback port for a test to hand to a process it starts, free for both UDP and TCP and
// reserved for this test process until it exits.
//
// A port the kernel picked and the test released could be picked again by a parallel test's
// bind(0) before the child binds it. So ports come from below the kernel's ephemeral range,
// which bind(0) and connect() never pick, and tests coordinate among themselves with a lock
// file per port: an flock held on an fd that stays open until this process exits (the kernel
// drops it then, even on a crash). `type` is kept for the callers' intent; both kinds are free.
inline std::uint16_t free_port(int type = SOCK_DGRAM) {
  (void)type;
  constexpr unsigned kLow = 20000;
  unsigned high = 32768;  // the default bottom of net.ipv4.ip_local_port_range
  if (FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
    unsigned lo = 0, hi = 0;
    if (std::fscanf(f, "%u %u", &lo, &hi) == 2 && lo > kLow + 1000) high = lo;
    std::fclose(f);
  }
  const std::string dir = "/tmp/peerport-test-ports";
  ::mkdir(dir.c_str(), 0777);
  static std::minstd_rand rng(static_cast<unsigned>(::getpid()) ^
                              static_cast<unsigned>(std::random_device{}()));
  auto bindable = [](int kind, std::uint16_t port) {
    const int fd = ::socket(AF_INET, kind, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
  };
  for (int attempt = 0; attempt < 4096; ++attempt) {
    const auto port = static_cast<std::uint16_t>(kLow + rng() % (high - kLow));
    const std::string lock = dir + "/" + std::to_string(port);
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;  // another test process holds it
    }
    if (bindable(SOCK_DGRAM, port) && bindable(SOCK_STREAM, port)) return port;  // fd stays open
    ::close(fd);
  }
  std::fprintf(stderr, "free_port: no free port in %u-%u\n", kLow, high);
  std::abort();
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
