// peerport-cli share / connect: a local service shared by key, and reached by key, through
// the same Engine the desktop app drives.
#include <chrono>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/identity.hpp"
#include "cli/session.hpp"
#include "common/fd_limit.hpp"
#include "crypto/key_text.hpp"
#include "dht/bootstrap.hpp"
#include "engine/engine.hpp"
#include "engine/nat.hpp"

namespace peerport::cli {

namespace {

struct TunnelOptions {
  // share
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string allow;
  bool private_share = false;
  bool udp = false;
  bool tcp = false;
  std::size_t max_connections = limits::kShareMaxConnections;
  std::size_t max_per_peer = limits::kShareMaxConnectionsPerPeer;
  // connect
  std::string key;
  std::string relays;
  bool force_relay = false;
  bool no_relay_discovery = false;
  unsigned peer_check_s = 30;
  // both
  std::string bootstrap;
  std::string key_file;
  std::string seed;
  std::string seed_file;
  bool json = false;
};

Result<crypto::KeyPair> identity(const TunnelOptions& o) {
  return load_or_create_identity(o.key_file.empty() ? default_identity_path() : o.key_file);
}

// The engine's configuration from the common options; prints the error and returns nullopt.
std::optional<engine::Config> make_config(const TunnelOptions& o, const char* command) {
  auto id = identity(o);
  if (!id) {
    std::cerr << "peerport-cli " << command << ": " << id.error().message << "\n";
    return std::nullopt;
  }
  engine::Config c;
  c.identity = *id;
  c.bootstrap = o.bootstrap.empty() ? default_bootstrap() : o.bootstrap;
  std::string list = o.relays;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string one = list.substr(0, comma);
    list = comma == std::string::npos ? "" : list.substr(comma + 1);
    if (one.empty()) continue;
    auto k = crypto::parse_key(one);
    if (!k) {
      std::cerr << "peerport-cli " << command << ": --relay: " << k.error().message << "\n";
      return std::nullopt;
    }
    c.relays.push_back(k->public_key);
  }
  c.force_relay = o.force_relay;
  if (o.peer_check_s > 0) c.peer_check_interval = std::chrono::seconds(o.peer_check_s);
  c.discover_relays = !o.no_relay_discovery;
  if (c.force_relay && c.relays.empty() && !c.discover_relays) {
    std::cerr << "peerport-cli " << command
              << ": --force-relay needs a relay: name one with --relay, or allow discovery\n";
    return std::nullopt;
  }
  return c;
}

int run(engine::Config config, Printer& printer, engine::Command command, const char* name) {
  StopWaiter waiter;
  engine::Engine eng(std::move(config), printer);
  if (auto st = eng.start(); !st) {
    std::cerr << "peerport-cli " << name << ": " << st.error().message << "\n";
    return st.error().code == Errc::invalid_value ? 2 : 1;  // a bad option (bootstrap, host)
  }
  eng.post(std::move(command));
  return waiter.run_until_done(eng, printer);
}

// Each connection a share carries holds a socket to the service; the DHT and the process keep
// a few dozen more.
constexpr std::uint64_t kFdHeadroom = 64;

int run_share(const TunnelOptions& o) {
  if (o.port == 0) {
    std::cerr << "peerport-cli share: the port to share is required: peerport-cli share 8080 (or "
                 "--port 8080), 1-65535\n";
    return 2;
  }
  const std::size_t most = o.max_connections;
  if (const FdLimit fds = raise_fd_limit(); fds.now != 0 && fds.now < most + kFdHeadroom) {
    std::cerr << "peerport-cli share: this system lets a program open " << fds.now
              << " files (ulimit -n, and its hard limit), so fewer than the " << most
              << " connections allowed can be carried at once\n";
  }
  engine::ShareSpec spec;
  spec.host = o.host;
  spec.port = o.port;
  spec.protocol = o.udp ? engine::Protocol::udp : engine::Protocol::tcp;
  auto seed = seed_from_options(o.seed, o.seed_file);
  if (!seed) {
    std::cerr << "peerport-cli share: " << seed.error().message << "\n";
    return 2;
  }
  if (*seed) spec.seed = **seed;
  if (o.private_share) spec.access = engine::Access::secret;
  spec.max_connections = o.max_connections;
  spec.max_connections_per_peer = o.max_per_peer;
  if (!o.allow.empty()) {
    if (o.private_share) {
      std::cerr << "peerport-cli share: --allow and --private do not go together: a private "
                   "share admits exactly the holders of its secret\n";
      return 2;
    }
    spec.access = engine::Access::allow_list;
    std::string list = o.allow;
    std::size_t pos = 0;
    while (pos <= list.size()) {
      auto comma = list.find(',', pos);
      auto item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!item.empty()) {
        auto k = crypto::parse_key(item);
        if (!k) {
          std::cerr << "peerport-cli share: --allow: " << k.error().message << "\n";
          return 2;
        }
        spec.allow.push_back(k->public_key);
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  auto config = make_config(o, "share");
  if (!config) return 2;
  Printer printer(o.json);
  return run(std::move(*config), printer, engine::ShareCommand{1, spec}, "share");
}

int run_connect(const TunnelOptions& o) {
  auto key = crypto::parse_key(o.key);
  if (!key) {
    std::cerr << "peerport-cli connect: " << key.error().message << "\n";
    return 2;
  }
  engine::ConnectSpec spec;
  spec.key = o.key;
  spec.host = o.host;
  spec.port = o.port;
  if (o.udp) spec.protocol = engine::Protocol::udp;
  if (o.tcp) spec.protocol = engine::Protocol::tcp;
  auto config = make_config(o, "connect");
  if (!config) return 2;
  Printer printer(o.json);
  return run(std::move(*config), printer, engine::ConnectCommand{1, spec}, "connect");
}

// peerport-cli nat: join the DHT, wait until enough nodes have answered to tell what kind of
// network this is, print it and exit (0 when known, 1 when offline or still unknown).
int run_nat(const TunnelOptions& o) {
  auto config = make_config(o, "nat");
  if (!config) return 2;
  Printer printer(o.json);
  std::mutex mu;
  engine::DhtStatus last;
  printer.hook = [&](const engine::Event& e) {
    if (auto* d = std::get_if<engine::DhtStatus>(&e)) {
      std::lock_guard lock(mu);
      last = *d;
    } else if (auto* s = std::get_if<engine::Stats>(&e)) {
      std::lock_guard lock(mu);
      last = s->dht;
    } else {
      return;
    }
    std::lock_guard lock(mu);
    if (last.bootstrapped && last.nat != engine::NatType::unknown) printer.finish(0);
  };
  // Ctrl+C during this short probe ends the process as usual: there is nothing to unannounce.
  engine::Engine eng(std::move(*config), printer);
  if (auto st = eng.start(); !st) {
    std::cerr << "peerport-cli nat: " << st.error().message << "\n";
    return 1;
  }
  // Bounded: a few seconds of answers decide it, or it stays unknown.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!printer.finished() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  eng.stop(std::chrono::milliseconds(500));
  std::lock_guard lock(mu);
  const std::string kind(engine::nat_type_name(last.nat));
  const char* meaning = last.nat == engine::NatType::open ? "reachable directly"
                        : last.nat == engine::NatType::consistent
                            ? "an easy NAT: holepunching works"
                        : last.nat == engine::NatType::random
                            ? "a randomizing NAT: direct only with a peer on an easy NAT"
                        : last.nat == engine::NatType::firewalled
                            ? "a public address behind a firewall: holepunching works"
                        : last.nat == engine::NatType::offline ? "no DHT node answered"
                                                               : "not enough answers to tell";
  printer.print({{"event", "nat"},
                 {"nat", kind},
                 {"publicAddress", last.public_address},
                 {"nodes", last.nodes}},
                "NAT: " + kind + " (" + meaning + ")" +
                    (last.public_address.empty() ? "" : ", seen as " + last.public_address));
  return last.nat == engine::NatType::unknown || last.nat == engine::NatType::offline ? 1 : 0;
}

void common_options(CLI::App* app, TunnelOptions& o) {
  app->add_option("--bootstrap", o.bootstrap,
                  "Bootstrap nodes host:port,... (default: the public HyperDHT network)");
  app->add_option("--key-file", o.key_file, "Identity seed file (default: the OS config folder)");
  app->add_flag("--json", o.json, "Print events as JSON lines");
}

}  // namespace

Command add_share(CLI::App& root) {
  auto o = std::make_shared<TunnelOptions>();
  auto* app = root.add_subcommand("share", "Share a local TCP port; prints the key to give out");
  // `share 8080` is what people type first; --port says the same thing (not both at once).
  auto* port = app->add_option("--port", o->port, "Local port to share (1-65535)");
  app->add_option("port", o->port, "The same as --port")->excludes(port);
  app->add_option("--host", o->host, "Host of the service (default 127.0.0.1)");
  app->add_option("--allow", o->allow, "Only these client keys (comma-separated)");
  app->add_flag("--private", o->private_share,
                "Private share: the key handed out is a secret (hs://s000...)");
  app->add_flag("--udp", o->udp, "Share a UDP service (holesail's framing)");
  app->add_option("--max-connections", o->max_connections,
                  "Connections carried at once, from all clients (default " +
                      std::to_string(limits::kShareMaxConnections) + ")")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  app->add_option("--max-per-peer", o->max_per_peer,
                  "Connections carried at once from one client key (default " +
                      std::to_string(limits::kShareMaxConnectionsPerPeer) + ")")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  app->add_option("--seed", o->seed,
                  "The share's key pair from this 32-byte seed (hex, or - to read it from "
                  "stdin); default: derived from the identity and the service");
  app->add_option("--seed-file", o->seed_file,
                  "Read that seed (hex) from this file: it never shows in the process list");
  common_options(app, *o);
  return {app, [o] { return run_share(*o); }};
}

Command add_connect(CLI::App& root) {
  auto o = std::make_shared<TunnelOptions>();
  auto* app = root.add_subcommand("connect", "Reach a shared port on a local port");
  app->add_option("key", o->key, "The share's key (hex, z32, hs://...)")->required();
  app->add_option("--port", o->port, "Local port (default: a free one, printed)");
  app->add_option("--host", o->host, "Local address to listen on (default 127.0.0.1)");
  auto* udp = app->add_flag("--udp", o->udp, "Force UDP (default: as the share publishes)");
  app->add_flag("--tcp", o->tcp, "Force TCP (default: as the share publishes)")->excludes(udp);
  app->add_option("--relay", o->relays,
                  "Blind relays (keys, comma-separated) for when holepunching cannot work; "
                  "default: relays announced on the DHT");
  app->add_flag("--force-relay", o->force_relay,
                "Always go through a relay, even where a direct path exists (diagnostics)");
  app->add_flag("--no-relay-discovery", o->no_relay_discovery,
                "Use only the relays named with --relay");
  app->add_option("--peer-check", o->peer_check_s,
                  "Seconds between DHT lookups that tell whether the share is online "
                  "(peer-state events; default 30)")
      ->check(CLI::Range(1u, 3600u));
  common_options(app, *o);
  return {app, [o] { return run_connect(*o); }};
}

Command add_nat(CLI::App& root) {
  auto o = std::make_shared<TunnelOptions>();
  auto* app = root.add_subcommand("nat", "Tell what kind of network (NAT) this machine is on");
  app->add_option("--bootstrap", o->bootstrap,
                  "Bootstrap nodes host:port,... (default: the public HyperDHT network)");
  app->add_flag("--json", o->json, "Print the result as a JSON line");
  app->add_option("--key-file", o->key_file, "Identity seed file (default: the OS config folder)");
  return {app, [o] { return run_nat(*o); }};
}

}  // namespace peerport::cli
