// The shares: each a tunnel::ShareTunnel on its own key pair, announced on the DHT, with
// its service watched and its refusals reported.

#include "crypto/key_text.hpp"
#include "engine/impl.hpp"

namespace peerport::engine {

namespace {
// While a share's service answers, it is probed every this many service_check_intervals.
constexpr unsigned kServiceUpCheckEvery = 6;
}  // namespace

std::vector<PeerStats> Engine::Impl::Share::sample_peers(std::uint64_t now_ms, double seconds) {
  std::vector<PeerStats> out;
  if (!tunnel) return out;
  const tunnel::PeerLedger* l = &tunnel->peers();
  out.reserve(l->peers().size());
  for (auto it = peer_rates.begin(); it != peer_rates.end();) {
    it = l->peers().count(it->first) ? std::next(it) : peer_rates.erase(it);
  }
  for (const auto& [key, t] : l->peers()) {
    auto& r = peer_rates[key];
    if (r.serial != t->serial) r = PeerRate{t->serial, RateMeter{}};
    r.rate.sample(t->bytes_in, t->bytes_out, seconds);
    PeerStats p;
    p.peer = to_hex(key);
    p.bytes_in = t->bytes_in;
    p.bytes_out = t->bytes_out;
    p.rate_in = r.rate.rate_in();
    p.rate_out = r.rate.rate_out();
    p.tunnels = t->tunnels;
    p.connected_ms = now_ms >= t->since_ms ? now_ms - t->since_ms : 0;
    p.rtt_ms = t->rtt_ms;
    p.path = t->relayed ? Path::relayed : Path::direct;
    out.push_back(std::move(p));
  }
  return out;
}

void Engine::Impl::set_service_state(Id id, bool up) {
  auto it = shares.find(id);
  if (it == shares.end()) return;
  Share& s = *it->second;
  if (s.service_up == up) return;
  s.service_up = up;
  emit(ServiceState{id, up});
}

void Engine::Impl::start_service_checks(Id id) {
  auto it = shares.find(id);
  if (it == shares.end() || it->second->spec.protocol != Protocol::tcp ||
      it->second->service_timer) {
    return;
  }
  Share& s = *it->second;
  s.service_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the share
  const auto every = static_cast<std::uint64_t>(config.service_check_interval.count());
  Share* share = &s;
  s.service_timer->start(
      0,
      [share] {
        // A service that answers is looked at less often: each look is a connection in its
        // log (sshd notes every one).
        const bool up = share->service_up.value_or(false);
        if (up && share->service_ticks++ % kServiceUpCheckEvery != 0) return;
        share->impl->check_service(share->id);
      },
      every);
}

// A TCP connect to the service, closed as soon as it is made.
void Engine::Impl::check_service(Id id) {
  auto it = shares.find(id);
  if (it == shares.end() || it->second->service_checking) return;
  Share& s = *it->second;
  auto target = udx::Address::parse(s.spec.host, s.spec.port);
  if (!target) return;
  // Owns the socket (closed and freed when the probe goes) and the request libuv writes into
  // until the callback, which frees the probe.
  struct Probe {
    uvx::Handle<uv_tcp_t> tcp = uvx::make_handle<uv_tcp_t>();
    uv_connect_t req{};
    Impl* impl;
    Id id;
    uvx::Lifetime::Token alive;
  };
  auto probe = std::make_unique<Probe>();
  probe->impl = this;
  probe->id = id;
  probe->alive = alive;
  uv_tcp_init(&loop, probe->tcp.get());
  probe->req.data = probe.get();
  const int rc =
      uv_tcp_connect(&probe->req, probe->tcp.get(), reinterpret_cast<const sockaddr*>(&target->sa),
                     [](uv_connect_t* req, int status) {
                       std::unique_ptr<Probe> p(static_cast<Probe*>(req->data));
                       if (status == UV_ECANCELED || p->alive.expired() || p->impl->stopping) {
                         return;
                       }
                       auto found = p->impl->shares.find(p->id);
                       if (found == p->impl->shares.end()) return;
                       found->second->service_checking = false;
                       p->impl->set_service_state(p->id, status == 0);
                     });
  if (rc != 0) {
    set_service_state(id, false);
    return;
  }
  probe.release();  // the callback's now
  s.service_checking = true;
}

// From the share's firewall, once per attempt (and a client retries): reported at most once
// per client per kRefusalReportInterval.
std::function<void(const crypto::PublicKey&)> Engine::Impl::refusals_for(Id id) {
  uvx::Lifetime::Token weak = alive;
  return [this, id, weak](const crypto::PublicKey& remote) {
    if (weak.expired() || stopping) return;
    auto it = shares.find(id);
    if (it == shares.end()) return;
    const std::string hex = to_hex(remote);
    const std::uint64_t now = uv_now(&loop);
    auto& last = it->second->refused_at;
    auto seen = last.find(hex);
    if (seen != last.end() &&
        now - seen->second < static_cast<std::uint64_t>(kRefusalReportInterval.count())) {
      return;
    }
    // Bounded: a flood of distinct keys keeps only recent entries.
    if (last.size() >= kMaxRefusalsRemembered) last.clear();
    last[hex] = now;
    emit(PeerRefused{id, hex});
  };
}

void Engine::Impl::handle(ShareCommand& cmd) {
  if (shares.count(cmd.id) || connects.count(cmd.id)) {
    return error(cmd.id, ErrorCode::invalid_argument, "that id is already in use", false);
  }
  auto& spec = cmd.spec;
  if (spec.port == 0) {
    return error(cmd.id, ErrorCode::invalid_argument,
                 "Choose the port of the service to share (1-65535).", true);
  }
  if (!udx::Address::parse(spec.host, spec.port)) {
    return error(cmd.id, ErrorCode::invalid_argument,
                 "The service host must be an IPv4 address, such as 127.0.0.1.", true);
  }
  auto share = std::make_unique<Share>();
  share->impl = this;
  share->id = cmd.id;
  share->spec = spec;
  std::vector<crypto::PublicKey> allow;
  if (spec.access == Access::secret) {
    if (share->spec.secret.empty()) share->spec.secret = crypto::new_holesail_secret();
    share->key_pair = crypto::holesail_key_pair(share->spec.secret);
    // holesail's secure mode: only holders of the secret, who connect as this key pair.
    allow = {share->key_pair.public_key};
  } else {
    share->key_pair = spec.seed ? crypto::KeyPair::from_seed(*spec.seed)
                                : derive_share_key_pair(config.identity, spec);
    if (spec.access == Access::allow_list) {
      if (spec.allow.empty()) {
        return error(cmd.id, ErrorCode::invalid_argument,
                     "An allow-list share needs at least one friend's key.", true);
      }
      allow = spec.allow;
    }
  }
  for (auto& [other_id, other] : shares) {
    if (other->key_pair.public_key == share->key_pair.public_key) {
      return error(cmd.id, ErrorCode::invalid_argument,
                   "This service is already shared with the same key.", true);
    }
  }
  const Id id = cmd.id;
  tunnel::ShareOptions o{spec.host, spec.port, allow, refusals_for(id)};
  o.max_connections = spec.max_connections;
  o.max_connections_per_peer = spec.max_connections_per_peer;
  share->tunnel = tunnel::make_share(
      spec.protocol == Protocol::udp ? tunnel::Transport::udp : tunnel::Transport::tcp, *dht,
      share->key_pair, std::move(o), events_for(id));
  shares[id] = std::move(share);
  when_bootstrapped([this, id] { start_share(id); });
}

void Engine::Impl::start_share(Id id) {
  auto it = shares.find(id);
  if (it == shares.end()) return;
  uvx::Lifetime::Token weak = alive;
  auto on_listening = [this, id, weak](Status st) {
    if (weak.expired()) return;
    auto found = shares.find(id);
    if (found == shares.end()) return;
    if (!st) return retry_announce(*found->second, st.error().message);
    // Ready once the service record is out too: a holesail client that reads it right
    // after we say "listening" must not guess TCP for a UDP share.
    publish_record(id, [this, id, weak] {
      if (!weak.expired()) share_started(id);
    });
  };
  it->second->tunnel->start(on_listening);
}

// Not fatal: the share keeps its key and its place, and is announced again later (doubling
// delays), as the relay's announcement is. A share started while offline is found once the
// network is back, without the user starting it again.
void Engine::Impl::retry_announce(Share& s, const std::string& why) {
  const std::uint64_t delay = s.announce_retry_ms;
  s.announce_retry_ms = std::min(delay * 2, kShareAnnounceRetryMaxMs);
  emit(ErrorEvent{s.id, ErrorCode::announce_failed,
                  "Could not announce the share on the DHT: " + why + " (trying again in " +
                      std::to_string(delay / 1000) + " s)",
                  false, true});
  if (!s.announce_retry) s.announce_retry = std::make_unique<uvx::Timer>(&loop);  // goes with it
  const Id id = s.id;
  s.announce_retry->start(delay, [this, id] {
    if (!stopping) start_share(id);
  });
}

void Engine::Impl::share_started(Id id) {
  auto found = shares.find(id);
  if (found == shares.end()) return;
  Share& s = *found->second;
  {
    ShareStarted ev;
    ev.id = id;
    ev.public_key = to_hex(s.key_pair.public_key);
    ev.z32 = crypto::z32_encode(s.key_pair.public_key);
    ev.secret = s.spec.access == Access::secret ? s.spec.secret : "";
    ev.url = ev.secret.empty() ? crypto::hs_public_url(s.key_pair.public_key)
                               : crypto::hs_private_url(ev.secret);
    ev.service = s.spec.host + ":" + std::to_string(s.spec.port);
    ev.protocol = s.spec.protocol;
    emit(ev);
  }
  start_service_checks(id);
}

// The holesail metadata record, so holesail clients learn TCP or UDP (see tunnel/holesail).
void Engine::Impl::publish_record(Id id, std::function<void()> done) {
  auto it = shares.find(id);
  if (it == shares.end()) return;
  Share& s = *it->second;
  tunnel::ServiceRecord r{s.spec.host, s.spec.port, s.spec.protocol == Protocol::udp};
  Bytes value = tunnel::encode_service_record(r);
  uvx::Lifetime::Token weak = alive;
  auto kp = s.key_pair;
  // As holesail-server put(): the sequence moves on only when the value changed.
  dht->mutable_get(kp.public_key, 0,
                   [this, weak, kp, value, done](Result<hyperdht::MutableRecord> old) mutable {
                     if (weak.expired() || stopping) return;
                     std::uint64_t seq = 0;
                     if (old) seq = old->value == value ? old->seq : old->seq + 1;
                     dht->mutable_put(kp, std::move(value), seq, [weak, done](Status, std::size_t) {
                       // A record that could not be stored only costs holesail
                       // clients the protocol hint; the share itself works, so
                       // it starts either way.
                       if (!weak.expired() && done) done();
                     });
                   });
  if (!s.record_timer) {
    s.record_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the share
    Share* share = &s;
    s.record_timer->start(
        tunnel::kServiceRecordRefreshMs, [share] { share->impl->publish_record(share->id); },
        tunnel::kServiceRecordRefreshMs);
  }
}

void Engine::Impl::handle(UnshareCommand& cmd) {
  auto it = shares.find(cmd.id);
  if (it == shares.end()) return;
  auto share = std::move(it->second);
  shares.erase(it);
  retire(*share);
  hyperdht::Server* server = share->server();
  if (!server) return emit(Stopped{cmd.id});
  // Kept alive until the DHT has forgotten it, so clients stop finding a gone share. Owned
  // by `retiring`, so an engine stopped meanwhile tears it down with everything else (held
  // by its own callback, it kept the loop running and stop() never returned).
  const Id id = cmd.id;
  retiring[id] = std::move(share);
  uvx::Lifetime::Token weak = alive;
  server->unannounce([this, id, weak] {
    if (weak.expired()) return;
    if (retiring.erase(id) == 0) return;
    emit(Stopped{id});
  });
}

void Engine::Impl::handle(DisconnectPeerCommand& cmd) {
  auto it = shares.find(cmd.id);
  if (it == shares.end()) return;
  auto bytes = from_hex(cmd.peer);
  if (!bytes || bytes->size() != crypto::kPublicKeyBytes) {
    return error(cmd.id, ErrorCode::invalid_key, "That is not a client's key (64 hex digits).",
                 false);
  }
  crypto::PublicKey peer{};
  std::copy(bytes->begin(), bytes->end(), peer.begin());
  Share& s = *it->second;
  if (s.tunnel) s.tunnel->disconnect(peer, cmd.block);
}

}  // namespace peerport::engine
