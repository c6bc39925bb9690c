#include "EngineBridge.h"

#include <QMetaObject>
#include <QPointer>
#include <QRegularExpression>
#include <type_traits>

#include "crypto/key_text.hpp"
#include "engine/engine.hpp"

namespace PeerPort {

namespace eng = peerport::engine;

namespace {

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

NatKind toNat(eng::NatType n) {
  switch (n) {
    case eng::NatType::open:
      return NatKind::Open;
    case eng::NatType::consistent:
      return NatKind::Consistent;
    case eng::NatType::random:
      return NatKind::Random;
    case eng::NatType::firewalled:
      return NatKind::Firewalled;
    case eng::NatType::offline:
      return NatKind::Offline;
    case eng::NatType::udp_blocked:
      return NatKind::UdpBlocked;
    case eng::NatType::unknown:
      break;
  }
  return NatKind::Unknown;
}

ErrorKind toErrorKind(eng::ErrorCode c) {
  switch (c) {
    case eng::ErrorCode::invalid_key:
      return ErrorKind::InvalidKey;
    case eng::ErrorCode::invalid_argument:
      return ErrorKind::InvalidArgument;
    case eng::ErrorCode::port_in_use:
      return ErrorKind::PortInUse;
    case eng::ErrorCode::peer_not_found:
      return ErrorKind::PeerNotFound;
    case eng::ErrorCode::connection_failed:
    case eng::ErrorCode::holepunch_aborted:
    case eng::ErrorCode::double_randomized:
    case eng::ErrorCode::relay_unavailable:
      return ErrorKind::ConnectionFailed;
    case eng::ErrorCode::service_unreachable:
      return ErrorKind::ServiceUnreachable;
    case eng::ErrorCode::dht_unreachable:
      return ErrorKind::DhtUnreachable;
    case eng::ErrorCode::udp_blocked:
      return ErrorKind::UdpBlocked;
    case eng::ErrorCode::announce_failed:
      return ErrorKind::AnnounceFailed;
    case eng::ErrorCode::peer_reset:
      return ErrorKind::PeerReset;
    case eng::ErrorCode::peer_timed_out:
      return ErrorKind::PeerTimedOut;
    case eng::ErrorCode::idle_timeout:
      return ErrorKind::IdleTimeout;
    case eng::ErrorCode::internal:
      break;
  }
  return ErrorKind::Internal;
}

DhtInfo toDht(const eng::DhtStatus& d) {
  DhtInfo info;
  info.bootstrapped = d.bootstrapped;
  info.nodes = static_cast<int>(d.nodes);
  info.publicAddress = qs(d.public_address);
  info.nat = toNat(d.nat);
  info.relayKey = qs(d.relay_key);
  return info;
}

PeerState toPeerState(eng::PeerState s) {
  switch (s) {
    case eng::PeerState::online:
      return PeerState::Online;
    case eng::PeerState::offline:
      return PeerState::Offline;
    case eng::PeerState::refused:
      return PeerState::Refused;
    case eng::PeerState::not_found:
      return PeerState::NotFound;
    case eng::PeerState::unknown:
      break;
  }
  return PeerState::Unknown;
}

Protocol toProtocol(eng::Protocol p) {
  return p == eng::Protocol::udp ? Protocol::Udp : Protocol::Tcp;
}

}  // namespace

peerport::Result<std::vector<peerport::crypto::PublicKey>> parseRelayList(const QString& text) {
  std::vector<peerport::crypto::PublicKey> out;
  static const QRegularExpression sep(QStringLiteral("[,\\s]+"));
  for (const QString& part : text.split(sep, Qt::SkipEmptyParts)) {
    auto k = peerport::crypto::parse_key(part.toStdString());
    if (!k) {
      return peerport::make_error(peerport::Errc::invalid_key,
                                  "Relay \"" + part.toStdString() + "\": " + k.error().message);
    }
    out.push_back(k->public_key);
  }
  return out;
}

// Runs on the engine thread: converts the event to Qt values there (cheap, no locks) and queues
// the emission onto the bridge's thread. QPointer-free on purpose: the bridge stops the engine
// (joining its thread) before it is destroyed, and invokeMethod with `bridge` as context drops
// calls that are still queued when it goes.
class EngineBridge::Listener : public eng::EngineListener {
 public:
  explicit Listener(EngineBridge* bridge) : m_bridge(bridge) {}

  void on_event(const eng::Event& event) override {
    std::visit([this](const auto& e) { handle(e); }, event);
  }

 private:
  template <class F>
  void later(F&& f) {
    QMetaObject::invokeMethod(m_bridge, std::forward<F>(f), Qt::QueuedConnection);
  }

  void handle(const eng::DhtStatus& e) {
    later([b = m_bridge, info = toDht(e)] { emit b->dhtStatusChanged(info); });
  }
  void handle(const eng::ShareStarted& e) {
    ShareInfo info;
    info.id = e.id;
    info.publicKey = qs(e.public_key);
    info.z32 = qs(e.z32);
    info.url = qs(e.url);
    info.secret = qs(e.secret);
    later([b = m_bridge, info] { emit b->shareStarted(info); });
  }
  void handle(const eng::ConnectStarted& e) {
    ConnectInfo info;
    info.id = e.id;
    info.host = qs(e.host);
    info.port = e.port;
    info.publicKey = qs(e.public_key);
    info.protocol = toProtocol(e.protocol);
    later([b = m_bridge, info] { emit b->connectStarted(info); });
  }
  void handle(const eng::PeerConnected& e) {
    later([b = m_bridge, id = e.id, peer = qs(e.peer), relayed = e.path == eng::Path::relayed] {
      emit b->peerConnected(id, peer, relayed);
    });
  }
  void handle(const eng::PathChanged& e) {
    later([b = m_bridge, id = e.id, relayed = e.path == eng::Path::relayed] {
      emit b->pathChanged(id, relayed);
    });
  }
  void handle(const eng::PeerDisconnected& e) {
    // A clean close carries no code; a broken one is told by its code, never by its text.
    const bool broken = e.code.has_value();
    const ErrorKind why = broken ? toErrorKind(*e.code) : ErrorKind::Internal;
    later([b = m_bridge, id = e.id, peer = qs(e.peer), broken, why] {
      emit b->peerDisconnected(id, peer, broken, why);
    });
  }
  void handle(const eng::Stopped& e) {
    later([b = m_bridge, id = e.id] { emit b->itemStopped(id); });
  }
  void handle(const eng::ErrorEvent& e) {
    ErrorInfo info;
    info.id = e.id;
    info.kind = toErrorKind(e.code);
    info.message = qs(e.message);
    info.fatal = e.fatal;
    later([b = m_bridge, info] { emit b->errorOccurred(info); });
  }
  void handle(const eng::Stats& e) {
    StatsSnapshot s;
    s.items.reserve(static_cast<qsizetype>(e.items.size()));
    for (const auto& i : e.items) {
      ItemStats item{i.id,          i.bytes_in, i.bytes_out, i.rate_in, i.rate_out,
                     i.connections, i.active,   i.rtt_ms,    {}};
      item.peers.reserve(static_cast<qsizetype>(i.peers.size()));
      for (const auto& p : i.peers) {
        item.peers.push_back(PeerStats{qs(p.peer).toLower(), p.bytes_in, p.bytes_out, p.rate_in,
                                       p.rate_out, static_cast<int>(p.tunnels), p.connected_ms,
                                       p.rtt_ms, p.path == eng::Path::relayed});
      }
      s.items.push_back(std::move(item));
    }
    s.dht = toDht(e.dht);
    s.bytesIn = e.bytes_in;
    s.bytesOut = e.bytes_out;
    s.rateIn = e.rate_in;
    s.rateOut = e.rate_out;
    later([b = m_bridge, s] { emit b->statsUpdated(s); });
  }
  void handle(const eng::PeerStateChanged& e) {
    later([b = m_bridge, id = e.id, state = toPeerState(e.state)] {
      emit b->peerStateChanged(id, state);
    });
  }
  void handle(const eng::PeerRefused& e) {
    later([b = m_bridge, id = e.id, peer = qs(e.peer)] { emit b->peerRefused(id, peer); });
  }
  void handle(const eng::ServiceState& e) {
    later([b = m_bridge, id = e.id, up = e.up] { emit b->serviceStateChanged(id, up); });
  }
  void handle(const eng::EngineStopped&) {}

  EngineBridge* m_bridge;
};

EngineBridge::EngineBridge(QObject* parent)
    : QObject(parent), m_listener(std::make_unique<Listener>(this)) {
  qRegisterMetaType<PeerPort::DhtInfo>();
  qRegisterMetaType<PeerPort::ShareInfo>();
  qRegisterMetaType<PeerPort::ConnectInfo>();
  qRegisterMetaType<PeerPort::ErrorInfo>();
  qRegisterMetaType<PeerPort::StatsSnapshot>();
  qRegisterMetaType<PeerPort::PeerState>();
  qRegisterMetaType<PeerPort::ItemId>("PeerPort::ItemId");
}

EngineBridge::~EngineBridge() {
  if (m_stopper.joinable()) m_stopper.join();
  // Last resort at exit: stop here if nobody stopped asynchronously first.
  if (m_engine) m_engine->stop(std::chrono::milliseconds(500));
}

bool EngineBridge::start(const Options& options, QString* error) {
  if (m_stopper.joinable()) m_stopper.join();
  eng::Config config;
  config.identity = options.identity;
  m_identity = options.identity;
  config.bootstrap = options.bootstrap.trimmed().toStdString();  // empty: the public network
  config.bind_port = options.bindPort;
  auto relays = parseRelayList(options.relays);
  if (!relays) {
    if (error) *error = qs(relays.error().message);
    return false;
  }
  config.relays =
      options.useRelays ? std::move(*relays) : std::vector<peerport::crypto::PublicKey>{};
  config.discover_relays = options.useRelays;
  config.run_relay = options.relayForOthers;
  if (options.peerCheckIntervalMs > 0)
    config.peer_check_interval = std::chrono::milliseconds(options.peerCheckIntervalMs);
  if (options.serviceCheckIntervalMs > 0) {
    config.service_check_interval = std::chrono::milliseconds(options.serviceCheckIntervalMs);
  }
  auto engine = std::make_unique<eng::Engine>(std::move(config), *m_listener);
  auto st = engine->start();
  if (!st) {
    if (error) *error = qs(st.error().message);
    return false;
  }
  m_engine = std::move(engine);
  return true;
}

bool EngineBridge::isRunning() const {
  return m_engine && m_engine->running();
}

ItemId EngineBridge::share(const ShareRequest& r) {
  if (!m_engine) return 0;
  eng::ShareCommand cmd;
  cmd.id = m_engine->next_id();
  cmd.spec.host = r.host.toStdString();
  cmd.spec.port = r.port;
  cmd.spec.protocol = r.protocol == Protocol::Udp ? eng::Protocol::udp : eng::Protocol::tcp;
  switch (r.access) {
    case Access::Public:
      cmd.spec.access = eng::Access::open;
      break;
    case Access::AllowList:
      cmd.spec.access = eng::Access::allow_list;
      break;
    case Access::Private:
      cmd.spec.access = eng::Access::secret;
      break;
  }
  for (const QString& hex : r.allow) {
    auto bytes = peerport::from_hex(hex.toStdString());
    if (!bytes || bytes->size() != peerport::crypto::kPublicKeyBytes) continue;
    peerport::crypto::PublicKey key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    cmd.spec.allow.push_back(key);
  }
  cmd.spec.secret = r.secret.toStdString();
  const bool moved =
      r.keyPort != 0 && (r.keyHost != r.host || r.keyPort != r.port || r.keyProtocol != r.protocol);
  if (r.access != Access::Private && moved) {
    eng::ShareSpec origin;
    origin.host = r.keyHost.toStdString();
    origin.port = r.keyPort;
    origin.protocol = r.keyProtocol == Protocol::Udp ? eng::Protocol::udp : eng::Protocol::tcp;
    cmd.spec.seed = eng::derive_share_key_pair(m_identity, origin).seed();
  }
  const ItemId id = cmd.id;
  m_engine->post(std::move(cmd));
  return id;
}

void EngineBridge::unshare(ItemId id) {
  if (m_engine) m_engine->post(eng::UnshareCommand{id});
}

ItemId EngineBridge::connectTo(const ConnectRequest& r) {
  if (!m_engine) return 0;
  eng::ConnectCommand cmd;
  cmd.id = m_engine->next_id();
  cmd.spec.key = r.key.trimmed().toStdString();
  cmd.spec.host = r.host.toStdString();
  cmd.spec.port = r.port;
  const ItemId id = cmd.id;
  m_engine->post(std::move(cmd));
  return id;
}

void EngineBridge::disconnectFrom(ItemId id) {
  if (m_engine) m_engine->post(eng::DisconnectCommand{id});
}

void EngineBridge::disconnectPeer(ItemId shareId, const QString& peer, bool block) {
  if (m_engine)
    m_engine->post(eng::DisconnectPeerCommand{shareId, peer.toLower().toStdString(), block});
}

void EngineBridge::stopAsync() {
  if (!m_engine) {
    QMetaObject::invokeMethod(
        this, [this] { emit stopFinished(); }, Qt::QueuedConnection);
    return;
  }
  if (m_stopper.joinable()) m_stopper.join();
  // The engine object moves to the helper thread, which alone touches it from now on.
  m_stopper = std::thread([this, engine = std::shared_ptr<eng::Engine>(std::move(m_engine))] {
    engine->stop();
    QMetaObject::invokeMethod(
        this, [this] { emit stopFinished(); }, Qt::QueuedConnection);
  });
}

}  // namespace PeerPort
