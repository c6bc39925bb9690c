#include "SharesModel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QSet>
#include <iterator>

#include "ColumnText.h"
#include "ErrorText.h"
#include "Format.h"
#include "FriendBook.h"
#include "KeyText.h"

namespace PeerPort {

namespace {
// The copy icon drawn in the palette's text color, so it reads on a light or a dark base (its
// fixed grey vanished under a dark palette). Kept while the palette's text color stays.
QIcon copyIcon() {
  static QIcon icon;
  static QRgb made = 0;
  const QColor color = QGuiApplication::palette().color(QPalette::Text);
  if (icon.isNull() || made != color.rgba()) {
    QPixmap pix = QIcon(QStringLiteral(":/icons/copy.svg")).pixmap(QSize(16, 16), 2.0);
    QPainter p(&pix);
    p.setCompositionMode(QPainter::CompositionMode_SourceIn);
    p.fillRect(pix.rect(), color);
    p.end();
    icon = QIcon(pix);
    made = color.rgba();
  }
  return icon;
}
}  // namespace

SharesModel::SharesModel(FriendBook* friends, QObject* parent)
    : QAbstractTableModel(parent), m_friends(friends) {
  connect(m_friends, &FriendBook::changed, this, [this] {
    if (!m_rows.isEmpty())
      emit dataChanged(index(0, PeersColumn), index(rowCount() - 1, PeersColumn));
  });
}

int SharesModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SharesModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

namespace {
const ColumnText kColumns[] = {
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Service"),
     QT_TRANSLATE_NOOP("PeerPort::SharesModel",
                       "The share's name and the local service friends reach: host:port and "
                       "protocol")},  // ServiceColumn
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Access"),
     QT_TRANSLATE_NOOP("PeerPort::SharesModel",
                       "Who may connect: anyone with the key, listed friends, or holders of a "
                       "secret")},  // AccessColumn
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Key"),
     QT_TRANSLATE_NOOP(
         "PeerPort::SharesModel",
         "The key to give your friend; click the copy icon to copy it")},  // KeyColumn
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Status"),
     QT_TRANSLATE_NOOP("PeerPort::SharesModel",
                       "Whether the share is published on the network")},  // StatusColumn
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Peers"),
     QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Friends connected now")},  // PeersColumn
    {QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Rate"),
     QT_TRANSLATE_NOOP("PeerPort::SharesModel", "Current upload and download rate")},  // RateColumn
};
static_assert(std::size(kColumns) == SharesModel::ColumnCount);
}  // namespace

QVariant SharesModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader<SharesModel>(kColumns, section, orientation, role);
}

static QString stateText(const ShareRow& r) {
  switch (r.state) {
    case ShareState::Stopped:
      return SharesModel::tr("Stopped");
    case ShareState::Announcing:
      return SharesModel::tr("Announcing…");
    case ShareState::Listening:
      // Published, but a friend would reach nothing: say so where the user looks.
      if (r.serviceUp == false) return SharesModel::tr("Service down");
      if (!r.refusals.isEmpty() &&
          r.refusals.first().last.secsTo(QDateTime::currentDateTime()) < 600) {
        return SharesModel::tr("Listening, refused %n key(s)", nullptr,
                               static_cast<int>(r.refusals.size()));
      }
      return SharesModel::tr("Listening");
    case ShareState::Error:
      return SharesModel::tr("Error: %1").arg(r.errorTitle);
  }
  return {};
}

QVariant SharesModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_rows.size()) return {};
  const ShareRow& r = m_rows.at(index.row());
  const QString service = QStringLiteral("%1:%2").arg(r.request.host).arg(r.request.port);
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case ServiceColumn:
        if (r.request.name.isEmpty())
          return QStringLiteral("%1 (%2)").arg(service, Format::protocol(r.request.protocol));
        return QStringLiteral("%1 — %2 (%3)")
            .arg(r.request.name, service, Format::protocol(r.request.protocol));
      case AccessColumn:
        return Format::access(r.request.access);
      case KeyColumn:
        if (r.info.publicKey.isEmpty()) return QStringLiteral("—");
        return r.request.access == Access::Private ? tr("secret link")
                                                   : KeyText::shortKey(r.info.publicKey);
      case StatusColumn:
        return stateText(r);
      case PeersColumn:
        return static_cast<qulonglong>(r.peers.size());
      case RateColumn:
        return Format::upDown(r.rateUp, r.rateDown);
    }
  } else if (role == Qt::ToolTipRole) {
    switch (index.column()) {
      case ServiceColumn:
        // The Access column gives way at a narrow width: the tooltip still says it.
        return tr("%1 (%2), access: %3")
            .arg(service, Format::protocol(r.request.protocol), Format::access(r.request.access));
      case KeyColumn:
        if (r.info.url.isEmpty()) return {};
        // A private share's link is its secret: never on screen by hovering.
        if (r.request.access == Access::Private) {
          return tr("The secret link is hidden. Use Copy key to copy it for a friend.");
        }
        return QVariant(r.info.publicKey + QLatin1Char('\n') + r.info.url + QLatin1Char('\n') +
                        tr("Click to copy the key"));
      case StatusColumn: {
        if (r.state == ShareState::Error) return r.errorDetail;
        QString tip = stateText(r);
        if (r.state == ShareState::Listening && r.serviceUp == false) {
          tip = ErrorText::sentence(ErrorKind::ServiceUnreachable) + QLatin1Char(' ') +
                tr("Nothing accepts connections on %1.").arg(service);
        }
        for (const Refusal& f : r.refusals) {
          tip += QLatin1Char('\n') +
                 tr("Refused %1 at %2 (%n attempt(s)): not on the allow-list", nullptr, f.count)
                     .arg(m_friends->displayName(f.peer),
                          QLocale().toString(f.last.time(), QLocale::ShortFormat));
        }
        return tip;
      }
      case PeersColumn: {
        QStringList names;
        for (auto it = r.peers.begin(); it != r.peers.end(); ++it) {
          QString line =
              tr("%1, since %2")
                  .arg(m_friends->displayName(it.key()),
                       QLocale().toString(r.since.value(it.key()).time(), QLocale::ShortFormat));
          const auto t = r.traffic.constFind(it.key());
          if (t != r.traffic.cend())
            line += QStringLiteral(", ") + Format::upDown(t->rateOut, t->rateIn);
          names << line;
        }
        names.sort();
        return names.isEmpty() ? tr("Nobody connected") : names.join(QLatin1Char('\n'));
      }
      case RateColumn:
        return tr("Up (to friends) and down (from friends)");
      default:
        return {};
    }
  } else if (role == Qt::ForegroundRole && index.column() == StatusColumn &&
             (r.state == ShareState::Error ||
              (r.state == ShareState::Listening && r.serviceUp == false))) {
    return QBrush(Format::badColor());
  } else if (role == Qt::TextAlignmentRole &&
             (index.column() == PeersColumn || index.column() == RateColumn)) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == Qt::DecorationRole && index.column() == KeyColumn &&
             !r.info.publicKey.isEmpty()) {
    return copyIcon();
  } else if (role == Qt::UserRole) {
    return QVariant::fromValue(r.id);
  }
  return {};
}

int SharesModel::addShare(const ShareRequest& request) {
  const int row = static_cast<int>(m_rows.size());
  beginInsertRows({}, row, row);
  ShareRow r;
  r.request = request;
  m_rows.push_back(r);
  endInsertRows();
  return row;
}

void SharesModel::removeRow(int row) {
  if (row < 0 || row >= m_rows.size()) return;
  beginRemoveRows({}, row, row);
  m_rows.removeAt(row);
  endRemoveRows();
}

int SharesModel::rowOfId(ItemId id) const {
  if (id == 0) return -1;
  for (int i = 0; i < m_rows.size(); ++i) {
    if (m_rows[i].id == id) return i;
  }
  return -1;
}

bool SharesModel::contains(const QString& host, quint16 port, Protocol protocol,
                           int exceptRow) const {
  for (int i = 0; i < m_rows.size(); ++i) {
    if (i == exceptRow) continue;
    const ShareRequest& r = m_rows[i].request;
    if (r.host == host && r.port == port && r.protocol == protocol) return true;
    if (r.keyPort != 0 && r.access != Access::Private && r.keyHost == host && r.keyPort == port &&
        r.keyProtocol == protocol) {
      return true;
    }
  }
  return false;
}

QString SharesModel::label(int row) const {
  const ShareRequest& r = m_rows.at(row).request;
  return r.name.isEmpty() ? QStringLiteral("%1:%2").arg(r.host).arg(r.port) : r.name;
}

void SharesModel::emitRowChanged(int row) {
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void SharesModel::setRunning(int row, ItemId id) {
  ShareRow& r = m_rows[row];
  r.id = id;
  r.state = ShareState::Announcing;
  r.errorTitle.clear();
  r.errorDetail.clear();
  emitRowChanged(row);
}

void SharesModel::setStopped(int row) {
  ShareRow& r = m_rows[row];
  r.id = 0;
  r.state = ShareState::Stopped;
  r.peers.clear();
  r.since.clear();
  r.relayed.clear();
  r.traffic.clear();
  r.serviceUp.reset();
  r.active = 0;
  r.rateUp = r.rateDown = 0;
  emitRowChanged(row);
}

void SharesModel::onStarted(const ShareInfo& info) {
  const int row = rowOfId(info.id);
  if (row < 0) return;
  ShareRow& r = m_rows[row];
  r.info = info;
  r.state = ShareState::Listening;
  r.errorTitle.clear();
  r.errorDetail.clear();
  if (!info.secret.isEmpty()) r.request.secret = info.secret;
  emitRowChanged(row);
}

void SharesModel::onPeerConnected(ItemId id, const QString& peer, bool relayed) {
  const int row = rowOfId(id);
  if (row < 0) return;
  const QString key = peer.toLower();
  if (!m_rows[row].peers.contains(key)) m_rows[row].since.insert(key, QDateTime::currentDateTime());
  m_rows[row].peers[key] += 1;
  m_rows[row].relayed.insert(key, relayed);
  emitRowChanged(row);
}

void SharesModel::onPeerDisconnected(ItemId id, const QString& peer) {
  const int row = rowOfId(id);
  if (row < 0) return;
  auto it = m_rows[row].peers.find(peer.toLower());
  if (it != m_rows[row].peers.end() && --it.value() <= 0) {
    m_rows[row].since.remove(it.key());
    m_rows[row].relayed.remove(it.key());
    m_rows[row].peers.erase(it);
  }
  emitRowChanged(row);
}

void SharesModel::onError(const ErrorInfo& error) {
  const int row = rowOfId(error.id);
  if (row < 0) return;
  ShareRow& r = m_rows[row];
  r.errorTitle = ErrorText::title(error.kind);
  r.errorDetail = ErrorText::sentence(error.kind) +
                  (error.message.isEmpty() ? QString() : QStringLiteral("\n\n") + error.message);
  // A non-fatal error (a dead service for one connection) is shown but the share keeps going.
  if (error.fatal || r.state != ShareState::Listening) r.state = ShareState::Error;
  emitRowChanged(row);
}

void SharesModel::onItemStopped(ItemId id) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ShareRow& r = m_rows[row];
  r.id = 0;
  r.peers.clear();
  r.since.clear();
  r.relayed.clear();
  r.traffic.clear();
  r.serviceUp.reset();
  r.active = 0;
  r.rateUp = r.rateDown = 0;
  if (r.state != ShareState::Error) r.state = ShareState::Stopped;
  emitRowChanged(row);
}

void SharesModel::onStats(const StatsSnapshot& stats) {
  for (const ItemStats& s : stats.items) {
    const int row = rowOfId(s.id);
    if (row < 0) continue;
    ShareRow& r = m_rows[row];
    r.rateUp = s.rateOut;  // local side -> peers
    r.rateDown = s.rateIn;
    r.active = s.active;
    r.traffic.clear();
    for (const PeerStats& p : s.peers) r.traffic.insert(p.peer, p);
  }
  if (!m_rows.isEmpty()) {
    emit dataChanged(index(0, PeersColumn), index(rowCount() - 1, RateColumn));
  }
}

int SharesModel::listeningCount() const {
  int n = 0;
  for (const ShareRow& r : m_rows) n += r.state == ShareState::Listening ? 1 : 0;
  return n;
}

int SharesModel::activePeerCount() const {
  QSet<QString> keys;
  for (const ShareRow& r : m_rows) {
    for (auto it = r.peers.begin(); it != r.peers.end(); ++it) keys.insert(it.key());
  }
  return static_cast<int>(keys.size());
}

void SharesModel::onPeerRefused(ItemId id, const QString& peer) {
  const int row = rowOfId(id);
  if (row < 0) return;
  QVector<Refusal>& log = m_rows[row].refusals;
  const QString key = peer.toLower();
  Refusal entry{key, QDateTime::currentDateTime(), 1};
  for (int i = 0; i < log.size(); ++i) {
    if (log[i].peer == key) {
      entry.count = log[i].count + 1;
      log.removeAt(i);
      break;
    }
  }
  log.prepend(entry);
  if (log.size() > kMaxRefusals) log.resize(kMaxRefusals);
  emitRowChanged(row);
}

void SharesModel::onServiceState(ItemId id, bool up) {
  const int row = rowOfId(id);
  if (row < 0) return;
  ShareRow& r = m_rows[row];
  r.serviceUp = up;
  // The service is back: an old "service unreachable" no longer describes the share.
  if (up && r.state == ShareState::Listening) {
    r.errorTitle.clear();
    r.errorDetail.clear();
  }
  emitRowChanged(row);
}

QString SharesModel::statusText(int row) const {
  return stateText(m_rows.at(row));
}

}  // namespace PeerPort
