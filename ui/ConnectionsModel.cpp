#include "ConnectionsModel.h"

#include <QBrush>

#include "ErrorText.h"
#include "Format.h"
#include "FriendBook.h"
#include "KeyText.h"

namespace PeerPort {

ConnectionsModel::ConnectionsModel(FriendBook* friends, QObject* parent)
    : QAbstractTableModel(parent)
    , m_friends(friends)
{
    connect(m_friends, &FriendBook::changed, this, [this] {
        if (!m_rows.isEmpty()) emit dataChanged(index(0, FriendColumn), index(rowCount() - 1, FriendColumn));
    });
}

int ConnectionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConnectionsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case FriendColumn: return tr("Friend");
        case LocalPortColumn: return tr("Local port");
        case StateColumn: return tr("State");
        case RttColumn: return tr("RTT");
        case RateColumn: return tr("Rate");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case FriendColumn: return tr("Whose share this is: the alias from Friends, or a short key");
        case LocalPortColumn: return tr("Where the friend's service appears on this computer; click to copy localhost:port");
        case StateColumn: return tr("How the tunnel is doing: direct, relayed, retrying…");
        case RttColumn: return tr("Round-trip time to the friend");
        case RateColumn: return tr("Current upload and download rate");
        }
    }
    return {};
}

QString ConnectionsModel::stateText(const ConnectionRow& r)
{
    switch (r.state) {
    case ConnectionState::Stopped: return tr("Stopped");
    case ConnectionState::LookingUp: return tr("Looking up…");
    case ConnectionState::Ready: return tr("Ready");
    case ConnectionState::Punching: return tr("Punching…");
    case ConnectionState::Direct: return tr("Direct");
    case ConnectionState::Relayed: return tr("Relayed");
    case ConnectionState::Retrying: return tr("Retrying: %1").arg(r.errorTitle);
    case ConnectionState::Error: return tr("Error: %1").arg(r.errorTitle);
    }
    return {};
}

QString ConnectionsModel::friendName(int row) const
{
    const ConnectionRow& r = m_rows.at(row);
    const QString a = m_friends->alias(r.publicKey);
    if (!a.isEmpty()) return a;
    if (!r.alias.isEmpty()) return r.alias;
    return KeyText::shortKey(r.publicKey);
}

QVariant ConnectionsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) return {};
    const ConnectionRow& r = m_rows.at(index.row());
    const quint16 port = r.localPort ? r.localPort : r.request.port;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case FriendColumn: return friendName(index.row());
        case LocalPortColumn:
            return port ? QStringLiteral("localhost:%1 (%2)").arg(port).arg(Format::protocol(r.protocol))
                        : tr("auto");
        case StateColumn: return stateText(r);
        case RttColumn: return r.rttMs >= 0 ? tr("%1 ms").arg(r.rttMs) : QStringLiteral("—");
        case RateColumn: return Format::upDown(r.rateUp, r.rateDown);
        }
    } else if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case FriendColumn: return r.publicKey;
        case LocalPortColumn: return port ? tr("Click to copy localhost:%1").arg(port) : QVariant();
        case StateColumn:
            return (r.state == ConnectionState::Error || r.state == ConnectionState::Retrying) ? r.errorDetail
                                                                                               : stateText(r);
        case RateColumn: return tr("Up (to the friend) and down (from the friend)");
        default: return {};
        }
    } else if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        if (r.state == ConnectionState::Error) return QBrush(QColor(0xc0, 0x1c, 0x28));
        if (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed) return QBrush(QColor(0x26, 0x8b, 0x3c));
    } else if (role == Qt::TextAlignmentRole && (index.column() == RttColumn || index.column() == RateColumn)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::UserRole) {
        return QVariant::fromValue(r.id);
    }
    return {};
}

int ConnectionsModel::addConnection(const ConnectRequest& request, const QString& publicKey)
{
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows({}, row, row);
    ConnectionRow r;
    r.request = request;
    r.publicKey = publicKey.toLower();
    m_rows.push_back(r);
    endInsertRows();
    return row;
}

void ConnectionsModel::removeRow(int row)
{
    if (row < 0 || row >= m_rows.size()) return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int ConnectionsModel::rowOfId(ItemId id) const
{
    if (id == 0) return -1;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id) return i;
    }
    return -1;
}

void ConnectionsModel::emitRowChanged(int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); }

void ConnectionsModel::setRunning(int row, ItemId id)
{
    ConnectionRow& r = m_rows[row];
    r.id = id;
    r.state = ConnectionState::LookingUp;
    r.errorTitle.clear();
    r.errorDetail.clear();
    emitRowChanged(row);
}

void ConnectionsModel::setStopped(int row)
{
    ConnectionRow& r = m_rows[row];
    r.id = 0;
    r.state = ConnectionState::Stopped;
    r.active = 0;
    r.rateUp = r.rateDown = 0;
    r.rttMs = -1;
    emitRowChanged(row);
}

void ConnectionsModel::onStarted(const ConnectInfo& info)
{
    const int row = rowOfId(info.id);
    if (row < 0) return;
    ConnectionRow& r = m_rows[row];
    r.localPort = info.port;
    r.protocol = info.protocol;
    if (!info.publicKey.isEmpty()) r.publicKey = info.publicKey.toLower();
    if (r.state == ConnectionState::LookingUp || r.state == ConnectionState::Retrying) r.state = ConnectionState::Ready;
    emitRowChanged(row);
}

void ConnectionsModel::onPeerConnected(ItemId id, bool relayed)
{
    const int row = rowOfId(id);
    if (row < 0) return;
    ConnectionRow& r = m_rows[row];
    r.state = relayed ? ConnectionState::Relayed : ConnectionState::Direct;
    r.errorTitle.clear();
    r.errorDetail.clear();
    emitRowChanged(row);
}

void ConnectionsModel::onPeerDisconnected(ItemId id, const QString& reason)
{
    const int row = rowOfId(id);
    if (row < 0) return;
    ConnectionRow& r = m_rows[row];
    // A clean close of one tunnel (one TCP connection) says nothing about the path: keep it.
    if (!reason.isEmpty()) {
        r.state = ConnectionState::Retrying;
        r.errorTitle = reason;
        r.errorDetail = reason;
    }
    emitRowChanged(row);
}

void ConnectionsModel::onError(const ErrorInfo& error)
{
    const int row = rowOfId(error.id);
    if (row < 0) return;
    ConnectionRow& r = m_rows[row];
    r.errorTitle = ErrorText::title(error.kind);
    r.errorDetail = ErrorText::sentence(error.kind)
                    + (error.message.isEmpty() ? QString() : QStringLiteral("\n\n") + error.message);
    r.state = error.fatal ? ConnectionState::Error : ConnectionState::Retrying;
    emitRowChanged(row);
}

void ConnectionsModel::onItemStopped(ItemId id)
{
    const int row = rowOfId(id);
    if (row < 0) return;
    ConnectionRow& r = m_rows[row];
    r.id = 0;
    r.active = 0;
    r.rateUp = r.rateDown = 0;
    if (r.state != ConnectionState::Error) r.state = ConnectionState::Stopped;
    emitRowChanged(row);
}

void ConnectionsModel::onStats(const StatsSnapshot& stats)
{
    for (const ItemStats& s : stats.items) {
        const int row = rowOfId(s.id);
        if (row < 0) continue;
        ConnectionRow& r = m_rows[row];
        r.rateUp = s.rateOut;  // local side -> peer
        r.rateDown = s.rateIn;
        r.active = s.active;
        if (s.rttMs > 0) r.rttMs = static_cast<int>(s.rttMs);
        // Traffic on a tunnel we have not yet seen a PeerConnected for still means it is up.
        if (s.active > 0 && (r.state == ConnectionState::Ready || r.state == ConnectionState::LookingUp)) {
            r.state = ConnectionState::Direct;
        }
    }
    if (!m_rows.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ConnectionsModel::connectedCount() const
{
    int n = 0;
    for (const ConnectionRow& r : m_rows) {
        n += (r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed) ? 1 : 0;
    }
    return n;
}

}  // namespace PeerPort
