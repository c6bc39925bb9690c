// many_shares: one engine holding N shares (default 100), each with one client of its own, all
// at once (issue 19). On a loopback DHT of one `peerport-cli node`:
//   - a child process (this program again, `--engine-shares`) runs one Engine with N shares of
//     one TCP echo service, each on its own key, and prints each share's key;
//   - this process runs a second Engine with one connection to each share, then opens one
//     local TCP connection through each, all at once, and echoes SIZE random bytes.
// Prints the time from the first connect command until every echo is back, each engine's peak
// RSS (VmHWM) and CPU seconds, and the share engine's RSS per share; exit status 1 unless every
// connection echoed intact. Run by hand: ./build/tests/bench/many_shares [N] [SIZE]
// Linux only (/proc).
#include <sodium.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../support/net.hpp"
#include "../support/proc.hpp"
#include "../support/subprocess.hpp"
#include "../support/tcp_echo.hpp"
#include "crypto/keys.hpp"
#include "engine/engine.hpp"
#include "targets.hpp"

using namespace std::chrono_literals;
using peerport::test::Subprocess;
namespace engine = peerport::engine;

namespace {

constexpr int kDefaultShares = 100;
constexpr std::size_t kDefaultSize = 256 * 1024;
constexpr auto kDeadline = 120s;

struct ProcFigures {
  double peak_mib = -1;
  double rss_mib = -1;
  double cpu_s = -1;
};

ProcFigures figures(pid_t pid) {
  return {peerport::test::status_mib(pid, "VmHWM:"), peerport::test::status_mib(pid, "VmRSS:"),
          peerport::test::cpu_seconds(pid)};
}

// Events of one engine, kept for the thread that waits on them.
class Events : public engine::EngineListener {
 public:
  void on_event(const engine::Event& e) override {
    std::lock_guard lock(m_);
    if (auto* s = std::get_if<engine::ShareStarted>(&e)) keys_.push_back(s->public_key);
    if (auto* c = std::get_if<engine::ConnectStarted>(&e)) ports_[c->id] = c->port;
    if (auto* err = std::get_if<engine::ErrorEvent>(&e)) {
      ++errors_[std::string(engine::error_code_name(err->code))];
    }
    cv_.notify_all();
  }
  std::vector<std::uint16_t> ports() {
    std::lock_guard lock(m_);
    std::vector<std::uint16_t> out;
    for (const auto& [id, port] : ports_) out.push_back(port);
    return out;
  }
  std::size_t started() {
    std::lock_guard lock(m_);
    return keys_.size();
  }
  std::map<std::string, int> errors() {
    std::lock_guard lock(m_);
    return errors_;
  }
  template <typename Pred>
  bool wait(Pred pred, std::chrono::seconds limit) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, limit, [&] { return pred(*this); });
  }
  std::vector<std::string> keys_;
  std::map<engine::Id, std::uint16_t> ports_;
  std::map<std::string, int> errors_;

 private:
  std::mutex m_;
  std::condition_variable cv_;
};

// --engine-shares N BOOTSTRAP SERVICE_PORT: one Engine with N shares of SERVICE_PORT, each
// from its own random seed; prints their keys one a line, then "ready", then idles until
// stdin closes.
int share_child(char** argv) {
  if (!peerport::crypto::init().ok()) return 2;
  const int n = std::atoi(argv[2]);
  engine::Config config;
  config.identity = peerport::crypto::KeyPair::random();
  config.bootstrap = argv[3];
  config.bind_host = "127.0.0.1";
  Events events;
  engine::Engine eng(config, events);
  if (!eng.start().ok()) return 2;
  for (int i = 0; i < n; ++i) {
    engine::ShareSpec spec;
    spec.port = static_cast<std::uint16_t>(std::atoi(argv[4]));
    spec.seed = peerport::crypto::random_seed();
    eng.post(engine::ShareCommand{eng.next_id(), spec});
  }
  if (!events.wait([n](Events& e) { return static_cast<int>(e.keys_.size()) >= n; }, 120s)) {
    // One DHT node on one IP stores at most Limits::stores_per_ip_per_minute announcements
    // and records from it a minute: a few hundred shares at once find that limit here.
    std::printf("error none: %zu of %d shares started\n", events.started(), n);
    for (const auto& [code, count] : events.errors()) {
      std::printf("error %s x%d\n", code.c_str(), count);
    }
    std::fflush(stdout);
    return 3;
  }
  for (const auto& k : events.keys_) std::printf("%s\n", k.c_str());
  std::printf("ready\n");
  std::fflush(stdout);
  char c;
  while (::read(0, &c, 1) > 0) {
  }
  eng.stop();
  return 0;
}

// The child's keys, read until its "ready" line.
std::vector<std::string> read_keys(Subprocess& p, std::chrono::seconds limit) {
  std::string seen;
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end && seen.find("ready\n") == std::string::npos) {
    auto chunk = p.read_some(4096, 200ms);
    if (!chunk) continue;
    if (chunk->empty()) break;
    seen.append(chunk->begin(), chunk->end());
  }
  std::vector<std::string> keys;
  std::istringstream lines(seen);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() == 64) keys.push_back(line);
    if (line.rfind("error ", 0) == 0) std::printf("  share engine: %s\n", line.c_str());
  }
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 4 && std::string(argv[1]) == "--engine-shares") return share_child(argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : kDefaultShares;
  const std::size_t size = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : kDefaultSize;
  if (n < 1 || size < 1 || !peerport::crypto::init().ok()) return 2;
  // Each share holds a few descriptors and each connection a local pair: raise the soft
  // limit as far as the hard one allows, and say so when that is not enough.
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  const rlim_t want = static_cast<rlim_t>(8 * n + 256);
  if (lim.rlim_cur < want) {
    lim.rlim_cur = std::min(want, lim.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &lim);
    if (lim.rlim_cur < want) {
      std::printf("many_shares: RLIMIT_NOFILE hard limit %llu is below the %llu wanted\n",
                  static_cast<unsigned long long>(lim.rlim_max),
                  static_cast<unsigned long long>(want));
    }
  }
  const std::string cli = PEERPORT_BINARY_DIR "/app/peerport-cli";
  const std::string boot = "127.0.0.1:" + std::to_string(peerport::test::free_port(SOCK_DGRAM));
  Subprocess node({cli, "node", "--host", "127.0.0.1", "--port", boot.substr(10), "--bootstrap",
                   "none", "--json"});
  std::this_thread::sleep_for(500ms);  // the node binds before anyone bootstraps from it
  peerport::test::EchoService service;
  Subprocess shares(
      {argv[0], "--engine-shares", std::to_string(n), boot, std::to_string(service.port())});
  const auto keys = read_keys(shares, 150s);
  if (static_cast<int>(keys.size()) != n) {
    std::printf("many_shares: not all %d shares started within 120 s\n", n);
    return 1;
  }
  const ProcFigures idle = figures(shares.pid());

  engine::Config config;
  config.identity = peerport::crypto::KeyPair::random();
  config.bootstrap = boot;
  config.bind_host = "127.0.0.1";
  Events events;
  engine::Engine client(config, events);
  if (!client.start().ok()) return 2;
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& key : keys) {
    engine::ConnectSpec spec;
    spec.key = key;
    client.post(engine::ConnectCommand{client.next_id(), spec});
  }
  events.wait([n](Events& e) { return static_cast<int>(e.ports_.size()) >= n; }, 30s);
  const std::vector<std::uint16_t> ports = events.ports();
  std::vector<std::uint8_t> payload(size);
  randombytes_buf(payload.data(), payload.size());
  std::atomic<int> intact{0};
  std::vector<std::thread> clients;
  for (auto port : ports) {
    clients.emplace_back([&, port] {
      auto got = peerport::test::round_trip(port, payload);
      if (got && *got == payload) ++intact;
    });
  }
  for (auto& t : clients) t.join();
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const ProcFigures share_side = figures(shares.pid());
  const ProcFigures client_side = figures(::getpid());
  std::printf("many_shares: %d shares in one engine, one client each, %zu bytes echoed\n", n, size);
  std::printf("  %d of %d echoed intact in %.1f s (from the first connect command)\n",
              intact.load(), n, took);
  std::printf("  share engine: idle %.1f MiB (%.0f KiB a share), peak %.1f MiB, CPU %.2f s\n",
              idle.rss_mib, idle.rss_mib * 1024 / n, share_side.peak_mib, share_side.cpu_s);
  std::printf("  client engine (this process): peak %.1f MiB, CPU %.2f s\n", client_side.peak_mib,
              client_side.cpu_s);
  for (const auto& [code, count] : events.errors()) {
    std::printf("  client errors: %s x%d\n", code.c_str(), count);
  }
  client.stop();
  shares.close_stdin();
  shares.wait(20s);
  // Every peer here is on 127.0.0.1, so the node's per-source reply budget is shared by all
  // of them: say how often it withheld an answer (a lookup then fails and is retried).
  node.signal(SIGTERM);
  std::string said;
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (said.find("\"event\":\"stopped\"") == std::string::npos &&
         std::chrono::steady_clock::now() < end) {
    auto chunk = node.read_some(4096, 200ms);
    if (chunk && chunk->empty()) break;
    if (chunk) said.append(chunk->begin(), chunk->end());
  }
  node.wait(10s);
  const auto at = said.find("\"repliesDropped\":");
  if (at != std::string::npos) {
    std::printf("  DHT node: %s replies withheld by its per-source byte budget\n",
                said.substr(at + 17, said.find_first_of(",}", at) - at - 17).c_str());
  }

  peerport::bench::Targets t("many_shares");
  t.complete("all_echoed_intact", intact.load() == n);
  t.at_most("seconds_until_all_echoed", took, std::chrono::duration<double>(kDeadline).count());
  return t.exit_code();
}
