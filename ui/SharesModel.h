#pragma once
// The "Shared ports" table: one row per share the user made, whether running or paused.
// Rows are keyed by a stable row key (persisted) and, while running, by the engine's id.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QVector>
#include <optional>

#include "EngineTypes.h"

namespace PeerPort {

class FriendBook;

enum class ShareState {
  Stopped,     // paused by the user
  Announcing,  // posted, waiting for ShareStarted
  Listening,
  Error,
};

// One client the allow-list turned away: the engine reports each at most every 10 s.
struct Refusal {
  QString peer;  // hex key
  QDateTime last;
  int count = 0;
};

struct ShareRow {
  ShareRequest request;
  ItemId id = 0;        // engine id while running, else 0
  bool enabled = true;  // the user wants it running (persisted; false: paused)
  ShareState state = ShareState::Stopped;
  QString errorTitle;
  QString errorDetail;
  ShareInfo info;             // keys, once started (kept while stopped, for display)
  QHash<QString, int> peers;  // connected peers' keys -> open tunnels (one per TCP connection)
  QHash<QString, QDateTime> since;  // connected peers' keys -> when their first tunnel opened
  QHash<QString, bool>
      relayed;  // connected peers' keys -> their latest tunnel went through a relay
  QHash<QString, PeerStats>
      traffic;                // connected peers' keys -> bytes and rates, from the last stats tick
  QVector<Refusal> refusals;  // newest first, at most SharesModel::kMaxRefusals
  std::optional<bool> serviceUp;  // TCP shares: does the local service accept connections?
  quint64 active = 0;
  double rateUp = 0;    // to friends
  double rateDown = 0;  // from friends
};

class SharesModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    ServiceColumn,
    AccessColumn,
    KeyColumn,
    StatusColumn,
    PeersColumn,
    RateColumn,
    ColumnCount,
  };

  explicit SharesModel(FriendBook* friends, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  int addShare(const ShareRequest& request);  // returns the row; state Stopped
  void removeRow(int row);
  const ShareRow& row(int r) const { return m_rows.at(r); }
  const QVector<ShareRow>& rows() const { return m_rows; }
  int rowOfId(ItemId id) const;
  // Another share (not `exceptRow`) serves host:port/protocol, or keeps the key derived from it
  // after an edit (two shares would then announce the same key).
  bool contains(const QString& host, quint16 port, Protocol protocol, int exceptRow = -1) const;
  // What the user calls the share: its name, else host:port.
  QString label(int row) const;

  void setRunning(int row, ItemId id);  // -> Announcing
  void setStopped(int row);
  void setEnabled(int row, bool enabled) { m_rows[row].enabled = enabled; }
  void setRequest(int row, const ShareRequest& request) {
    m_rows[row].request = request;
    emitRowChanged(row);
  }
  // Engine events.
  void onStarted(const ShareInfo& info);
  void onPeerConnected(ItemId id, const QString& peer, bool relayed = false);
  void onPeerDisconnected(ItemId id, const QString& peer);
  void onError(const ErrorInfo& error);
  void onItemStopped(ItemId id);
  void onStats(const StatsSnapshot& stats);
  void onPeerRefused(ItemId id, const QString& peer);
  void onServiceState(ItemId id, bool up);

  int listeningCount() const;
  int activePeerCount() const;             // distinct friends with a tunnel open, over all shares
  static constexpr int kMaxRefusals = 50;  // per share, so a client cycling keys cannot grow it
  QString statusText(int row) const;

 private:
  void emitRowChanged(int row);

  FriendBook* m_friends;
  QVector<ShareRow> m_rows;
};

}  // namespace PeerPort
