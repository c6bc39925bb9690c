#include "ShareDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTimer>
#include <QVBoxLayout>

#include "FriendBook.h"
#include "KeyText.h"

namespace PeerPort {

ShareDialog::ShareDialog(FriendBook* friends, QWidget* parent)
    : QDialog(parent), m_friends(friends) {
  setWindowTitle(tr("Share a port"));
  setObjectName(QStringLiteral("shareDialog"));

  m_port = new QLineEdit(this);
  m_port->setObjectName(QStringLiteral("port"));
  m_port->setPlaceholderText(tr("for example 8080"));
  m_port->setToolTip(tr("The port of the local service to share, 1 to 65535"));
  m_port->setMaxLength(5);

  m_name = new QLineEdit(this);
  m_name->setObjectName(QStringLiteral("name"));
  m_name->setPlaceholderText(tr("optional, for example “Minecraft”"));
  m_name->setToolTip(tr("Your own name for this share, shown in the list and in notifications"));
  m_name->setMaxLength(60);

  m_host = new QLineEdit(QStringLiteral("127.0.0.1"), this);
  m_host->setObjectName(QStringLiteral("host"));
  m_host->setToolTip(tr("Where the service runs; 127.0.0.1 is this computer"));

  m_protocol = new QComboBox(this);
  m_protocol->setObjectName(QStringLiteral("protocol"));
  m_protocol->addItem(QStringLiteral("TCP"), static_cast<int>(Protocol::Tcp));
  m_protocol->addItem(QStringLiteral("UDP"), static_cast<int>(Protocol::Udp));
  m_protocol->setToolTip(tr("TCP for web, SSH, databases; UDP for games and voice"));

  m_access = new QComboBox(this);
  m_access->setObjectName(QStringLiteral("access"));
  m_access->addItem(tr("Public: anyone with the key"), static_cast<int>(Access::Public));
  m_access->addItem(tr("Allow-list: only the friends listed below"),
                    static_cast<int>(Access::AllowList));
  m_access->addItem(tr("Private: the link itself is the secret"),
                    static_cast<int>(Access::Private));
  m_access->setToolTip(tr("Who may connect to this share"));
  m_accessHelp = new QLabel(this);
  m_accessHelp->setWordWrap(true);

  m_allowBox = new QWidget(this);
  m_allowList = new QListWidget(m_allowBox);
  m_allowList->setObjectName(QStringLiteral("allowList"));
  m_allowList->setToolTip(tr("Friends allowed to connect"));
  m_allowList->setMaximumHeight(110);
  // Friends are picked by name; a key not in Friends yet can be pasted into the same field.
  m_allowInput = new QComboBox(m_allowBox);
  m_allowInput->setObjectName(QStringLiteral("allowInput"));
  m_allowInput->setEditable(true);
  m_allowInput->setInsertPolicy(QComboBox::NoInsert);
  m_allowInput->lineEdit()->setPlaceholderText(tr("Pick a friend or paste a key"));
  m_allowInput->setToolTip(tr(
      "Pick a friend from the list, or paste the key a friend sent from “My key”, and press Add"));
  m_allowInput->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_allowInput->setMinimumContentsLength(24);
  m_allowAdd = new QPushButton(tr("&Add"), m_allowBox);
  m_allowAdd->setToolTip(tr("Add this friend to the allow-list"));
  m_allowRemove = new QPushButton(tr("Re&move"), m_allowBox);
  m_allowRemove->setToolTip(tr("Remove the selected key from the allow-list"));
  auto* allowRow = new QHBoxLayout;
  allowRow->addWidget(m_allowInput, 1);
  allowRow->addWidget(m_allowAdd);
  allowRow->addWidget(m_allowRemove);
  auto* allowLayout = new QVBoxLayout(m_allowBox);
  allowLayout->setContentsMargins(0, 0, 0, 0);
  allowLayout->addWidget(m_allowList);
  allowLayout->addLayout(allowRow);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("message"));
  m_message->setWordWrap(true);
  m_message->setStyleSheet(QStringLiteral("color: #c01c28"));
  // Room for two lines kept whether or not a message shows, so the dialog does not jump when
  // one appears or wraps.
  m_message->setMinimumHeight(m_message->fontMetrics().lineSpacing() * 2 + 4);
  m_message->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_probeLabel = new QLabel(this);
  m_probeLabel->setObjectName(QStringLiteral("probe"));
  m_probeLabel->setWordWrap(true);
  m_probeLabel->setStyleSheet(QStringLiteral("color: #9c6500"));
  m_keyNote = new QLabel(this);
  m_keyNote->setObjectName(QStringLiteral("keyNote"));
  m_keyNote->setWordWrap(true);
  m_keyNote->hide();

  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Share"));
  connect(m_buttons, &QDialogButtonBox::accepted, this, &ShareDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &ShareDialog::reject);

  auto* form = new QFormLayout;
  form->addRow(tr("&Port:"), m_port);  // first: the one field every share needs
  form->addRow(tr("&Name:"), m_name);
  form->addRow(tr("&Host:"), m_host);
  form->addRow(tr("P&rotocol:"), m_protocol);
  form->addRow(tr("&Access:"), m_access);
  form->addRow(QString(), m_accessHelp);
  form->addRow(tr("Allo&wed:"), m_allowBox);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_keyNote);
  layout->addWidget(m_probeLabel);
  layout->addWidget(m_message);
  layout->addWidget(m_buttons);

  m_probeTimer = new QTimer(this);
  m_probeTimer->setSingleShot(true);
  m_probeTimer->setInterval(250);
  connect(m_probeTimer, &QTimer::timeout, this, &ShareDialog::runProbe);

  connect(m_port, &QLineEdit::textEdited, this, [this] { m_touched = true; });
  connect(m_port, &QLineEdit::textChanged, this, &ShareDialog::validate);
  connect(m_host, &QLineEdit::textChanged, this, &ShareDialog::validate);
  connect(m_protocol, &QComboBox::currentIndexChanged, this, &ShareDialog::validate);
  connect(m_access, &QComboBox::currentIndexChanged, this, &ShareDialog::validate);
  connect(m_allowAdd, &QPushButton::clicked, this, &ShareDialog::addAllowed);
  connect(m_allowInput->lineEdit(), &QLineEdit::returnPressed, this, &ShareDialog::addAllowed);
  // Picking a friend from the list adds them at once; a repeat is ignored.
  connect(m_allowInput, &QComboBox::activated, this, [this](int index) {
    if (index >= 0) allowKey(m_allowInput->itemData(index).toString());
  });
  connect(m_friends, &FriendBook::changed, this, &ShareDialog::fillFriends);
  connect(m_allowRemove, &QPushButton::clicked, this, [this] {
    delete m_allowList->currentItem();
    validate();
  });
  fillFriends();
  validate();
  resize(sizeHint().expandedTo(QSize(460, 0)));
}

void ShareDialog::fillFriends() {
  const QString typed = m_allowInput->currentText();
  m_allowInput->clear();
  for (auto it = m_friends->entries().begin(); it != m_friends->entries().end(); ++it) {
    m_allowInput->addItem(it.value(), it.key());
    m_allowInput->setItemData(m_allowInput->count() - 1, it.key(), Qt::ToolTipRole);
  }
  m_allowInput->setCurrentIndex(-1);
  m_allowInput->setEditText(typed);
}

void ShareDialog::setEditing(const ShareRequest& original) {
  m_editing = true;
  m_original = original;
  m_touched = true;
  setWindowTitle(tr("Edit share"));
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
  setRequest(original);
}

void ShareDialog::setRequest(const ShareRequest& r) {
  m_name->setText(r.name);
  m_port->setText(r.port ? QString::number(r.port) : QString());
  m_host->setText(r.host);
  m_protocol->setCurrentIndex(r.protocol == Protocol::Udp ? 1 : 0);
  m_access->setCurrentIndex(static_cast<int>(r.access));
  m_allowList->clear();
  for (const QString& k : r.allow) {
    auto* item = new QListWidgetItem(m_friends->displayName(k), m_allowList);
    item->setData(Qt::UserRole, k);
    item->setToolTip(k);
  }
  validate();
}

ShareRequest ShareDialog::request() const {
  ShareRequest r;
  r.name = m_name->text().trimmed();
  r.port = static_cast<quint16>(m_port->text().trimmed().toUInt());
  r.host = m_host->text().trimmed();
  r.protocol = static_cast<Protocol>(m_protocol->currentData().toInt());
  r.access = static_cast<Access>(m_access->currentData().toInt());
  if (r.access == Access::AllowList) {
    for (int i = 0; i < m_allowList->count(); ++i)
      r.allow << m_allowList->item(i)->data(Qt::UserRole).toString();
  }
  return r;
}

bool ShareDialog::isInputValid() const {
  return m_validation.isEmpty();
}
QString ShareDialog::validationMessage() const {
  return m_validation;
}
QString ShareDialog::probeWarning() const {
  return m_probeWarning;
}

void ShareDialog::addAllowed() {
  const QString text = m_allowInput->currentText().trimmed();
  if (text.isEmpty()) return;
  // A friend picked by name (or typed as it is listed), else the text must be a key.
  QString hexKey;
  const int picked = m_allowInput->findText(text, Qt::MatchFixedString);
  if (picked >= 0) {
    hexKey = m_allowInput->itemData(picked).toString();
  } else {
    const KeyText::Check c = KeyText::check(text);
    if (!c.ok) {
      m_message->setText(c.error);
      return;
    }
    hexKey = c.hexKey;
  }
  allowKey(hexKey);
}

void ShareDialog::allowKey(const QString& hexKey) {
  if (hexKey.isEmpty()) return;
  for (int i = 0; i < m_allowList->count(); ++i) {
    if (m_allowList->item(i)->data(Qt::UserRole).toString() == hexKey) return;
  }
  auto* item = new QListWidgetItem(m_friends->displayName(hexKey), m_allowList);
  item->setData(Qt::UserRole, hexKey);
  item->setToolTip(hexKey);
  m_allowInput->setCurrentIndex(-1);
  m_allowInput->setEditText(QString());
  validate();
}

void ShareDialog::validate() {
  const Access access = static_cast<Access>(m_access->currentData().toInt());
  // Only an allow-list share has a list: hidden, not greyed out, for the others.
  m_allowBox->setVisible(access == Access::AllowList);
  if (auto* form =
          qobject_cast<QFormLayout*>(m_allowBox->parentWidget()->layout()->itemAt(0)->layout())) {
    if (QWidget* label = form->labelForField(m_allowBox))
      label->setVisible(access == Access::AllowList);
  }
  switch (access) {
    case Access::Public:
      m_accessHelp->setText(tr("Anyone who has the key can connect."));
      break;
    case Access::AllowList:
      m_accessHelp->setText(tr("Only the keys listed below can connect; others are refused."));
      break;
    case Access::Private:
      m_accessHelp->setText(
          tr("A secret hs://s000 link is made; whoever has it can connect. Share it privately."));
      break;
  }

  bool portOk = false;
  const QString portText = m_port->text().trimmed();
  const uint port = portText.toUInt(&portOk);
  const QString host = m_host->text().trimmed();
  static const QRegularExpression hostName(
      QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$"));
  QString msg;
  if (portText.isEmpty()) {
    msg = tr("Enter the port of the service to share.");
  } else if (!portOk || port < 1 || port > 65535) {
    msg = tr("The port must be a number from 1 to 65535.");
  } else if (host.isEmpty()) {
    msg = tr("Enter the host the service runs on, usually 127.0.0.1.");
  } else if (QHostAddress(host).isNull() && !hostName.match(host).hasMatch()) {
    msg = tr("“%1” is not an IP address or host name.").arg(host);
  } else if (access == Access::AllowList && m_allowList->count() == 0) {
    msg = tr("Add at least one friend's key to the allow-list.");
  } else if (m_duplicateCheck) {
    msg = m_duplicateCheck(request());
  }
  // Only the access decides the key (the address does not: an edited share keeps its key).
  const bool wasPrivate = m_original.access == Access::Private;
  const bool newKey = m_editing && wasPrivate != (access == Access::Private);
  m_keyNote->setText(
      newKey ? tr("Changing the access to or from Private gives the share a new key: send it to "
                  "your friends again.")
             : QString());
  m_keyNote->setVisible(newKey);
  m_validation = msg;
  // Nothing typed yet is no mistake: the disabled Share button says enough until then.
  m_message->setText(m_touched || !portText.isEmpty() ? msg : QString());
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(msg.isEmpty());
  scheduleProbe();
}

void ShareDialog::scheduleProbe() {
  m_probeWarning.clear();
  m_probeLabel->clear();
  m_probeLabel->hide();
  if (m_probe) {
    m_probe->abort();
    m_probe->deleteLater();
    m_probe = nullptr;
  }
  if (!m_validation.isEmpty() || request().protocol != Protocol::Tcp) {
    m_probeTimer->stop();
    return;
  }
  m_probeTimer->start();
}

// A quick non-blocking TCP connect to the service: a refusal or no answer within 1.5 s means
// nothing listens there yet. Only a warning: the user may start the service later.
void ShareDialog::runProbe() {
  const ShareRequest r = request();
  m_probe = new QTcpSocket(this);
  QTcpSocket* probe = m_probe;
  auto finish = [this, probe, r](bool listening) {
    if (probe != m_probe) return;
    m_probe = nullptr;
    probe->abort();
    probe->deleteLater();
    emit probed(r.port, listening);
    if (listening) return;
    m_probeWarning = tr("Nothing is listening on %1:%2 right now. You can share it anyway; friends "
                        "will reach it once the service runs.")
                         .arg(r.host)
                         .arg(r.port);
    m_probeLabel->setText(m_probeWarning);
    m_probeLabel->show();
  };
  connect(probe, &QTcpSocket::connected, this, [finish] { finish(true); });
  connect(probe, &QTcpSocket::errorOccurred, this, [finish] { finish(false); });
  QTimer::singleShot(1500, probe, [finish] { finish(false); });
  probe->connectToHost(r.host, r.port);
}

void ShareDialog::accept() {
  m_touched = true;
  validate();
  if (!isInputValid()) return;
  QDialog::accept();
}

}  // namespace PeerPort
