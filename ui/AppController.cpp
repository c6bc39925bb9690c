#include "AppController.h"

#include <QSettings>
#include <QSignalBlocker>
#include <QTimer>

#include "ConnectionsModel.h"
#include "EngineBridge.h"
#include "FriendBook.h"
#include "KeyText.h"
#include "SecretStore.h"
#include "Settings.h"
#include "SharesModel.h"
#include "common/bytes.hpp"
#include "crypto/keys.hpp"

namespace PeerPort {

namespace {
const QString kIdentitySecret = QStringLiteral("identity");
}

AppController::AppController(const Profile& profile, const Options& options, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
    , m_options(options)
    , m_settings(std::make_unique<SettingsStore>(profile.settingsFile()))
    , m_secrets(new SecretStore(profile, options.keychainTimeoutMs, this))
    , m_friends(new FriendBook(this))
    , m_shares(new SharesModel(m_friends, this))
    , m_connections(new ConnectionsModel(m_friends, this))
    , m_bridge(new EngineBridge(this)) {
  m_friends->load(m_settings->raw());
  loadItems();
  connect(m_friends, &FriendBook::changed, this, &AppController::save);

  connect(m_bridge, &EngineBridge::dhtStatusChanged, this, [this](const DhtInfo& info) {
    m_dht = info;
    emit dhtChanged();
  });
  connect(m_bridge, &EngineBridge::shareStarted, m_shares, &SharesModel::onStarted);
  connect(m_bridge, &EngineBridge::shareStarted, this, [this](const ShareInfo& info) {
    // A private share's secret is made by the engine the first time; keep it for restarts.
    const int row = m_shares->rowOfId(info.id);
    if (row >= 0 && !info.secret.isEmpty()) {
      m_secrets->setValue(shareSecretName(m_shares->row(row).request), info.secret);
    }
  });
  connect(m_bridge, &EngineBridge::connectStarted, this, [this](const ConnectInfo& info) {
    m_connections->onStarted(info);
    save();  // keeps the local port picked, so bookmarks to localhost:L keep working
  });
  connect(m_bridge, &EngineBridge::peerConnected, this,
          [this](ItemId id, const QString& peer, bool relayed) {
            const int share = m_shares->rowOfId(id);
            if (share >= 0) {
              const bool isNew = !m_shares->row(share).peers.contains(peer.toLower());
              m_shares->onPeerConnected(id, peer, relayed);
              if (isNew) emit peerJoined(m_friends->displayName(peer), m_shares->label(share));
              return;
            }
            const int c = m_connections->rowOfId(id);
            const bool wasRelayed = c >= 0 && m_connections->row(c).lastRelayed;
            m_connections->onPeerConnected(id, relayed);
            // Once per change of path: every tunnel of a relay-only connection would be noise.
            if (c >= 0 && relayed && !wasRelayed) emit relayOnly(m_connections->name(c));
          });
  connect(m_bridge, &EngineBridge::pathChanged, this, [this](ItemId id, bool relayed) {
    if (m_connections->rowOfId(id) >= 0) m_connections->onPathChanged(id, relayed);
  });
  connect(m_bridge, &EngineBridge::peerDisconnected, this,
          [this](ItemId id, const QString& peer, bool broken, ErrorKind why) {
            if (m_shares->rowOfId(id) >= 0)
              m_shares->onPeerDisconnected(id, peer);
            else if (broken)
              m_connections->onPeerDisconnected(id, why);
            else
              m_connections->onPeerDisconnected(id);
          });
  connect(m_bridge, &EngineBridge::itemStopped, this, [this](ItemId id) {
    if (m_unsharing.remove(id) && m_unsharing.isEmpty() && m_stopWhenIdle) stopEngineNow();
    m_shares->onItemStopped(id);
    m_connections->onItemStopped(id);
    m_history.forget(id);
  });
  connect(m_bridge, &EngineBridge::errorOccurred, this, [this](const ErrorInfo& e) {
    QString what;
    quint16 port = 0;
    if (const int r = m_shares->rowOfId(e.id); r >= 0) {
      m_shares->onError(e);
      what = m_shares->label(r);
      port = m_shares->row(r).request.port;
    } else if (const int c = m_connections->rowOfId(e.id); c >= 0) {
      m_connections->onError(e);
      what = m_connections->name(c);
      port = m_connections->row(c).request.port;
    }
    emit errorReported(e, what);
    if (e.kind == ErrorKind::PortInUse) emit portInUse(what, port);
  });
  connect(m_bridge, &EngineBridge::statsUpdated, this, [this](const StatsSnapshot& s) {
    m_lastStats = s;
    m_dht = s.dht;
    m_shares->onStats(s);
    m_connections->onStats(s);
    m_history.add(m_connections->withoutStaleRates(s));
    emit statsUpdated();
  });
  connect(m_bridge, &EngineBridge::peerStateChanged, this, [this](ItemId id, PeerState state) {
    const int c = m_connections->rowOfId(id);
    if (c < 0) return;
    const bool wasRefused = m_connections->row(c).peer == PeerState::Refused;
    m_connections->onPeerState(id, state);
    if (state == PeerState::Refused && !wasRefused) emit refusedByShare(m_connections->name(c));
    emit peerStateChanged();
  });
  connect(m_bridge, &EngineBridge::peerRefused, this, [this](ItemId id, const QString& peer) {
    const int r = m_shares->rowOfId(id);
    if (r < 0) return;
    m_shares->onPeerRefused(id, peer);
    emit peerRefused(m_friends->displayName(peer), m_shares->label(r));
  });
  connect(m_bridge, &EngineBridge::serviceStateChanged, this, [this](ItemId id, bool up) {
    const int r = m_shares->rowOfId(id);
    if (r < 0) return;
    const bool wasUp = m_shares->row(r).serviceUp.value_or(true);
    m_shares->onServiceState(id, up);
    if (wasUp && !up) emit serviceDown(m_shares->label(r));
  });
  connect(m_bridge, &EngineBridge::stopFinished, this, [this] {
    if (m_shuttingDown) {
      emit shutdownFinished();
      return;
    }
    if (m_restarting) {
      m_restarting = false;
      if (startEngine()) startRunnableItems();
    }
  });
  connect(m_secrets, &SecretStore::loaded, this, &AppController::onIdentityLoaded);
}

AppController::~AppController() = default;

void AppController::start() {
  // A user who dismissed the keychain warning is not asked by a keyring prompt at every start;
  // "Retry keychain" asks again.
  if (m_options.useKeychain && !m_settings->get(Settings::keychainDismissed))
    m_secrets->load();
  else
    m_secrets->loadFromFileOnly();
}

void AppController::onIdentityLoaded() {
  std::optional<peerport::crypto::Seed> seed;
  const QString stored = m_secrets->value(kIdentitySecret);
  if (!stored.isEmpty()) seed = peerport::crypto::seed_from_hex(stored.toStdString());
  if (!seed) {
    seed = peerport::crypto::random_seed();
    m_secrets->setValue(kIdentitySecret, QString::fromStdString(peerport::to_hex(seed->view())));
  }
  const auto pair = peerport::crypto::KeyPair::from_seed(*seed);
  m_identityHex = QString::fromStdString(peerport::to_hex(pair.public_key));
  emit identityReady();
  if (startEngine()) startRunnableItems();
}

bool AppController::startEngine() {
  const QString stored = m_secrets->value(kIdentitySecret);
  auto seed = peerport::crypto::seed_from_hex(stored.toStdString());
  if (!seed) return false;
  EngineBridge::Options o;
  o.identity = peerport::crypto::KeyPair::from_seed(*seed);
  o.bootstrap = m_settings->get(Settings::bootstrap);
  if (o.bootstrap.isEmpty()) o.bootstrap = qEnvironmentVariable("PEERPORT_BOOTSTRAP");
  o.bindPort = static_cast<quint16>(m_settings->get(Settings::bindPort));
  o.useRelays = m_settings->get(Settings::useRelays);
  o.relays = m_settings->get(Settings::relays);
  o.relayForOthers = m_settings->get(Settings::relayForOthers);
  // Tests shorten the engine's 30 s peer checks; a user has no reason to.
  o.peerCheckIntervalMs = qEnvironmentVariableIntValue("PEERPORT_PEER_CHECK_MS");
  QString error;
  if (!m_bridge->start(o, &error)) {
    m_engineError = error;
    emit engineFailed(error);
    return false;
  }
  m_engineError.clear();
  emit engineStarted();
  return true;
}

bool AppController::engineRunning() const {
  return m_bridge->isRunning();
}

void AppController::startRunnableItems() {
  if (m_allPaused) return;
  for (int i = 0; i < m_shares->rowCount(); ++i) {
    if (m_shares->row(i).enabled && m_shares->row(i).id == 0) startShare(i);
  }
  for (int i = 0; i < m_connections->rowCount(); ++i) {
    if (m_connections->row(i).enabled && m_connections->row(i).id == 0) startConnection(i);
  }
}

void AppController::restartEngine() {
  if (m_shuttingDown) return;
  for (int i = 0; i < m_shares->rowCount(); ++i) {
    if (m_shares->row(i).id) m_shares->setStopped(i);
  }
  for (int i = 0; i < m_connections->rowCount(); ++i) {
    if (m_connections->row(i).id) m_connections->setStopped(i);
  }
  m_restarting = true;
  stopEngineWhenIdle();
}

void AppController::unshare(ItemId id) {
  m_bridge->unshare(id);
  m_unsharing.insert(id);
}

// The engine's stop does not end while a share it was told to drop is still unannouncing (that
// share outlives its command until the DHT answers), so a quit right after Stop, Edit or Pause
// all waited forever. Stop once those have finished, or after kUnshareWaitMs regardless.
void AppController::stopEngineWhenIdle() {
  if (m_unsharing.isEmpty()) return stopEngineNow();
  m_stopWhenIdle = true;
  QTimer::singleShot(kUnshareWaitMs, this, [this] {
    if (m_stopWhenIdle) stopEngineNow();
  });
}

void AppController::stopEngineNow() {
  m_stopWhenIdle = false;
  m_unsharing.clear();
  m_bridge->stopAsync();
}

void AppController::shutdown() {
  if (m_shuttingDown) return;
  m_shuttingDown = true;
  save();
  stopEngineWhenIdle();
}

QString AppController::shareSecretName(const ShareRequest& r) const {
  return QStringLiteral("share:%1:%2/%3")
      .arg(r.host)
      .arg(r.port)
      .arg(r.protocol == Protocol::Udp ? "udp" : "tcp");
}

QString AppController::duplicateShareError(const ShareRequest& r) const {
  return duplicateShareError(r, -1);
}

QString AppController::duplicateShareError(const ShareRequest& r, int exceptRow) const {
  if (m_shares->contains(r.host, r.port, r.protocol, exceptRow)) {
    return tr("%1:%2 is already shared.").arg(r.host).arg(r.port);
  }
  return {};
}

void AppController::setLanguage(const QString& code) {
  if (code == m_settings->get(Settings::language)) return;
  m_settings->set(Settings::language, code);
  m_settings->sync();
  emit languageChanged(code);
}

int AppController::addShare(const ShareRequest& request) {
  const int row = m_shares->addShare(request);
  save();
  if (!m_allPaused) startShare(row);
  return row;
}

void AppController::startShare(int row) {
  m_shares->setEnabled(row, true);
  if (m_shares->row(row).id != 0 || !engineRunning()) {
    save();
    return;
  }
  ShareRequest r = m_shares->row(row).request;
  if (r.access == Access::Private) r.secret = m_secrets->value(shareSecretName(r));
  m_shares->setRunning(row, m_bridge->share(r));
  save();
}

void AppController::stopShare(int row) {
  const ItemId id = m_shares->row(row).id;
  if (id) unshare(id);
  m_history.forget(id);
  m_shares->setEnabled(row, false);
  m_shares->setStopped(row);
  save();
}

void AppController::removeShare(int row) {
  const ShareRow& r = m_shares->row(row);
  if (r.id) unshare(r.id);
  m_secrets->remove(shareSecretName(r.request));
  m_shares->removeRow(row);
  save();
}

void AppController::updateShare(int row, const ShareRequest& edited) {
  const ShareRequest old = m_shares->row(row).request;
  ShareRequest request = edited;
  // The key stays the one derived from the share's first address (unless it is private, whose
  // key comes from its secret), so the key friends have keeps working after a port change.
  request.keyHost = old.keyPort ? old.keyHost : old.host;
  request.keyPort = old.keyPort ? old.keyPort : old.port;
  request.keyProtocol = old.keyPort ? old.keyProtocol : old.protocol;
  if (request.keyHost == request.host && request.keyPort == request.port &&
      request.keyProtocol == request.protocol) {
    request.keyHost.clear();
    request.keyPort = 0;
    request.keyProtocol = Protocol::Tcp;
  }
  // A private share's secret is kept under its address: it moves with it.
  const QString oldSecret = shareSecretName(old);
  const QString newSecret = shareSecretName(request);
  if (oldSecret != newSecret) {
    const QString secret = m_secrets->value(oldSecret);
    if (!secret.isEmpty() && request.access == Access::Private)
      m_secrets->setValue(newSecret, secret);
    m_secrets->remove(oldSecret);
  }
  const bool running = m_shares->row(row).id != 0;
  if (running) {
    unshare(m_shares->row(row).id);
    m_history.forget(m_shares->row(row).id);
    const bool enabled = m_shares->row(row).enabled;
    m_shares->setStopped(row);
    m_shares->setEnabled(row, enabled);
  }
  m_shares->setRequest(row, request);
  save();
  if (running) startShare(row);
}

bool AppController::disconnectPeer(int row, const QString& peer, bool block) {
  if (row < 0 || row >= m_shares->rowCount()) return false;
  const QString key = peer.toLower();
  if (block) {
    ShareRequest request = m_shares->row(row).request;
    if (request.access != Access::AllowList) return false;
    request.allow.removeIf([&key](const QString& k) { return k.toLower() == key; });
    if (request.allow.isEmpty()) return false;
    // The running share turns the key away itself (no restart drops the others); the saved
    // list is what it starts with next time.
    m_shares->setRequest(row, request);
    save();
  }
  if (const ItemId id = m_shares->row(row).id) m_bridge->disconnectPeer(id, key, block);
  return true;
}

int AppController::addConnection(const ConnectRequest& request, const QString& hexKey,
                                 const QString& name) {
  const int row = m_connections->addConnection(request, hexKey, name);
  save();
  if (!m_allPaused) startConnection(row);
  return row;
}

void AppController::updateConnection(int row, const QString& name, quint16 localPort) {
  m_connections->setName(row, name);
  const ConnectionRow& r = m_connections->row(row);
  const quint16 current = r.request.port ? r.request.port : r.localPort;
  if (localPort != current && (localPort != 0 || r.request.port != 0)) {
    const bool running = r.id != 0;
    if (running) {
      m_bridge->disconnectFrom(r.id);
      m_history.forget(r.id);
      m_connections->setStopped(row);
    }
    m_connections->setLocalPort(row, localPort);
    if (running) startConnection(row);
  }
  save();
}

void AppController::startConnection(int row) {
  m_connections->setEnabled(row, true);
  if (m_connections->row(row).id != 0 || !engineRunning()) {
    save();
    return;
  }
  ConnectRequest r = m_connections->row(row).request;
  if (r.port == 0) r.port = m_connections->row(row).localPort;
  m_connections->setRunning(row, m_bridge->connectTo(r));
  save();
}

void AppController::stopConnection(int row) {
  const ItemId id = m_connections->row(row).id;
  if (id) m_bridge->disconnectFrom(id);
  m_history.forget(id);
  m_connections->setEnabled(row, false);
  m_connections->setStopped(row);
  save();
}

void AppController::removeConnection(int row) {
  const ConnectionRow& r = m_connections->row(row);
  if (r.id) m_bridge->disconnectFrom(r.id);
  m_secrets->remove(QStringLiteral("connection:") + r.publicKey);
  m_connections->removeRow(row);
  save();
}

void AppController::setAllPaused(bool paused) {
  if (paused == m_allPaused) return;
  m_allPaused = paused;
  if (paused) {
    // Items keep their `enabled` flag, so resuming brings back exactly what ran before.
    for (int i = 0; i < m_shares->rowCount(); ++i) {
      if (const ItemId id = m_shares->row(i).id) {
        unshare(id);
        const bool enabled = m_shares->row(i).enabled;
        m_shares->setStopped(i);
        m_shares->setEnabled(i, enabled);
      }
    }
    for (int i = 0; i < m_connections->rowCount(); ++i) {
      if (const ItemId id = m_connections->row(i).id) {
        m_bridge->disconnectFrom(id);
        const bool enabled = m_connections->row(i).enabled;
        m_connections->setStopped(i);
        m_connections->setEnabled(i, enabled);
      }
    }
  } else {
    startRunnableItems();
  }
  emit pausedChanged(paused);
}

// ---- persistence: shares, connections (friends are saved by the FriendBook) ----

void AppController::loadItems() {
  QSettings& s = m_settings->raw();
  int n = s.beginReadArray(QStringLiteral("shares"));
  for (int i = 0; i < n; ++i) {
    s.setArrayIndex(i);
    ShareRequest r;
    r.host = s.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")).toString();
    r.port = static_cast<quint16>(s.value(QStringLiteral("port")).toUInt());
    r.protocol = s.value(QStringLiteral("protocol")).toString() == QLatin1String("udp")
                     ? Protocol::Udp
                     : Protocol::Tcp;
    const QString access = s.value(QStringLiteral("access")).toString();
    r.access = access == QLatin1String("allow-list") ? Access::AllowList
               : access == QLatin1String("private")  ? Access::Private
                                                     : Access::Public;
    r.allow = s.value(QStringLiteral("allow")).toStringList();
    r.name = s.value(QStringLiteral("name")).toString();
    r.keyHost = s.value(QStringLiteral("keyHost")).toString();
    r.keyPort = static_cast<quint16>(s.value(QStringLiteral("keyPort")).toUInt());
    r.keyProtocol = s.value(QStringLiteral("keyProtocol")).toString() == QLatin1String("udp")
                        ? Protocol::Udp
                        : Protocol::Tcp;
    if (r.port == 0) continue;
    const int row = m_shares->addShare(r);
    m_shares->setEnabled(row, s.value(QStringLiteral("enabled"), true).toBool());
  }
  s.endArray();
  n = s.beginReadArray(QStringLiteral("connections"));
  for (int i = 0; i < n; ++i) {
    s.setArrayIndex(i);
    ConnectRequest r;
    const QString hex = s.value(QStringLiteral("key")).toString();
    const bool secret = s.value(QStringLiteral("secret"), false).toBool();
    r.key = secret ? QString() : hex;  // secret key text is read from the keychain at start
    r.port = static_cast<quint16>(s.value(QStringLiteral("port")).toUInt());
    if (!KeyText::isHexKey(hex)) continue;
    const int row =
        m_connections->addConnection(r, hex, s.value(QStringLiteral("name")).toString());
    m_connections->setEnabled(row, s.value(QStringLiteral("enabled"), true).toBool());
  }
  s.endArray();
  // Before connections had names, "Alias" put the connection's name in Friends under the
  // share's key. Friends are people (identity keys): move such names to their connection.
  bool moved = false;
  for (int i = 0; i < m_connections->rowCount(); ++i) {
    const QString key = m_connections->row(i).publicKey;
    const QString old = m_friends->alias(key);
    if (old.isEmpty()) continue;
    if (m_connections->row(i).name.isEmpty()) m_connections->setName(i, old);
    QSignalBlocker block(m_friends);  // saved once below, not once per entry
    m_friends->remove(key);
    moved = true;
  }
  if (moved) save();
  // Secret key texts arrive with the secret store.
  connect(
      m_secrets, &SecretStore::loaded, this,
      [this] {
        for (int i = 0; i < m_connections->rowCount(); ++i) {
          if (!m_connections->row(i).request.key.isEmpty()) continue;
          const QString text =
              m_secrets->value(QStringLiteral("connection:") + m_connections->row(i).publicKey);
          // Without its secret a private connection cannot run; it stays listed, stopped.
          if (text.isEmpty())
            m_connections->setEnabled(i, false);
          else
            m_connections->setKeyText(i, text);
        }
      },
      Qt::DirectConnection);
}

void AppController::save() {
  QSettings& s = m_settings->raw();
  s.remove(QStringLiteral("shares"));
  s.beginWriteArray(QStringLiteral("shares"), m_shares->rowCount());
  for (int i = 0; i < m_shares->rowCount(); ++i) {
    s.setArrayIndex(i);
    const ShareRow& row = m_shares->row(i);
    const ShareRequest& r = row.request;
    s.setValue(QStringLiteral("host"), r.host);
    s.setValue(QStringLiteral("port"), r.port);
    s.setValue(QStringLiteral("protocol"),
               r.protocol == Protocol::Udp ? QStringLiteral("udp") : QStringLiteral("tcp"));
    s.setValue(QStringLiteral("access"), r.access == Access::AllowList
                                             ? QStringLiteral("allow-list")
                                         : r.access == Access::Private ? QStringLiteral("private")
                                                                       : QStringLiteral("public"));
    s.setValue(QStringLiteral("allow"), r.allow);
    s.setValue(QStringLiteral("name"), r.name);
    if (r.keyPort) {
      s.setValue(QStringLiteral("keyHost"), r.keyHost);
      s.setValue(QStringLiteral("keyPort"), r.keyPort);
      s.setValue(QStringLiteral("keyProtocol"),
                 r.keyProtocol == Protocol::Udp ? QStringLiteral("udp") : QStringLiteral("tcp"));
    }
    s.setValue(QStringLiteral("enabled"), row.enabled);
  }
  s.endArray();
  s.remove(QStringLiteral("connections"));
  s.beginWriteArray(QStringLiteral("connections"), m_connections->rowCount());
  for (int i = 0; i < m_connections->rowCount(); ++i) {
    s.setArrayIndex(i);
    const ConnectionRow& row = m_connections->row(i);
    // An empty key text is a secret one not loaded yet.
    const bool secret = row.request.key.isEmpty() || KeyText::check(row.request.key).secret;
    if (secret && !row.request.key.isEmpty())
      m_secrets->setValue(QStringLiteral("connection:") + row.publicKey, row.request.key);
    s.setValue(QStringLiteral("key"), row.publicKey);
    s.setValue(QStringLiteral("secret"), secret);
    s.setValue(QStringLiteral("port"), row.request.port ? row.request.port : row.localPort);
    s.setValue(QStringLiteral("name"), row.name);
    s.setValue(QStringLiteral("enabled"), row.enabled);
  }
  s.endArray();
  m_friends->save(s);
  s.sync();
}

}  // namespace PeerPort
