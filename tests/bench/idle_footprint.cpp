// idle_footprint: resident memory of idle PeerPort processes (issue 19), as `ps` shows it
// (VmRSS from /proc/PID/status). On a loopback DHT of one `peerport-cli node`, it starts
//   - `peerport-cli share` of a local TCP service with no connection (target <= 3 MiB),
//   - the node itself (target <= 4 MiB),
//   - one Engine holding 10 shares (this program again, `--engine-shares 10`; <= 6 MiB),
// waits for each to be ready, lets them idle, reads their VmRSS and prints target lines.
// Run by hand: ./build/tests/bench/idle_footprint [idle seconds, default 5]
// Exit status 1 if a target is missed. Linux only (/proc).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../support/net.hpp"
#include "../support/proc.hpp"
#include "../support/subprocess.hpp"
#include "crypto/keys.hpp"
#include "engine/engine.hpp"
#include "targets.hpp"

using namespace std::chrono_literals;
using peerport::test::Subprocess;

namespace {

constexpr double kShareMiB = 3.0;
constexpr double kNodeMiB = 4.0;
constexpr double kTenSharesMiB = 6.0;
constexpr int kShares = 10;

// A listening TCP socket on loopback: the service a share points at (nobody connects).
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd, 8) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      return;
    }
    port = ntohs(a.sin_port);
  }
  ~Listener() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads the child's output until it holds `what`, for at most `limit`.
bool wait_for(Subprocess& p, const std::string& what, std::chrono::milliseconds limit) {
  std::string seen;
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    auto chunk = p.read_some(4096, 200ms);
    if (!chunk) continue;
    if (chunk->empty()) return false;  // it exited
    seen.append(chunk->begin(), chunk->end());
    if (seen.find(what) != std::string::npos) return true;
  }
  return false;
}

// --engine-shares N --bootstrap host:port --port P...: one Engine with N shares; prints
// "ready" once every share is announced, then idles until stdin closes.
class Counter : public peerport::engine::EngineListener {
 public:
  void on_event(const peerport::engine::Event& e) override {
    if (std::holds_alternative<peerport::engine::ShareStarted>(e)) {
      std::lock_guard lock(m_);
      ++started_;
      cv_.notify_all();
    }
  }
  bool wait(int n, std::chrono::seconds limit) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] { return started_ >= n; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  int started_ = 0;
};

int engine_child(int argc, char** argv) {
  if (!peerport::crypto::init().ok() || argc < 5) return 2;
  const int n = std::atoi(argv[2]);
  peerport::engine::Config config;
  config.identity = peerport::crypto::KeyPair::random();
  config.bootstrap = argv[4];
  config.bind_host = "127.0.0.1";
  Counter counter;
  peerport::engine::Engine engine(config, counter);
  if (!engine.start().ok()) return 2;
  for (int i = 5; i < argc; ++i) {
    peerport::engine::ShareSpec spec;
    spec.port = static_cast<std::uint16_t>(std::atoi(argv[i]));
    engine.post(peerport::engine::ShareCommand{engine.next_id(), spec});
  }
  if (!counter.wait(n, 60s)) return 3;
  std::printf("ready\n");
  std::fflush(stdout);
  char c;
  while (::read(0, &c, 1) > 0) {
  }
  engine.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--engine-shares") return engine_child(argc, argv);
  const int idle_s = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::string cli = PEERPORT_BINARY_DIR "/app/peerport-cli";
  const std::string boot = "127.0.0.1:" + std::to_string(peerport::test::free_port(SOCK_DGRAM));
  char dir[] = "/tmp/peerport-footprint-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 2;

  Subprocess node(
      {cli, "node", "--host", "127.0.0.1", "--port", boot.substr(10), "--bootstrap", "none"});
  std::this_thread::sleep_for(500ms);
  Listener service;
  Subprocess share({cli, "share", std::to_string(service.port), "--bootstrap", boot, "--key-file",
                    std::string(dir) + "/identity"});
  std::vector<std::unique_ptr<Listener>> services;
  std::vector<std::string> args = {argv[0], "--engine-shares", std::to_string(kShares),
                                   "--bootstrap", boot};
  for (int i = 0; i < kShares; ++i) {
    services.push_back(std::make_unique<Listener>());
    args.push_back(std::to_string(services.back()->port));
  }
  Subprocess ten(args);
  const bool share_ready = wait_for(share, "Sharing", 60s);
  const bool ten_ready = wait_for(ten, "ready", 90s);
  std::this_thread::sleep_for(std::chrono::seconds(idle_s));
  const double share_mib = peerport::test::status_mib(share.pid(), "VmRSS:");
  const double node_mib = peerport::test::status_mib(node.pid(), "VmRSS:");
  const double ten_mib = peerport::test::status_mib(ten.pid(), "VmRSS:");
  std::printf("idle_footprint: VmRSS after %d s idle on a loopback DHT\n", idle_s);
  std::printf("  peerport-cli share (no connection) %.2f MiB\n", share_mib);
  std::printf("  peerport-cli node                  %.2f MiB\n", node_mib);
  std::printf("  one engine, %d shares              %.2f MiB\n", kShares, ten_mib);
  ten.close_stdin();
  ten.wait(10s);
  share.signal(SIGTERM);
  share.wait(10s);
  node.signal(SIGTERM);
  node.wait(10s);
  std::remove((std::string(dir) + "/identity").c_str());
  ::rmdir(dir);

  peerport::bench::Targets t("idle_footprint");
  t.complete("all_ready", share_ready && ten_ready);
  t.at_most("share_rss_mib", share_mib, kShareMiB);
  t.at_most("node_rss_mib", node_mib, kNodeMiB);
  t.at_most("ten_shares_rss_mib", ten_mib, kTenSharesMiB);
  return t.exit_code();
}
