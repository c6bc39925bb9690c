#include "engine/engine.hpp"

#include <uv.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "crypto/hash.hpp"
#include "crypto/key_text.hpp"
#include "dht/bootstrap.hpp"
#include "engine/nat.hpp"
#include "engine/rate.hpp"
#include "engine/reachability.hpp"
#include "hyperdht/dht.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "relay/connector.hpp"
#include "tunnel/holesail.hpp"
#include "tunnel/tcp.hpp"
#include "tunnel/udp.hpp"

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

// While a share's service answers, it is probed every this many service_check_intervals.
constexpr unsigned kServiceUpCheckEvery = 6;

using tunnel::is_refusal;

}  // namespace

struct Engine::Impl {
  struct Share {
    Impl* impl = nullptr;
    Id id = 0;
    ShareSpec spec;
    crypto::KeyPair key_pair;
    std::unique_ptr<tunnel::TcpShare> tcp;
    std::unique_ptr<tunnel::UdpShare> udp;
    std::unique_ptr<uvx::Timer> record_timer;
    std::unique_ptr<uvx::Timer> service_timer;  // TCP shares: is the local service up?
    std::optional<bool> service_up;
    bool service_checking = false;
    unsigned service_ticks = 0;
    std::map<std::string, std::uint64_t> refused_at;  // client hex -> loop time of last report
    RateMeter rate;
    // Per client with a tunnel open: its rates, restarted when it appears anew (its serial).
    struct PeerRate {
      std::uint64_t serial = 0;
      RateMeter rate;
    };
    std::map<crypto::PublicKey, PeerRate> peer_rates;
    const tunnel::Stats* stats() const {
      return tcp ? &tcp->stats() : udp ? &udp->stats() : nullptr;
    }
    hyperdht::Server* server() { return tcp ? &tcp->server() : udp ? &udp->server() : nullptr; }
    const tunnel::PeerLedger* ledger() const {
      return tcp ? &tcp->peers() : udp ? &udp->peers() : nullptr;
    }
    // Samples each client's counters; clients gone since the last tick leave the rate table.
    std::vector<PeerStats> sample_peers(std::uint64_t now_ms, double seconds) {
      std::vector<PeerStats> out;
      const tunnel::PeerLedger* l = ledger();
      if (!l) return out;
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
  };
  struct Connect {
    Impl* impl = nullptr;
    Id id = 0;
    ConnectSpec spec;
    crypto::KeyPair key_pair;
    crypto::PublicKey remote{};
    std::unique_ptr<tunnel::TcpConnect> tcp;
    std::unique_ptr<tunnel::UdpConnect> udp;
    RateMeter rate;
    std::unique_ptr<uvx::Timer> probe_timer;
    bool probe_done = false;
    std::unique_ptr<uvx::Timer> check_timer;  // the periodic lookup behind PeerState
    bool checking = false;
    bool ever_online = false;
    bool turned_away = false;  // a handshake went unanswered or was refused since the last open
    // Whether the share takes our handshake was asked (a probe, or a tunnel) since the share
    // was last found; until then a lookup alone cannot tell online from refused.
    bool admission_known = false;
    PeerState state = PeerState::unknown;
    const tunnel::Stats* stats() const {
      return tcp ? &tcp->stats() : udp ? &udp->stats() : nullptr;
    }
  };

  Impl(Config c, EngineListener& l) : config(std::move(c)), listener(l) {}

  Config config;
  EngineListener& listener;
  std::thread thread;
  uv_loop_t loop{};
  uv_async_t async{};
  uv_timer_t tick{};
  std::mutex mu;
  std::deque<Command> queue;
  bool stop_requested = false;
  std::chrono::milliseconds grace{2000};
  std::atomic<bool> running{false};
  bool stopping = false;  // engine thread only

  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> dht;
  std::shared_ptr<relay::Connector> connector;
  std::unique_ptr<relay::RelayServer> relay_server;
  bool relay_announced = false;
  std::uint64_t last_tick_at = 0;
  std::vector<std::string> last_interfaces;
  std::map<Id, std::unique_ptr<Share>> shares;
  // Unshared, waiting for the DHT to forget them (their unannouncement) before Stopped.
  std::map<Id, std::unique_ptr<Share>> retiring;
  std::map<Id, std::unique_ptr<Connect>> connects;
  std::vector<std::function<void()>> after_bootstrap;
  DhtStatus last_dht;
  bool reported_unreachable = false;
  bool udp_blocked = false;  // the last reachability probe reached the bootstrap hosts over TCP
  std::shared_ptr<ReachabilityProbe> reach_probe;
  std::uint64_t last_reach_probe = 0;
  RateMeter total_rate;
  std::uint64_t closed_in = 0;  // bytes of shares and connections already gone
  std::uint64_t closed_out = 0;
  uvx::Lifetime alive;

  void emit(const Event& e) { listener.on_event(e); }
  void error(Id id, ErrorCode code, std::string message, bool fatal) {
    emit(ErrorEvent{id, code, std::move(message), fatal});
    if (fatal) emit(Stopped{id});
  }

  std::vector<dht::Address> bootstrap;  // config.bootstrap, parsed

  Status init() {
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
  void start_relay() {
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
  void announce_relay() {
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

  void on_bootstrapped() {
    publish_dht_status(true);
    if (dht->node().table().size() == 0 && !bootstrap.empty()) probe_reachability();
    auto pending = std::move(after_bootstrap);
    after_bootstrap.clear();
    for (auto& fn : pending) fn();
  }

  void when_bootstrapped(std::function<void()> fn) {
    if (dht->node().bootstrapped())
      fn();
    else
      after_bootstrap.push_back(std::move(fn));
  }

  DhtStatus dht_status() const {
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
  void maybe_check_firewall() {
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
  void watch_network() {
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

  void publish_dht_status(bool force) {
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
  void probe_reachability() {
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

  void on_tick() {
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

  void drain() {
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

  tunnel::EventFn events_for(Id id) {
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
          emit(ErrorEvent{id, classify(e.code), e.message + " (retrying)", false});
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
  void learn_from_failure(Id id, Errc code) {
    if (auto it = connects.find(id); it != connects.end()) {
      if (is_refusal(code)) {
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

  // ---- live peer state (connections) ----

  void set_peer_state(Id id, PeerState state) {
    auto it = connects.find(id);
    if (it == connects.end()) return;
    Connect& c = *it->second;
    if (state == PeerState::online) c.ever_online = true;
    if (c.state == state) return;
    c.state = state;
    emit(PeerStateChanged{id, state});
  }

  void start_peer_checks(Id id) {
    auto it = connects.find(id);
    if (it == connects.end()) return;
    Connect& c = *it->second;
    c.impl = this;
    c.id = id;
    c.check_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the connection
    const auto every = static_cast<std::uint64_t>(config.peer_check_interval.count());
    c.check_timer->start(
        every, [this, id] { check_peer(id); }, every);
  }

  // One lookup of the connection's share; at most one in flight per connection.
  void check_peer(Id id) {
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

  void peer_gone(Connect& c) {
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
  std::function<bool()> refusal_known(Id id) {
    return [this, id] {
      auto it = connects.find(id);
      return it != connects.end() && it->second->state == PeerState::refused;
    };
  }

  static bool wants_probe(const Connect& c) {
    const tunnel::Stats* st = c.stats();
    const bool in_use = st && st->active > 0;
    return !in_use && (!c.admission_known || c.turned_away);
  }

  void probe_peer(Id id, const dht::Address& holder) {
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
          } else if (is_refusal(st.error().code)) {
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

  // ---- service checks (TCP shares) ----

  void set_service_state(Id id, bool up) {
    auto it = shares.find(id);
    if (it == shares.end()) return;
    Share& s = *it->second;
    if (s.service_up == up) return;
    s.service_up = up;
    emit(ServiceState{id, up});
  }

  void start_service_checks(Id id) {
    auto it = shares.find(id);
    if (it == shares.end() || !it->second->tcp || it->second->service_timer) return;
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
  void check_service(Id id) {
    auto it = shares.find(id);
    if (it == shares.end() || it->second->service_checking) return;
    Share& s = *it->second;
    auto target = udx::Address::parse(s.spec.host, s.spec.port);
    if (!target) return;
    struct Probe {
      uv_tcp_t tcp;
      uv_connect_t req;
      Impl* impl;
      Id id;
      uvx::Lifetime::Token alive;
    };
    auto* p = new Probe{};
    p->impl = this;
    p->id = id;
    p->alive = alive;
    uv_tcp_init(&loop, &p->tcp);
    p->req.data = p;
    const int rc = uv_tcp_connect(
        &p->req, &p->tcp, reinterpret_cast<const sockaddr*>(&target->sa),
        [](uv_connect_t* req, int status) {
          auto* probe = static_cast<Probe*>(req->data);
          if (status != UV_ECANCELED && !probe->alive.expired() && !probe->impl->stopping) {
            auto found = probe->impl->shares.find(probe->id);
            if (found != probe->impl->shares.end()) {
              found->second->service_checking = false;
              probe->impl->set_service_state(probe->id, status == 0);
            }
          }
          uv_close(reinterpret_cast<uv_handle_t*>(&probe->tcp),
                   [](uv_handle_t* h) { delete reinterpret_cast<Probe*>(h->data); });
        });
    p->tcp.data = p;
    if (rc != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(&p->tcp),
               [](uv_handle_t* h) { delete reinterpret_cast<Probe*>(h->data); });
      set_service_state(id, false);
      return;
    }
    s.service_checking = true;
  }

  // From the share's firewall, once per attempt (and a client retries): reported at most once
  // per client per kRefusalReportInterval.
  std::function<void(const crypto::PublicKey&)> refusals_for(Id id) {
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

  // ---- shares ----

  void handle(ShareCommand& cmd) {
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
    if (spec.protocol == Protocol::udp) {
      share->udp = std::make_unique<tunnel::UdpShare>(*dht, share->key_pair, o, events_for(id));
    } else {
      share->tcp = std::make_unique<tunnel::TcpShare>(*dht, share->key_pair, o, events_for(id));
    }
    shares[id] = std::move(share);
    when_bootstrapped([this, id] { start_share(id); });
  }

  void start_share(Id id) {
    auto it = shares.find(id);
    if (it == shares.end()) return;
    uvx::Lifetime::Token weak = alive;
    auto on_listening = [this, id, weak](Status st) {
      if (weak.expired()) return;
      auto found = shares.find(id);
      if (found == shares.end()) return;
      if (!st) {
        shares.erase(found);
        return error(id, ErrorCode::announce_failed,
                     "Could not announce the share on the DHT: " + st.error().message, true);
      }
      // Ready once the service record is out too: a holesail client that reads it right
      // after we say "listening" must not guess TCP for a UDP share.
      publish_record(id, [this, id, weak] {
        if (!weak.expired()) share_started(id);
      });
    };
    if (it->second->tcp)
      it->second->tcp->start(on_listening);
    else
      it->second->udp->start(on_listening);
  }

  void share_started(Id id) {
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
  void publish_record(Id id, std::function<void()> done = nullptr) {
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
                       dht->mutable_put(kp, std::move(value), seq,
                                        [weak, done](Status, std::size_t) {
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

  void handle(UnshareCommand& cmd) {
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

  template <class T>
  void retire(T& item) {
    if (auto* st = item.stats()) {
      closed_in += st->bytes_in;
      closed_out += st->bytes_out;
    }
  }

  // ---- connections ----

  void handle(ConnectCommand& cmd) {
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
      dht->mutable_get(it->second->remote, 0, [this, id, weak](Result<hyperdht::MutableRecord> r) {
        if (weak.expired() || stopping) return;
        std::optional<tunnel::ServiceRecord> record;
        if (r) {
          if (auto parsed = tunnel::parse_service_record(r->value)) record = *parsed;
        }
        open_connect(id, record);
      });
    });
  }

  void open_connect(Id id, std::optional<tunnel::ServiceRecord> record) {
    auto it = connects.find(id);
    if (it == connects.end()) return;
    Connect& c = *it->second;
    const Protocol protocol = c.spec.protocol
                                  ? *c.spec.protocol
                                  : (record && record->udp ? Protocol::udp : Protocol::tcp);
    // Not the sharer's port number even when it is free here: on one machine that port is the
    // shared service's own, and a dead service would make the tunnel feed itself.
    const std::vector<std::uint16_t> ports = {c.spec.port};
    Status st = make_error(Errc::invalid_value, "no port");
    std::uint16_t bound = 0;
    for (auto port : ports) {
      if (protocol == Protocol::udp) {
        tunnel::UdpConnect::Options o;
        o.host = c.spec.host;
        o.port = port;
        o.connector = connector;
        o.refusal_known = refusal_known(id);
        c.udp = std::make_unique<tunnel::UdpConnect>(*dht, c.key_pair, c.remote, o, events_for(id));
        st = c.udp->start();
        if (st) {
          bound = c.udp->port();
          break;
        }
        c.udp.reset();
      } else {
        tunnel::TcpConnect::Options o;
        o.host = c.spec.host;
        o.port = port;
        o.connector = connector;
        o.refusal_known = refusal_known(id);
        c.tcp = std::make_unique<tunnel::TcpConnect>(*dht, c.key_pair, c.remote, o, events_for(id));
        st = c.tcp->start();
        if (st) {
          bound = c.tcp->port();
          break;
        }
        c.tcp.reset();
      }
    }
    if (!st) {
      connects.erase(it);
      return error(id, ErrorCode::port_in_use, st.error().message + ". Choose another local port.",
                   true);
    }
    emit(ConnectStarted{id, c.spec.host, bound, to_hex(c.remote), protocol});
    probe(id);
    start_peer_checks(id);
  }

  // Looks the key up once right away, so a wrong or offline key is reported before anyone
  // opens a local connection.
  void probe(Id id) {
    auto it = connects.find(id);
    if (it == connects.end()) return;
    Connect& c = *it->second;
    c.probe_timer = std::make_unique<uvx::Timer>(&loop);  // goes with the connection
    c.probe_timer->start(static_cast<std::uint64_t>(config.lookup_timeout.count()), [this, id] {
      auto found = connects.find(id);
      if (found == connects.end() || found->second->probe_done) return;
      found->second->probe_done = true;
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
        if (found == connects.end() || found->second->probe_done) return;
        found->second->probe_done = true;
        found->second->probe_timer->stop();
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

  void handle(DisconnectPeerCommand& cmd) {
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
    if (s.tcp)
      s.tcp->disconnect(peer, cmd.block);
    else if (s.udp)
      s.udp->disconnect(peer, cmd.block);
  }

  void handle(DisconnectCommand& cmd) {
    auto it = connects.find(cmd.id);
    if (it == connects.end()) return;
    retire(*it->second);
    connects.erase(it);
    emit(Stopped{cmd.id});
  }

  // ---- shutdown ----

  void begin_stop() {
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

  std::unique_ptr<uvx::Timer> grace_timer;
  bool ended = false;

  // Called from deep inside DHT callbacks (an unannounce answered): the objects whose code is
  // still on the stack are torn down from a fresh loop iteration instead.
  void end_loop() {
    if (ended) return;
    ended = true;
    uv_timer_stop(&tick);
    uv_timer_start(
        &tick, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->teardown(); }, 0, 0);
  }

  EngineStopped final_stats;  // taken in teardown, while the node and relay still exist

  void teardown() {
    grace_timer.reset();
    alive.end();
    if (dht) {  // not made if init failed
      final_stats.requests = dht->node().stats().requests_in;
      final_stats.malformed = dht->node().stats().malformed;
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
  void run(const std::shared_ptr<std::promise<Status>>& started) {
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
};

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
