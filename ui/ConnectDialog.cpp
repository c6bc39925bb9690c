#include "ConnectDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTcpServer>
#include <QVBoxLayout>

#include "FriendBook.h"
#include "KeyText.h"

namespace PeerPort {

ConnectDialog::ConnectDialog(FriendBook* friends, QWidget* parent)
    : QDialog(parent), m_friends(friends) {
  setWindowTitle(tr("Connect to a friend's share"));
  setObjectName(QStringLiteral("connectDialog"));

  m_key = new QLineEdit(this);
  m_key->setObjectName(QStringLiteral("key"));
  m_key->setPlaceholderText(tr("Paste the key or link your friend sent"));
  m_key->setToolTip(
      tr("Accepted: 64 hex characters, a z32 key, hs://0000…, hs://s000… or a peerport:// link"));
  m_key->setMinimumWidth(420);
  m_keyInfo = new QLabel(this);
  m_keyInfo->setObjectName(QStringLiteral("keyInfo"));

  m_port = new QLineEdit(this);
  m_port->setObjectName(QStringLiteral("localPort"));
  m_port->setPlaceholderText(tr("automatic (a free port)"));
  m_port->setToolTip(
      tr("The port on this computer where the friend's service appears; leave empty to pick a free "
         "one"));
  m_port->setMaxLength(5);

  m_name = new QLineEdit(this);
  m_name->setObjectName(QStringLiteral("name"));
  m_name->setPlaceholderText(tr("optional, for example “Alice's web server”"));
  m_name->setToolTip(tr("A name for this connection, shown in the list and in notifications"));
  m_name->setMaxLength(60);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("message"));
  m_message->setWordWrap(true);
  m_message->setStyleSheet(QStringLiteral("color: #c01c28"));
  // Room for two lines kept whether or not a message shows, so the dialog does not jump when
  // one appears or wraps.
  m_message->setMinimumHeight(m_message->fontMetrics().lineSpacing() * 2 + 4);
  m_message->setAlignment(Qt::AlignLeft | Qt::AlignTop);

  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
  connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);

  auto* form = new QFormLayout;
  form->addRow(tr("&Key:"), m_key);
  form->addRow(QString(), m_keyInfo);
  form->addRow(tr("&Local port:"), m_port);
  form->addRow(tr("&Name:"), m_name);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_message);
  layout->addWidget(m_buttons);

  connect(m_key, &QLineEdit::textChanged, this, &ConnectDialog::validate);
  connect(m_port, &QLineEdit::textChanged, this, &ConnectDialog::validate);
  validate();
}

void ConnectDialog::setKeyText(const QString& text) {
  m_key->setText(text);
}

QString ConnectDialog::name() const {
  return m_name->text().trimmed();
}

void ConnectDialog::setEditing(const QString& keyText, const QString& name, quint16 localPort) {
  m_editing = true;
  m_originalPort = localPort;
  setWindowTitle(tr("Edit connection"));
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Save"));
  m_name->setText(name);
  m_port->setText(localPort ? QString::number(localPort) : QString());
  m_key->setText(keyText);
  m_key->setCursorPosition(0);  // the start of a key is what people compare
  m_key->setReadOnly(true);
  // A private share's link is a secret: not on screen for someone looking over a shoulder.
  if (KeyText::check(keyText).secret) m_key->setEchoMode(QLineEdit::Password);
  m_key->setToolTip(tr("To reach another key, make a new connection"));
  validate();
}

ConnectRequest ConnectDialog::request() const {
  ConnectRequest r;
  r.key = m_key->text().trimmed();
  r.port = static_cast<quint16>(m_port->text().trimmed().toUInt());
  return r;
}

void ConnectDialog::validate() {
  QString msg;
  m_hexKey.clear();
  m_keyInfo->clear();
  const QString keyText = m_key->text().trimmed();
  if (keyText.isEmpty()) {
    msg = tr("Paste the key your friend sent you.");
  } else {
    const KeyText::Check c = KeyText::check(keyText);
    if (!c.ok) {
      msg = c.error;
    } else {
      m_hexKey = c.hexKey;
      const QString known = m_friends->alias(c.hexKey);
      m_keyInfo->setText(known.isEmpty() ? tr("Key %1").arg(KeyText::shortKey(c.hexKey))
                                         : tr("Key of %1").arg(known));
      if (!known.isEmpty() && m_name->text().isEmpty()) m_name->setText(known);
    }
  }
  const QString portText = m_port->text().trimmed();
  if (msg.isEmpty() && !portText.isEmpty()) {
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port < 1 || port > 65535) {
      msg = tr("The local port must be a number from 1 to 65535, or empty for a free one.");
    } else {
      // Binding a local port is immediate, so this check does not wait on anything.
      QTcpServer probe;
      if (!(m_editing && port == m_originalPort) &&
          !probe.listen(QHostAddress::LocalHost, static_cast<quint16>(port))) {
        msg = tr("Port %1 is in use on this computer. Choose another or leave it empty.").arg(port);
      }
    }
  }
  m_validation = msg;
  // Nothing typed yet is no mistake: the disabled Connect button says enough until then.
  const bool show = !msg.isEmpty() && !keyText.isEmpty();
  m_message->setText(show ? msg : QString());
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(msg.isEmpty());
}

void ConnectDialog::accept() {
  validate();
  if (!isInputValid()) return;
  QDialog::accept();
}

}  // namespace PeerPort
