#include "relay/connector.hpp"

#include <sodium.h>

#include <algorithm>

#include "relay/blind_relay.hpp"

namespace peerport::relay {

namespace {
constexpr std::uint64_t kNeedsRelayMs = 10 * 60 * 1000;
constexpr std::uint64_t kDiscoveryMaxAgeMs = 60 * 1000;
}  // namespace

Connector::Connector(hyperdht::Dht& dht, Options options)
    : dht_(dht), options_(std::move(options)) {}

Connector::~Connector() {
  alive_.end();
}

bool Connector::relay_would_help(const Error& e) {
  switch (e.code) {
    case Errc::holepunch_probe_timeout:
    case Errc::holepunch_aborted:
    case Errc::holepunch_double_randomized_nats:
    case Errc::holepunch_invalid:
    case Errc::bad_holepunch_reply:
    case Errc::remote_aborted:
    case Errc::remote_not_holepunching:
    case Errc::peer_silent:
      return true;
    default:
      return false;
  }
}

void Connector::pick_relay(const crypto::KeyPair& local, const crypto::PublicKey& remote,
                           std::function<void(std::optional<crypto::PublicKey>)> done) {
  auto choose =
      [local_key = local.public_key,
       remote](const std::vector<crypto::PublicKey>& from) -> std::optional<crypto::PublicKey> {
    std::vector<crypto::PublicKey> ok;
    for (const auto& k : from) {
      if (k != local_key && k != remote) ok.push_back(k);
    }
    if (ok.empty()) return std::nullopt;
    return ok[randombytes_uniform(static_cast<std::uint32_t>(ok.size()))];
  };
  if (auto r = choose(options_.relays)) {
    done(r);
    return;
  }
  if (!options_.discover) {
    done(std::nullopt);
    return;
  }
  const std::uint64_t now = dht_.node().socket().udx().clock().now_ms();
  if (discovered_once_ && now - discovered_at_ < kDiscoveryMaxAgeMs) {
    if (auto r = choose(discovered_)) {
      done(r);
      return;
    }
  }
  uvx::Lifetime::Token alive = alive_;
  dht_.lookup(relay_topic(), [this, alive, choose, done](std::vector<hyperdht::Peer> peers) {
    if (alive.expired()) return;
    discovered_.clear();
    for (const auto& p : peers) discovered_.push_back(p.public_key);
    discovered_once_ = true;
    discovered_at_ = dht_.node().socket().udx().clock().now_ms();
    done(choose(discovered_));
  });
}

void Connector::connect(const crypto::KeyPair& local, const crypto::PublicKey& remote,
                        hyperdht::Connection::Callbacks callbacks,
                        hyperdht::Connection::ConnectDone done) {
  const std::uint64_t now = dht_.node().socket().udx().clock().now_ms();
  const std::string peer = to_hex(remote);
  auto known = needs_relay_.find(peer);
  if (known != needs_relay_.end() && now - known->second.first > kNeedsRelayMs) {
    needs_relay_.erase(known);
    known = needs_relay_.end();
  }
  if (options_.force_relay || known != needs_relay_.end()) {
    const std::string why = known != needs_relay_.end() ? known->second.second : "";
    connect_relayed(local, remote, std::move(callbacks), std::move(done), why);
    return;
  }
  uvx::Lifetime::Token alive = alive_;
  hyperdht::Connection::connect(
      dht_, local, remote, callbacks,
      [this, alive, local, remote, callbacks, done,
       peer](Result<std::unique_ptr<hyperdht::Connection>> r) mutable {
        if (r || alive.expired() || !relay_would_help(r.error())) {
          done(std::move(r));
          return;
        }
        needs_relay_[peer] = {dht_.node().socket().udx().clock().now_ms(), r.error().message};
        connect_relayed(local, remote, std::move(callbacks), std::move(done), r.error().message);
      });
}

void Connector::connect_relayed(const crypto::KeyPair& local, const crypto::PublicKey& remote,
                                hyperdht::Connection::Callbacks callbacks,
                                hyperdht::Connection::ConnectDone done, std::string first_error) {
  uvx::Lifetime::Token alive = alive_;
  pick_relay(local, remote,
             [this, alive, local, remote, callbacks = std::move(callbacks), done = std::move(done),
              first_error](std::optional<crypto::PublicKey> relay) mutable {
               if (alive.expired()) return;
               if (!relay) {
                 std::string why = first_error.empty() ? "no relay to connect through"
                                                       : first_error + "; no relay to fall back on";
                 done(make_error(Errc::relay_unavailable,
                                 why + ": run `peerport-cli node --relay` somewhere reachable, "
                                       "or name one with --relay"));
                 return;
               }
               hyperdht::ConnectOptions o;
               o.relay_through = *relay;
               o.force_relay = options_.force_relay;
               o.pair_relay = pairer();
               hyperdht::Connection::connect(dht_, local, remote, std::move(callbacks),
                                             std::move(done), o);
             });
}

}  // namespace peerport::relay
