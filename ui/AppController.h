#pragma once
// AppController: the app's state without any widget. It owns the EngineBridge, the models, the
// friend book, the settings and the secret store; the main window, the tray and the test hooks
// all act through it, so a click and a scripted test take the same path.

#include <QObject>
#include <QSet>
#include <QString>
#include <memory>

#include "EngineTypes.h"
#include "Profile.h"
#include "ThroughputChart.h"

namespace PeerPort {

class ConnectionsModel;
class EngineBridge;
class FriendBook;
class SecretStore;
class SettingsStore;
class SharesModel;

class AppController : public QObject {
  Q_OBJECT

 public:
  struct Options {
    bool useKeychain = true;
    int keychainTimeoutMs = 5000;
  };

  AppController(const Profile& profile, const Options& options, QObject* parent = nullptr);
  ~AppController() override;

  // Loads the identity (asynchronously, from the keychain), then starts the engine and every
  // share and connection that was running. engineStarted() or engineFailed() follow.
  void start();
  // Saves, stops the engine off the GUI thread, emits shutdownFinished().
  void shutdown();

  const Profile& profile() const { return m_profile; }
  SettingsStore& settings() { return *m_settings; }
  FriendBook* friends() const { return m_friends; }
  SharesModel* shares() const { return m_shares; }
  ConnectionsModel* connections() const { return m_connections; }
  const RateHistory& history() const { return m_history; }
  const DhtInfo& dht() const { return m_dht; }
  const StatsSnapshot& lastStats() const { return m_lastStats; }
  SecretStore* secrets() const { return m_secrets; }
  QString identityKey() const { return m_identityHex; }  // our public key, hex
  bool engineRunning() const;
  QString engineError() const { return m_engineError; }

  // Shares and connections: what the dialogs, the tray and the test hooks call.
  QString duplicateShareError(const ShareRequest& request) const;
  int addShare(const ShareRequest& request);  // adds and starts; returns the row
  void startShare(int row);
  void stopShare(int row);
  void removeShare(int row);
  // Changes a share (its name, allow-list, access, port) and restarts it if it was running.
  // A public or allow-list share keeps its key when its address changes, so friends keep
  // working; a private share keeps its secret link.
  void updateShare(int row, const ShareRequest& request);
  QString duplicateShareError(const ShareRequest& request, int exceptRow) const;
  // Ends the tunnels a friend (hex key) has open to a running share; the share and everyone
  // else stay connected. With `block` (allow-list shares) the key also leaves the allow-list,
  // at once and without a restart; false if it is the list's only key (the share could not
  // start again with none), and then nothing is done.
  bool disconnectPeer(int row, const QString& peer, bool block);
  // `name` is the connection's own; friends (people) are named in the FriendBook.
  int addConnection(const ConnectRequest& request, const QString& hexKey, const QString& name);
  // Renames a connection and moves it to another local port (0: any free one), restarting it
  // if it was running and the port changed.
  void updateConnection(int row, const QString& name, quint16 localPort);
  void startConnection(int row);
  void stopConnection(int row);
  void removeConnection(int row);
  bool allPaused() const { return m_allPaused; }
  void setAllPaused(bool paused);

  // Applies changed network settings by restarting the engine.
  void restartEngine();
  // Saves the language and emits languageChanged(); the DesktopApp swaps the translators and
  // rebuilds its window, so no restart is needed.
  void setLanguage(const QString& code);
  void save();

 signals:
  void identityReady();
  void peerStateChanged();
  void engineStarted();
  void engineFailed(const QString& message);
  void statsUpdated();
  void dhtChanged();
  void peerJoined(const QString& who, const QString& what);
  // Failures worth a notification: a share turned a client away, its service stopped
  // answering, or a connection's share refused us.
  void peerRefused(const QString& who, const QString& what);
  void serviceDown(const QString& what);
  void refusedByShare(const QString& who);
  // A local port we were to listen on is taken, and a connection could only go through a relay.
  void portInUse(const QString& what, quint16 port);
  void relayOnly(const QString& what);
  void languageChanged(const QString& code);
  void errorReported(const PeerPort::ErrorInfo& error, const QString& what);
  void pausedChanged(bool paused);
  void shutdownFinished();

 private:
  void onIdentityLoaded();
  bool startEngine();
  void startRunnableItems();
  void loadItems();
  QString shareSecretName(const ShareRequest& r) const;
  void unshare(ItemId id);
  void stopEngineWhenIdle();
  void stopEngineNow();

  Profile m_profile;
  Options m_options;
  std::unique_ptr<SettingsStore> m_settings;
  SecretStore* m_secrets;
  FriendBook* m_friends;
  SharesModel* m_shares;
  ConnectionsModel* m_connections;
  EngineBridge* m_bridge;
  RateHistory m_history;
  DhtInfo m_dht;
  StatsSnapshot m_lastStats;
  QString m_identityHex;
  QString m_engineError;
  bool m_allPaused = false;
  bool m_restarting = false;
  bool m_shuttingDown = false;
  // Shares told to stop whose Stopped has not come yet (their unannouncement is running).
  QSet<ItemId> m_unsharing;
  bool m_stopWhenIdle = false;
  // At most this long a quit or restart waits for them (DesktopApp gives up on a quit at 8 s,
  // and the engine's own stop takes up to 2 s more).
  static constexpr int kUnshareWaitMs = 4000;
};

}  // namespace PeerPort
