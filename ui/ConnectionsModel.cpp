#include "ConnectionsModel.h"

#include <QBrush>
#include <iterator>

#include "ColumnText.h"
#include "ErrorText.h"
#include "Format.h"
#include "FriendBook.h"
#include "KeyText.h"

namespace PeerPort {

ConnectionsModel::ConnectionsModel(FriendBook* friends, QObject* parent)
    : QAbstractTableModel(parent), m_friends(friends) {
  connect(m_friends, &FriendBook::changed, this, [this] {
    if (!m_rows.isEmpty())
      emit dataChanged(index(0, NameColumn), index(rowCount() - 1, NameColumn));
  });
}

int ConnectionsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConnectionsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

namespace {
const ColumnText kColumns[] = {
    {QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel", "Name"),
     QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel",
                       "The connection's name (Edit… renames it), or a short key")},  // NameColumn
    {QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel", "Local port"),
     QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel",
                       "Where the friend's service appears on this computer; click to copy "
                       "localhost:port")},  // LocalPortColumn
    {QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel", "State"),
     QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel",
                       "How the tunnel is doing: direct, relayed, retrying…")},  // StateColumn
    {QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel", "RTT"),
     QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel",
                       "Round-trip time to the friend")},  // RttColumn
    {QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel", "Rate"),
     QT_TRANSLATE_NOOP("PeerPort::ConnectionsModel",
                       "Current upload and download rate")},  // RateColumn
};
static_assert(std::size(kColumns) == ConnectionsModel::ColumnCount);
}  // namespace

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader<ConnectionsModel>(kColumns, section, orientation, role);
}

QString ConnectionsModel::stateText(const ConnectionRow& r) {
  // With no tunnel open, what the engine's own checks say about the friend is the truth.
  const bool tunnel = r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
  if (!tunnel && r.state != ConnectionState::Stopped && r.state != ConnectionState::Error) {
    switch (r.peer) {
      case PeerState::Online:
        return tr("Online");
      case PeerState::Offline:
        return tr("Friend offline");
      case PeerState::Refused:
        return tr("Not admitted");
      case PeerState::NotFound:
        return tr("Not found");
      case PeerState::Unknown:
        break;
    }
  }
  switch (r.state) {
    case ConnectionState::Stopped:
      return tr("Stopped");
    case ConnectionState::LookingUp:
      return tr("Looking up…");
    case ConnectionState::Ready:
      return tr("Ready");
    case ConnectionState::Punching:
      return tr("Punching…");
    case ConnectionState::Direct:
      return tr("Direct");
    case ConnectionState::Relayed:
      return tr("Relayed");
    case ConnectionState::Retrying:
      return tr("Retrying: %1").arg(r.errorTitle);
    case ConnectionState::Error:
      return tr("Error: %1").arg(r.errorTitle);
  }
  return {};
}

QString ConnectionsModel::stateDetail(const ConnectionRow& r) {
  const bool tunnel = r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
  if (r.state == ConnectionState::Error) return r.errorDetail;
  if (tunnel) {
    return r.state == ConnectionState::Relayed ? tr("A tunnel is open through a relay.")
                                               : tr("A direct tunnel is open.");
  }
  if (r.state == ConnectionState::Stopped) return stateText(r);
  switch (r.peer) {
    case PeerState::Online:
      return tr(
          "Your friend's share is online. A tunnel opens when a program connects to the local "
          "port.");
    case PeerState::Offline:
      return tr(
          "Your friend's share was online earlier and is not on the network now (paused, quit or "
          "offline). PeerPort checks again every 30 seconds.");
    case PeerState::Refused:
      return tr(
          "Your friend's share is online but did not admit this computer: it admits only the "
          "friends on its allow-list (or it stopped just now). Send your key (Settings → Identity) "
          "and ask to be added.");
    case PeerState::NotFound:
      return ErrorText::sentence(ErrorKind::PeerNotFound);
    case PeerState::Unknown:
      break;
  }
  return r.state == ConnectionState::Retrying ? r.errorDetail : stateText(r);
}

QColor ConnectionsModel::stateColor(const ConnectionRow& r) {
  const bool tunnel = r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
  if (r.state == ConnectionState::Error) return Format::badColor();
  if (tunnel) return Format::goodColor();
  if (r.state == ConnectionState::Stopped) return {};
  if (r.peer == PeerState::Refused) return Format::badColor();
  if (r.peer == PeerState::Online) return Format::goodColor();
  return {};
}

bool ConnectionsModel::hasRate(const ConnectionRow& r) {
  const bool tunnel = r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
  if (tunnel) return true;
  if (r.state == ConnectionState::Stopped || r.state == ConnectionState::Error) return false;
  return r.peer != PeerState::Offline && r.peer != PeerState::Refused &&
         r.peer != PeerState::NotFound;
}

QString ConnectionsModel::name(int row) const {
  const ConnectionRow& r = m_rows.at(row);
  if (!r.name.isEmpty()) return r.name;
  const QString a = m_friends->alias(r.publicKey);
  return a.isEmpty() ? KeyText::shortKey(r.publicKey) : a;
}

void ConnectionsModel::setName(int row, const QString& name) {
  m_rows[row].name = name.trimmed();
  emitRowChanged(row);
}

void ConnectionsModel::setLocalPort(int row, quint16 port) {
  ConnectionRow& r = m_rows[row];
  r.request.port = port;
  r.localPort = port;
  emitRowChanged(row);
}

QVariant ConnectionsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_rows.size()) return {};
  const ConnectionRow& r = m_rows.at(index.row());
  const quint16 port = r.localPort ? r.localPort : r.request.port;
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case NameColumn:
        return name(index.row());
      case LocalPortColumn:
        return port
                   ? QStringLiteral("localhost:%1 (%2)").arg(port).arg(Format::protocol(r.protocol))
                   : tr("auto");
      case StateColumn:
        return stateText(r);
      case RttColumn:
        return r.rttMs >= 0 ? tr("%1 ms").arg(r.rttMs) : QStringLiteral("—");
      case RateColumn:
        return hasRate(r) ? Format::upDown(r.rateUp, r.rateDown) : QStringLiteral("—");
    }
  } else if (role == Qt::ToolTipRole) {
    switch (index.column()) {
      case NameColumn: {
        // A share run under its owner's own key (hypertele's server, a seed shared as the
        // identity) is that friend: say who, beside the connection's own name.
        const QString friendName = m_friends->alias(r.publicKey);
        if (friendName.isEmpty() || r.name.isEmpty()) return r.publicKey;
        return tr("Shared by %1").arg(friendName) + QLatin1Char('\n') + r.publicKey;
      }
      case LocalPortColumn:
        return port ? tr("Click to copy localhost:%1").arg(port) : QVariant();
      case StateColumn:
        return stateDetail(r);
      case RateColumn:
        return hasRate(r) ? tr("Up (to the friend) and down (from the friend)")
                          : tr("No tunnel to the friend's share now, so no rate");
      default:
        return {};
    }
  } else if (role == Qt::ForegroundRole && index.column() == StateColumn) {
    const QColor c = stateColor(r);
    if (c.isValid()) return QBrush(c);
  } else if (role == Qt::TextAlignmentRole &&
             (index.column() == RttColumn || index.column() == RateColumn)) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == Qt::UserRole) {
    return QVariant::fromValue(r.id);
  }
  return {};
}

int ConnectionsModel::addConnection(const ConnectRequest& request, const QString& publicKey,
                                    const QString& name) {
  const int row = static_cast<int>(m_rows.size());
  beginInsertRows({}, row, row);
  ConnectionRow r;
  r.request = request;
  r.publicKey = publicKey.toLower();
  r.name = name.trimmed();
  m_rows.push_back(r);
  endInsertRows();
  return row;
}

void ConnectionsModel::removeRow(int row) {
  if (row < 0 || row >= m_rows.size()) return;
  beginRemoveRows({}, row, row);
  m_rows.removeAt(row);
  endRemoveRows();
}

int ConnectionsModel::rowOfId(ItemId id) const {
  if (id == 0) return -1;
  for (int i = 0; i < m_rows.size(); ++i) {
    if (m_rows[i].id == id) return i;
  }
  return -1;
}

void ConnectionsModel::emitRowChanged(int row) {
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ConnectionsModel::setRunning(int row, ItemId id) {
  ConnectionRow& r = m_rows[row];
  r.id = id;
  r.tunnels = 0;
  r.state = ConnectionState::LookingUp;
  r.errorTitle.clear();
  r.errorDetail.clear();
  emitRowChanged(row);
}

void ConnectionsModel::setStopped(int row) {
  ConnectionRow& r = m_rows[row];
  r.id = 0;
  r.state = ConnectionState::Stopped;
  r.tunnels = 0;
  r.active = 0;
  r.rateUp = r.rateDown = 0;
  r.rttMs = -1;
  r.peer = PeerState::Unknown;
  emitRowChanged(row);
}

void ConnectionsModel::onStarted(const ConnectInfo& info) {
  const int row = rowOfId(info.id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.localPort = info.port;
  r.protocol = info.protocol;
  if (!info.publicKey.isEmpty()) r.publicKey = info.publicKey.toLower();
  if (r.state == ConnectionState::LookingUp || r.state == ConnectionState::Retrying)
    r.state = ConnectionState::Ready;
  emitRowChanged(row);
}

void ConnectionsModel::onPeerConnected(ItemId id, bool relayed) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.state = relayed ? ConnectionState::Relayed : ConnectionState::Direct;
  r.tunnels += 1;
  r.lastRelayed = relayed;
  r.peer = PeerState::Online;
  r.errorTitle.clear();
  r.errorDetail.clear();
  emitRowChanged(row);
}

void ConnectionsModel::onPathChanged(ItemId id, bool relayed) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.lastRelayed = relayed;
  if (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed) {
    r.state = relayed ? ConnectionState::Relayed : ConnectionState::Direct;
  }
  emitRowChanged(row);
}

void ConnectionsModel::onPeerDisconnected(ItemId id) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  // A clean close of one tunnel (one TCP connection) says nothing about the path: keep it.
  // The engine also reports a local client whose tunnel never opened; with another tunnel
  // open that undercounts by one until the next PeerConnected (the row says Online, not
  // Direct, meanwhile: never the other way round).
  if (r.tunnels > 0) r.tunnels -= 1;
  if (r.tunnels == 0 &&
      (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed)) {
    r.state = ConnectionState::Ready;  // the last tunnel closed: none open, say so now
  }
  emitRowChanged(row);
}

void ConnectionsModel::onPeerDisconnected(ItemId id, ErrorKind why) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  // A broken tunnel is shown in our words for its code, never in the engine's English text.
  // The friend's state stays what the engine said last: it reports only changes, so a state
  // reset here stayed "Retrying" for good while the friend was online all along.
  if (r.tunnels > 0) r.tunnels -= 1;
  r.state = ConnectionState::Retrying;
  r.errorTitle = ErrorText::title(why);
  r.errorDetail = ErrorText::sentence(why) + QStringLiteral("\n\n") +
                  tr("Code: %1").arg(ErrorText::stableName(why));
  emitRowChanged(row);
}

void ConnectionsModel::onError(const ErrorInfo& error) {
  const int row = rowOfId(error.id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.errorTitle = ErrorText::title(error.kind);
  r.errorDetail = ErrorText::sentence(error.kind) +
                  (error.message.isEmpty() ? QString() : QStringLiteral("\n\n") + error.message);
  r.state = error.fatal ? ConnectionState::Error : ConnectionState::Retrying;
  emitRowChanged(row);
}

void ConnectionsModel::onItemStopped(ItemId id) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.id = 0;
  r.tunnels = 0;
  r.active = 0;
  r.rateUp = r.rateDown = 0;
  r.peer = PeerState::Unknown;
  if (r.state != ConnectionState::Error) r.state = ConnectionState::Stopped;
  emitRowChanged(row);
}

void ConnectionsModel::onPeerState(ItemId id, PeerState state) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ConnectionRow& r = m_rows[row];
  r.peer = state;
  // An older "not found" or refusal says nothing once the share answers again, and a gone
  // share has no tunnel left.
  if (state == PeerState::Online && r.state == ConnectionState::Retrying) {
    r.state = ConnectionState::Ready;
    r.errorTitle.clear();
    r.errorDetail.clear();
  } else if (state != PeerState::Online && r.tunnels == 0 &&
             (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed)) {
    r.state = ConnectionState::Ready;
  }
  emitRowChanged(row);
}

void ConnectionsModel::onStats(const StatsSnapshot& stats) {
  for (const ItemStats& s : stats.items) {
    const int row = rowOfId(s.id);
    if (row < 0) continue;
    ConnectionRow& r = m_rows[row];
    r.rateUp = s.rateOut;  // local side -> peer
    r.rateDown = s.rateIn;
    r.active = s.active;
    // A round-trip time belongs to an open tunnel; with none it would be a stale figure.
    if (s.active == 0)
      r.rttMs = -1;
    else if (s.rttMs > 0)
      r.rttMs = static_cast<int>(s.rttMs);
    // `active` counts local clients, including one still waiting for its tunnel (to a share
    // that refuses us, that wait lasts until the handshake times out): only PeerConnected
    // says a tunnel is open. Inferring "Direct" from it showed a refused friend as Direct.
    // No tunnel open any more: "Direct" would be a claim about a path that is gone.
    if (s.active == 0) {
      r.tunnels = 0;
      if (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed)
        r.state = ConnectionState::Ready;
    }
  }
  if (!m_rows.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

StatsSnapshot ConnectionsModel::withoutStaleRates(const StatsSnapshot& stats) const {
  StatsSnapshot out = stats;
  for (ItemStats& s : out.items) {
    const int row = rowOfId(s.id);
    if (row >= 0 && !hasRate(m_rows[row])) s.rateIn = s.rateOut = 0;
  }
  return out;
}

int ConnectionsModel::onlineCount() const {
  int n = 0;
  for (const ConnectionRow& r : m_rows) {
    const bool tunnel = r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
    n += (r.id != 0 && (tunnel || r.peer == PeerState::Online)) ? 1 : 0;
  }
  return n;
}

int ConnectionsModel::connectedCount() const {
  int n = 0;
  for (const ConnectionRow& r : m_rows) {
    n += (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed) ? 1 : 0;
  }
  return n;
}

}  // namespace PeerPort
