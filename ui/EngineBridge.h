#pragma once
// EngineBridge: the only place the UI meets the engine (docs/architecture.md, "ui/").
//
// Commands go out through Engine::post (a queue; never blocks on the network). Engine events
// arrive on the engine thread and are re-posted to this object's thread as queued calls, which
// emit the signals below, so every slot connected to the bridge runs on the GUI thread and no
// widget ever sees a core type. Stopping the engine (which waits for peers to acknowledge)
// happens on a helper thread; stopFinished() says when it is done.

#include <QObject>
#include <QString>
#include <memory>
#include <thread>

#include "EngineTypes.h"
#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::engine {
class Engine;
}

namespace PeerPort {

// Relay keys as a user types them (hex, z32, peerport://..., comma- or space-separated); the
// error names the key that is not one and the formats accepted.
peerport::Result<std::vector<peerport::crypto::PublicKey>> parseRelayList(const QString& text);

class EngineBridge : public QObject {
  Q_OBJECT

 public:
  struct Options {
    peerport::crypto::KeyPair identity;
    QString bootstrap;  // "host:port,...", "none", or empty for the public network
    quint16 bindPort = 0;
    bool useRelays = true;  // fall back to a blind relay when holepunching cannot work
    QString relays;         // relay keys, comma-separated; tried before announced ones
    bool relayForOthers = false;
    int peerCheckIntervalMs = 0;     // 0: the engine's default (30 s)
    int serviceCheckIntervalMs = 0;  // 0: the engine's default (10 s)
  };

  explicit EngineBridge(QObject* parent = nullptr);
  ~EngineBridge() override;

  // Starts the engine thread; false with a sentence in *error if the bootstrap list is
  // malformed or the UDP socket cannot be bound (both are local and immediate).
  bool start(const Options& options, QString* error);
  bool isRunning() const;

  ItemId share(const ShareRequest& request);
  void unshare(ItemId id);
  ItemId connectTo(const ConnectRequest& request);
  void disconnectFrom(ItemId id);
  // Ends the tunnels one friend has open to a share; the share keeps running. With `block`
  // the share turns the key away until it stops (the caller takes it off the allow-list).
  void disconnectPeer(ItemId shareId, const QString& peer, bool block);

  // Asks the engine to stop without waiting here; emits stopFinished() when the thread ended.
  void stopAsync();

 signals:
  void dhtStatusChanged(const PeerPort::DhtInfo& info);
  void shareStarted(const PeerPort::ShareInfo& info);
  void connectStarted(const PeerPort::ConnectInfo& info);
  void peerConnected(PeerPort::ItemId id, const QString& peer, bool relayed);
  // A relayed tunnel found a direct path (relayed == false).
  void pathChanged(PeerPort::ItemId id, bool relayed);
  // broken: the tunnel broke off and `why` says how; otherwise a clean close (why unused).
  void peerDisconnected(PeerPort::ItemId id, const QString& peer, bool broken,
                        PeerPort::ErrorKind why);
  void itemStopped(PeerPort::ItemId id);
  void errorOccurred(const PeerPort::ErrorInfo& error);
  void statsUpdated(const PeerPort::StatsSnapshot& stats);
  void peerStateChanged(PeerPort::ItemId id, PeerPort::PeerState state);
  void peerRefused(PeerPort::ItemId id, const QString& peer);
  void serviceStateChanged(PeerPort::ItemId id, bool up);
  void stopFinished();

 private:
  class Listener;
  std::unique_ptr<Listener> m_listener;
  std::unique_ptr<peerport::engine::Engine> m_engine;
  peerport::crypto::KeyPair m_identity;  // to keep an edited share's key (ShareRequest::keyPort)
  std::thread m_stopper;
};

}  // namespace PeerPort
