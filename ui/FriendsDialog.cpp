#include "FriendsDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "FriendBook.h"
#include "KeyText.h"
#include "MyKeyDialog.h"

namespace PeerPort {

FriendsDialog::FriendsDialog(FriendBook* friends, const QString& myKey, QWidget* parent)
    : QDialog(parent), m_friends(friends), m_myKey(myKey) {
  setWindowTitle(tr("Friends"));
  setObjectName(QStringLiteral("friendsDialog"));
  auto* intro =
      new QLabel(tr("A friend is a person: the key they send from “My key” and a name for them. "
                    "Shares with an allow-list pick friends from here."),
                 this);
  intro->setWordWrap(true);
  m_table = new QTableWidget(0, 2, this);
  m_table->setObjectName(QStringLiteral("friends"));
  m_table->setHorizontalHeaderLabels({tr("Name"), tr("Key")});
  m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setToolTip(tr("Double-click a name to rename the friend"));
  m_table->verticalHeader()->hide();

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  auto* add = buttons->addButton(tr("&Add…"), QDialogButtonBox::ActionRole);
  add->setToolTip(tr("Add a friend by key"));
  auto* remove = buttons->addButton(tr("&Remove"), QDialogButtonBox::ActionRole);
  remove->setToolTip(tr("Forget the selected friend"));
  auto* mine = buttons->addButton(tr("&My key…"), QDialogButtonBox::ActionRole);
  mine->setToolTip(tr("Your own key, to send to friends: copy it or show a QR code"));
  connect(mine, &QPushButton::clicked, this, [this] { MyKeyDialog(m_myKey, this).exec(); });
  mine->setEnabled(!m_myKey.isEmpty());
  connect(add, &QPushButton::clicked, this, &FriendsDialog::addFriend);
  connect(remove, &QPushButton::clicked, this, [this] {
    const int row = m_table->currentRow();
    if (row < 0) return;
    m_friends->remove(m_table->item(row, 1)->text());
    reload();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_table, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    if (item->column() != 0) return;
    const QString key =
        m_table->item(item->row(), 1) ? m_table->item(item->row(), 1)->text() : QString();
    if (!key.isEmpty() && !item->text().trimmed().isEmpty()) m_friends->setAlias(key, item->text());
  });

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(m_table);
  layout->addWidget(buttons);
  resize(640, 320);
  reload();
}

void FriendsDialog::reload() {
  QSignalBlocker block(m_table);
  m_table->setRowCount(0);
  for (auto it = m_friends->entries().begin(); it != m_friends->entries().end(); ++it) {
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(it.value()));
    auto* key = new QTableWidgetItem(it.key());
    key->setFlags(key->flags() & ~Qt::ItemIsEditable);
    m_table->setItem(row, 1, key);
  }
  m_table->resizeColumnToContents(0);
  m_table->setColumnWidth(
      0, std::max(m_table->columnWidth(0),
                  m_table->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 12));
}

void FriendsDialog::addFriend() {
  bool ok = false;
  const QString text =
      QInputDialog::getText(this, tr("Add friend"), tr("Friend's key (from their “My key”):"),
                            QLineEdit::Normal, QString(), &ok);
  if (!ok || text.trimmed().isEmpty()) return;
  const KeyText::Check c = KeyText::check(text);
  if (!c.ok) {
    QMessageBox::warning(this, tr("Add friend"), c.error);
    return;
  }
  const QString alias =
      QInputDialog::getText(this, tr("Add friend"), tr("Name:"), QLineEdit::Normal, QString(), &ok);
  if (!ok || alias.trimmed().isEmpty()) return;
  m_friends->setAlias(c.hexKey, alias);
  reload();
}

}  // namespace PeerPort
