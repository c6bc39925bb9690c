#include "engine/engine.hpp"

#include <uv.h>

#include <future>

#include "crypto/hash.hpp"
#include "dht/bootstrap.hpp"
#include "engine/impl.hpp"
#include "engine/nat.hpp"

namespace peerport::engine {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_key:
      return "INVALID_KEY";
    case ErrorCode::invalid_argument:
      return "INVALID_ARGUMENT";
    case ErrorCode::port_in_use:
      return "PORT_IN_USE";
    case ErrorCode::peer_not_found:
      return "PEER_NOT_FOUND";
    case ErrorCode::connection_failed:
      return "PEER_CONNECTION_FAILED";
    case ErrorCode::holepunch_aborted:
      return "HOLEPUNCH_ABORTED";
    case ErrorCode::double_randomized:
      return "HOLEPUNCH_DOUBLE_RANDOMIZED_NATS";
    case ErrorCode::relay_unavailable:
      return "RELAY_UNAVAILABLE";
    case ErrorCode::service_unreachable:
      return "SERVICE_UNREACHABLE";
    case ErrorCode::dht_unreachable:
      return "DHT_UNREACHABLE";
    case ErrorCode::udp_blocked:
      return "UDP_BLOCKED";
    case ErrorCode::announce_failed:
      return "ANNOUNCE_FAILED";
    case ErrorCode::peer_reset:
      return "PEER_RESET";
    case ErrorCode::peer_timed_out:
      return "PEER_TIMED_OUT";
    case ErrorCode::idle_timeout:
      return "IDLE_TIMEOUT";
    case ErrorCode::internal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

std::string_view peer_state_name(PeerState state) {
  switch (state) {
    case PeerState::unknown:
      return "unknown";
    case PeerState::online:
      return "online";
    case PeerState::offline:
      return "offline";
    case PeerState::refused:
      return "refused";
    case PeerState::not_found:
      return "not-found";
  }
  return "unknown";
}

crypto::KeyPair derive_share_key_pair(const crypto::KeyPair& identity, const ShareSpec& spec) {
  const std::string label = "peerport share " + spec.host + ":" + std::to_string(spec.port) +
                            (spec.protocol == Protocol::udp ? "/udp" : "/tcp");
  const auto seed = identity.seed();
  const auto h = crypto::blake2b_256(as_bytes(label), seed.view());
  crypto::Seed s;
  std::copy(h.begin(), h.end(), s.data());
  return crypto::KeyPair::from_seed(s);
}

namespace {

// While no DHT node answers, how often we check again whether it is UDP or the whole network.
constexpr std::uint64_t kReprobeUnreachableMs = 30000;

// The one place a core error code becomes what the front ends show (and translate).
ErrorCode classify(Errc code) {
  switch (code) {
    case Errc::peer_not_found:
      return ErrorCode::peer_not_found;
    case Errc::holepunch_double_randomized_nats:
      return ErrorCode::double_randomized;
    case Errc::holepunch_probe_timeout:
    case Errc::holepunch_aborted:
    case Errc::holepunch_invalid:
    case Errc::bad_holepunch_reply:
    case Errc::remote_aborted:
    case Errc::remote_not_holepunching:
      return ErrorCode::holepunch_aborted;
    case Errc::relay_unavailable:
      return ErrorCode::relay_unavailable;
    case Errc::service_unreachable:
      return ErrorCode::service_unreachable;
    case Errc::connection_reset:
      return ErrorCode::peer_reset;
    case Errc::timed_out:
      return ErrorCode::peer_timed_out;
    case Errc::idle_timeout:
      return ErrorCode::idle_timeout;
    default:
      return ErrorCode::connection_failed;
  }
}

}  // namespace

Status Engine::Impl::init() {
  uv_loop_init(&loop);
  uv_async_init(&loop, &async, [](uv_async_t* a) { static_cast<Impl*>(a->data)->drain(); });
  async.data = this;
  uv_timer_init(&loop, &tick);
  tick.data = this;
  udx = std::make_unique<udx::Udx>(&loop);
  dht::Node::Options opts;
  auto bind = udx::Address::parse(config.bind_host, config.bind_port);
  if (!bind) return make_error(Errc::invalid_value, "not an IPv4 address: " + config.bind_host);
  opts.bind = *bind;
  if (config.persistent_node) {
    opts.ephemeral = false;
    // Our id is the hash of the address others reach us at; with a wildcard bind that is
    // only known once the network tells us (NAT sampling).
    if (config.bind_host != "0.0.0.0") {
      opts.public_address = dht::Address::parse(config.bind_host, config.bind_port);
    }
  }
  auto boot = dht::parse_bootstrap(config.bootstrap.empty() ? dht::kPublicBootstrap
                                                            : std::string_view(config.bootstrap));
  if (!boot) return boot.error();
  bootstrap = std::move(*boot);
  opts.bootstrap = bootstrap;
  dht = std::make_unique<hyperdht::Dht>(*udx, opts);
  if (auto st = dht->start(); !st) return st;
  dht->node().on_bootstrapped([this] { on_bootstrapped(); });
  relay::Connector::Options co;
  co.relays = config.relays;
  co.discover = config.discover_relays;
  co.force_relay = config.force_relay;
  connector = std::make_shared<relay::Connector>(*dht, co);
  if (config.run_relay) start_relay();
  uv_timer_start(
      &tick, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->on_tick(); },
      static_cast<std::uint64_t>(config.stats_interval.count()),
      static_cast<std::uint64_t>(config.stats_interval.count()));
  return Ok{};
}

// Clients name relays by key, so it is stable: given, or derived from the identity.
void Engine::Impl::start_relay() {
  crypto::KeyPair key;
  if (config.relay_identity) {
    key = *config.relay_identity;
  } else {
    const auto seed = config.identity.seed();
    const auto h = crypto::blake2b_256(as_bytes(std::string("peerport relay")), seed.view());
    crypto::Seed rs;
    std::copy(h.begin(), h.end(), rs.data());
    key = crypto::KeyPair::from_seed(rs);
  }
  relay::RelayServer::Limits limits;
  limits.bytes_per_second = config.relay_bytes_per_second;
  limits.links_per_session = config.relay_links_per_session;
  relay_server = std::make_unique<relay::RelayServer>(*dht, key, limits);
  when_bootstrapped([this] { announce_relay(); });
}

// A relay nobody can find is no relay: on a network not ready yet (no node stores
// announcements) the announcement is tried again until it is stored.
void Engine::Impl::announce_relay() {
  uvx::Lifetime::Token weak = alive;
  relay_server->listen([this, weak](Status st) {
    if (weak.expired() || stopping) return;
    relay_announced = st.ok();
    if (!st) {
      emit(ErrorEvent{0, ErrorCode::announce_failed,
                      "relay announcement failed: " + st.error().message + " (trying again in " +
                          std::to_string(kRelayAnnounceRetryMs / 1000) + " s)",
                      false});
      uvx::after(&loop, kRelayAnnounceRetryMs, [this, weak] {
        if (!weak.expired() && !stopping) announce_relay();
      });
      return;
    }
    publish_dht_status(false);
  });
}

void Engine::Impl::on_bootstrapped() {
  publish_dht_status(true);
  if (dht->node().table().size() == 0 && !bootstrap.empty()) probe_reachability();
  auto pending = std::move(after_bootstrap);
  after_bootstrap.clear();
  for (auto& fn : pending) fn();
}

void Engine::Impl::when_bootstrapped(std::function<void()> fn) {
  if (dht->node().bootstrapped())
    fn();
  else
    after_bootstrap.push_back(std::move(fn));
}

DhtStatus Engine::Impl::dht_status() const {
  DhtStatus s;
  auto& node = dht->node();
  s.bootstrapped = node.bootstrapped();
  s.nodes = node.table().size();
  auto samples = node.nat_samples();
  if (auto a = node.sampled_address()) s.public_address = a->to_string();
  s.nat = classify_nat(samples, node.local_address(), s.bootstrapped, s.nodes);
  if (relay_server && relay_announced) s.relay_key = to_hex(relay_server->public_key());
  s.node_id = to_hex(node.id());
  s.port = node.local_address().port;
  s.peer_lookups = dht->peer_lookups();
  s.peer_checks = peer_checks_due;
  if (s.nat == NatType::offline && !bootstrap.empty()) {
    // Which of the two only the reachability probe can tell; until it has, we do not know.
    s.nat = !reported_unreachable ? NatType::unknown
            : udp_blocked         ? NatType::udp_blocked
                                  : NatType::offline;
  }
  if (s.nat == NatType::open) {
    // Reachable at our own address only if unsolicited packets get in too.
    if (auto fw = node.firewalled()) {
      if (*fw) s.nat = NatType::firewalled;
    } else {
      s.nat = NatType::unknown;
    }
  }
  return s;
}

// Runs the firewall check whenever the samples say "open" and it has not run for this
// network yet; its answer republishes the status.
void Engine::Impl::maybe_check_firewall() {
  auto& node = dht->node();
  if (node.firewalled().has_value() || !node.bootstrapped() || node.table().size() == 0) return;
  if (classify_nat(node.nat_samples(), node.local_address(), true, node.table().size()) !=
      NatType::open) {
    return;
  }
  uvx::Lifetime::Token weak = alive;
  node.check_firewall([this, weak](bool) {
    if (!weak.expired() && !stopping) publish_dht_status(true);
  });
}

// A network switch (the interface addresses changed) or a wake from sleep (the loop stood
// still far longer than a tick): forget how the network saw us and look again.
void Engine::Impl::watch_network() {
  const auto now = uv_now(&loop);
  const auto addrs = own_addresses();
  std::vector<std::string> names;
  for (const auto& a : addrs) names.push_back(a.host_string());
  std::sort(names.begin(), names.end());
  const bool slept =
      last_tick_at != 0 &&
      now - last_tick_at > 5 * static_cast<std::uint64_t>(config.stats_interval.count()) + 5000;
  const bool switched = !last_interfaces.empty() && names != last_interfaces;
  last_tick_at = now;
  last_interfaces = names;
  if (slept || switched) {
    dht->node().reset_nat();
    // Whoever was online before the sleep may not be now: look again without waiting.
    for (auto& [id, c] : connects) check_peer(id);
  }
}

void Engine::Impl::publish_dht_status(bool force) {
  auto s = dht_status();
  if (force || s.bootstrapped != last_dht.bootstrapped || s.nat != last_dht.nat ||
      s.public_address != last_dht.public_address || s.relay_key != last_dht.relay_key ||
      (s.nodes == 0) != (last_dht.nodes == 0)) {
    last_dht = s;
    emit(s);
  }
}

// No DHT node answers: find out whether we are offline or only UDP is filtered, and say so
// once per change. Repeated every kReprobeUnreachableMs while it lasts.
void Engine::Impl::probe_reachability() {
  if (reach_probe || bootstrap.empty()) return;
  last_reach_probe = uv_now(&loop);
  uvx::Lifetime::Token weak = alive;
  reach_probe = ReachabilityProbe::start(&loop, bootstrap, [this, weak](bool reachable) {
    if (weak.expired()) return;
    // The probe is finished and touches nothing of itself after this callback.
    reach_probe.reset();
    if (stopping || dht->node().table().size() > 0) return;
    const bool was_reported = reported_unreachable;
    const bool changed = !was_reported || udp_blocked != reachable;
    udp_blocked = reachable;
    reported_unreachable = true;
    publish_dht_status(true);
    if (!changed) return;
    if (reachable) {
      error(0, ErrorCode::udp_blocked,
            "No DHT node answers over UDP, but the bootstrap hosts answer over TCP: this "
            "network blocks UDP, which PeerPort needs. Try another network; PeerPort keeps "
            "trying.",
            false);
    } else {
      error(0, ErrorCode::dht_unreachable,
            "No DHT bootstrap node answered. Check the internet connection and the bootstrap "
            "setting; PeerPort keeps trying.",
            false);
    }
  });
}

void Engine::Impl::on_tick() {
  if (stopping) return;
  watch_network();
  maybe_check_firewall();
  publish_dht_status(false);
  if (reported_unreachable && last_dht.nodes > 0) {
    reported_unreachable = false;
    udp_blocked = false;
  }
  if (reported_unreachable && !reach_probe &&
      uv_now(&loop) - last_reach_probe >= kReprobeUnreachableMs) {
    probe_reachability();
  }
  const double dt = static_cast<double>(config.stats_interval.count()) / 1000.0;
  Stats snapshot;
  // As of now: the last published status only changes on a change of kind, so its node
  // count and counters were stale here.
  snapshot.dht = dht_status();
  std::uint64_t in = closed_in, out = closed_out;
  auto add = [&](Id id, const tunnel::Stats* st, RateMeter& rate) {
    if (!st) return;
    StatsItem item;
    item.id = id;
    item.bytes_in = st->bytes_in;
    item.bytes_out = st->bytes_out;
    item.connections = st->connections;
    item.active = st->active;
    item.rtt_ms = st->rtt_ms;
    item.refused_over_limit = st->refused_over_limit;
    rate.sample(st->bytes_in, st->bytes_out, dt);
    item.rate_in = rate.rate_in();
    item.rate_out = rate.rate_out();
    in += st->bytes_in;
    out += st->bytes_out;
    snapshot.items.push_back(item);
  };
  const std::uint64_t now = uv_now(&loop);
  for (auto& [id, s] : shares) {
    add(id, s->stats(), s->rate);
    if (s->stats()) snapshot.items.back().peers = s->sample_peers(now, dt);
  }
  for (auto& [id, c] : connects) add(id, c->stats(), c->rate);
  total_rate.sample(in, out, dt);
  snapshot.bytes_in = in;
  snapshot.bytes_out = out;
  snapshot.rate_in = total_rate.rate_in();
  snapshot.rate_out = total_rate.rate_out();
  emit(snapshot);
}

void Engine::Impl::drain() {
  std::deque<Command> cmds;
  bool stop = false;
  {
    std::lock_guard lock(mu);
    cmds.swap(queue);
    stop = stop_requested;
  }
  if (!stopping) {
    for (auto& c : cmds) {
      std::visit([this](auto& cmd) { handle(cmd); }, c);
    }
  }
  if (stop && !stopping) begin_stop();
}

tunnel::EventFn Engine::Impl::events_for(Id id) {
  uvx::Lifetime::Token weak = alive;
  return [this, id, weak](const tunnel::Event& e) {
    if (weak.expired()) return;
    switch (e.kind) {
      case tunnel::Event::opened:
        emit(PeerConnected{id, e.peer, e.relayed ? Path::relayed : Path::direct});
        if (auto c = connects.find(id); c != connects.end()) {
          c->second->turned_away = false;
          c->second->admission_known = true;
        }
        set_peer_state(id, PeerState::online);
        break;
      case tunnel::Event::closed:
        emit(PeerDisconnected{
            id, e.peer, e.message,
            e.code == Errc::ok ? std::nullopt : std::optional<ErrorCode>(classify(e.code))});
        break;
      case tunnel::Event::path_changed:
        emit(PathChanged{id, e.peer, e.relayed ? Path::relayed : Path::direct});
        break;
      case tunnel::Event::retrying:
        emit(ErrorEvent{id, classify(e.code), e.message + " (retrying)", false, true});
        learn_from_failure(id, e.code);
        break;
      case tunnel::Event::error:
        emit(ErrorEvent{id, classify(e.code), e.message, false});
        learn_from_failure(id, e.code);
        break;
    }
  };
}

// What a failed tunnel tells about the peer (connections) or the service (shares).
void Engine::Impl::learn_from_failure(Id id, Errc code) {
  if (auto it = connects.find(id); it != connects.end()) {
    if (tunnel::is_refusal(code)) {
      // Refused only if the share is still announced; a lookup tells that from a gone peer.
      it->second->turned_away = true;
      check_peer(id);
    } else if (code == Errc::peer_not_found) {
      set_peer_state(id, it->second->ever_online ? PeerState::offline : PeerState::not_found);
    }
  } else if (shares.count(id) && code == Errc::service_unreachable) {
    set_service_state(id, false);
  }
}

void Engine::Impl::begin_stop() {
  stopping = true;
  uv_timer_stop(&tick);
  reach_probe.reset();  // its handles close before the loop ends
  connects.clear();
  auto pending = std::make_shared<std::size_t>(shares.size());
  auto finish = [this] { end_loop(); };
  if (shares.empty()) return finish();
  // Unannounce every share in parallel; whatever has not finished by the grace deadline is
  // dropped (the announcements then expire on their own within 20 minutes).
  grace_timer = std::make_unique<uvx::Timer>(&loop);
  grace_timer->start(static_cast<std::uint64_t>(grace.count()), [this] { end_loop(); });
  for (auto& [id, s] : shares) {
    if (auto* server = s->server()) {
      server->unannounce([this, pending] {
        if (--*pending == 0) end_loop();
      });
    } else if (--*pending == 0) {
      return end_loop();
    }
  }
}

// Called from deep inside DHT callbacks (an unannounce answered): the objects whose code is
// still on the stack are torn down from a fresh loop iteration instead.
void Engine::Impl::end_loop() {
  if (ended) return;
  ended = true;
  uv_timer_stop(&tick);
  uv_timer_start(
      &tick, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->teardown(); }, 0, 0);
}

void Engine::Impl::teardown() {
  grace_timer.reset();
  alive.end();
  if (dht) {  // not made if init failed
    final_stats.requests = dht->node().stats().requests_in;
    final_stats.malformed = dht->node().stats().malformed;
    final_stats.replies_dropped = dht->node().stats().replies_dropped;
  }
  if (relay_server) {
    const auto rs = relay_server->stats();
    final_stats.relay = true;
    final_stats.relay_sessions = rs.sessions_accepted;
    final_stats.relay_pairings = rs.pairings_matched;
    final_stats.relay_bytes = rs.bytes_relayed;
    final_stats.relay_refused = rs.pairings_refused + rs.sessions_refused;
    final_stats.relay_dropped = rs.packets_dropped;
  }
  shares.clear();
  retiring.clear();
  connects.clear();
  relay_server.reset();
  connector.reset();
  dht.reset();
  udx.reset();
  uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&async), nullptr);
  // Everything else closes its own handles; the loop ends when the last one has.
}

// The promise is shared: set_value may still be running here when start() has its answer
// and returns, so a promise on start()'s stack would be gone under it.
void Engine::Impl::run(const std::shared_ptr<std::promise<Status>>& started) {
  Status st = init();
  if (!st) {
    end_loop();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    started->set_value(st);
    return;
  }
  running = true;
  started->set_value(Ok{});
  emit(dht_status());
  drain();  // commands posted before the thread ran
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  running = false;
  emit(final_stats);
}

Engine::Engine(Config config, EngineListener& listener)
    : impl_(std::make_unique<Impl>(std::move(config), listener)) {}

Engine::~Engine() {
  stop();
}

Status Engine::start() {
  if (impl_->thread.joinable()) return make_error(Errc::invalid_value, "engine already started");
  auto started = std::make_shared<std::promise<Status>>();
  auto fut = started->get_future();
  impl_->thread = std::thread([this, started] { impl_->run(started); });
  Status st = fut.get();
  if (!st) impl_->thread.join();
  return st;
}

void Engine::post(Command command) {
  {
    std::lock_guard lock(impl_->mu);
    impl_->queue.push_back(std::move(command));
  }
  if (impl_->running) uv_async_send(&impl_->async);
}

void Engine::stop(std::chrono::milliseconds grace) {
  if (!impl_->thread.joinable()) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop_requested = true;
    impl_->grace = grace;
  }
  uv_async_send(&impl_->async);
  impl_->thread.join();
}

bool Engine::running() const {
  return impl_->running;
}

}  // namespace peerport::engine
