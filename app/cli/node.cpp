// peerport-cli node: a persistent DHT node that others (JS hyperdht nodes included) bootstrap
// from; with --bootstrap none, the first node of a new network. With --relay it is also a blind
// relay for peers that cannot holepunch to each other, announced on the DHT so they find it.
#include <uv.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "dht/bootstrap.hpp"
#include "cli/identity.hpp"
#include "hyperdht/dht.hpp"
#include "relay/blind_relay.hpp"

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

int run_node(const NodeOptions& o, const std::string& bootstrap_list) {
  auto boot = dht::parse_bootstrap(bootstrap_list);
  if (!boot) {
    std::cerr << "peerport-cli node: " << boot.error().message << "\n";
    return 2;
  }
  auto bind = udx::Address::parse(o.host, o.port);
  if (!bind) {
    std::cerr << "peerport-cli node: --host must be an IPv4 address, got '" << o.host << "'\n";
    return 2;
  }
  uv_loop_t* loop = uv_default_loop();
  int rc = 0;
  {
    udx::Udx udx(loop);
    dht::Node::Options opts;
    opts.bind = *bind;
    opts.bootstrap = *boot;
    opts.ephemeral = false;
    // Our id is the hash of the address others reach us at; with a wildcard bind that is only
    // known once the network tells us (NAT sampling).
    if (o.host != "0.0.0.0") opts.public_address = dht::Address::parse(o.host, o.port);
    // A full HyperDHT node: it also stores announcements and records for others.
    hyperdht::Dht dht(udx, opts);
    dht::Node& node = dht.node();
    auto print_event = [&](const std::string& event) {
      const auto a = node.local_address();
      if (o.json) {
        nlohmann::json j = {{"event", event},
                            {"host", o.host},
                            {"port", a.port},
                            {"id", to_hex(node.id())},
                            {"nodes", node.table().size()}};
        std::cout << j.dump() << std::endl;
      } else {
        std::cout << event << ": " << o.host << ":" << a.port << " id " << to_hex(node.id()) << ", "
                  << node.table().size() << " nodes known" << std::endl;
      }
    };
    node.on_bootstrapped([&] { print_event("bootstrapped"); });
    if (auto st = dht.start(); !st) {
      std::cerr << "peerport-cli node: " << st.error().message << "\n";
      return 1;
    }
    print_event("listening");

    std::unique_ptr<relay::RelayServer> relay_server;
    if (o.relay) {
      // A stable key by default, so clients that name this relay keep finding it.
      const std::string path = o.relay_key_file.empty()
                                   ? default_identity_path() + ".relay"
                                   : o.relay_key_file;
      auto kp = load_or_create_identity(path);
      if (!kp) {
        std::cerr << "peerport-cli node: " << kp.error().message << "\n";
        return 1;
      }
      relay::RelayServer::Limits limits;
      limits.bytes_per_second = o.relay_rate_kib * 1024;
      limits.links_per_session = o.relay_links;
      relay_server = std::make_unique<relay::RelayServer>(dht, *kp, limits);
      const std::string key = to_hex(kp->public_key);
      relay::RelayServer* rs = relay_server.get();
      auto start_relay = [&o, rs, key] {
        rs->listen([&o, key](Status st) {
          if (!st) {
            std::cerr << "peerport-cli node: relay announcement failed: " << st.error().message
                      << " (retrying with the next refresh)\n";
          }
          if (o.json) {
            std::cout << nlohmann::json{{"event", "relay"}, {"key", key}}.dump() << std::endl;
          } else {
            std::cout << "relay: " << key << std::endl;
          }
        });
      };
      if (node.bootstrapped()) {
        start_relay();
      } else {
        node.on_bootstrapped([&print_event, start_relay] {
          print_event("bootstrapped");
          start_relay();
        });
      }
    }

    // SIGINT/SIGTERM end the loop; everything closes as the scope unwinds.
    uv_signal_t sigint, sigterm;
    uv_signal_init(loop, &sigint);
    uv_signal_init(loop, &sigterm);
    auto on_signal = [](uv_signal_t* s, int) { uv_stop(s->loop); };
    uv_signal_start(&sigint, on_signal, SIGINT);
    uv_signal_start(&sigterm, on_signal, SIGTERM);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
    const auto& st = node.stats();
    if (o.json) {
      nlohmann::json j = {{"event", "stopped"}, {"requests", st.requests_in},
                          {"malformed", st.malformed}};
      if (relay_server) {
        const auto rs = relay_server->stats();
        j["relay"] = {{"sessions", rs.sessions_accepted},
                      {"pairings", rs.pairings_matched},
                      {"bytesRelayed", rs.bytes_relayed},
                      {"refused", rs.pairings_refused + rs.sessions_refused},
                      {"dropped", rs.packets_dropped}};
      }
      std::cout << j.dump() << std::endl;
    } else {
      std::cout << "stopped: " << st.requests_in << " requests answered, " << st.malformed
                << " malformed datagrams dropped" << std::endl;
      if (relay_server) {
        const auto rs = relay_server->stats();
        std::cout << "relay: " << rs.pairings_matched << " pairings, " << rs.bytes_relayed
                  << " bytes relayed, " << rs.pairings_refused << " refused over limits"
                  << std::endl;
      }
    }
    relay_server.reset();
  }
  uv_run(loop, UV_RUN_NOWAIT);
  return rc;
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
