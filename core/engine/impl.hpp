#pragma once
// The engine thread's state, private to core/engine. engine.cpp runs the loop, the DHT status
// and shutdown; shares.cpp keeps the shares and connects.cpp the connections, each a registry
// of tunnels (tunnel::ShareTunnel, tunnel::ConnectTunnel) whatever their protocol.

#include <uv.h>

#include <atomic>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "common/uv.hpp"
#include "engine/engine.hpp"
#include "engine/rate.hpp"
#include "engine/reachability.hpp"
#include "hyperdht/dht.hpp"
#include "relay/blind_relay.hpp"
#include "relay/connector.hpp"
#include "tunnel/holesail.hpp"
#include "tunnel/tunnel.hpp"

namespace peerport::engine {

struct Engine::Impl {
  struct Share {
    Impl* impl = nullptr;
    Id id = 0;
    ShareSpec spec;
    crypto::KeyPair key_pair;
    std::unique_ptr<tunnel::ShareTunnel> tunnel;
    std::unique_ptr<uvx::Timer> record_timer;
    std::unique_ptr<uvx::Timer> announce_retry;  // a first announcement that failed
    std::uint64_t announce_retry_ms = kShareAnnounceRetryMs;
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
    const tunnel::Stats* stats() const { return tunnel ? &tunnel->stats() : nullptr; }
    hyperdht::Server* server() { return tunnel ? &tunnel->server() : nullptr; }
    // Samples each client's counters; clients gone since the last tick leave the rate table.
    std::vector<PeerStats> sample_peers(std::uint64_t now_ms, double seconds);
  };
  struct Connect {
    Impl* impl = nullptr;
    Id id = 0;
    ConnectSpec spec;
    crypto::KeyPair key_pair;
    crypto::PublicKey remote{};
    std::unique_ptr<tunnel::ConnectTunnel> tunnel;
    RateMeter rate;
    std::unique_ptr<uvx::Timer> lookup_timer;  // first_lookup's deadline
    bool first_lookup_done = false;
    std::unique_ptr<uvx::Timer> check_timer;  // the periodic lookup behind PeerState
    bool checking = false;
    bool ever_online = false;
    bool turned_away = false;  // a handshake went unanswered or was refused since the last open
    // Whether the share takes our handshake was asked (a probe, or a tunnel) since the share
    // was last found; until then a lookup alone cannot tell online from refused.
    bool admission_known = false;
    PeerState state = PeerState::unknown;
    const tunnel::Stats* stats() const { return tunnel ? &tunnel->stats() : nullptr; }
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

  // ---- the loop, the DHT and its status (engine.cpp) ----
  Status init();
  void start_relay();
  void announce_relay();
  void on_bootstrapped();
  void when_bootstrapped(std::function<void()> fn);

  DhtStatus dht_status() const;

  void maybe_check_firewall();
  void watch_network();
  void publish_dht_status(bool force);
  void probe_reachability();
  void on_tick();
  void drain();
  tunnel::EventFn events_for(Id id);
  void learn_from_failure(Id id, Errc code);

  // ---- live peer state (connects.cpp) ----
  void set_peer_state(Id id, PeerState state);
  std::uint64_t peer_checks_due = 0;  // DhtStatus::peer_checks
  void start_peer_checks(Id id);
  void check_peer(Id id);
  void peer_gone(Connect& c);
  std::function<bool()> refusal_known(Id id);

  static bool wants_probe(const Connect& c) {
    const tunnel::Stats* st = c.stats();
    const bool in_use = st && st->active > 0;
    return !in_use && (!c.admission_known || c.turned_away);
  }

  void probe_peer(Id id, const dht::Address& holder);

  // ---- service checks of TCP shares (shares.cpp) ----
  void set_service_state(Id id, bool up);
  void start_service_checks(Id id);
  void check_service(Id id);
  std::function<void(const crypto::PublicKey&)> refusals_for(Id id);

  // ---- shares (shares.cpp) ----
  void handle(ShareCommand& cmd);
  void start_share(Id id);
  void share_started(Id id);
  void retry_announce(Share& s, const std::string& why);
  void publish_record(Id id, std::function<void()> done = nullptr);
  void handle(UnshareCommand& cmd);
  void handle(DisconnectPeerCommand& cmd);

  template <class T>
  void retire(T& item) {
    if (auto* st = item.stats()) {
      closed_in += st->bytes_in;
      closed_out += st->bytes_out;
    }
  }

  // ---- connections (connects.cpp) ----
  void handle(ConnectCommand& cmd);
  void open_connect(Id id, std::optional<tunnel::ServiceRecord> record);
  void first_lookup(Id id);
  void handle(DisconnectCommand& cmd);

  // ---- shutdown (engine.cpp) ----

  void begin_stop();

  std::unique_ptr<uvx::Timer> grace_timer;
  bool ended = false;

  void end_loop();

  EngineStopped final_stats;  // taken in teardown, while the node and relay still exist

  void teardown();
  void run(const std::shared_ptr<std::promise<Status>>& started);
};

}  // namespace peerport::engine
