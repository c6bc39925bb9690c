#pragma once
// One share's people: who is connected now (alias or key, since when, path, what they moved and
// their rate, from the engine's per-peer stats) and the log of refused attempts, with "Allow" to
// add a refused key to an allow-list share and "Copy key". "Disconnect" ends one friend's tunnels
// while the share keeps running; "Disconnect and block" also takes them off an allow-list share's
// list, at once and without a restart. "Name…" adds a connected or refused key to Friends.

#include <QDialog>

class QPushButton;
class QTableWidget;

namespace PeerPort {

class AppController;

class PeersDialog : public QDialog {
  Q_OBJECT

 public:
  PeersDialog(AppController* app, int shareRow, QWidget* parent = nullptr);
  // Selects the connected friend with this key (hex), as a click on their row would.
  bool selectConnected(const QString& key);

 private:
  void reload();
  QString selectedRefusedKey() const;
  QString selectedConnectedKey() const;
  void updateBlock();
  void disconnectSelected(bool block);

  AppController* m_app;
  int m_row;
  QTableWidget* m_connected;
  QTableWidget* m_refused;
  QPushButton* m_allow;
  QPushButton* m_copy;
  QPushButton* m_disconnect;
  QPushButton* m_block;
  QPushButton* m_name;
};

}  // namespace PeerPort
