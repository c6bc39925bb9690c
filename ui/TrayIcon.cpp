#include "TrayIcon.h"

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>

#include "AppController.h"
#include "ConnectionsModel.h"
#include "Format.h"
#include "SharesModel.h"

namespace PeerPort {

TrayIcon::TrayIcon(AppController* app, QObject* parent)
    : QObject(parent), m_app(app), m_tray(new QSystemTrayIcon(this)), m_menu(new QMenu) {
  m_tray->setContextMenu(m_menu);
  connect(m_menu, &QMenu::aboutToShow, this, &TrayIcon::rebuildMenu);
  connect(m_tray, &QSystemTrayIcon::activated, this,
          [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
              emit showWindowRequested();
          });
  connect(m_app, &AppController::statsUpdated, this, &TrayIcon::refresh);
  connect(m_app, &AppController::dhtChanged, this, &TrayIcon::refresh);
  connect(m_app, &AppController::pausedChanged, this, &TrayIcon::refresh);
  connect(m_app, &AppController::peerStateChanged, this, &TrayIcon::refresh);
  connect(m_app, &AppController::errorReported, this, [this](const ErrorInfo& e) {
    if (e.fatal) m_hasError = true;
    refresh();
  });
  connect(m_app, &AppController::engineFailed, this, [this] {
    m_hasError = true;
    refresh();
  });
  rebuildMenu();
  refresh();
}

TrayIcon::~TrayIcon() {
  delete m_menu;
}

bool TrayIcon::isAvailable() {
  return QSystemTrayIcon::isSystemTrayAvailable();
}
bool TrayIcon::isVisible() const {
  return m_tray->isVisible();
}
void TrayIcon::show() {
  m_tray->show();
}

void TrayIcon::notify(const QString& title, const QString& text) {
  if (m_tray->isVisible() && QSystemTrayIcon::supportsMessages()) {
    m_tray->showMessage(title, text, QIcon(QStringLiteral(":/icons/tray-active.svg")), 6000);
  }
}

QString TrayIcon::toolTip() const {
  return m_tray->toolTip();
}

void TrayIcon::refresh() {
  const StatsSnapshot& s = m_app->lastStats();
  const int sharing = m_app->shares()->listeningCount();
  // Friends on our shares (distinct keys with a tunnel open), and friends' shares we reach.
  const int peers = m_app->shares()->activePeerCount();
  const int online = m_app->connections()->onlineCount();
  const int connections = m_app->connections()->rowCount();
  // An error that has cleared (nothing listed in error any more) stops showing.
  bool error = !m_app->engineError().isEmpty();
  for (const ShareRow& r : m_app->shares()->rows()) {
    error = error || r.state == ShareState::Error ||
            (r.state == ShareState::Listening && r.serviceUp == false);
  }
  for (const ConnectionRow& r : m_app->connections()->rows())
    error = error || r.state == ConnectionState::Error;
  m_hasError = error;

  QString name = QStringLiteral("tray-idle");
  if (m_hasError)
    name = QStringLiteral("tray-error");
  else if (peers > 0 || m_app->connections()->connectedCount() > 0)
    name = QStringLiteral("tray-active");
  else if (sharing > 0)
    name = QStringLiteral("tray-sharing");
  if (name != m_iconName) {
    m_iconName = name;
    m_tray->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
  }
  QString tip = tr("PeerPort: sharing %n port(s)", nullptr, sharing) + QLatin1Char('\n') +
                tr("%n friend(s) connected to your shares", nullptr, peers);
  if (connections > 0)
    tip += QLatin1Char('\n') +
           tr("%1 of %n friend's share(s) online", nullptr, connections).arg(online);
  if (m_app->allPaused()) tip += QLatin1Char('\n') + tr("Paused");
  tip += QLatin1Char('\n') + tr("Total: %1").arg(Format::upDown(s.rateOut, s.rateIn));
  tip += QLatin1Char('\n') +
         tr("Sent %1, received %2").arg(Format::bytes(s.bytesOut), Format::bytes(s.bytesIn));
  m_tray->setToolTip(tip);
}

void TrayIcon::rebuildMenu() {
  m_menu->clear();
  QAction* showAction = m_menu->addAction(tr("&Show PeerPort"));
  connect(showAction, &QAction::triggered, this, &TrayIcon::showWindowRequested);
  m_menu->addSeparator();

  QMenu* shares = m_menu->addMenu(tr("S&hares"));
  SharesModel* sm = m_app->shares();
  for (int i = 0; i < sm->rowCount(); ++i) {
    const QString label = sm->data(sm->index(i, SharesModel::ServiceColumn)).toString() +
                          QStringLiteral(" — ") +
                          sm->data(sm->index(i, SharesModel::StatusColumn)).toString();
    QAction* a = shares->addAction(label);
    a->setCheckable(true);
    a->setChecked(sm->row(i).id != 0);
    a->setEnabled(!m_app->allPaused());
    connect(a, &QAction::toggled, this, [this, i](bool on) {
      if (on)
        m_app->startShare(i);
      else
        m_app->stopShare(i);
    });
  }
  if (sm->rowCount() == 0) shares->addAction(tr("No shared ports"))->setEnabled(false);

  QMenu* conns = m_menu->addMenu(tr("&Connections"));
  ConnectionsModel* cm = m_app->connections();
  for (int i = 0; i < cm->rowCount(); ++i) {
    const QString label = cm->name(i) + QStringLiteral(" — ") +
                          cm->data(cm->index(i, ConnectionsModel::LocalPortColumn)).toString() +
                          QStringLiteral(" — ") + ConnectionsModel::stateText(cm->row(i));
    QAction* a = conns->addAction(label);
    a->setCheckable(true);
    a->setChecked(cm->row(i).id != 0);
    a->setEnabled(!m_app->allPaused());
    connect(a, &QAction::toggled, this, [this, i](bool on) {
      if (on)
        m_app->startConnection(i);
      else
        m_app->stopConnection(i);
    });
  }
  if (cm->rowCount() == 0) conns->addAction(tr("No connections"))->setEnabled(false);

  m_menu->addSeparator();
  QAction* pause = m_menu->addAction(tr("&Pause all"));
  pause->setCheckable(true);
  pause->setChecked(m_app->allPaused());
  connect(pause, &QAction::toggled, m_app, &AppController::setAllPaused);
  m_menu->addSeparator();
  QAction* quit = m_menu->addAction(tr("&Quit"));
  connect(quit, &QAction::triggered, this, &TrayIcon::quitRequested);
}

}  // namespace PeerPort
