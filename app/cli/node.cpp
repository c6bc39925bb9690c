// peerport-cli node: a persistent DHT node that others (JS hyperdht nodes included) bootstrap
// from; with --bootstrap none, the first node of a new network. With --relay it is also a blind
// relay for peers that cannot holepunch to each other, announced on the DHT so they find it.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/identity.hpp"
#include "cli/session.hpp"
#include "dht/bootstrap.hpp"
#include "engine/engine.hpp"
#include "udx/udx.hpp"

namespace peerport::cli {

namespace {

struct NodeOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 49737;
  std::string bootstrap;
  bool json = false;
  bool relay = false;
  std::string relay_key_file;
  std::uint64_t relay_rate_kib = 0;
  std::size_t relay_links = 16;
};

// The node's own lines: listening (once bound), bootstrapped, relay (once announced), stopped
// (a summary); errors go to stderr. A node has no shares, so the share and connect lines of
// Printer do not apply.
class NodePrinter : public Printer {
 public:
  NodePrinter(const NodeOptions& o) : Printer(o.json), o_(o) {}
  void on_event(const engine::Event& ev) override {
    if (auto* d = std::get_if<engine::DhtStatus>(&ev)) return on_status(*d);
    if (auto* e = std::get_if<engine::ErrorEvent>(&ev)) {
      std::cerr << "peerport-cli node: " << e->message << "\n";
      if (e->fatal) finish(1);
      return;
    }
    if (auto* s = std::get_if<engine::EngineStopped>(&ev)) on_stopped(*s);
  }

 private:
  void node_line(const std::string& event, const engine::DhtStatus& d) {
    print({{"event", event},
           {"host", o_.host},
           {"port", d.port},
           {"id", d.node_id},
           {"nodes", d.nodes}},
          event + ": " + o_.host + ":" + std::to_string(d.port) + " id " + d.node_id + ", " +
              std::to_string(d.nodes) + " nodes known");
  }
  void on_status(const engine::DhtStatus& d) {
    if (!listening_) {
      listening_ = true;
      node_line("listening", d);
    }
    if (d.bootstrapped && !bootstrapped_) {
      bootstrapped_ = true;
      node_line("bootstrapped", d);
    }
    if (!d.relay_key.empty() && !relay_announced_) {
      relay_announced_ = true;
      print({{"event", "relay"}, {"key", d.relay_key}}, "relay: " + d.relay_key);
    }
  }
  void on_stopped(const engine::EngineStopped& s) {
    nlohmann::json j = {{"event", "stopped"},
                        {"requests", s.requests},
                        {"malformed", s.malformed},
                        {"repliesDropped", s.replies_dropped}};
    std::string text = "stopped: " + std::to_string(s.requests) + " requests answered, " +
                       std::to_string(s.malformed) + " malformed datagrams dropped, " +
                       std::to_string(s.replies_dropped) +
                       " replies withheld (a source's byte budget spent)";
    if (s.relay) {
      j["relay"] = {{"sessions", s.relay_sessions},
                    {"pairings", s.relay_pairings},
                    {"bytesRelayed", s.relay_bytes},
                    {"refused", s.relay_refused},
                    {"dropped", s.relay_dropped}};
      text += "\nrelay: " + std::to_string(s.relay_pairings) + " pairings, " +
              std::to_string(s.relay_bytes) + " bytes relayed, " + std::to_string(s.relay_refused) +
              " refused over limits";
    }
    print(j, text);
  }

  const NodeOptions& o_;
  bool listening_ = false;
  bool bootstrapped_ = false;
  bool relay_announced_ = false;
};

// The node is an Engine (Config::persistent_node) like the app's, so `node --relay` and the
// app's "relay for others" are one path: same key handling, same announcement retries.
int run_node(const NodeOptions& o, const std::string& bootstrap_list) {
  if (!udx::Address::parse(o.host, o.port)) {
    std::cerr << "peerport-cli node: --host must be an IPv4 address, got '" << o.host << "'\n";
    return 2;
  }
  engine::Config c;
  c.identity = crypto::KeyPair::random();  // a node connects to nobody: no identity to keep
  c.bootstrap = bootstrap_list;
  c.bind_host = o.host;
  c.bind_port = o.port;
  c.persistent_node = true;
  c.discover_relays = false;
  if (o.relay) {
    // A stable key by default, so clients that name this relay keep finding it.
    const std::string path =
        o.relay_key_file.empty() ? default_identity_path() + ".relay" : o.relay_key_file;
    auto kp = load_or_create_identity(path);
    if (!kp) {
      std::cerr << "peerport-cli node: " << kp.error().message << "\n";
      return 1;
    }
    c.run_relay = true;
    c.relay_identity = *kp;
    c.relay_bytes_per_second = o.relay_rate_kib * 1024;
    c.relay_links_per_session = o.relay_links;
  }
  NodePrinter printer(o);
  StopWaiter waiter;  // before the engine starts, so an early signal is kept
  engine::Engine eng(std::move(c), printer);
  if (auto st = eng.start(); !st) {
    std::cerr << "peerport-cli node: " << st.error().message << "\n";
    return st.error().code == Errc::invalid_value ? 2 : 1;
  }
  return waiter.run_until_done(eng, printer);
}

}  // namespace

std::string default_bootstrap() {
  if (const char* env = std::getenv("PEERPORT_BOOTSTRAP"); env && *env) return env;
  return std::string(dht::kPublicBootstrap);
}

Command add_node(CLI::App& root) {
  auto opts = std::make_shared<NodeOptions>();
  auto* app = root.add_subcommand("node", "Run a persistent DHT node (bootstrap node for others)");
  app->add_option("--host", opts->host, "IPv4 address to bind and announce (default 0.0.0.0)");
  app->add_option("--port", opts->port, "UDP port (default 49737)");
  app->add_option("--bootstrap", opts->bootstrap,
                  "Bootstrap nodes host:port,... or 'none' to start a new network "
                  "(default: the public HyperDHT network, or $PEERPORT_BOOTSTRAP)");
  app->add_flag("--json", opts->json, "Print events as JSON lines");
  app->add_flag("--relay", opts->relay,
                "Also be a blind relay for peers that cannot holepunch (announced on the DHT; "
                "relays see only ciphertext)");
  app->add_option("--relay-key-file", opts->relay_key_file,
                  "The relay's key seed file (default: the identity path + .relay, 0600)");
  app->add_option("--relay-rate", opts->relay_rate_kib,
                  "Per relayed stream and direction, KiB/s (default 0: unlimited)");
  app->add_option("--relay-links", opts->relay_links,
                  "Relayed streams one peer connection may hold (default 16)");
  return {app, [opts] {
            return run_node(*opts, opts->bootstrap.empty() ? default_bootstrap() : opts->bootstrap);
          }};
}

}  // namespace peerport::cli
