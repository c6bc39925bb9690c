#include "SettingsDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "AppController.h"
#include "EngineBridge.h"
#include "MyKeyDialog.h"
#include "SecretStore.h"
#include "Settings.h"
#include "platform/Autostart.h"

namespace PeerPort {

QStringList SettingsDialog::languages() {
  return {QString(), QStringLiteral("en"), QStringLiteral("nb"), QStringLiteral("es")};
}

QString SettingsDialog::languageName(const QString& code) {
  if (code.isEmpty()) return tr("System language");
  QLocale l(code);
  QString native = l.nativeLanguageName();
  if (!native.isEmpty()) native[0] = native[0].toUpper();
  return native;
}

SettingsDialog::SettingsDialog(AppController* app, QWidget* parent) : QDialog(parent), m_app(app) {
  setWindowTitle(tr("PeerPort settings"));
  setObjectName(QStringLiteral("settingsDialog"));
  SettingsStore& s = m_app->settings();

  // Network
  m_bootstrap = new QLineEdit(s.get(Settings::bootstrap), this);
  m_bootstrap->setObjectName(QStringLiteral("bootstrap"));
  // An empty setting means the environment's list when PEERPORT_BOOTSTRAP is set (as the
  // engine start reads it), else the public network: say which.
  const QString fromEnv = qEnvironmentVariable("PEERPORT_BOOTSTRAP");
  m_bootstrap->setPlaceholderText(fromEnv.isEmpty()
                                      ? tr("public HyperDHT network")
                                      : tr("%1 (from PEERPORT_BOOTSTRAP)").arg(fromEnv));
  m_bootstrap->setToolTip(
      tr("Bootstrap nodes as host:port, comma-separated; empty for the public network; "
         "\"none\" for a private network of your own"));
  m_relays = new QCheckBox(tr("Use &relays when a direct connection is impossible"), this);
  m_relays->setChecked(s.get(Settings::useRelays));
  m_relays->setToolTip(
      tr("Relayed traffic stays end-to-end encrypted but passes through another peer"));
  m_relayList = new QLineEdit(s.get(Settings::relays), this);
  m_relayList->setObjectName(QStringLiteral("relayList"));
  m_relayList->setPlaceholderText(tr("relays announced on the DHT"));
  m_relayList->setToolTip(
      tr("Keys of relays to try first, comma-separated (hex, z32 or peerport://)"));
  m_relayList->setEnabled(m_relays->isChecked());
  connect(m_relays, &QCheckBox::toggled, m_relayList, &QWidget::setEnabled);
  m_relayForOthers =
      new QCheckBox(tr("Relay &for others (for a computer with a public address)"), this);
  m_relayForOthers->setObjectName(QStringLiteral("relayForOthers"));
  m_relayForOthers->setChecked(s.get(Settings::relayForOthers));
  m_relayForOthers->setToolTip(
      tr("Helps peers behind strict NATs reach each other; they stay end-to-end "
         "encrypted, this computer only passes their packets on"));
  auto* network = new QGroupBox(tr("Network"), this);
  auto* nf = new QFormLayout(network);
  nf->addRow(tr("&Bootstrap nodes:"), m_bootstrap);
  nf->addRow(QString(), m_relays);
  nf->addRow(tr("Relay &keys:"), m_relayList);
  nf->addRow(QString(), m_relayForOthers);

  // Desktop
  m_language = new QComboBox(this);
  const QString current = s.get(Settings::language);
  for (const QString& code : languages()) {
    m_language->addItem(languageName(code), code);
    if (code == current) m_language->setCurrentIndex(m_language->count() - 1);
  }
  m_language->setObjectName(QStringLiteral("language"));
  m_language->setToolTip(tr("The language of PeerPort's windows; it changes when you press OK"));
  m_startAtLogin = new QCheckBox(tr("Start PeerPort when I &log in"), this);
  m_startAtLogin->setChecked(Autostart::isEnabled());
  m_startAtLogin->setToolTip(
      tr("Adds PeerPort to your desktop's startup programs (%1)").arg(Autostart::location()));
  m_startMinimized = new QCheckBox(tr("Start &minimized to the tray"), this);
  m_startMinimized->setChecked(s.get(Settings::startMinimized));
  m_startMinimized->setToolTip(tr("Keep sharing without opening the window at start"));
  auto* desktop = new QGroupBox(tr("Desktop"), this);
  auto* df = new QFormLayout(desktop);
  df->addRow(tr("&Language:"), m_language);
  df->addRow(QString(), m_startAtLogin);
  df->addRow(QString(), m_startMinimized);

  // Notifications: each kind on its own, so a noisy one can be silenced without the rest.
  auto check = [this](const QString& text, const char* name, bool on, const QString& tip) {
    auto* b = new QCheckBox(text, this);
    b->setObjectName(QString::fromLatin1(name));
    b->setChecked(on);
    b->setToolTip(tip);
    return b;
  };
  m_notify = check(tr("A friend &connects to one of my shares"), "notifyOnPeer",
                   s.get(Settings::notifyOnPeer),
                   tr("Show a desktop notification when someone connects to one of your shares"));
  m_notifyRefused =
      check(tr("Someone is &refused (by my share, or a friend's share refuses me)"),
            "notifyRefused", s.get(Settings::notifyRefused),
            tr("A share of yours turned away a key that is not on its allow-list, or a friend's "
               "share does not admit this computer"));
  m_notifyServiceDown =
      check(tr("A shared &service stops answering"), "notifyServiceDown",
            s.get(Settings::notifyServiceDown),
            tr("Friends reach the share, but nothing accepts connections on its local port"));
  m_notifyPortInUse =
      check(tr("A local &port is taken by another program"), "notifyPortInUse",
            s.get(Settings::notifyPortInUse),
            tr("A connection cannot open its local port because another program uses it"));
  m_notifyRelayOnly =
      check(tr("A connection goes only through a &relay"), "notifyRelayOnly",
            s.get(Settings::notifyRelayOnly),
            tr("No direct path could be made; traffic stays encrypted but is slower"));
  auto* notifications = new QGroupBox(tr("Notify me when"), this);
  notifications->setObjectName(QStringLiteral("notifications"));
  auto* nl = new QVBoxLayout(notifications);
  for (QCheckBox* b :
       {m_notify, m_notifyRefused, m_notifyServiceDown, m_notifyPortInUse, m_notifyRelayOnly})
    nl->addWidget(b);

  // Identity
  auto* identity = new QGroupBox(tr("Identity"), this);
  auto* idl = new QVBoxLayout(identity);
  auto* keyRow = new QHBoxLayout;
  auto* key = new QLineEdit(m_app->identityKey(), identity);
  key->setReadOnly(true);
  key->setToolTip(tr("Your public key: friends add it to a share's allow-list to let you in"));
  auto* copy = new QToolButton(identity);
  copy->setText(tr("Copy"));
  copy->setToolTip(tr("Copy your public key"));
  connect(copy, &QToolButton::clicked, this, [this, copy] {
    QApplication::clipboard()->setText(m_app->identityKey());
    // Feedback where the user looks: the button says it worked, then goes back.
    copy->setText(tr("Copied"));
    QTimer::singleShot(2000, copy, [copy] { copy->setText(tr("Copy")); });
  });
  auto* qr = new QToolButton(identity);
  qr->setObjectName(QStringLiteral("myKeyQr"));
  qr->setText(tr("QR code…"));
  qr->setToolTip(tr("Show your key as a QR code"));
  qr->setEnabled(!m_app->identityKey().isEmpty());  // empty until the identity has loaded
  connect(qr, &QToolButton::clicked, this,
          [this] { MyKeyDialog(m_app->identityKey(), this).exec(); });
  keyRow->addWidget(key, 1);
  keyRow->addWidget(copy);
  keyRow->addWidget(qr);
  idl->addLayout(keyRow);
  auto* where = new QLabel(identity);
  where->setWordWrap(true);
  where->setText(m_app->secrets()->backend() == SecretStore::Backend::Keychain
                     ? tr("The private key is kept in the system keychain.")
                     : m_app->secrets()->warning());
  idl->addWidget(where);

  m_message = new QLabel(this);
  m_message->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(network);
  layout->addWidget(desktop);
  layout->addWidget(notifications);
  layout->addWidget(identity);
  layout->addWidget(m_message);
  layout->addWidget(buttons);
  resize(sizeHint().expandedTo(QSize(560, 0)));
}

void SettingsDialog::accept() {
  SettingsStore& s = m_app->settings();
  const QString bootstrap = m_bootstrap->text().trimmed();
  const QString relayList = m_relayList->text().trimmed();
  if (auto parsed = parseRelayList(relayList); !parsed) {
    m_message->setText(QString::fromStdString(parsed.error().message));
    m_relayList->setFocus();
    adjustSize();  // room for the whole sentence
    return;
  }
  const bool networkChanged = bootstrap != s.get(Settings::bootstrap) ||
                              m_relays->isChecked() != s.get(Settings::useRelays) ||
                              relayList != s.get(Settings::relays) ||
                              m_relayForOthers->isChecked() != s.get(Settings::relayForOthers);
  const QString language = m_language->currentData().toString();
  const bool languageChanged = language != s.get(Settings::language);

  QStringList args;
  if (!m_app->profile().isDefault()) args << QStringLiteral("--profile") << m_app->profile().dir();
  if (m_startMinimized->isChecked()) args << QStringLiteral("--minimized");
  QString error;
  if (m_startAtLogin->isChecked() != Autostart::isEnabled() || m_startAtLogin->isChecked()) {
    if (!Autostart::setEnabled(m_startAtLogin->isChecked(), args, &error)) {
      m_message->setText(error);
      return;
    }
  }
  s.set(Settings::bootstrap, bootstrap);
  s.set(Settings::useRelays, m_relays->isChecked());
  s.set(Settings::relays, relayList);
  s.set(Settings::relayForOthers, m_relayForOthers->isChecked());
  s.set(Settings::startAtLogin, m_startAtLogin->isChecked());
  s.set(Settings::startMinimized, m_startMinimized->isChecked());
  s.set(Settings::notifyOnPeer, m_notify->isChecked());
  s.set(Settings::notifyRefused, m_notifyRefused->isChecked());
  s.set(Settings::notifyServiceDown, m_notifyServiceDown->isChecked());
  s.set(Settings::notifyPortInUse, m_notifyPortInUse->isChecked());
  s.set(Settings::notifyRelayOnly, m_notifyRelayOnly->isChecked());
  s.sync();
  if (networkChanged) m_app->restartEngine();
  QDialog::accept();
  // After the dialog is closed: the window that owns it is rebuilt in the new language.
  if (languageChanged) m_app->setLanguage(language);
}

}  // namespace PeerPort
