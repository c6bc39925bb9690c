#pragma once
// The "Connections" table: one row per key the user connected to, running or paused.

#include <QAbstractTableModel>
#include <QVector>

#include "EngineTypes.h"

namespace PeerPort {

class FriendBook;

enum class ConnectionState {
  Stopped,    // paused by the user
  LookingUp,  // posted; finding the key on the DHT
  Ready,      // local port open, no tunnel open right now
  Punching,   // a tunnel is being set up
  Direct,     // a tunnel is open now (a local client uses it)
  Relayed,
  Retrying,  // lost or failed, the engine tries again
  Error,
};

struct ConnectionRow {
  ConnectRequest request;
  QString publicKey;  // hex, from the key text
  // The connection's own name ("Alice's web server"). Friends are people (identity keys);
  // a connection reaches a share's key, so it is named on its own.
  QString name;
  ItemId id = 0;
  bool enabled = true;  // the user wants it running (persisted; false: paused)
  ConnectionState state = ConnectionState::Stopped;
  quint16 localPort = 0;  // the actual port once known
  Protocol protocol = Protocol::Tcp;
  QString errorTitle;
  QString errorDetail;
  // Whether the friend's share is reachable, from the engine's own checks (not only when a
  // local client connects). Shown whenever no tunnel is open.
  PeerState peer = PeerState::Unknown;
  bool lastRelayed = false;  // the path of the last tunnel, for the tooltip and notifications
  int rttMs = -1;
  // Tunnels open now, counted from PeerConnected/PeerDisconnected (one each per tunnel). The
  // stats' `active` also counts local clients still waiting for a tunnel, and comes a tick late.
  int tunnels = 0;
  quint64 active = 0;
  double rateUp = 0;
  double rateDown = 0;
};

class ConnectionsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    LocalPortColumn,
    StateColumn,
    RttColumn,
    RateColumn,
    ColumnCount,
  };

  explicit ConnectionsModel(FriendBook* friends, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  int addConnection(const ConnectRequest& request, const QString& publicKey,
                    const QString& name = QString());
  void removeRow(int row);
  const ConnectionRow& row(int r) const { return m_rows.at(r); }
  const QVector<ConnectionRow>& rows() const { return m_rows; }
  int rowOfId(ItemId id) const;
  // The connection's name, else an alias the friend book has for the share's key (kept from
  // before connections had names of their own), else a short key.
  QString name(int row) const;
  void setName(int row, const QString& name);
  // A new local port (0: any free one); the caller restarts the connection.
  void setLocalPort(int row, quint16 port);

  void setRunning(int row, ItemId id);
  void setStopped(int row);
  void setEnabled(int row, bool enabled) { m_rows[row].enabled = enabled; }
  void setKeyText(int row, const QString& text) { m_rows[row].request.key = text; }
  void onStarted(const ConnectInfo& info);
  void onPeerConnected(ItemId id, bool relayed);
  // A tunnel that is open already moved path (a relayed one found a direct path).
  void onPathChanged(ItemId id, bool relayed);
  // A tunnel closed: cleanly, or broken off for the reason `why` (shown in our own words).
  void onPeerDisconnected(ItemId id);
  void onPeerDisconnected(ItemId id, ErrorKind why);
  void onError(const ErrorInfo& error);
  void onItemStopped(ItemId id);
  void onStats(const StatsSnapshot& stats);
  void onPeerState(ItemId id, PeerState state);

  // `stats` with the rates of rows that have none now (hasRate() false) set to 0, for the
  // chart: its "now" legend read the decaying average beside a "Friend offline" row.
  StatsSnapshot withoutStaleRates(const StatsSnapshot& stats) const;

  int connectedCount() const;  // tunnels open now
  int onlineCount() const;     // friends' shares reachable now (tunnel or not)
  static QString stateText(const ConnectionRow& r);
  static QString stateDetail(const ConnectionRow& r);
  // Red for errors and refusals, green for a tunnel or an online friend; invalid: the default.
  static QColor stateColor(const ConnectionRow& r);
  // False when the row has no tunnel and cannot have one now (stopped, failed, or the friend
  // offline, refusing or not found): its rate is shown as "—", not the engine's averaged rate
  // decaying over the seconds after the tunnel went away.
  static bool hasRate(const ConnectionRow& r);

 private:
  void emitRowChanged(int row);

  FriendBook* m_friends;
  QVector<ConnectionRow> m_rows;
};

}  // namespace PeerPort
