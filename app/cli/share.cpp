// peerport-cli share / connect: a local TCP service shared by key, and reached by key.
#include <uv.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/identity.hpp"
#include "crypto/key_text.hpp"
#include "dht/bootstrap.hpp"
#include "tunnel/tcp.hpp"

namespace peerport::cli {

namespace {

struct TunnelOptions {
  // share
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string allow;
  bool private_share = false;
  // connect
  std::string key;
  // both
  std::string bootstrap;
  std::string key_file;
  std::string seed;
  bool json = false;
};

void print(bool json, const nlohmann::json& j, const std::string& text) {
  if (json)
    std::cout << j.dump() << std::endl;
  else
    std::cout << text << std::endl;
}

tunnel::EventFn event_printer(bool json) {
  return [json](const tunnel::Event& e) {
    const char* kind = e.kind == tunnel::Event::opened   ? "connection-opened"
                       : e.kind == tunnel::Event::closed ? "connection-closed"
                                                         : "error";
    nlohmann::json j = {{"event", kind}, {"peer", e.peer}, {"path", "direct"}};
    if (!e.message.empty()) j["message"] = e.message;
    std::string text = std::string(kind) + " peer " + e.peer.substr(0, 12) + "…";
    if (!e.message.empty()) text += ": " + e.message;
    print(json, j, text);
  };
}

// Runs the loop until SIGINT/SIGTERM.
void run_until_signal(uv_loop_t* loop) {
  uv_signal_t sigint, sigterm;
  uv_signal_init(loop, &sigint);
  uv_signal_init(loop, &sigterm);
  auto stop = [](uv_signal_t* s, int) { uv_stop(s->loop); };
  uv_signal_start(&sigint, stop, SIGINT);
  uv_signal_start(&sigterm, stop, SIGTERM);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm), nullptr);
}

Result<crypto::KeyPair> identity(const TunnelOptions& o) {
  if (!o.seed.empty()) {
    auto s = crypto::seed_from_hex(o.seed);
    if (!s) return make_error(Errc::invalid_key, "--seed takes 64 hex characters");
    return crypto::KeyPair::from_seed(*s);
  }
  return load_or_create_identity(o.key_file.empty() ? default_identity_path() : o.key_file);
}

// Common start: the DHT node (ephemeral) on the default loop, bootstrapped.
struct Session {
  uv_loop_t* loop = uv_default_loop();
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> dht;
};

int start_session(Session& s, const TunnelOptions& o) {
  auto boot = dht::parse_bootstrap(o.bootstrap.empty() ? default_bootstrap() : o.bootstrap);
  if (!boot) {
    std::cerr << "peerport-cli: " << boot.error().message << "\n";
    return 2;
  }
  s.udx = std::make_unique<udx::Udx>(s.loop);
  dht::Node::Options opts;
  opts.bind = *udx::Address::parse("0.0.0.0", 0);
  opts.bootstrap = *boot;
  s.dht = std::make_unique<hyperdht::Dht>(*s.udx, opts);
  if (auto st = s.dht->start(); !st) {
    std::cerr << "peerport-cli: " << st.error().message << "\n";
    return 1;
  }
  return 0;
}

int run_share(const TunnelOptions& o) {
  if (o.port == 0) {
    std::cerr << "peerport-cli share: --port is required (the local port to share, 1-65535)\n";
    return 2;
  }
  crypto::KeyPair kp;
  std::string secret;
  if (o.private_share) {
    secret = crypto::new_holesail_secret();
    kp = crypto::holesail_key_pair(secret);
  } else {
    auto id = identity(o);
    if (!id) {
      std::cerr << "peerport-cli share: " << id.error().message << "\n";
      return 1;
    }
    kp = *id;
  }
  tunnel::TcpShare::Options so;
  so.host = o.host;
  so.port = o.port;
  if (o.private_share) {
    // holesail's secure mode: only holders of the secret, who connect as this very key pair.
    so.allow = {kp.public_key};
  }
  if (!o.allow.empty()) {
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
        so.allow.push_back(k->public_key);
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  Session s;
  if (int rc = start_session(s, o)) return rc;
  tunnel::TcpShare share(*s.dht, kp, so, event_printer(o.json));
  const std::string hex = to_hex(kp.public_key);
  const std::string z32 = crypto::z32_encode(kp.public_key);
  const std::string url =
      o.private_share ? crypto::hs_private_url(secret) : crypto::hs_public_url(kp.public_key);
  bool ok = false;
  s.dht->node().on_bootstrapped([&] {
    share.start([&, hex, z32, url](Status st) {
      if (!st) {
        print(o.json, {{"event", "error"}, {"message", st.error().message}},
              "error: " + st.error().message);
        uv_stop(s.loop);
        return;
      }
      ok = true;
      nlohmann::json j = {
          {"event", "listening"}, {"service", o.host + ":" + std::to_string(o.port)},
          {"publicKey", hex},     {"z32", z32},
          {"url", url},           {"private", o.private_share}};
      print(o.json, j,
            "Sharing " + o.host + ":" + std::to_string(o.port) + "\n  key (hex)  " + hex +
                "\n  key (z32)  " + z32 + "\n  URL        " + url +
                "\nTell your friend to run:\n  peerport-cli connect " +
                (o.private_share ? url : z32));
    });
  });
  run_until_signal(s.loop);
  return ok ? 0 : 1;
}

int run_connect(const TunnelOptions& o) {
  auto key = crypto::parse_key(o.key);
  if (!key) {
    std::cerr << "peerport-cli connect: " << key.error().message << "\n";
    return 2;
  }
  crypto::KeyPair kp;
  if (key->key_pair) {
    kp = *key->key_pair;  // a private share: we connect as the share's own key pair
  } else {
    auto id = identity(o);
    if (!id) {
      std::cerr << "peerport-cli connect: " << id.error().message << "\n";
      return 1;
    }
    kp = *id;
  }
  Session s;
  if (int rc = start_session(s, o)) return rc;
  tunnel::TcpConnect::Options co;
  co.host = o.host;
  co.port = o.port;
  tunnel::TcpConnect conn(*s.dht, kp, key->public_key, co, event_printer(o.json));
  if (auto st = conn.start(); !st) {
    std::cerr << "peerport-cli connect: " << st.error().message << "\n";
    return 1;
  }
  print(o.json,
        {{"event", "listening"},
         {"host", o.host},
         {"port", conn.port()},
         {"publicKey", to_hex(key->public_key)}},
        "Listening on " + o.host + ":" + std::to_string(conn.port()) + " for " +
            crypto::z32_encode(key->public_key));
  run_until_signal(s.loop);
  return 0;
}

void common_options(CLI::App* app, TunnelOptions& o) {
  app->add_option("--bootstrap", o.bootstrap,
                  "Bootstrap nodes host:port,... (default: the public HyperDHT network)");
  app->add_option("--key-file", o.key_file, "Identity seed file (default: XDG config dir)");
  app->add_option("--seed", o.seed, "Use this 32-byte seed (hex) as the identity");
  app->add_flag("--json", o.json, "Print events as JSON lines");
}

}  // namespace

Command add_share(CLI::App& root) {
  auto o = std::make_shared<TunnelOptions>();
  auto* app = root.add_subcommand("share", "Share a local TCP port; prints the key to give out");
  app->add_option("--port", o->port, "Local port to share (1-65535)");
  app->add_option("--host", o->host, "Host of the service (default 127.0.0.1)");
  app->add_option("--allow", o->allow, "Only these client keys (comma-separated)");
  app->add_flag("--private", o->private_share,
                "Private share: the key handed out is a secret (hs://s000...)");
  common_options(app, *o);
  return {app, [o] { return run_share(*o); }};
}

Command add_connect(CLI::App& root) {
  auto o = std::make_shared<TunnelOptions>();
  auto* app = root.add_subcommand("connect", "Reach a shared port on a local port");
  app->add_option("key", o->key, "The share's key (hex, z32, hs://...)")->required();
  app->add_option("--port", o->port, "Local port (default: a free one, printed)");
  app->add_option("--host", o->host, "Local address to listen on (default 127.0.0.1)");
  common_options(app, *o);
  return {app, [o] { return run_connect(*o); }};
}

}  // namespace peerport::cli
