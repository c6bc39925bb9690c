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
#include "SecretStore.h"
#include "Settings.h"
#include "platform/Autostart.h"

namespace PeerPort {

QStringList SettingsDialog::languages() { return {QString(), QStringLiteral("en"), QStringLiteral("nb"), QStringLiteral("es")}; }

QString SettingsDialog::languageName(const QString& code)
{
    if (code.isEmpty()) return tr("System language");
    QLocale l(code);
    QString native = l.nativeLanguageName();
    if (!native.isEmpty()) native[0] = native[0].toUpper();
    return native;
}

SettingsDialog::SettingsDialog(AppController* app, QWidget* parent)
    : QDialog(parent)
    , m_app(app)
{
    setWindowTitle(tr("PeerPort settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    SettingsStore& s = m_app->settings();

    // Network
    m_bootstrap = new QLineEdit(s.get(Settings::bootstrap), this);
    // An empty setting means the environment's list when PEERPORT_BOOTSTRAP is set (as the
    // engine start reads it), else the public network: say which.
    const QString fromEnv = qEnvironmentVariable("PEERPORT_BOOTSTRAP");
    m_bootstrap->setPlaceholderText(fromEnv.isEmpty() ? tr("public HyperDHT network")
                                                      : tr("%1 (from PEERPORT_BOOTSTRAP)").arg(fromEnv));
    m_bootstrap->setToolTip(tr("Bootstrap nodes as host:port, comma-separated; empty for the public network; "
                               "\"none\" for a private network of your own"));
    m_relays = new QCheckBox(tr("Use &relays when a direct connection is impossible"), this);
    m_relays->setChecked(s.get(Settings::useRelays));
    m_relays->setToolTip(tr("Relayed traffic stays end-to-end encrypted but passes through another peer"));
    m_relayList = new QLineEdit(s.get(Settings::relays), this);
    m_relayList->setObjectName(QStringLiteral("relayList"));
    m_relayList->setPlaceholderText(tr("relays announced on the DHT"));
    m_relayList->setToolTip(tr("Keys of relays to try first, comma-separated (hex, z32 or peerport://)"));
    m_relayList->setEnabled(m_relays->isChecked());
    connect(m_relays, &QCheckBox::toggled, m_relayList, &QWidget::setEnabled);
    m_relayForOthers = new QCheckBox(tr("Relay &for others (for a computer with a public address)"), this);
    m_relayForOthers->setObjectName(QStringLiteral("relayForOthers"));
    m_relayForOthers->setChecked(s.get(Settings::relayForOthers));
    m_relayForOthers->setToolTip(tr("Helps peers behind strict NATs reach each other; they stay end-to-end "
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
    m_language->setToolTip(tr("The language of PeerPort's windows; takes effect at the next start"));
    m_startAtLogin = new QCheckBox(tr("Start PeerPort when I &log in"), this);
    m_startAtLogin->setChecked(Autostart::isEnabled());
    m_startAtLogin->setToolTip(tr("Adds PeerPort to your desktop's startup programs (%1)").arg(Autostart::location()));
    m_startMinimized = new QCheckBox(tr("Start &minimized to the tray"), this);
    m_startMinimized->setChecked(s.get(Settings::startMinimized));
    m_startMinimized->setToolTip(tr("Keep sharing without opening the window at start"));
    m_notify = new QCheckBox(tr("&Notify me when a friend connects"), this);
    m_notify->setChecked(s.get(Settings::notifyOnPeer));
    m_notify->setToolTip(tr("Show a desktop notification when someone connects to one of your shares"));
    m_notifyFailure = new QCheckBox(tr("Notify me when something &fails (a refused friend, a service down)"), this);
    m_notifyFailure->setObjectName(QStringLiteral("notifyOnFailure"));
    m_notifyFailure->setChecked(s.get(Settings::notifyOnFailure));
    m_notifyFailure->setToolTip(tr("Show a desktop notification when a share turns someone away, its service stops "
                                   "answering, or a friend's share refuses this computer"));
    auto* desktop = new QGroupBox(tr("Desktop"), this);
    auto* df = new QFormLayout(desktop);
    df->addRow(tr("&Language:"), m_language);
    df->addRow(QString(), m_startAtLogin);
    df->addRow(QString(), m_startMinimized);
    df->addRow(QString(), m_notify);
    df->addRow(QString(), m_notifyFailure);

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
    keyRow->addWidget(key, 1);
    keyRow->addWidget(copy);
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
    layout->addWidget(identity);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(sizeHint().expandedTo(QSize(560, 0)));
}

void SettingsDialog::accept()
{
    SettingsStore& s = m_app->settings();
    const QString bootstrap = m_bootstrap->text().trimmed();
    const QString relayList = m_relayList->text().trimmed();
    if (auto parsed = parseRelayList(relayList); !parsed) {
        m_message->setText(QString::fromStdString(parsed.error().message));
        m_relayList->setFocus();
        adjustSize();  // room for the whole sentence
        return;
    }
    const bool networkChanged = bootstrap != s.get(Settings::bootstrap) || m_relays->isChecked() != s.get(Settings::useRelays) ||
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
    s.set(Settings::language, language);
    s.set(Settings::startAtLogin, m_startAtLogin->isChecked());
    s.set(Settings::startMinimized, m_startMinimized->isChecked());
    s.set(Settings::notifyOnPeer, m_notify->isChecked());
    s.set(Settings::notifyOnFailure, m_notifyFailure->isChecked());
    s.sync();
    if (networkChanged) m_app->restartEngine();
    if (languageChanged) {
        QMessageBox::information(this, tr("Language"), tr("The new language is used from the next start of PeerPort."));
    }
    QDialog::accept();
}

}  // namespace PeerPort
