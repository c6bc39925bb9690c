// The connections: each a tunnel::ConnectTunnel to one share, with that share's state
// (online, offline, refused, not found) kept by periodic lookups and probes.

#include "crypto/key_text.hpp"
#include "engine/impl.hpp"

namespace peerport::engine {

void Engine::Impl::set_peer_state(Id id, PeerState state) {
  auto it = connects.find(id);
  if (it == connects.end()) return;
  Connect& c = *it->second;
  if (state == PeerState::online) c.ever_online = true;
  if (c.state == state) return;
  c.state = state;
  emit(PeerStateChanged{id, state});
}

void Engine::Impl::start_peer_checks(Id id) {
  auto it = connects.find(id);
  if (it == connects.end()) return;
  Connect& c = *it->second;
  c.impl = this;
  c.id = id;
  c.check_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the connection
  const auto every = static_cast<std::uint64_t>(config.peer_check_interval.count());
  c.check_timer->start(
      every,
      [this, id] {
        ++peer_checks_due;
        check_peer(id);
      },
      every);
}

// One lookup of the connection's share; at most one in flight per connection.
void Engine::Impl::check_peer(Id id) {
  auto it = connects.find(id);
  if (it == connects.end() || it->second->checking || !it->second->check_timer) return;
  it->second->checking = true;
  const auto remote = it->second->remote;
  uvx::Lifetime::Token weak = alive;
  when_bootstrapped([this, id, remote, weak] {
    if (weak.expired() || stopping) return;
    dht->find_peer(remote, [this, id, weak](auto r) {
      if (weak.expired() || stopping) return;
      auto found = connects.find(id);
      if (found == connects.end()) return;
      Connect& c = *found->second;
      if (!r) {
        c.checking = false;
        peer_gone(c);
        return;
      }
      if (wants_probe(c)) return probe_peer(id, r->second);
      c.checking = false;
      set_peer_state(id, c.turned_away ? PeerState::refused : PeerState::online);
    });
  });
}

void Engine::Impl::peer_gone(Connect& c) {
  c.turned_away = false;
  c.admission_known = false;
  set_peer_state(c.id, c.ever_online ? PeerState::offline : PeerState::not_found);
}

// A lookup finds the share but cannot say whether it takes our key. With no local client to
// find out, a probe (our handshake sent to the node the lookup found holding the share's
// announcement, no stream: hyperdht::Connection::probe) asks in its place: once after the
// share is found, and on each check while it turns us away, so a change of its allow list
// shows within a check interval. No second lookup: one per check, as before.
// For the connection's tunnels: a refusal is final at once while the share still turns us
// away (the last probe or tunnel said so, and no tunnel has opened since).
std::function<bool()> Engine::Impl::refusal_known(Id id) {
  return [this, id] {
    auto it = connects.find(id);
    return it != connects.end() && it->second->state == PeerState::refused;
  };
}

void Engine::Impl::probe_peer(Id id, const dht::Address& holder) {
  auto it = connects.find(id);
  if (it == connects.end()) return;
  it->second->checking = true;
  uvx::Lifetime::Token weak = alive;
  hyperdht::Connection::probe(
      *dht, it->second->key_pair, it->second->remote, holder, [this, id, weak](Status st) {
        if (weak.expired() || stopping) return;
        auto found = connects.find(id);
        if (found == connects.end()) return;
        Connect& c = *found->second;
        c.checking = false;
        if (st.ok()) {
          c.admission_known = true;
          c.turned_away = false;
          set_peer_state(id, PeerState::online);
        } else if (tunnel::is_refusal(st.error().code)) {
          c.admission_known = true;
          c.turned_away = true;
          set_peer_state(id, PeerState::refused);
        } else {
          // A bad reply or a protocol mismatch says nothing about admission: the share is
          // there (the lookup found it) and the next check asks again.
          set_peer_state(id, c.turned_away ? PeerState::refused : PeerState::online);
        }
      });
}

void Engine::Impl::handle(ConnectCommand& cmd) {
  if (shares.count(cmd.id) || connects.count(cmd.id)) {
    return error(cmd.id, ErrorCode::invalid_argument, "that id is already in use", false);
  }
  auto key = crypto::parse_key(cmd.spec.key);
  if (!key) return error(cmd.id, ErrorCode::invalid_key, key.error().message, true);
  auto c = std::make_unique<Connect>();
  c->spec = cmd.spec;
  c->remote = key->public_key;
  // A private share's key pair is the secret itself: we connect as it (holesail secure mode).
  c->key_pair = key->key_pair ? *key->key_pair : config.identity;
  const Id id = cmd.id;
  connects[id] = std::move(c);
  if (cmd.spec.protocol) {
    open_connect(id, std::nullopt);
    return;
  }
  // Which protocol, and the port the sharer uses, from the share's record if it has one.
  when_bootstrapped([this, id] {
    auto it = connects.find(id);
    if (it == connects.end()) return;
    uvx::Lifetime::Token weak = alive;
    // Prompt, not latest: waiting for the query's end would wait out every node that left the
    // DHT since the others last heard of it (seconds on a churning network) before the local
    // port opens. A record changes only when a share is restarted on the same key with
    // another service; a newer one from a live node still arrives within the grace.
    dht->mutable_get(
        it->second->remote, 0,
        [this, id, weak](Result<hyperdht::MutableRecord> r) {
          if (weak.expired() || stopping) return;
          std::optional<tunnel::ServiceRecord> record;
          if (r) {
            if (auto parsed = tunnel::parse_service_record(r->value)) record = *parsed;
          }
          open_connect(id, record);
        },
        hyperdht::Dht::Freshness::prompt);
  });
}

void Engine::Impl::open_connect(Id id, std::optional<tunnel::ServiceRecord> record) {
  auto it = connects.find(id);
  if (it == connects.end()) return;
  Connect& c = *it->second;
  const Protocol protocol =
      c.spec.protocol ? *c.spec.protocol : (record && record->udp ? Protocol::udp : Protocol::tcp);
  // Not the sharer's port number even when it is free here: on one machine that port is the
  // shared service's own, and a dead service would make the tunnel feed itself.
  tunnel::ConnectOptions o;
  o.host = c.spec.host;
  o.port = c.spec.port;
  o.connector = connector;
  o.refusal_known = refusal_known(id);
  c.tunnel = tunnel::make_connect(
      protocol == Protocol::udp ? tunnel::Transport::udp : tunnel::Transport::tcp, *dht, c.key_pair,
      c.remote, std::move(o), events_for(id));
  if (Status st = c.tunnel->start(); !st) {
    connects.erase(it);
    return error(id, ErrorCode::port_in_use, st.error().message + ". Choose another local port.",
                 true);
  }
  const std::uint16_t bound = c.tunnel->port();
  emit(ConnectStarted{id, c.spec.host, bound, to_hex(c.remote), protocol});
  first_lookup(id);
  start_peer_checks(id);
}

// Looks the key up once right away, so a wrong or offline key is reported before anyone
// opens a local connection.
void Engine::Impl::first_lookup(Id id) {
  auto it = connects.find(id);
  if (it == connects.end()) return;
  Connect& c = *it->second;
  c.lookup_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the connection
  c.lookup_timer->start(static_cast<std::uint64_t>(config.lookup_timeout.count()), [this, id] {
    auto found = connects.find(id);
    if (found == connects.end() || found->second->first_lookup_done) return;
    found->second->first_lookup_done = true;
    set_peer_state(id, PeerState::not_found);
    emit(ErrorEvent{id, ErrorCode::peer_not_found,
                    "nobody answered for that key in time. Check the key, and that the share "
                    "is running.",
                    false});
  });
  const auto remote = c.remote;
  uvx::Lifetime::Token weak = alive;
  when_bootstrapped([this, id, remote, weak] {
    if (weak.expired()) return;
    dht->find_peer(remote, [this, id, weak](auto r) {
      if (weak.expired()) return;
      auto found = connects.find(id);
      if (found == connects.end() || found->second->first_lookup_done) return;
      found->second->first_lookup_done = true;
      found->second->lookup_timer->stop();
      if (r && wants_probe(*found->second) && !found->second->checking) {
        // Found: whether it takes our key is the probe's to say (no second lookup).
        probe_peer(id, r->second);
        return;
      }
      set_peer_state(id, r ? PeerState::online : PeerState::not_found);
      if (!r) {
        emit(ErrorEvent{id, ErrorCode::peer_not_found,
                        "that key is not on the DHT. Check the key, and that "
                        "the share is running.",
                        false});
      }
    });
  });
}

void Engine::Impl::handle(DisconnectCommand& cmd) {
  auto it = connects.find(cmd.id);
  if (it == connects.end()) return;
  retire(*it->second);
  connects.erase(it);
  emit(Stopped{cmd.id});
}

}  // namespace peerport::engine
