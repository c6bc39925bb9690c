#include "DesktopApp.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include "ConnectionsModel.h"
#include "KeyText.h"
#include "MainWindow.h"
#include "PeersDialog.h"
#include "SecretStore.h"
#include "Settings.h"
#include "SharesModel.h"
#include "SingleInstance.h"
#include "Translations.h"
#include "TrayIcon.h"

namespace PeerPort {

namespace {
AppController::Options controllerOptions(const DesktopApp::Options& o) {
  AppController::Options c;
  c.useKeychain = o.useKeychain;
  return c;
}
}  // namespace

DesktopApp::DesktopApp(const Profile& profile, const Options& options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_app(new AppController(profile, controllerOptions(options), this))
    , m_window(nullptr) {
  createWindow();
  connect(m_app, &AppController::shutdownFinished, qApp, &QCoreApplication::quit);
  connect(m_app, &AppController::languageChanged, this, &DesktopApp::applyLanguage);
  connect(m_app->secrets(), &SecretStore::backendChanged, this, [this] {
    const bool file = m_app->secrets()->backend() == SecretStore::Backend::File;
    // Dismissed once: the file is the user's choice, not news at every start.
    const bool dismissed = m_app->settings().get(Settings::keychainDismissed);
    m_window->setKeychainWarning(file && !dismissed ? m_app->secrets()->warning() : QString());
  });
  // Each kind has its own switch in Settings → Notifications.
  auto failure = [this](const SettingKey<bool>& on, const QString& title, const QString& text) {
    if (!m_app->settings().get(on)) return;
    emit notified(title, text);
    if (m_tray) m_tray->notify(title, text);
  };
  connect(m_app, &AppController::peerJoined, this,
          [failure](const QString& who, const QString& what) {
            failure(Settings::notifyOnPeer, tr("A friend connected"),
                    tr("%1 connected to %2").arg(who, what));
          });
  connect(m_app, &AppController::peerRefused, this,
          [failure](const QString& who, const QString& what) {
            failure(Settings::notifyRefused, tr("Connection refused"),
                    tr("%1 tried to reach %2 and is not on its allow-list").arg(who, what));
          });
  connect(m_app, &AppController::refusedByShare, this, [failure](const QString& who) {
    failure(Settings::notifyRefused, tr("Refused"),
            tr("The share of %1 does not admit this computer. Send your key (My key…) and ask to "
               "be added.")
                .arg(who));
  });
  connect(m_app, &AppController::serviceDown, this, [failure](const QString& what) {
    failure(Settings::notifyServiceDown, tr("Service down"),
            tr("Nothing answers on %1: friends reach the share but not the service").arg(what));
  });
  connect(m_app, &AppController::portInUse, this, [failure](const QString& what, quint16 port) {
    failure(Settings::notifyPortInUse, tr("Port in use"),
            port ? tr("%1: local port %2 is taken by another program. Edit the connection to pick "
                      "another.")
                       .arg(what)
                       .arg(port)
                 : tr("%1: the local port is taken by another program.").arg(what));
  });
  connect(m_app, &AppController::relayOnly, this, [failure](const QString& what) {
    failure(Settings::notifyRelayOnly, tr("Relayed connection"),
            tr("%1 goes through a relay: no direct path could be made. It stays encrypted, but is "
               "slower.")
                .arg(what));
  });
}

void DesktopApp::createWindow() {
  m_window = new MainWindow(m_app);
  connect(m_window, &MainWindow::quitRequested, this, &DesktopApp::quit);
  connect(m_window, &MainWindow::keychainWarningDismissed, this, [this] {
    m_app->settings().set(Settings::keychainDismissed, true);
    m_app->settings().sync();
  });
  connect(m_window, &MainWindow::retryKeychainRequested, this, [this] {
    m_app->settings().set(Settings::keychainDismissed, false);
    m_app->settings().sync();
    m_app->secrets()->retryKeychain();
  });
  if (m_tray) {
    connect(m_tray, &TrayIcon::showWindowRequested, m_window, &MainWindow::raiseWindow);
    connect(m_tray, &TrayIcon::quitRequested, m_window, &MainWindow::confirmQuit);
  }
  m_window->setTrayAvailable(m_tray != nullptr);
  // However the app ends (a session logout too), the window's size is kept.
  connect(qApp, &QCoreApplication::aboutToQuit, m_window, &MainWindow::saveWindowState);
}

void DesktopApp::applyLanguage(const QString& code) {
  installTranslations(*qApp, code);
  // Later, not now: the Settings dialog that asked for this is still on the window's stack.
  QTimer::singleShot(0, this, [this] {
    if (m_quitting) return;
    const bool visible = m_window->isVisible();
    const bool keychain = m_app->secrets()->backend() == SecretStore::Backend::File &&
                          !m_app->settings().get(Settings::keychainDismissed);
    // The row the user had selected stays selected, so the chart and buttons keep to it.
    auto selected = [](QTableView* v) {
      const QModelIndexList rows = v->selectionModel()->selectedRows();
      return rows.isEmpty() ? -1 : rows.first().row();
    };
    const int shareRow = selected(m_window->sharesView());
    const int connectionRow = selected(m_window->connectionsView());
    m_window->saveWindowState();
    m_window->hide();
    m_window->deleteLater();
    createWindow();
    if (keychain) m_window->setKeychainWarning(m_app->secrets()->warning());
    if (shareRow >= 0) m_window->sharesView()->selectRow(shareRow);
    if (connectionRow >= 0) m_window->connectionsView()->selectRow(connectionRow);
    if (visible) m_window->show();
    if (m_tray) m_tray->retranslate();
  });
}

DesktopApp::~DesktopApp() {
  delete m_window;
}

bool DesktopApp::start(SingleInstance* instance) {
  connect(instance, &SingleInstance::messageReceived, this,
          [this](const QString& message, const InstanceResponder& respond) {
            const QString reply = handleMessage(message, respond);
            if (!reply.isNull()) respond(reply);
          });

  if (TrayIcon::isAvailable()) {
    m_tray = new TrayIcon(m_app, this);
    connect(m_tray, &TrayIcon::showWindowRequested, m_window, &MainWindow::raiseWindow);
    connect(m_tray, &TrayIcon::quitRequested, m_window, &MainWindow::confirmQuit);
    m_tray->show();
  }
  m_window->setTrayAvailable(m_tray != nullptr);
  const bool minimized =
      (m_options.startMinimized || m_app->settings().get(Settings::startMinimized)) && m_tray;
  if (!minimized) m_window->show();
  m_app->start();
  return true;
}

void DesktopApp::quit() {
  if (m_quitting) return;
  m_quitting = true;
  m_window->saveWindowState();
  m_window->hide();
  m_app->shutdown();
  // The engine gives peers 2 s to acknowledge; never hang at exit if something is stuck.
  QTimer::singleShot(8000, qApp, &QCoreApplication::quit);
}

void DesktopApp::openLink(const QString& link) {
  m_window->raiseWindow();
  QTimer::singleShot(0, m_window, [this, link] { m_window->showConnectDialog(link); });
}

QString DesktopApp::handleMessage(const QString& message,
                                  const std::function<void(const QString&)>& respond) {
  const QString command = message.section(QLatin1Char(' '), 0, 0);
  const QString arg = message.section(QLatin1Char(' '), 1);
  if (command == QLatin1String("show") || command.isEmpty()) {
    m_window->raiseWindow();
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("open")) {  // a key or peerport:// link given to a second launch
    openLink(arg);
    return QStringLiteral("ok");
  }
  if (!m_options.testHooks) return QStringLiteral("error: unknown command");
  if (command == QLatin1String("state")) return stateJson();
  if (command == QLatin1String("share")) {
    ShareRequest r;
    r.port = static_cast<quint16>(arg.toUInt());
    if (r.port == 0) return QStringLiteral("error: bad port");
    const QString dup = m_app->duplicateShareError(r);
    if (!dup.isEmpty()) return QStringLiteral("error: ") + dup;
    m_window->sharesView()->selectRow(m_app->addShare(r));
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("connect")) {
    const KeyText::Check c = KeyText::check(arg);
    if (!c.ok) return QStringLiteral("error: ") + c.error;
    ConnectRequest r;
    r.key = arg;
    m_window->connectionsView()->selectRow(
        m_app->addConnection(r, c.hexKey, QStringLiteral("Alice")));
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("screenshot")) {
    m_window->raiseWindow();
    // One event-loop turn so a just-raised window has painted.
    QTimer::singleShot(200, this, [this, arg, respond] {
      respond(m_window->grab().save(arg, "PNG") ? QStringLiteral("ok")
                                                : QStringLiteral("error: cannot save"));
    });
    return QString();
  }
  if (command == QLatin1String("people")) {
    const int row = arg.toInt();
    if (row < 0 || row >= m_app->shares()->rowCount())
      return QStringLiteral("error: no such share");
    delete m_people;
    m_people = new PeersDialog(m_app, row, m_window);
    m_people->setAttribute(Qt::WA_DeleteOnClose);
    m_people->show();
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("people-shot")) {
    if (!m_people) return QStringLiteral("error: no People dialog");
    m_people->raise();
    QTimer::singleShot(200, this, [this, arg, respond] {
      respond(m_people && m_people->grab().save(arg, "PNG") ? QStringLiteral("ok")
                                                            : QStringLiteral("error: cannot save"));
    });
    return QString();
  }
  if (command == QLatin1String("people-select")) {
    if (!m_people) return QStringLiteral("error: no People dialog");
    return m_people->selectConnected(arg) ? QStringLiteral("ok")
                                          : QStringLiteral("error: not connected");
  }
  if (command == QLatin1String("resize")) {  // the main window, "W H", to check a narrow layout
    const int w = arg.section(QLatin1Char(' '), 0, 0).toInt();
    const int h = arg.section(QLatin1Char(' '), 1, 1).toInt();
    if (w <= 0 || h <= 0) return QStringLiteral("error: bad size");
    m_window->resize(w, h);
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("people-disconnect") || command == QLatin1String("people-block")) {
    if (!m_people) return QStringLiteral("error: no People dialog");
    if (!m_people->selectConnected(arg)) return QStringLiteral("error: not connected");
    const QString button = command == QLatin1String("people-block")
                               ? QStringLiteral("blockPeer")
                               : QStringLiteral("disconnectPeer");
    auto* b = m_people->findChild<QPushButton*>(button);
    if (!b || !b->isEnabled()) return QStringLiteral("error: button disabled");
    b->click();
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("pause") ||
      command == QLatin1String("resume")) {  // Pause all, as from the menu
    m_app->setAllPaused(command == QLatin1String("pause"));
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("language")) {  // as if chosen in Settings ("-" for the system's)
    m_app->setLanguage(arg == QLatin1String("-") ? QString() : arg);
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("close")) {  // as if the user closed the window
    QTimer::singleShot(0, m_window, &QWidget::close);
    return QStringLiteral("ok");
  }
  if (command == QLatin1String("quit")) {
    QTimer::singleShot(0, this, &DesktopApp::quit);
    return QStringLiteral("ok");
  }
  return QStringLiteral("error: unknown command");
}

QString DesktopApp::stateJson() const {
  QJsonObject o;
  o[QStringLiteral("identity")] = m_app->identityKey();
  o[QStringLiteral("keychain")] =
      m_app->secrets()->backend() == SecretStore::Backend::Keychain ? QStringLiteral("keychain")
      : m_app->secrets()->backend() == SecretStore::Backend::File   ? QStringLiteral("file")
                                                                    : QStringLiteral("loading");
  o[QStringLiteral("engine")] = m_app->engineRunning();
  o[QStringLiteral("bootstrapped")] = m_app->dht().bootstrapped;
  o[QStringLiteral("tray")] = m_tray != nullptr && m_tray->isVisible();
  o[QStringLiteral("window")] = m_window->isVisible();
  QJsonArray shares;
  for (int i = 0; i < m_app->shares()->rowCount(); ++i) {
    const ShareRow& r = m_app->shares()->row(i);
    QJsonObject s;
    s[QStringLiteral("port")] = r.request.port;
    s[QStringLiteral("state")] =
        m_app->shares()->data(m_app->shares()->index(i, SharesModel::StatusColumn)).toString();
    s[QStringLiteral("key")] = r.info.publicKey;
    s[QStringLiteral("url")] = r.info.url;
    s[QStringLiteral("peers")] = static_cast<int>(r.peers.size());
    QJsonArray traffic;
    for (const PeerStats& p : r.traffic) {
      QJsonObject t;
      t[QStringLiteral("key")] = p.peer;
      t[QStringLiteral("bytesIn")] = static_cast<double>(p.bytesIn);
      t[QStringLiteral("bytesOut")] = static_cast<double>(p.bytesOut);
      t[QStringLiteral("rateIn")] = p.rateIn;
      t[QStringLiteral("rateOut")] = p.rateOut;
      traffic.append(t);
    }
    s[QStringLiteral("traffic")] = traffic;
    s[QStringLiteral("up")] = r.rateUp;
    s[QStringLiteral("down")] = r.rateDown;
    shares.append(s);
  }
  o[QStringLiteral("shares")] = shares;
  QJsonArray conns;
  for (int i = 0; i < m_app->connections()->rowCount(); ++i) {
    const ConnectionRow& r = m_app->connections()->row(i);
    QJsonObject c;
    c[QStringLiteral("key")] = r.publicKey;
    c[QStringLiteral("localPort")] = r.localPort;
    c[QStringLiteral("state")] = ConnectionsModel::stateText(r);
    c[QStringLiteral("connected")] =
        r.state == ConnectionState::Direct || r.state == ConnectionState::Relayed;
    static const char* const kPeer[] = {"unknown", "online", "offline", "refused", "not-found"};
    c[QStringLiteral("peer")] = QLatin1String(kPeer[static_cast<int>(r.peer)]);
    c[QStringLiteral("up")] = r.rateUp;
    c[QStringLiteral("down")] = r.rateDown;
    // As the Rate cell shows it ("—" with no tunnel possible now).
    c[QStringLiteral("rate")] =
        m_app->connections()
            ->data(m_app->connections()->index(i, ConnectionsModel::RateColumn))
            .toString();
    conns.append(c);
  }
  o[QStringLiteral("connections")] = conns;
  return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

}  // namespace PeerPort
