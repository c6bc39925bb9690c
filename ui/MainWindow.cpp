#include "MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

#include "AppController.h"
#include "ConnectDialog.h"
#include "ConnectionsModel.h"
#include "Format.h"
#include "FriendBook.h"
#include "FriendsDialog.h"
#include "KeyText.h"
#include "MyKeyDialog.h"
#include "PeersDialog.h"
#include "QrCode.h"
#include "Settings.h"
#include "SettingsDialog.h"
#include "ShareDialog.h"
#include "SharesModel.h"
#include "ThroughputChart.h"

namespace PeerPort {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setModel(model);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->setWordWrap(false);
  view->setTabKeyNavigation(false);  // Tab moves between widgets; arrows move between rows
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  view->horizontalHeader()->setHighlightSections(false);
  view->setContextMenuPolicy(Qt::ActionsContextMenu);
  return view;
}

// Wide enough for any rate, so the column does not jump with every stats tick.
int rateColumnWidth(QWidget* view) {
  return view->fontMetrics().horizontalAdvance(Format::upDown(999.9e6, 999.9e6)) + 16;
}

QPushButton* makeButton(const QString& text, const QString& tip, QWidget* parent) {
  auto* b = new QPushButton(text, parent);
  b->setToolTip(tip);
  return b;
}

}  // namespace

MainWindow::MainWindow(AppController* app, QWidget* parent) : QMainWindow(parent), m_app(app) {
  setWindowTitle(m_app->profile().isDefault()
                     ? QStringLiteral("PeerPort")
                     : QStringLiteral("PeerPort — %1").arg(m_app->profile().dir()));
  setWindowIcon(QIcon(QStringLiteral(":/icons/peerport.svg")));
  setObjectName(QStringLiteral("mainWindow"));

  // Both colors fixed, so the banner reads the same on a light or a dark palette.
  m_banner = new QFrame(this);
  m_banner->setObjectName(QStringLiteral("banner"));
  m_banner->setStyleSheet(
      QStringLiteral("QFrame#banner { background: #fff3cd; border: 1px solid #ffe69c; }"
                     "QFrame#banner > QLabel { color: #664d03; }"));
  m_warning = new QLabel(m_banner);
  m_warning->setObjectName(QStringLiteral("warning"));
  m_warning->setWordWrap(true);
  m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_retryKeychain = new QPushButton(tr("&Retry keychain"), m_banner);
  m_retryKeychain->setObjectName(QStringLiteral("retryKeychain"));
  m_retryKeychain->setToolTip(tr("Ask the system keychain again and move the key there"));
  m_dismissWarning = new QPushButton(tr("&Dismiss"), m_banner);
  m_dismissWarning->setObjectName(QStringLiteral("dismissWarning"));
  m_dismissWarning->setToolTip(
      tr("Hide this message; PeerPort keeps the key in the file and stops asking the keychain"));
  auto* bannerLayout = new QHBoxLayout(m_banner);
  bannerLayout->setContentsMargins(8, 6, 8, 6);
  bannerLayout->addWidget(m_warning, 1);
  bannerLayout->addWidget(m_retryKeychain, 0, Qt::AlignVCenter);
  bannerLayout->addWidget(m_dismissWarning, 0, Qt::AlignVCenter);
  connect(m_retryKeychain, &QPushButton::clicked, this, [this] {
    m_banner->hide();
    emit retryKeychainRequested();
  });
  connect(m_dismissWarning, &QPushButton::clicked, this, [this] {
    const bool keychain = m_retryKeychain->isVisible();
    m_banner->hide();
    if (keychain) emit keychainWarningDismissed();
  });
  m_banner->hide();

  m_chart = new ThroughputChart(&m_app->history(), this);
  m_splitter = new QSplitter(Qt::Vertical, this);
  m_splitter->addWidget(createSharesPanel());
  m_splitter->addWidget(createConnectionsPanel());
  m_splitter->addWidget(m_chart);
  m_splitter->setChildrenCollapsible(false);
  m_splitter->setStretchFactor(0, 3);
  m_splitter->setStretchFactor(1, 3);
  m_splitter->setStretchFactor(2, 2);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->addWidget(m_banner);
  layout->addWidget(m_splitter, 1);
  setCentralWidget(central);

  createActions();

  m_dhtLabel = new QLabel(this);
  m_dhtLabel->setToolTip(tr("The HyperDHT network: nodes known and whether we are bootstrapped"));
  m_natLabel = new QLabel(this);
  m_natLabel->setToolTip(tr("How the network sees this computer: NAT type and public address"));
  m_totalsLabel = new QLabel(this);
  m_totalsLabel->setToolTip(tr("Total rate and bytes, all shares and connections"));
  // At a narrow width the NAT line gives way first (elided by the status bar), never the totals.
  m_natLabel->setMinimumWidth(40);
  m_natLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  // While "Relay for others" is on and announced: the relay key others name, one click away.
  m_relayButton = new QToolButton(this);
  m_relayButton->setObjectName(QStringLiteral("relayKeyButton"));
  m_relayButton->setAutoRaise(true);
  m_relayButton->setVisible(false);
  connect(m_relayButton, &QToolButton::clicked, this,
          [this] { copyToClipboard(m_app->dht().relayKey, tr("Relay key copied"), false); });
  statusBar()->addWidget(m_dhtLabel);
  statusBar()->addWidget(m_natLabel, 1);
  statusBar()->addPermanentWidget(m_relayButton);
  statusBar()->addPermanentWidget(m_totalsLabel);

  connect(m_app, &AppController::statsUpdated, this, [this] {
    updateStatusBar();
    m_chart->update();
    updateButtons();
  });
  connect(m_app, &AppController::dhtChanged, this, &MainWindow::updateStatusBar);
  connect(m_app, &AppController::engineFailed, this, [this](const QString& message) {
    setWarning(tr("The network engine could not start: %1").arg(message));
    updateStatusBar();
  });
  connect(m_app, &AppController::engineStarted, this, &MainWindow::updateStatusBar);
  connect(m_app, &AppController::pausedChanged, this, [this](bool paused) {
    m_pauseAction->setChecked(paused);
    updateButtons();
  });
  // A row's id changes when it restarts and its name when a friend is renamed: the chart
  // title and the buttons follow the selected row's current data.
  for (QAbstractItemModel* m : {static_cast<QAbstractItemModel*>(m_app->shares()),
                                static_cast<QAbstractItemModel*>(m_app->connections())}) {
    connect(m, &QAbstractItemModel::dataChanged, this, [this] {
      updateButtons();
      updateChartSelection();
    });
    connect(m, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateEmptyHints);
    connect(m, &QAbstractItemModel::dataChanged, this, &MainWindow::fitShareColumns);
    connect(m, &QAbstractItemModel::rowsInserted, this, &MainWindow::fitShareColumns);
    connect(m, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateEmptyHints);
    connect(m, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyHints);
  }

  const QByteArray geometry = m_app->settings().get(Settings::geometry);
  if (!geometry.isEmpty())
    restoreGeometry(geometry);
  else
    resize(960, 680);
  const QByteArray split = m_app->settings().get(Settings::splitterState);
  if (!split.isEmpty()) m_splitter->restoreState(split);
  updateStatusBar();
  updateButtons();
  updateEmptyHints();
}

void MainWindow::createActions() {
  auto* shareAction =
      new QAction(QIcon(QStringLiteral(":/icons/share.svg")), tr("&Share port…"), this);
  shareAction->setShortcut(QKeySequence::New);
  shareAction->setToolTip(
      tr("Share a local port with friends (%1)")
          .arg(QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText)));
  connect(shareAction, &QAction::triggered, this, &MainWindow::showShareDialog);
  auto* connectAction =
      new QAction(QIcon(QStringLiteral(":/icons/connect.svg")), tr("&Connect…"), this);
  connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
  connectAction->setToolTip(tr("Reach a friend's shared port by key (Ctrl+K)"));
  connect(connectAction, &QAction::triggered, this, [this] { showConnectDialog(); });
  auto* friendsAction = new QAction(tr("&Friends…"), this);
  friendsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
  connect(friendsAction, &QAction::triggered, this,
          [this] { FriendsDialog(m_app->friends(), m_app->identityKey(), this).exec(); });
  friendsAction->setToolTip(tr("The people you share with: their keys and names (Ctrl+L)"));
  auto* myKeyAction = new QAction(tr("&My key…"), this);
  myKeyAction->setObjectName(QStringLiteral("myKeyAction"));
  myKeyAction->setToolTip(tr("Your key, for friends whose shares admit only listed friends"));
  connect(myKeyAction, &QAction::triggered, this, [this] {
    if (!m_app->identityKey().isEmpty()) MyKeyDialog(m_app->identityKey(), this).exec();
  });
  auto* settingsAction = new QAction(tr("S&ettings…"), this);
  settingsAction->setShortcut(QKeySequence::Preferences);
  settingsAction->setMenuRole(QAction::PreferencesRole);
  settingsAction->setToolTip(tr("Network, language, start at login"));
  connect(settingsAction, &QAction::triggered, this,
          [this] { SettingsDialog(m_app, this).exec(); });
  if (settingsAction->shortcut().isEmpty())
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  m_pauseAction = new QAction(tr("&Pause all"), this);
  m_pauseAction->setCheckable(true);
  m_pauseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
  m_pauseAction->setToolTip(tr("Stop every share and connection until you resume (Ctrl+P)"));
  connect(m_pauseAction, &QAction::toggled, m_app, &AppController::setAllPaused);
  auto* closeAction = new QAction(tr("&Close window"), this);
  closeAction->setShortcut(QKeySequence::Close);
  connect(closeAction, &QAction::triggered, this, &QWidget::close);
  auto* quitAction = new QAction(tr("&Quit"), this);
  quitAction->setShortcut(QKeySequence::Quit);
  quitAction->setMenuRole(QAction::QuitRole);
  connect(quitAction, &QAction::triggered, this, &MainWindow::confirmQuit);
  auto* aboutAction = new QAction(tr("&About PeerPort"), this);
  aboutAction->setMenuRole(QAction::AboutRole);
  connect(aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

  QMenu* file = menuBar()->addMenu(tr("&PeerPort"));
  file->addAction(shareAction);
  file->addAction(connectAction);
  file->addSeparator();
  file->addAction(friendsAction);
  file->addAction(myKeyAction);
  file->addAction(settingsAction);
  file->addSeparator();
  file->addAction(m_pauseAction);
  file->addSeparator();
  file->addAction(closeAction);
  file->addAction(quitAction);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAction);

  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addAction(shareAction);
  bar->addAction(connectAction);
  bar->addSeparator();
  bar->addAction(friendsAction);
  bar->addAction(settingsAction);
  bar->addAction(m_pauseAction);
}

QWidget* MainWindow::createSharesPanel() {
  auto* box = new QGroupBox(tr("Shared ports"), this);
  box->setObjectName(QStringLiteral("sharesBox"));
  m_sharesView = makeTable(m_app->shares(), box);
  m_sharesView->setObjectName(QStringLiteral("sharesView"));
  m_sharesView->setAccessibleName(tr("Shared ports"));
  auto* h = m_sharesView->horizontalHeader();
  h->setSectionResizeMode(SharesModel::ServiceColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(SharesModel::AccessColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(SharesModel::KeyColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(SharesModel::StatusColumn, QHeaderView::Stretch);
  h->setSectionResizeMode(SharesModel::PeersColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(SharesModel::RateColumn, QHeaderView::Fixed);
  h->resizeSection(SharesModel::RateColumn, rateColumnWidth(m_sharesView));
  h->setStretchLastSection(false);
  m_sharesView->viewport()->installEventFilter(this);

  m_copyKey =
      makeButton(tr("Copy &key"), tr("Copy the key (or private link) for your friend"), box);
  m_qr = makeButton(tr("&QR code…"), tr("Show the link as a QR code"), box);
  m_copyHypertele = makeButton(tr("Copy as &hypertele"),
                               tr("Copy a hypertele command that reaches this share"), box);
  m_copyHolesail = makeButton(tr("Copy as h&olesail"),
                              tr("Copy a holesail command that reaches this share"), box);
  // The two commands share one menu button, so the row keeps People and Edit within 700 px.
  m_copyHypertele->hide();
  m_copyHolesail->hide();
  m_copyCommand =
      makeButton(tr("Copy co&mmand"),
                 tr("Copy a command for hypertele or holesail that reaches this share"), box);
  m_copyCommand->setObjectName(QStringLiteral("copyCommand"));
  auto* commands = new QMenu(m_copyCommand);
  connect(commands->addAction(tr("hypertele command")), &QAction::triggered, m_copyHypertele,
          &QPushButton::click);
  connect(commands->addAction(tr("holesail command")), &QAction::triggered, m_copyHolesail,
          &QPushButton::click);
  m_copyCommand->setMenu(commands);
  connect(commands, &QMenu::aboutToShow, this, [this, commands] {
    commands->actions().at(0)->setEnabled(m_copyHypertele->isEnabled());
    commands->actions().at(1)->setEnabled(m_copyHolesail->isEnabled());
  });
  m_people =
      makeButton(tr("&People…"), tr("Who is connected to this share, and who was refused"), box);
  m_people->setObjectName(QStringLiteral("peopleButton"));
  m_shareEdit = makeButton(
      tr("&Edit…"), tr("Change this share's name, port or access; friends keep its key"), box);
  m_shareEdit->setObjectName(QStringLiteral("editShare"));
  connect(m_shareEdit, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row >= 0) showEditShareDialog(row);
  });
  connect(m_people, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row >= 0) PeersDialog(m_app, row, this).exec();
  });
  m_shareToggle = makeButton(tr("S&top"), tr("Stop or start sharing this port"), box);
  m_shareRemove =
      makeButton(tr("&Remove"), tr("Stop sharing and remove this port from the list"), box);

  connect(m_copyKey, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row >= 0) copyShareLink(row);
  });
  connect(m_qr, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row < 0) return;
    const ShareRow& r = m_app->shares()->row(row);
    const QString link =
        r.request.access == Access::Private ? r.info.url : KeyText::peerportLink(r.info.publicKey);
    QrDialog(tr("Key of %1").arg(m_app->shares()->label(row)), link, this).exec();
  });
  connect(m_copyHypertele, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row < 0) return;
    const ShareRow& r = m_app->shares()->row(row);
    copyToClipboard(KeyText::hyperteleCommand(r.info.publicKey, r.request.port),
                    tr("hypertele command copied: %1"));
  });
  connect(m_copyHolesail, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row < 0) return;
    const ShareRow& r = m_app->shares()->row(row);
    const bool secret = r.request.access == Access::Private;
    copyToClipboard(KeyText::holesailCommand(r.info.url),
                    secret ? tr("holesail command copied (it holds the secret, not shown).")
                           : tr("holesail command copied: %1"),
                    secret);
  });
  connect(m_shareToggle, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row < 0) return;
    if (m_app->shares()->row(row).id)
      m_app->stopShare(row);
    else
      m_app->startShare(row);
    updateButtons();
  });
  connect(m_shareRemove, &QPushButton::clicked, this, [this] {
    const int row = currentShareRow();
    if (row < 0) return;
    if (QMessageBox::question(
            this, tr("Remove share"),
            tr("Stop sharing %1 and remove it? Friends will no longer reach it with this key.")
                .arg(m_app->shares()->label(row))) == QMessageBox::Yes) {
      m_app->removeShare(row);
    }
  });
  connect(m_sharesView, &QTableView::clicked, this, [this](const QModelIndex& index) {
    if (index.column() != SharesModel::KeyColumn) return;
    const ShareRow& r = m_app->shares()->row(index.row());
    if (r.info.publicKey.isEmpty()) return;
    // One click must not put a secret on the clipboard: private links go through Copy key.
    if (r.request.access == Access::Private) {
      statusBar()->showMessage(tr("This share's link is secret: use Copy key to copy it."), 4000);
      return;
    }
    copyToClipboard(r.info.publicKey, tr("Key copied: %1"));
  });
  // selectionChanged, not currentRowChanged: the current index moves before the selection
  // does, so reading the selection there gave the previously selected row.
  connect(m_sharesView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
    if (currentShareRow() >= 0) m_connectionsView->clearSelection();
    updateButtons();
    updateChartSelection();
  });
  connect(m_sharesView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.column() == SharesModel::PeersColumn || index.column() == SharesModel::StatusColumn)
      m_people->click();
    else if (index.column() == SharesModel::ServiceColumn ||
             index.column() == SharesModel::AccessColumn)
      m_shareEdit->click();
  });
  for (QPushButton* b : {m_copyKey, m_qr, m_copyHypertele, m_copyHolesail, m_people, m_shareEdit}) {
    auto* a = new QAction(b->text().remove(QLatin1Char('&')), m_sharesView);
    connect(a, &QAction::triggered, b, &QPushButton::click);
    m_sharesView->addAction(a);
  }

  auto* buttons = new QHBoxLayout;
  for (QPushButton* b : {m_copyKey, m_qr, m_copyCommand, m_people}) buttons->addWidget(b);
  buttons->addStretch(1);
  buttons->addWidget(m_shareEdit);
  buttons->addWidget(m_shareToggle);
  buttons->addWidget(m_shareRemove);
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(m_sharesView, 1);
  layout->addLayout(buttons);
  return box;
}

QWidget* MainWindow::createConnectionsPanel() {
  auto* box = new QGroupBox(tr("Connections"), this);
  m_connectionsView = makeTable(m_app->connections(), box);
  m_connectionsView->setObjectName(QStringLiteral("connectionsView"));
  m_connectionsView->setAccessibleName(tr("Connections"));
  auto* h = m_connectionsView->horizontalHeader();
  h->setSectionResizeMode(ConnectionsModel::NameColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(ConnectionsModel::LocalPortColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(ConnectionsModel::StateColumn, QHeaderView::Stretch);
  h->setSectionResizeMode(ConnectionsModel::RttColumn, QHeaderView::ResizeToContents);
  h->setSectionResizeMode(ConnectionsModel::RateColumn, QHeaderView::Fixed);
  h->resizeSection(ConnectionsModel::RateColumn, rateColumnWidth(m_connectionsView));
  h->setStretchLastSection(false);

  m_copyAddress = makeButton(tr("Copy &address"),
                             tr("Copy localhost:port, where the friend's service is"), box);
  m_openBrowser =
      makeButton(tr("Open in &browser"), tr("Open http://localhost:port in your web browser"), box);
  m_openBrowser->setObjectName(QStringLiteral("openBrowser"));
  m_connToggle = makeButton(tr("Disco&nnect"), tr("Close or reopen this connection"), box);
  m_connRemove =
      makeButton(tr("Remo&ve"), tr("Disconnect and remove this connection from the list"), box);
  m_connEdit =
      makeButton(tr("Ed&it…"), tr("Rename this connection or move it to another local port"), box);
  m_connEdit->setObjectName(QStringLiteral("editConnection"));
  connect(m_connEdit, &QPushButton::clicked, this, [this] {
    const int row = currentConnectionRow();
    if (row >= 0) showEditConnectionDialog(row);
  });

  auto localPort = [this](int row) {
    const ConnectionRow& r = m_app->connections()->row(row);
    return r.localPort ? r.localPort : r.request.port;
  };
  connect(m_copyAddress, &QPushButton::clicked, this, [this, localPort] {
    const int row = currentConnectionRow();
    if (row >= 0 && localPort(row))
      copyToClipboard(QStringLiteral("localhost:%1").arg(localPort(row)), tr("Address copied: %1"));
  });
  connect(m_openBrowser, &QPushButton::clicked, this, [this, localPort] {
    const int row = currentConnectionRow();
    if (row >= 0 && localPort(row))
      QDesktopServices::openUrl(QUrl(QStringLiteral("http://localhost:%1/").arg(localPort(row))));
  });
  connect(m_connToggle, &QPushButton::clicked, this, [this] {
    const int row = currentConnectionRow();
    if (row < 0) return;
    if (m_app->connections()->row(row).id)
      m_app->stopConnection(row);
    else
      m_app->startConnection(row);
    updateButtons();
  });
  connect(m_connRemove, &QPushButton::clicked, this, [this] {
    const int row = currentConnectionRow();
    if (row >= 0) m_app->removeConnection(row);
  });
  connect(m_connectionsView, &QTableView::clicked, this,
          [this, localPort](const QModelIndex& index) {
            if (index.column() == ConnectionsModel::LocalPortColumn && localPort(index.row())) {
              copyToClipboard(QStringLiteral("localhost:%1").arg(localPort(index.row())),
                              tr("Address copied: %1"));
            }
          });
  connect(m_connectionsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] {
            if (currentConnectionRow() >= 0) m_sharesView->clearSelection();
            updateButtons();
            updateChartSelection();
          });
  connect(m_connectionsView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.column() == ConnectionsModel::NameColumn) m_connEdit->click();
  });
  for (QPushButton* b : {m_copyAddress, m_openBrowser, m_connEdit}) {
    auto* a = new QAction(b->text().remove(QLatin1Char('&')), m_connectionsView);
    connect(a, &QAction::triggered, b, &QPushButton::click);
    m_connectionsView->addAction(a);
  }

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_copyAddress);
  buttons->addWidget(m_openBrowser);
  buttons->addStretch(1);
  buttons->addWidget(m_connEdit);
  buttons->addWidget(m_connToggle);
  buttons->addWidget(m_connRemove);
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(m_connectionsView, 1);
  layout->addLayout(buttons);
  return box;
}

int MainWindow::currentShareRow() const {
  const QModelIndexList rows = m_sharesView->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : rows.first().row();
}

int MainWindow::currentConnectionRow() const {
  const QModelIndexList rows = m_connectionsView->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : rows.first().row();
}

void MainWindow::updateButtons() {
  const int s = currentShareRow();
  const bool hasKey = s >= 0 && !m_app->shares()->row(s).info.publicKey.isEmpty();
  const bool isPrivate = s >= 0 && m_app->shares()->row(s).request.access == Access::Private;
  m_copyKey->setEnabled(hasKey);
  m_qr->setEnabled(hasKey);
  m_copyHypertele->setEnabled(hasKey && !isPrivate);
  m_copyHolesail->setEnabled(hasKey);
  m_copyCommand->setEnabled(hasKey);
  m_shareEdit->setEnabled(s >= 0);
  m_shareToggle->setEnabled(s >= 0 && !m_app->allPaused());
  m_shareToggle->setText(s >= 0 && m_app->shares()->row(s).id == 0 ? tr("S&tart") : tr("S&top"));
  m_shareRemove->setEnabled(s >= 0);
  m_people->setEnabled(s >= 0);

  const int c = currentConnectionRow();
  const bool hasPort = c >= 0 && (m_app->connections()->row(c).localPort ||
                                  m_app->connections()->row(c).request.port);
  m_copyAddress->setEnabled(hasPort);
  // Only while our listener holds the port: otherwise it may be another program's.
  const bool listening = c >= 0 && m_app->connections()->row(c).id != 0 &&
                         m_app->connections()->row(c).state != ConnectionState::Error &&
                         m_app->connections()->row(c).state != ConnectionState::LookingUp;
  m_openBrowser->setEnabled(hasPort && listening &&
                            m_app->connections()->row(c).protocol == Protocol::Tcp);
  m_connToggle->setEnabled(c >= 0 && !m_app->allPaused());
  m_connToggle->setText(c >= 0 && m_app->connections()->row(c).id == 0 ? tr("Reco&nnect")
                                                                       : tr("Disco&nnect"));
  m_connRemove->setEnabled(c >= 0);
  m_connEdit->setEnabled(c >= 0);
}

void MainWindow::updateChartSelection() {
  const int c = currentConnectionRow();
  m_chart->setIdle(currentShareRow() < 0 && c >= 0 &&
                   !ConnectionsModel::hasRate(m_app->connections()->row(c)));
  if (const int s = currentShareRow(); s >= 0) {
    const ShareRow& r = m_app->shares()->row(s);
    m_chart->showItem(r.id, tr("Share %1").arg(m_app->shares()->label(s)));
  } else if (c >= 0) {
    m_chart->showItem(m_app->connections()->row(c).id,
                      tr("Connection to %1").arg(m_app->connections()->name(c)));
  } else {
    m_chart->showItem(0, QString());
  }
}

void MainWindow::updateStatusBar() {
  const DhtInfo& d = m_app->dht();
  if (!m_app->engineRunning()) {
    m_dhtLabel->setText(m_app->engineError().isEmpty() ? tr("DHT: starting…")
                                                       : tr("DHT: not running"));
  } else if (d.bootstrapped) {
    m_dhtLabel->setText(tr("DHT: bootstrapped, %n node(s)", nullptr, d.nodes));
  } else {
    m_dhtLabel->setText(tr("DHT: bootstrapping, %n node(s)", nullptr, d.nodes));
  }
  m_relayButton->setVisible(!d.relayKey.isEmpty());
  m_relayButton->setText(tr("Relaying for others"));
  m_relayButton->setToolTip(
      tr("This computer relays for peers that cannot reach each other directly "
         "(they stay end-to-end encrypted). Its relay key, which they name "
         "with --relay: %1. Click to copy it.")
          .arg(d.relayKey));
  m_natLabel->setText(d.publicAddress.isEmpty()
                          ? tr("NAT: %1").arg(Format::nat(d.nat))
                          : tr("NAT: %1, public %2").arg(Format::nat(d.nat), d.publicAddress));
  const StatsSnapshot& s = m_app->lastStats();
  m_totalsLabel->setText(tr("%1   total ↑ %2 ↓ %3")
                             .arg(Format::upDown(s.rateOut, s.rateIn), Format::bytes(s.bytesOut),
                                  Format::bytes(s.bytesIn)));
}

void MainWindow::copyToClipboard(const QString& text, const QString& done, bool secret) {
  if (text.isEmpty()) return;
  if (secret) {
    QMessageBox box(QMessageBox::Warning, tr("Copy a secret link"),
                    tr("This link is the share's secret: anyone who has it can reach your service. "
                       "Send it only to your friend, over a private channel, and never post it."),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("secretWarning"));
    QPushButton* copy = box.addButton(tr("Copy secret"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != copy) return;
    QApplication::clipboard()->setText(text);
    statusBar()->showMessage(done, 4000);  // a sentence without the secret
    return;
  }
  QApplication::clipboard()->setText(text);
  statusBar()->showMessage(done.arg(text.size() > 40 ? KeyText::shortKey(text) : text), 4000);
}

void MainWindow::copyShareLink(int row) {
  const ShareRow& r = m_app->shares()->row(row);
  // A private share's key alone is useless to a friend: hand out its secret link.
  if (r.request.access == Access::Private)
    copyToClipboard(r.info.url, tr("Secret link copied (not shown)."), true);
  else
    copyToClipboard(r.info.publicKey, tr("Key copied: %1"));
}

void MainWindow::setWarning(const QString& text) {
  m_warning->setText(text);
  m_retryKeychain->hide();
  m_dismissWarning->setVisible(!text.isEmpty());
  m_banner->setVisible(!text.isEmpty());
}

void MainWindow::setKeychainWarning(const QString& text) {
  setWarning(text);
  m_retryKeychain->setVisible(!text.isEmpty());
}

QString MainWindow::warningText() const {
  return m_banner->isVisible() ? m_warning->text() : QString();
}

void MainWindow::updateEmptyHints() {
  auto place = [](QLabel*& hint, QTableView* view, const QString& text, bool empty) {
    if (!hint) {
      hint = new QLabel(text, view->viewport());
      hint->setAlignment(Qt::AlignCenter);
      hint->setWordWrap(true);
      hint->setEnabled(false);  // the palette's placeholder look, light or dark
      hint->setAttribute(Qt::WA_TransparentForMouseEvents);
      auto* layout = new QVBoxLayout(view->viewport());  // follows the viewport's size
      layout->setContentsMargins(12, 8, 12, 8);
      layout->addWidget(hint);
    }
    hint->setText(text);
    hint->setVisible(empty);
  };
  place(m_sharesHint, m_sharesView,
        tr("Nothing shared yet. Click “Share port…” to let a friend reach a service on this "
           "computer."),
        m_app->shares()->rowCount() == 0);
  place(m_connectionsHint, m_connectionsView,
        tr("No connections yet. Click “Connect…” and paste the key or link a friend sent you."),
        m_app->connections()->rowCount() == 0);
}

void MainWindow::saveWindowState() {
  m_app->settings().set(Settings::geometry, saveGeometry());
  m_app->settings().set(Settings::splitterState, m_splitter->saveState());
  m_app->settings().sync();
}

void MainWindow::confirmQuit() {
  const int shares = m_app->shares()->listeningCount();
  const int peers = m_app->shares()->activePeerCount() + m_app->connections()->connectedCount();
  if (shares > 0 || peers > 0) {
    QMessageBox box(
        QMessageBox::Question, tr("Quit PeerPort"),
        tr("Quitting stops sharing %n port(s) and closes every tunnel; friends cannot reach "
           "your services until PeerPort runs again.",
           nullptr, shares),
        QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("quitConfirmation"));
    QPushButton* quit = box.addButton(tr("&Quit"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != quit) return;
  }
  saveWindowState();
  emit quitRequested();
}

void MainWindow::showShareDialog() {
  ShareDialog dialog(m_app->friends(), this);
  dialog.setDuplicateCheck([this](const ShareRequest& r) { return m_app->duplicateShareError(r); });
  if (dialog.exec() != QDialog::Accepted) return;
  const int row = m_app->addShare(dialog.request());
  m_sharesView->selectRow(row);
}

void MainWindow::showConnectDialog(const QString& keyText) {
  ConnectDialog dialog(m_app->friends(), this);
  if (!keyText.isEmpty()) dialog.setKeyText(keyText);
  if (dialog.exec() != QDialog::Accepted) return;
  const int row = m_app->addConnection(dialog.request(), dialog.hexKey(), dialog.name());
  m_connectionsView->selectRow(row);
}

void MainWindow::showEditShareDialog(int row) {
  ShareDialog dialog(m_app->friends(), this);
  dialog.setDuplicateCheck(
      [this, row](const ShareRequest& r) { return m_app->duplicateShareError(r, row); });
  dialog.setEditing(m_app->shares()->row(row).request);
  if (dialog.exec() != QDialog::Accepted || row >= m_app->shares()->rowCount()) return;
  m_app->updateShare(row, dialog.request());
  m_sharesView->selectRow(row);
}

void MainWindow::showEditConnectionDialog(int row) {
  const ConnectionRow& r = m_app->connections()->row(row);
  ConnectDialog dialog(m_app->friends(), this);
  const QString keyText = r.request.key.isEmpty() ? r.publicKey : r.request.key;
  dialog.setEditing(keyText, r.name, r.request.port ? r.request.port : r.localPort);
  if (dialog.exec() != QDialog::Accepted || row >= m_app->connections()->rowCount()) return;
  m_app->updateConnection(row, dialog.name(), dialog.request().port);
  m_connectionsView->selectRow(row);
}

void MainWindow::showAbout() {
  QMessageBox box(this);
  box.setWindowTitle(tr("About PeerPort"));
  box.setIconPixmap(QIcon(QStringLiteral(":/icons/peerport.svg")).pixmap(64, 64));
  box.setText(QStringLiteral("<h3>PeerPort %1</h3>").arg(QStringLiteral(PEERPORT_VERSION)));
  box.setInformativeText(
      tr("Share a local port with a friend, peer to peer, over HyperDHT. End-to-end "
         "encrypted; no server in the middle.<br><br>Licensed under the GNU GPL, "
         "version 3 or later. Built with Qt %1.")
          .arg(QString::fromLatin1(qVersion())));
  box.exec();
}

void MainWindow::raiseWindow() {
  show();
  setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
  raise();
  activateWindow();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveWindowState();
  if (m_trayAvailable) {
    // Keep sharing in the background; say so the first time.
    if (!m_app->settings().get(Settings::closeHintShown)) {
      QMessageBox::information(
          this, tr("PeerPort keeps running"),
          tr("PeerPort keeps sharing in the background. Use the tray icon to open "
             "the window again, or choose Quit from its menu to stop sharing."));
      m_app->settings().set(Settings::closeHintShown, true);
    }
    hide();
    event->ignore();
    return;
  }
  const int sharing = m_app->shares()->listeningCount() + m_app->connections()->connectedCount();
  const QString text =
      sharing > 0 ? tr("There is no system tray here, so closing the window quits PeerPort and "
                       "stops every share and connection. Quit?")
                  : tr("Quit PeerPort?");
  if (QMessageBox::question(this, tr("Quit PeerPort"), text) != QMessageBox::Yes) {
    event->ignore();
    return;
  }
  event->ignore();  // the app quits once the engine has stopped
  hide();
  emit quitRequested();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize && watched == m_sharesView->viewport()) fitShareColumns();
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::fitShareColumns() {
  QHeaderView* h = m_sharesView->horizontalHeader();
  const QAbstractItemView* view = m_sharesView;  // sizeHintForColumn is public there
  auto need = [view, h](int column) {
    return std::max(view->sizeHintForColumn(column), h->sectionSizeHint(column));
  };
  const int avail = m_sharesView->viewport()->width();
  const int base = need(SharesModel::ServiceColumn) + need(SharesModel::StatusColumn) +
                   need(SharesModel::PeersColumn) + h->sectionSize(SharesModel::RateColumn);
  const bool showKey =
      base + need(SharesModel::AccessColumn) + need(SharesModel::KeyColumn) <= avail;
  const bool showAccess = showKey || base + need(SharesModel::AccessColumn) <= avail;
  if (m_sharesView->isColumnHidden(SharesModel::KeyColumn) == showKey)
    m_sharesView->setColumnHidden(SharesModel::KeyColumn, !showKey);
  if (m_sharesView->isColumnHidden(SharesModel::AccessColumn) == showAccess) {
    m_sharesView->setColumnHidden(SharesModel::AccessColumn, !showAccess);
  }
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) updateStatusBar();
  QMainWindow::changeEvent(event);
}

}  // namespace PeerPort
