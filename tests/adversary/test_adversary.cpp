// A hostile peer against running `peerport-cli node`, `node --relay` and `share` processes on
// loopback (issue 15). For a bounded time it sends what the limits in core/common/limits.hpp
// exist for: oversized datagrams, stores of the largest values with valid tokens, token-less GETs
// and LOOKUPs for them (as a spoofed source would), DELAYED_PING floods, and random and mutated
// datagrams of every message type. Meanwhile it samples each process's RSS and open descriptors
// from /proc and measures every reply against the request that caused it. Afterwards a real
// share/connect tunnel bootstrapped on the attacked node must carry 1 MiB intact. A share gets
// the same datagrams, then clients under fresh keys that take every connection its caps allow,
// and a real tunnel through it must still carry 1 MiB.
//
// PEERPORT_ADVERSARY_SECONDS sets the attack time (default 20); PEERPORT_ADVERSARY_CLI runs
// another peerport-cli binary (e.g. an older build, to see the attack succeed).
#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "../support/cli_network.hpp"
#include "../support/net.hpp"
#include "../support/proc.hpp"
#include "../support/subprocess.hpp"
#include "../support/tcp_echo.hpp"
#include "common/limits.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "dht/messages.hpp"
#include "hyperdht/messages.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "relay/protomux.hpp"

using namespace std::chrono_literals;
using namespace peerport;
using peerport::test::open_fds;
using peerport::test::Subprocess;

namespace {

// What the attacked processes may grow to. A node starts near 7 MiB; what one source may make
// it store is 1 MiB (limits::kStorageBytesPerIp); the attack uses eight sources, and the relay
// holds sessions (up to limits::kRelayMaxSessions).
#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer a process starts near 80 MiB (the runtime and its shadow), every
// allocation carries redzones, and freed memory waits in a quarantine (dev.sh asan keeps it at
// 16 MiB): measured 148 MiB peak for the relay. Still far below what the attacks reached
// before their limits (536 MiB, GiBs of storage).
constexpr std::size_t kRssBoundKiB = 4 * 48 * 1024;
constexpr std::size_t kRelayRssBoundKiB = kRssBoundKiB;
#else
constexpr std::size_t kRssBoundKiB = 48 * 1024;
// A relay is a node plus the sessions it carries: limits::kRelayMaxSessions of them, each an
// encrypted stream whose secret-stream decoder keeps one frame's buffer (up to 64 KiB, kept so
// bulk transfers do not hand heap pages back and forth) beside its UDX stream's state. Measured
// 49.3 MiB under this attack (the node beside it: 22 MiB), the same at 64e7692 as now; the
// 48 MiB it shared with the node left it no room. 32 KiB a session on top of the node's bound.
constexpr std::size_t kRelayRssBoundKiB = kRssBoundKiB + limits::kRelayMaxSessions * 32;
#endif
constexpr std::size_t kFdBound = 48;

std::string cli_path() {
  if (const char* p = std::getenv("PEERPORT_ADVERSARY_CLI"); p && *p) return p;
  return PEERPORT_BINARY_DIR "/app/peerport-cli";
}

int attack_seconds() {
  if (const char* s = std::getenv("PEERPORT_ADVERSARY_SECONDS"); s && *s) return std::atoi(s);
  return 20;
}

std::size_t rss_kib(pid_t pid) {
  return peerport::test::status_kib(pid, "VmRSS:");
}

bool alive(pid_t pid) {
  return ::kill(pid, 0) == 0 && rss_kib(pid) > 0;
}

// A plain UDP socket on loopback: the attacker's own, no core networking involved. Bound to
// 127.0.0.x other than .1, as an attacker on the internet has addresses other than its
// victims': the per-source limits must not lump it together with the share and connect.
struct Udp {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  std::uint16_t port = 0;
  explicit Udp(std::uint8_t host) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000000u | host);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    int size = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  ~Udp() { ::close(fd); }
  void send(ByteView d, std::uint16_t to) const {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(to);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::sendto(fd, d.data(), d.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  // Every datagram waiting now.
  template <class F>
  void drain(F&& f) const {
    std::uint8_t buf[65536];
    while (true) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0) return;
      f(ByteView(buf, static_cast<std::size_t>(n)));
    }
  }
};

struct Victim {
  std::string name;
  Subprocess* proc;
  std::uint16_t port;
  std::size_t max_rss_kib = 0;
  std::size_t max_fds = 0;
  void sample() {
    max_rss_kib = std::max(max_rss_kib, rss_kib(proc->pid()));
    max_fds = std::max(max_fds, open_fds(proc->pid()));
  }
};

// The attacks, round after round, against one victim.
class Adversary {
 public:
  explicit Adversary(std::uint16_t victim) : victim_(victim), spoofed_(10) {
    for (std::uint8_t h = 2; h < 10; ++h) hoarders_.push_back(std::make_unique<Udp>(h));
  }

  void round() {
    ++round_;
    token_round();
    hoard();
    oversized();
    spoofed_gets();
    delayed_pings();
    garbage();
    collect();
  }
  // The largest reply / request ratio seen by the token-less socket, and reply counts.
  double worst_ratio() const { return worst_ratio_; }
  std::size_t replies() const { return replies_; }
  std::size_t sent() const { return sent_; }
  Bytes worst_request;

 private:
  dht::Request request(std::uint64_t command, std::optional<dht::NodeId> target,
                       std::optional<Bytes> value, bool internal = false) {
    dht::Request r;
    r.tid = tid_++;
    r.to = *dht::Address::parse("127.0.0.1", victim_);
    r.internal = internal;
    r.command = command;
    r.target = target;
    r.value = std::move(value);
    return r;
  }
  // The spoofed source: never shows a token, so every reply it gets is measured.
  void send_spoofed(const dht::Request& r) {
    Bytes d = dht::encode(r);
    asked_[r.tid] = d;
    spoofed_.send(d, victim_);
    ++sent_;
  }
  // Eight sources store, one after the other; each needs a token of its own.
  Udp& hoarder() { return *hoarders_[round_ % hoarders_.size()]; }
  void token_round() {
    token_.reset();
    hoarder().send(dht::encode(request(hyperdht::kImmutableGet, dht::NodeId{}, std::nullopt)),
                   victim_);
    std::this_thread::sleep_for(2ms);
    hoarder().drain([&](ByteView d) {
      if (auto res = dht::decode_response(d); res && res->token) token_ = res->token;
    });
  }
  // Values of the largest size the node takes, each new, with a valid token: storage hoarding.
  void hoard() {
    if (!token_) return;
    for (int i = 0; i < 50; ++i) {
      Bytes v(limits::kMaxStoredValue);
      randombytes_buf(v.data(), v.size());
      auto r = request(hyperdht::kImmutablePut, crypto::blake2b_256(v), v);
      r.token = token_;
      hoarder().send(dht::encode(r), victim_);
      stored_.push_back(*r.target);
      if (stored_.size() > 256) stored_.erase(stored_.begin());
      // Mutable records under fresh keys, as large as they go.
      auto kp = crypto::KeyPair::random();
      hyperdht::MutablePut put;
      put.public_key = kp.public_key;
      put.record.seq = 1;
      put.record.value = Bytes(limits::kMaxStoredValue - 80, 0x5a);
      put.record.signature = hyperdht::sign_mutable(1, put.record.value, kp);
      auto m =
          request(hyperdht::kMutablePut, crypto::blake2b_256(kp.public_key), hyperdht::encode(put));
      m.token = token_;
      hoarder().send(dht::encode(m), victim_);
      sent_ += 2;
    }
  }
  void oversized() {
    if (!token_) return;
    for (int i = 0; i < 5; ++i) {
      Bytes v(60000);
      randombytes_buf(v.data(), v.size());
      auto r = request(hyperdht::kImmutablePut, crypto::blake2b_256(v), v);
      r.token = token_;
      hoarder().send(dht::encode(r), victim_);
      ++sent_;
    }
  }
  void spoofed_gets() {
    for (std::size_t i = 0; i < std::min<std::size_t>(stored_.size(), 100); ++i) {
      const auto& t = stored_[rng_() % stored_.size()];
      send_spoofed(request(hyperdht::kImmutableGet, t, std::nullopt));
    }
    for (std::uint64_t cmd : {hyperdht::kLookup, hyperdht::kFindPeer}) {
      for (int i = 0; i < 20; ++i) send_spoofed(request(cmd, random_id(), std::nullopt));
    }
    for (int i = 0; i < 20; ++i) {
      send_spoofed(request(hyperdht::kMutableGet, random_id(), Bytes{0}));
      send_spoofed(request(dht::kFindNode, random_id(), std::nullopt, true));
      send_spoofed(request(dht::kPing, std::nullopt, std::nullopt, true));
    }
    // PING_NAT naming our own other port, and DOWN_HINT.
    Bytes port = {static_cast<std::uint8_t>(spoofed_.port & 0xff),
                  static_cast<std::uint8_t>(spoofed_.port >> 8)};
    send_spoofed(request(dht::kPingNat, std::nullopt, port, true));
    send_spoofed(request(dht::kDownHint, std::nullopt, Bytes(6, 1), true));
  }
  void delayed_pings() {
    for (int i = 0; i < 200; ++i) {
      Bytes v = {0x10, 0x27, 0, 0};  // 10 s, the longest a node accepts
      v.resize(1500, 0xee);          // filler the node must not keep
      hoarder().send(dht::encode(request(dht::kDelayedPing, std::nullopt, v, true)), victim_);
      ++sent_;
    }
  }
  // Random bytes that look like each message type, and valid messages with bytes flipped.
  void garbage() {
    std::vector<Bytes> valid = {
        dht::encode(request(dht::kPing, std::nullopt, std::nullopt, true)),
        dht::encode(request(dht::kFindNode, random_id(), std::nullopt, true)),
        dht::encode(request(hyperdht::kAnnounce, random_id(), Bytes(120, 3))),
        dht::encode(request(hyperdht::kPeerHandshake, random_id(), Bytes(100, 1))),
        dht::encode(request(hyperdht::kPeerHolepunch, random_id(), Bytes(80, 2))),
        dht::encode(request(hyperdht::kMutablePut, random_id(), Bytes(200, 4))),
        dht::encode(request(hyperdht::kLookup, random_id(), std::nullopt)),
    };
    dht::Response res;
    res.tid = 7;
    res.closer_nodes = {*dht::Address::parse("127.0.0.1", 1)};
    res.value = Bytes(50, 9);
    valid.push_back(dht::encode(res));
    for (int i = 0; i < 300; ++i) {
      Bytes d;
      if (i % 3 == 0) {
        d.resize(1 + rng_() % 300);
        randombytes_buf(d.data(), d.size());
        d[0] = i % 2 ? dht::kRequestType : dht::kResponseType;
      } else {
        d = valid[rng_() % valid.size()];
        const int flips = 1 + static_cast<int>(rng_() % 4);
        for (int f = 0; f < flips; ++f) d[rng_() % d.size()] = static_cast<std::uint8_t>(rng_());
        if (rng_() % 4 == 0) d.resize(rng_() % d.size() + 1);
      }
      // Whatever decodes as a request is measured like the spoofed source's other requests.
      if (auto r = dht::decode_request(d); r && !r->token) {
        asked_[r->tid] = d;
        spoofed_.send(d, victim_);
      } else {
        hoarder().send(d, victim_);
      }
      ++sent_;
    }
  }
  void collect() {
    std::this_thread::sleep_for(5ms);
    spoofed_.drain([&](ByteView d) {
      ++replies_;
      auto res = dht::decode_response(d);
      if (!res) return;
      auto it = asked_.find(res->tid);
      if (it == asked_.end()) return;
      const double ratio = static_cast<double>(d.size()) / static_cast<double>(it->second.size());
      if (ratio > worst_ratio_) {
        worst_ratio_ = ratio;
        worst_request = it->second;
      }
    });
    for (auto& h : hoarders_) h->drain([](ByteView) {});
    if (asked_.size() > 60000) asked_.clear();
  }
  dht::NodeId random_id() {
    dht::NodeId id;
    randombytes_buf(id.data(), id.size());
    return id;
  }

  std::uint16_t victim_;
  Udp spoofed_;
  std::vector<std::unique_ptr<Udp>> hoarders_;
  std::size_t round_ = 0;
  std::optional<dht::Token> token_;
  std::vector<dht::NodeId> stored_;
  std::map<std::uint16_t, Bytes> asked_;
  std::uint16_t tid_ = 1;
  std::mt19937 rng_{12345};
  double worst_ratio_ = 0;
  std::size_t replies_ = 0;
  std::size_t sent_ = 0;
};

// Attacks inside encrypted connections to the relay: many sessions under fresh keys (keys are
// free), pairings that never find their other half, and frames batching thousands of OPENs
// for protocols nobody serves. Runs its own loop for `seconds`; returns sessions opened.
struct RelayAttack {
  uv_loop_t loop;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> dht;
  struct Session {
    std::unique_ptr<hyperdht::Connection> conn;
    std::unique_ptr<relay::Mux> mux;
    std::uint64_t channel = 0;
    bool open = false;
    bool flood = false;  // one frame of batched OPENs (the relay ends the session), or pairs
    int rounds = 0;
  };
  std::vector<std::unique_ptr<Session>> sessions;
  std::size_t connected = 0, failed = 0;

  RelayAttack(std::uint16_t bootstrap_port, const crypto::PublicKey& relay, int seconds) {
    uv_loop_init(&loop);
    udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.bootstrap = {*dht::Address::parse("127.0.0.1", bootstrap_port)};
    dht = std::make_unique<hyperdht::Dht>(*udx, o);
    if (!dht->start().ok()) return;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::size_t started = 0;
    while (std::chrono::steady_clock::now() < until) {
      // A few new sessions at a time, each under a new key.
      if (started < 400 && started - connected - failed < 8) {
        ++started;
        auto s = std::make_unique<Session>();
        s->flood = started % 2 == 0;
        Session* raw = s.get();
        sessions.push_back(std::move(s));
        const auto key = crypto::KeyPair::random();
        hyperdht::Connection::Callbacks cb;
        cb.on_data = [raw](ByteView m) {
          if (raw->mux) (void)raw->mux->feed(m);
        };
        hyperdht::Connection::connect(
            *dht, key, relay, cb,
            [this, raw, key](Result<std::unique_ptr<hyperdht::Connection>> r) {
              if (!r) {
                ++failed;
                return;
              }
              ++connected;
              raw->conn = std::move(*r);
              raw->mux = std::make_unique<relay::Mux>([raw](Bytes f) { raw->conn->write(f); });
              relay::Mux::ChannelCallbacks ch;
              ch.on_open = [raw] { raw->open = true; };
              raw->channel = raw->mux->open(
                  "blind-relay", Bytes(key.public_key.begin(), key.public_key.end()), ch);
            });
      }
      for (auto& s : sessions) {
        if (!s->open) continue;
        if (!s->flood) {
          // Pairings that never find their other half, and the session kept open.
          for (int i = 0; i < 8; ++i)
            s->mux->send(s->channel, 0,
                         relay::encode_pair({i % 2 == 0, relay::random_token(), 1, 0}));
          if (++s->rounds >= 10) s->open = false;
          continue;
        }
        enc::Writer batch;
        batch.uint(0).uint(0).uint(0);
        for (std::uint64_t i = 1; i <= 5000; ++i) {
          enc::Writer open;
          open.uint(1).uint(i).string("nobody").optional_buffer(nullptr);
          batch.uint(open.size()).fixed(open.bytes());
        }
        s->conn->write(batch.bytes());
        s->open = false;
      }
      uv_run(&loop, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(1ms);
    }
  }
  ~RelayAttack() {
    for (auto& s : sessions) {
      if (s->conn) s->conn->destroy();
    }
    uv_run(&loop, UV_RUN_NOWAIT);
    sessions.clear();
    dht.reset();
    udx.reset();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

// The UDP ports a process has bound (from /proc: its socket inodes, matched in /proc/net/udp).
std::vector<std::uint16_t> udp_ports(pid_t pid) {
  std::set<std::string> inodes;
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      char target[256] = {};
      const std::string link = dir + "/" + e->d_name;
      const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
      const std::string t(target, n > 0 ? static_cast<std::size_t>(n) : 0);
      if (t.rfind("socket:[", 0) == 0) inodes.insert(t.substr(8, t.size() - 9));
    }
    ::closedir(d);
  }
  std::vector<std::uint16_t> ports;
  std::ifstream in("/proc/net/udp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, st, queues, tr, retr, uid, timeout, inode;
    f >> sl >> local >> remote >> st >> queues >> tr >> retr >> uid >> timeout >> inode;
    if (!inodes.count(inode)) continue;
    const auto colon = local.find(':');
    if (colon != std::string::npos)
      ports.push_back(static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16)));
  }
  return ports;
}

// Clients that take all a share gives: `keys` fresh keys opening `per_key` connections each,
// all held open and writing junk the service echoes back. Its own DHT node and loop, on its
// own thread, until the object goes.
class ShareAttack {
 public:
  ShareAttack(std::uint16_t bootstrap_port, const crypto::PublicKey& share, int keys, int per_key)
      : thread_([this, bootstrap_port, share, keys, per_key] {
        run(bootstrap_port, share, keys, per_key);
      }) {}
  ~ShareAttack() {
    stop_ = true;
    thread_.join();
  }
  std::size_t open_now() const { return open_now_; }
  std::size_t opened() const { return opened_; }

 private:
  struct Client {
    std::unique_ptr<hyperdht::Connection> conn;
    bool counted = false;
  };
  void run(std::uint16_t bootstrap_port, const crypto::PublicKey& share, int keys, int per_key) {
    std::vector<std::unique_ptr<Client>> clients;  // outlives the DHT and its callbacks
    uv_loop_t loop;
    uv_loop_init(&loop);
    auto udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.bootstrap = {*dht::Address::parse("127.0.0.1", bootstrap_port)};
    auto dht = std::make_unique<hyperdht::Dht>(*udx, o);
    if (dht->start().ok()) {
      for (int k = 0; k < keys; ++k) {
        const auto key = crypto::KeyPair::random();
        for (int i = 0; i < per_key; ++i) {
          clients.push_back(std::make_unique<Client>());
          Client* c = clients.back().get();
          hyperdht::Connection::Callbacks cb;
          cb.on_data = [](ByteView) {};
          cb.on_close = [this, c](const Status&) {
            if (c->counted) --open_now_;
            c->counted = false;
          };
          hyperdht::Connection::connect(*dht, key, share, cb,
                                        [this, c](Result<std::unique_ptr<hyperdht::Connection>> r) {
                                          if (!r) return;
                                          c->conn = std::move(*r);
                                          c->counted = true;
                                          ++opened_;
                                          ++open_now_;
                                        });
        }
      }
      Bytes junk(1024);
      auto next = std::chrono::steady_clock::now();
      while (!stop_) {
        if (std::chrono::steady_clock::now() >= next) {
          for (auto& c : clients) {
            if (!c->counted) continue;
            randombytes_buf(junk.data(), junk.size());
            c->conn->write(junk);
          }
          next += 100ms;
        }
        uv_run(&loop, UV_RUN_NOWAIT);
        std::this_thread::sleep_for(1ms);
      }
      for (auto& c : clients) {
        if (c->conn) {
          c->conn->set_callbacks({});
          c->conn->destroy();
        }
      }
      uv_run(&loop, UV_RUN_NOWAIT);
    }
    dht.reset();
    uv_run(&loop, UV_RUN_NOWAIT);
    clients.clear();
    udx.reset();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }

  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> open_now_{0};
  std::atomic<std::size_t> opened_{0};
  std::thread thread_;
};

}  // namespace

TEST(Adversary, NodeAndRelaySurviveAndATunnelStillCarriesOneMiB) {
  ASSERT_GE(sodium_init(), 0);
  const std::string cli = cli_path();
  test::CliNetwork net(cli);
  const std::uint16_t relay_port = test::free_port(SOCK_DGRAM);
  const std::string relay_key_file =
      std::string(PEERPORT_BINARY_DIR) + "/adversary-relay-" + std::to_string(::getpid());
  ::unlink(relay_key_file.c_str());
  Subprocess relay({cli, "node", "--host", "127.0.0.1", "--port", std::to_string(relay_port),
                    "--bootstrap", net.bootstrap(), "--relay", "--relay-key-file", relay_key_file,
                    "--json"});
  std::string rbuf;
  auto relay_up = test::next_event(relay, rbuf, 20s, "relay");
  ASSERT_TRUE(relay_up) << "the relay did not come up";
  const auto relay_key_bytes = from_hex((*relay_up)["key"].get<std::string>());
  ASSERT_TRUE(relay_key_bytes && relay_key_bytes->size() == 32);
  crypto::PublicKey relay_key{};
  std::copy(relay_key_bytes->begin(), relay_key_bytes->end(), relay_key.begin());

  std::vector<Victim> victims = {{"node", &net.node, net.port}, {"relay", &relay, relay_port}};
  for (auto& v : victims) v.sample();
  const auto start_rss = victims[0].max_rss_kib;
  std::vector<std::unique_ptr<Adversary>> attackers;
  for (auto& v : victims) attackers.push_back(std::make_unique<Adversary>(v.port));

  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(attack_seconds());
  auto next_sample = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < until) {
    for (auto& a : attackers) a->round();
    if (std::chrono::steady_clock::now() >= next_sample) {
      for (auto& v : victims) {
        ASSERT_TRUE(alive(v.proc->pid())) << v.name << " died under attack";
        v.sample();
      }
      next_sample += 250ms;
    }
  }
  // Then inside encrypted sessions with the relay, sampling it all the while.
  std::atomic<bool> attacking{true};
  std::thread sampler([&] {
    while (attacking) {
      victims[1].sample();
      std::this_thread::sleep_for(100ms);
    }
  });
  std::size_t sessions = 0;
  {
    RelayAttack ra(net.port, relay_key, std::max(5, attack_seconds() / 2));
    sessions = ra.connected;
  }
  attacking = false;
  sampler.join();
  std::printf("adversary: relay: %zu encrypted sessions opened and abused\n", sessions);
  EXPECT_GT(sessions, 0u) << "no session reached the relay: its attack did not run";
  std::this_thread::sleep_for(500ms);
  for (std::size_t i = 0; i < victims.size(); ++i) {
    auto& v = victims[i];
    ASSERT_TRUE(alive(v.proc->pid())) << v.name << " died under attack";
    v.sample();
    const auto& a = *attackers[i];
    std::printf(
        "adversary: %s: %zu datagrams sent, %zu replies to the token-less source, worst "
        "reply/request %.2f, peak RSS %zu KiB (started at %zu), peak fds %zu\n",
        v.name.c_str(), a.sent(), a.replies(), a.worst_ratio(), v.max_rss_kib, start_rss,
        v.max_fds);
    EXPECT_LE(v.max_rss_kib, v.name == "relay" ? kRelayRssBoundKiB : kRssBoundKiB) << v.name;
    EXPECT_LE(v.max_fds, kFdBound) << v.name;
    EXPECT_LE(a.worst_ratio(), static_cast<double>(limits::kReplyAmplification))
        << v.name << ": a reply to a token-less request was " << a.worst_ratio()
        << "x its request (" << a.worst_request.size() << " bytes)";
    EXPECT_GT(a.replies(), 0u) << v.name << " answered nothing at all";
  }

  // A real tunnel through the attacked network.
  test::EchoService echo;
  Subprocess share({cli, "share", "--port", std::to_string(echo.port()), "--bootstrap",
                    net.bootstrap(), "--seed", std::string(64, '5'), "--json"});
  std::string sbuf;
  auto listening = test::next_event(share, sbuf, 30s, "listening");
  ASSERT_TRUE(listening) << "share did not come up on the attacked node";
  Subprocess connect({cli, "connect", (*listening)["url"].get<std::string>(), "--bootstrap",
                      net.bootstrap(), "--json"});
  std::string cbuf;
  auto cl = test::next_event(connect, cbuf, 30s, "listening");
  ASSERT_TRUE(cl) << "connect did not come up";
  std::vector<std::uint8_t> data(1u << 20);
  randombytes_buf(data.data(), data.size());
  auto back = test::round_trip((*cl)["port"].get<std::uint16_t>(), data);
  ASSERT_TRUE(back.has_value()) << "no complete echo through the tunnel";
  EXPECT_TRUE(*back == data) << "the tunnel corrupted data";
  for (Subprocess* p : {&connect, &share, &relay}) {
    p->signal(SIGINT);
    (void)p->wait(5s);
  }
  ::unlink(relay_key_file.c_str());
}

// A running `peerport-cli share` under attack: the DHT attacks above against its own socket,
// then clients under fresh keys taking every connection it gives. Its caps (here 16 in all, 4
// per key) must hold, and a real tunnel must carry 1 MiB intact while the attackers still hold
// their connections.
TEST(Adversary, ShareHoldsItsCapsAndATunnelThroughItStillCarriesOneMiB) {
  ASSERT_GE(sodium_init(), 0);
  constexpr int kMaxConnections = 16, kMaxPerPeer = 4, kKeys = 3, kPerKey = 8;
  const std::string cli = cli_path();
  test::CliNetwork net(cli);
  test::EchoService echo;
  Subprocess share({cli, "share", "--port", std::to_string(echo.port()), "--bootstrap",
                    net.bootstrap(), "--seed", std::string(64, '6'), "--max-connections",
                    std::to_string(kMaxConnections), "--max-per-peer", std::to_string(kMaxPerPeer),
                    "--json"});
  std::string sbuf;
  auto listening = test::next_event(share, sbuf, 30s, "listening");
  ASSERT_TRUE(listening) << "share did not come up";
  const auto key_bytes = from_hex((*listening)["publicKey"].get<std::string>());
  ASSERT_TRUE(key_bytes && key_bytes->size() == 32);
  crypto::PublicKey share_key{};
  std::copy(key_bytes->begin(), key_bytes->end(), share_key.begin());
  const auto ports = udp_ports(share.pid());
  ASSERT_FALSE(ports.empty()) << "no UDP socket found for the share";

  Victim v{"share", &share, ports.front()};
  v.sample();
  const auto start_rss = v.max_rss_kib;
  Adversary dht_attack(v.port);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(attack_seconds() / 2);
  auto next_sample = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < until) {
    dht_attack.round();
    if (std::chrono::steady_clock::now() >= next_sample) {
      ASSERT_TRUE(alive(share.pid())) << "the share died under attack";
      v.sample();
      next_sample += 250ms;
    }
  }

  // The share's own view, from its once-a-second stats.
  std::uint64_t max_active = 0, refused = 0, last_active = 0;
  auto read_stats = [&](std::chrono::milliseconds wait) {
    while (auto j = test::next_event(share, sbuf, wait, "stats")) {
      last_active = j->value("active", std::uint64_t{0});
      max_active = std::max(max_active, last_active);
      refused = std::max(refused, j->value("refusedOverLimit", std::uint64_t{0}));
      wait = 10ms;
    }
  };
  {
    ShareAttack attack(net.port, share_key, kKeys, kPerKey);
    // Until the attackers hold all the caps let them have (3 keys x 4) and were refused more.
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    while (std::chrono::steady_clock::now() < deadline &&
           !(last_active >= kKeys * kMaxPerPeer && refused > 0)) {
      dht_attack.round();
      read_stats(1100ms);
      v.sample();
    }
    EXPECT_EQ(last_active, static_cast<std::uint64_t>(kKeys * kMaxPerPeer))
        << "the attackers did not get the connections the caps allow";
    EXPECT_GT(refused, 0u) << "no connection over the caps was refused";

    // A real tunnel while they hold them.
    Subprocess connect({cli, "connect", (*listening)["url"].get<std::string>(), "--bootstrap",
                        net.bootstrap(), "--json"});
    std::string cbuf;
    auto cl = test::next_event(connect, cbuf, 30s, "listening");
    ASSERT_TRUE(cl) << "connect did not come up";
    std::vector<std::uint8_t> data(1u << 20);
    randombytes_buf(data.data(), data.size());
    auto back = test::round_trip((*cl)["port"].get<std::uint16_t>(), data);
    ASSERT_TRUE(back.has_value()) << "no complete echo through the attacked share";
    EXPECT_TRUE(*back == data) << "the tunnel corrupted data";
    read_stats(1100ms);
    v.sample();
    EXPECT_LE(attack.open_now(), static_cast<std::size_t>(kKeys * kMaxPerPeer));
    std::printf("adversary: share: attackers opened %zu connections, hold %zu, refused %llu\n",
                attack.opened(), attack.open_now(), static_cast<unsigned long long>(refused));
    connect.signal(SIGINT);
    (void)connect.wait(5s);
  }
  read_stats(1100ms);
  ASSERT_TRUE(alive(share.pid())) << "the share died under attack";
  v.sample();
  std::printf(
      "adversary: share: %zu datagrams sent, worst reply/request %.2f, peak active %llu (cap "
      "%d), peak RSS %zu KiB (started at %zu), peak fds %zu\n",
      dht_attack.sent(), dht_attack.worst_ratio(), static_cast<unsigned long long>(max_active),
      kMaxConnections, v.max_rss_kib, start_rss, v.max_fds);
  EXPECT_LE(max_active, static_cast<std::uint64_t>(kMaxConnections));
  EXPECT_LE(v.max_rss_kib, kRssBoundKiB);
  EXPECT_LE(v.max_fds, kFdBound);
  EXPECT_LE(dht_attack.worst_ratio(), static_cast<double>(limits::kReplyAmplification))
      << "a reply to a token-less request was " << dht_attack.worst_ratio() << "x its request";
  share.signal(SIGINT);
  (void)share.wait(5s);
}
