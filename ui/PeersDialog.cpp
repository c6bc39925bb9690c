#include "PeersDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "AppController.h"
#include "Format.h"
#include "FriendBook.h"
#include "KeyText.h"
#include "SharesModel.h"

namespace PeerPort {

namespace {
QTableWidget* makeList(const QStringList& headers, QWidget* parent) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
  t->setHorizontalHeaderLabels(headers);
  t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  t->horizontalHeader()->setHighlightSections(false);  // a bold header would outgrow its column
  t->setWordWrap(false);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setSelectionMode(QAbstractItemView::SingleSelection);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->verticalHeader()->hide();
  return t;
}
}  // namespace

PeersDialog::PeersDialog(AppController* app, int shareRow, QWidget* parent)
    : QDialog(parent), m_app(app), m_row(shareRow) {
  setWindowTitle(tr("People on %1").arg(m_app->shares()->label(m_row)));
  setObjectName(QStringLiteral("peersDialog"));
  m_connected = makeList(
      {tr("Friend"), tr("Path"), tr("Connected since"), tr("Sent / received"), tr("Rate")}, this);
  m_connected->setObjectName(QStringLiteral("connectedPeers"));
  m_refused = makeList({tr("Key"), tr("Last attempt"), tr("Attempts")}, this);
  m_refused->setObjectName(QStringLiteral("refusedPeers"));

  m_allow = new QPushButton(tr("&Allow"), this);
  m_allow->setToolTip(tr("Add this key to the share's allow-list; the share restarts with it"));
  m_copy = new QPushButton(tr("&Copy key"), this);
  m_copy->setToolTip(tr("Copy the refused key, to name it in Friends or send it back"));
  // A key that connected or was refused becomes a friend with a name, shown here and in
  // allow-lists from then on.
  m_name = new QPushButton(tr("&Name…"), this);
  m_name->setObjectName(QStringLiteral("namePeer"));
  m_name->setToolTip(tr("Add this key to Friends under a name"));
  connect(m_name, &QPushButton::clicked, this, [this] {
    const QString key =
        selectedConnectedKey().isEmpty() ? selectedRefusedKey() : selectedConnectedKey();
    if (key.isEmpty()) return;
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Name a friend"), tr("Name for %1:").arg(KeyText::shortKey(key)),
        QLineEdit::Normal, m_app->friends()->alias(key), &ok);
    if (ok && !name.trimmed().isEmpty()) m_app->friends()->setAlias(key, name);
    reload();
  });
  connect(m_app->friends(), &FriendBook::changed, this, &PeersDialog::reload);
  m_disconnect = new QPushButton(tr("&Disconnect"), this);
  m_disconnect->setObjectName(QStringLiteral("disconnectPeer"));
  m_disconnect->setToolTip(
      tr("End this friend's tunnels now; the share keeps running, and they may connect again"));
  connect(m_disconnect, &QPushButton::clicked, this, [this] { disconnectSelected(false); });
  m_block = new QPushButton(tr("Disconnect and &block"), this);
  m_block->setObjectName(QStringLiteral("blockPeer"));
  connect(m_block, &QPushButton::clicked, this, [this] { disconnectSelected(true); });
  connect(m_connected, &QTableWidget::itemSelectionChanged, this, [this] {
    if (!selectedConnectedKey().isEmpty()) m_refused->clearSelection();
    updateBlock();
  });
  connect(m_allow, &QPushButton::clicked, this, [this] {
    const QString key = selectedRefusedKey();
    if (key.isEmpty()) return;
    ShareRequest req = m_app->shares()->row(m_row).request;
    if (!req.allow.contains(key)) req.allow << key;
    m_app->updateShare(m_row, req);
    reload();
  });
  connect(m_copy, &QPushButton::clicked, this, [this] {
    const QString key = selectedRefusedKey();
    if (key.isEmpty()) return;
    QApplication::clipboard()->setText(key);
    m_copy->setText(tr("Copied"));
  });
  connect(m_refused, &QTableWidget::itemSelectionChanged, this, [this] {
    // One key at a time across both lists, so Name… knows which.
    if (!selectedRefusedKey().isEmpty()) m_connected->clearSelection();
    const bool any = !selectedRefusedKey().isEmpty();
    m_allow->setEnabled(any && m_app->shares()->row(m_row).request.access == Access::AllowList);
    m_copy->setEnabled(any);
    m_copy->setText(tr("&Copy key"));
    updateBlock();
  });
  connect(m_app->shares(), &QAbstractItemModel::dataChanged, this, &PeersDialog::reload);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* connectedButtons = new QHBoxLayout;
  connectedButtons->addStretch(1);
  connectedButtons->addWidget(m_name);
  connectedButtons->addWidget(m_disconnect);
  connectedButtons->addWidget(m_block);
  auto* refusedButtons = new QHBoxLayout;
  refusedButtons->addStretch(1);
  refusedButtons->addWidget(m_copy);
  refusedButtons->addWidget(m_allow);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("Connected now"), this));
  layout->addWidget(m_connected, 1);
  layout->addLayout(connectedButtons);
  layout->addWidget(new QLabel(tr("Refused attempts (not on the allow-list)"), this));
  layout->addWidget(m_refused, 1);
  layout->addLayout(refusedButtons);
  layout->addWidget(buttons);
  resize(660, 440);
  reload();
}

bool PeersDialog::selectConnected(const QString& key) {
  for (int i = 0; i < m_connected->rowCount(); ++i) {
    if (m_connected->item(i, 0)->data(Qt::UserRole).toString() == key.toLower()) {
      m_connected->selectRow(i);
      return true;
    }
  }
  return false;
}

QString PeersDialog::selectedConnectedKey() const {
  const int row = m_connected->currentRow();
  if (row < 0 || !m_connected->item(row, 0) || !m_connected->item(row, 0)->isSelected()) return {};
  return m_connected->item(row, 0)->data(Qt::UserRole).toString();
}

void PeersDialog::updateBlock() {
  const ShareRow& s = m_app->shares()->row(m_row);
  const bool allowList = s.request.access == Access::AllowList;
  const bool connected = !selectedConnectedKey().isEmpty() && s.id != 0;
  m_disconnect->setEnabled(connected);
  m_block->setEnabled(allowList && connected);
  m_name->setEnabled(!selectedConnectedKey().isEmpty() || !selectedRefusedKey().isEmpty());
  // Said on the button, so the reason is there when it is greyed out.
  m_block->setToolTip(
      allowList ? tr("End this friend's tunnels and take them off the allow-list; the share keeps "
                     "running for everyone else")
                : tr("Anyone with the key may connect to this share: make it an allow-list share "
                     "(Edit…) to choose who may"));
}

void PeersDialog::disconnectSelected(bool block) {
  const QString key = selectedConnectedKey();
  if (key.isEmpty()) return;
  if (!m_app->disconnectPeer(m_row, key, block)) {
    QMessageBox::information(
        this, tr("Disconnect and block"),
        tr("This is the only friend on the allow-list. Use Disconnect, remove the share, or add "
           "someone else first."));
    return;
  }
  reload();
}

QString PeersDialog::selectedRefusedKey() const {
  const int row = m_refused->currentRow();
  if (row < 0 || !m_refused->item(row, 0) || !m_refused->item(row, 0)->isSelected()) return {};
  return m_refused->item(row, 0)->data(Qt::UserRole).toString();
}

void PeersDialog::reload() {
  if (m_row >= m_app->shares()->rowCount()) return;
  const ShareRow& s = m_app->shares()->row(m_row);
  FriendBook* friends = m_app->friends();
  // The model changes at every stats tick: the user's selection survives the rebuild.
  const QString keepConnected = selectedConnectedKey();
  const QString keepRefused = selectedRefusedKey();
  const QSignalBlocker blockConnected(m_connected);
  const QSignalBlocker blockRefused(m_refused);
  m_connected->setRowCount(0);
  for (auto it = s.peers.begin(); it != s.peers.end(); ++it) {
    const int row = m_connected->rowCount();
    m_connected->insertRow(row);
    auto* who = new QTableWidgetItem(friends->displayName(it.key()));
    who->setToolTip(it.key());
    who->setData(Qt::UserRole, it.key());
    m_connected->setItem(row, 0, who);
    m_connected->setItem(
        row, 1, new QTableWidgetItem(s.relayed.value(it.key()) ? tr("relayed") : tr("direct")));
    // Today's time alone: the column stays narrow enough for a 700 px wide window.
    const QDateTime since = s.since.value(it.key());
    m_connected->setItem(
        row, 2,
        new QTableWidgetItem(since.date() == QDate::currentDate()
                                 ? QLocale().toString(since.time(), QLocale::ShortFormat)
                                 : QLocale().toString(since, QLocale::ShortFormat)));
    // Bytes and rates come with the engine's next stats tick (about a second).
    const auto t = s.traffic.constFind(it.key());
    const bool known = t != s.traffic.cend();
    auto* moved =
        new QTableWidgetItem(known ? QStringLiteral("↑ %1  ↓ %2")
                                         .arg(Format::bytes(t->bytesOut), Format::bytes(t->bytesIn))
                                   : QStringLiteral("—"));
    auto* rate =
        new QTableWidgetItem(known ? Format::upDown(t->rateOut, t->rateIn) : QStringLiteral("—"));
    for (auto* item : {moved, rate}) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (known) {
      QString tip = tr("%n tunnel(s) open", nullptr, t->tunnels);
      if (t->rttMs > 0) tip += QLatin1Char('\n') + tr("Round-trip time %1 ms").arg(t->rttMs);
      moved->setToolTip(tip);
      rate->setToolTip(tip);
    }
    m_connected->setItem(row, 3, moved);
    m_connected->setItem(row, 4, rate);
  }
  m_refused->setRowCount(0);
  for (const Refusal& f : s.refusals) {
    const int row = m_refused->rowCount();
    m_refused->insertRow(row);
    auto* who = new QTableWidgetItem(friends->displayName(f.peer));
    who->setData(Qt::UserRole, f.peer);
    who->setToolTip(f.peer);
    m_refused->setItem(row, 0, who);
    m_refused->setItem(row, 1,
                       new QTableWidgetItem(QLocale().toString(f.last, QLocale::ShortFormat)));
    m_refused->setItem(row, 2, new QTableWidgetItem(QString::number(f.count)));
  }
  auto reselect = [](QTableWidget* t, const QString& key) {
    for (int i = 0; !key.isEmpty() && i < t->rowCount(); ++i) {
      if (t->item(i, 0)->data(Qt::UserRole).toString() == key) t->selectRow(i);
    }
  };
  reselect(m_connected, keepConnected);
  reselect(m_refused, keepRefused);
  const bool refused = !selectedRefusedKey().isEmpty();
  m_allow->setEnabled(refused && s.request.access == Access::AllowList);
  m_copy->setEnabled(refused);
  updateBlock();
}

}  // namespace PeerPort
