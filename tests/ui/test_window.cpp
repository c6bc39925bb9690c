// The main window's close behaviour with and without a system tray, its tables' wiring to the
// controller, and the Settings/About dialogs opening, on the offscreen platform.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QInputDialog>
#include <QSettings>
#include <QSignalSpy>
#include <functional>
#include <QStyleFactory>
#include <QSystemTrayIcon>
#include <QTranslator>
#include <QClipboard>
#include <QStatusBar>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "AppController.h"
#include "ConnectDialog.h"
#include "DesktopApp.h"
#include "EngineBridge.h"
#include "FriendsDialog.h"
#include "MyKeyDialog.h"
#include "SecretStore.h"
#include "ShareDialog.h"
#include "ConnectionsModel.h"
#include "Format.h"
#include "FriendBook.h"
#include "MainWindow.h"
#include "PeersDialog.h"
#include "QrCode.h"
#include "Resources.h"
#include "Settings.h"
#include "SettingsDialog.h"
#include "SharesModel.h"
#include "ThroughputChart.h"
#include "TrayIcon.h"

using namespace PeerPort;

namespace {

// Answers the next modal message box with `button`; records its text.
void answerNextBox(QMessageBox::StandardButton button, QString* text)
{
    QTimer::singleShot(50, [button, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return answerNextBox(button, text);
        if (text) *text = box->text();
        QAbstractButton* b = box->button(button);
        if (b) b->click(); else box->accept();
    });
}

AppController::Options noKeychain()
{
    AppController::Options o;
    o.useKeychain = false;
    return o;
}

DesktopApp::Options desktopOptions()
{
    DesktopApp::Options o;
    o.useKeychain = false;
    return o;
}

// Runs `fill` on the next modal dialog of type T once it is open, then presses its OK button.
template <class T>
void fillNextDialog(std::function<void(T*)> fill, bool* seen)
{
    QTimer::singleShot(50, [fill, seen] {
        auto* d = qobject_cast<T*>(QApplication::activeModalWidget());
        if (!d) return fillNextDialog<T>(fill, seen);
        fill(d);
        const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
        if (!shots.isEmpty()) d->grab().save(shots + QStringLiteral("/%1.png").arg(d->objectName()));
        *seen = true;
        d->template findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    });
}

// Fusion with a dark palette, as a user's dark desktop theme would give.
void applyDarkPalette()
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, Qt::white);
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x2f, 0x2f, 0x2f));
    p.setColor(QPalette::Text, Qt::white);
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ButtonText, Qt::white);
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    QApplication::setPalette(p);
}

QString shotsDir() { return qEnvironmentVariable("PEERPORT_UI_ARTIFACTS"); }

}  // namespace

class TestWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { initResources(); }

    void closeWithTrayKeepsRunning()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        MainWindow w(&app);
        w.setTrayAvailable(true);
        w.show();
        QSignalSpy quit(&w, &MainWindow::quitRequested);
        QString said;
        answerNextBox(QMessageBox::Ok, &said);
        w.close();
        QVERIFY(!w.isVisible());
        QCOMPARE(quit.count(), 0);
        QVERIFY(said.contains(QStringLiteral("background")));
        QVERIFY(app.settings().get(Settings::closeHintShown));
        // The second time: no message, just hidden.
        w.show();
        w.close();
        QVERIFY(!w.isVisible());
        QVERIFY(!QApplication::activeModalWidget());
        QCOMPARE(quit.count(), 0);
    }

    void closeWithoutTrayConfirmsThenQuits()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        MainWindow w(&app);
        w.setTrayAvailable(false);
        w.show();
        QSignalSpy quit(&w, &MainWindow::quitRequested);
        answerNextBox(QMessageBox::No, nullptr);
        w.close();
        QVERIFY(w.isVisible());
        QCOMPARE(quit.count(), 0);
        QString said;
        answerNextBox(QMessageBox::Yes, &said);
        w.close();
        QCOMPARE(quit.count(), 1);
        QVERIFY(said.contains(QStringLiteral("Quit")));
    }

    void sharesPersistAcrossRestarts()
    {
        QTemporaryDir dir;
        {
            AppController app(Profile::resolve(dir.path()), noKeychain());
            ShareRequest r;
            r.port = 8080;
            app.addShare(r);  // engine not started: listed, starts with the engine
            r.port = 5432;
            r.access = Access::AllowList;
            r.allow = {QString(64, QLatin1Char('c'))};
            app.addShare(r);
            app.stopShare(1);
            ConnectRequest c;
            c.key = QString(64, QLatin1Char('d'));
            app.addConnection(c, c.key, QStringLiteral("Dora"));
        }
        AppController again(Profile::resolve(dir.path()), noKeychain());
        QCOMPARE(again.shares()->rowCount(), 2);
        QCOMPARE(again.shares()->row(0).request.port, quint16(8080));
        QVERIFY(again.shares()->row(0).enabled);
        QCOMPARE(again.shares()->row(1).request.access, Access::AllowList);
        QCOMPARE(again.shares()->row(1).request.allow, QStringList{QString(64, QLatin1Char('c'))});
        QVERIFY(!again.shares()->row(1).enabled);
        QCOMPARE(again.connections()->rowCount(), 1);
        QCOMPARE(again.connections()->name(0), QStringLiteral("Dora"));
        QVERIFY(again.duplicateShareError(again.shares()->row(0).request).contains(QStringLiteral("already")));
    }

    void windowShowsModelsAndScales()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ShareRequest r;
        r.port = 3000;
        app.addShare(r);
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* view = w.findChild<QTableView*>(QStringLiteral("sharesView"));
        QVERIFY(view);
        QCOMPARE(view->model()->rowCount(), 1);
        view->selectRow(0);
        // Keyboard: Tab leaves the table instead of walking its cells.
        QVERIFY(!view->tabKeyNavigation());
        const QImage shot = w.grab().toImage();
        QVERIFY(shot.width() >= 600);
    }

    // Clicking a row: the chart title and the Disconnect/Reconnect button follow at once (they
    // followed the previously selected row when read on currentRowChanged).
    void selectionUpdatesChartAndButtons()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ConnectRequest c;
        c.key = QString(64, QLatin1Char('a'));
        app.addConnection(c, c.key, QStringLiteral("Alice web"));
        c.key = QString(64, QLatin1Char('d'));
        app.addConnection(c, c.key, QStringLiteral("Dora"));
        app.connections()->setRunning(0, 77);  // running: its button disconnects
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* view = w.connectionsView();
        auto* chart = w.findChild<ThroughputChart*>();
        QPushButton* toggle = nullptr;
        for (auto* b : w.findChildren<QPushButton*>()) {
            if (b->toolTip().startsWith(QStringLiteral("Close or reopen"))) toggle = b;
        }
        QVERIFY(chart && toggle);
        auto click = [view](int row) {
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(view->model()->index(row, 0)).center());
        };
        click(0);
        QCOMPARE(chart->title(), QStringLiteral("Connection to Alice web"));
        QCOMPARE(chart->item(), ItemId(77));
        QCOMPARE(toggle->text(), QStringLiteral("Disco&nnect"));
        click(1);
        QCOMPARE(chart->title(), QStringLiteral("Connection to Dora"));
        QCOMPARE(toggle->text(), QStringLiteral("Reco&nnect"));
        click(0);
        QCOMPARE(chart->title(), QStringLiteral("Connection to Alice web"));
        QCOMPARE(toggle->text(), QStringLiteral("Disco&nnect"));
        // A restart gives the row a new engine id: the chart follows it.
        app.connections()->setRunning(0, 78);
        QCOMPARE(chart->item(), ItemId(78));
        // The friend goes offline: the chart's "now" reads 0 with the row's "—"; back: live again.
        QVERIFY(!chart->idle());
        app.connections()->onPeerState(78, PeerState::Offline);
        QVERIFY(chart->idle());
        app.connections()->onPeerState(78, PeerState::Online);
        QVERIFY(!chart->idle());
    }

    // The chart's legend: the newest sample, or 0 while the item has no rate.
    void chartLegendIsZeroWhileIdle()
    {
        RateHistory history;
        StatsSnapshot s;
        s.items.push_back(ItemStats{5, 0, 0, 120000, 0, 1, 1, 0});
        history.add(s);
        ThroughputChart chart(&history);
        chart.showItem(5, QStringLiteral("Connection to Alice"));
        QVERIFY2(chart.legend().contains(Format::rate(120000)), qPrintable(chart.legend()));
        chart.setIdle(true);
        QVERIFY2(!chart.legend().contains(Format::rate(120000)) && chart.legend().contains(Format::rate(0)), qPrintable(chart.legend()));
    }

    // The tray tells the sharer who is connected (friends with a tunnel open, not open streams)
    // and the friend whether each friend's share is reachable, in its tooltip and its menu.
    void trayTellsPeersAndPeerState()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ShareRequest r;
        r.port = 8080;
        app.addShare(r);
        SharesModel* sm = app.shares();
        sm->setRunning(0, 10);
        ShareInfo info;
        info.id = 10;
        info.publicKey = QString(64, QLatin1Char('1'));
        sm->onStarted(info);
        sm->onPeerConnected(10, QString(64, QLatin1Char('b')));
        ConnectRequest c;
        for (int i = 0; i < 2; ++i) {
            c.key = QString(64, QLatin1Char(static_cast<char>('6' + i)));
            app.addConnection(c, c.key, i == 0 ? QStringLiteral("Alice web") : QStringLiteral("Carol"));
            app.connections()->setRunning(i, ItemId(20 + i));
        }
        app.connections()->onPeerState(20, PeerState::Online);
        app.connections()->onPeerState(21, PeerState::Offline);
        TrayIcon tray(&app);
        tray.retranslate();
        QString tip = tray.toolTip();
        QVERIFY2(tip.contains(QStringLiteral("1 friend")) && tip.contains(QStringLiteral("1 of 2")), qPrintable(tip));
        auto* icon = tray.findChild<QSystemTrayIcon*>();
        QVERIFY(icon && icon->contextMenu());
        QStringList lines;
        for (QAction* a : icon->contextMenu()->actions()) {
            if (a->menu()) {
                for (QAction* sub : a->menu()->actions()) lines << sub->text();
            }
        }
        const QString menu = lines.join(QLatin1Char('\n'));
        QVERIFY2(menu.contains(QStringLiteral("Alice web")) && menu.contains(QStringLiteral("Online")), qPrintable(menu));
        QVERIFY2(menu.contains(QStringLiteral("Carol")) && menu.contains(QStringLiteral("Friend offline")), qPrintable(menu));
        // Alice goes away too: nobody's share is reachable now.
        app.connections()->onPeerState(20, PeerState::Offline);
        tray.retranslate();
        tip = tray.toolTip();
        QVERIFY2(tip.contains(QStringLiteral("0 of 2")), qPrintable(tip));
    }

    // A private share's link is a secret: one click on its Key cell copies nothing, Copy key
    // asks first, and the status bar never shows it.
    void privateLinkIsNeverCopiedByOneClick()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ShareRequest r;
        r.port = 3000;
        r.access = Access::Private;
        app.addShare(r);
        app.shares()->setRunning(0, 5);
        ShareInfo info;
        info.id = 5;
        info.publicKey = QString(64, QLatin1Char('b'));
        info.url = QStringLiteral("hs://s000") + QString(64, QLatin1Char('f'));
        info.secret = QString(64, QLatin1Char('f'));
        app.shares()->onStarted(info);
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::clipboard()->setText(QStringLiteral("before"));
        auto* view = w.sharesView();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(view->model()->index(0, SharesModel::KeyColumn)).center());
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("before"));
        QVERIFY(!w.statusBar()->currentMessage().contains(QStringLiteral("hs://")));
        QVERIFY(!view->model()->data(view->model()->index(0, SharesModel::KeyColumn), Qt::ToolTipRole).toString().contains(QStringLiteral("s000")));

        QPushButton* copyKey = nullptr;
        for (auto* b : w.findChildren<QPushButton*>()) {
            if (b->text() == QStringLiteral("Copy &key")) copyKey = b;
        }
        QVERIFY(copyKey && copyKey->isEnabled());
        QString warned;
        answerNextBox(QMessageBox::Cancel, &warned);
        copyKey->click();
        QVERIFY(warned.contains(QStringLiteral("secret")));
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("before"));
        // Accepting copies it, and still does not print it.
        QTimer::singleShot(50, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            for (QAbstractButton* b : box->buttons()) {
                if (box->buttonRole(b) == QMessageBox::AcceptRole) b->click();
            }
        });
        copyKey->click();
        QCOMPARE(QApplication::clipboard()->text(), info.url);
        QVERIFY(!w.statusBar()->currentMessage().contains(QStringLiteral("hs://")));
        QVERIFY(!w.statusBar()->currentMessage().isEmpty());
    }

    // The keychain banner: dismissable (and remembered), with Retry keychain.
    void keychainBannerDismissAndRetry()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy dismissed(&w, &MainWindow::keychainWarningDismissed);
        QSignalSpy retry(&w, &MainWindow::retryKeychainRequested);
        w.setKeychainWarning(QStringLiteral("You cancelled the keychain prompt."));
        auto* retryButton = w.findChild<QPushButton*>(QStringLiteral("retryKeychain"));
        auto* dismissButton = w.findChild<QPushButton*>(QStringLiteral("dismissWarning"));
        QVERIFY(retryButton && dismissButton && retryButton->isVisible());
        const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
        if (!shots.isEmpty()) w.grab().save(shots + QStringLiteral("/keychain-banner.png"));
        dismissButton->click();
        QVERIFY(w.warningText().isEmpty());
        QCOMPARE(dismissed.count(), 1);
        w.setKeychainWarning(QStringLiteral("again"));
        retryButton->click();
        QCOMPARE(retry.count(), 1);
        QVERIFY(w.warningText().isEmpty());
        // An engine warning has no keychain button.
        w.setWarning(QStringLiteral("The network engine could not start"));
        QVERIFY(!retryButton->isVisible());
        QVERIFY(dismissButton->isVisible());
    }

    // The share's people: the connected friend and the refused key, which "Allow" adds to the
    // allow-list.
    void peersDialogListsAndAllows()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        const QString bob(64, QLatin1Char('b'));
        const QString eve(64, QLatin1Char('e'));
        app.friends()->setAlias(bob, QStringLiteral("Bob"));
        ShareRequest r;
        r.port = 5432;
        r.access = Access::AllowList;
        r.allow = {bob};
        app.addShare(r);
        app.shares()->setRunning(0, 5);
        ShareInfo info;
        info.id = 5;
        info.publicKey = QString(64, QLatin1Char('a'));
        app.shares()->onStarted(info);
        app.shares()->onPeerConnected(5, bob);
        app.shares()->onPeerRefused(5, eve);
        PeersDialog d(&app, 0);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* connected = d.findChild<QTableWidget*>(QStringLiteral("connectedPeers"));
        auto* refused = d.findChild<QTableWidget*>(QStringLiteral("refusedPeers"));
        QVERIFY(connected && refused);
        QCOMPARE(connected->rowCount(), 1);
        QCOMPARE(connected->item(0, 0)->text(), QStringLiteral("Bob"));
        QCOMPARE(refused->rowCount(), 1);
        const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
        refused->selectRow(0);
        if (!shots.isEmpty()) d.grab().save(shots + QStringLiteral("/peers-dialog.png"));
        QPushButton* allow = nullptr;
        for (auto* b : d.findChildren<QPushButton*>()) {
            if (b->text() == QStringLiteral("&Allow")) allow = b;
        }
        QVERIFY(allow && allow->isEnabled());
        // A stats tick rebuilds the lists: the selection (and so the button) stays.
        app.shares()->onStats(StatsSnapshot{});
        QCOMPARE(refused->selectionModel()->selectedRows().size(), 1);
        QVERIFY(allow->isEnabled());
        allow->click();
        QVERIFY(app.shares()->row(0).request.allow.contains(eve));
        QVERIFY(app.shares()->row(0).request.allow.contains(bob));

        // Disconnect and block: a connected friend leaves the allow-list at once, and the share is
        // not restarted for it (everyone else stays connected).
        app.shares()->setRunning(0, 6);
        info.id = 6;
        app.shares()->onStarted(info);
        app.shares()->onPeerConnected(6, bob);
        auto* block = d.findChild<QPushButton*>(QStringLiteral("blockPeer"));
        auto* disconnect = d.findChild<QPushButton*>(QStringLiteral("disconnectPeer"));
        QVERIFY(block && !block->isEnabled());
        QVERIFY(disconnect && !disconnect->isEnabled());
        connected->selectRow(0);
        app.shares()->onStats(StatsSnapshot{});
        QVERIFY(block->isEnabled());
        QVERIFY(disconnect->isEnabled());
        if (!shots.isEmpty()) d.grab().save(shots + QStringLiteral("/peers-dialog-block.png"));
        block->click();
        QCOMPARE(app.shares()->row(0).request.allow, QStringList{eve});
        QCOMPARE(app.shares()->row(0).id, ItemId(6));
        // The last friend on the list cannot be blocked (the share could not start again): the
        // list stays, a message says why.
        app.shares()->onPeerConnected(6, eve);
        QVERIFY(d.selectConnected(eve));
        QTimer::singleShot(50, [] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) box->accept();
        });
        block->click();
        QCOMPARE(app.shares()->row(0).request.allow, QStringList{eve});
        app.shares()->onPeerDisconnected(6, eve);
        QCOMPARE(connected->rowCount(), 1);  // Bob: the engine's PeerDisconnected takes him off
        app.shares()->onPeerDisconnected(6, bob);
        QCOMPARE(connected->rowCount(), 0);

        // Name…: a key seen here becomes a friend with a name; the lists show it at once.
        app.shares()->setRunning(0, 7);
        info.id = 7;
        app.shares()->onStarted(info);
        app.shares()->onPeerConnected(7, eve, true);
        QCOMPARE(connected->item(0, 1)->text(), QStringLiteral("relayed"));
        connected->selectRow(0);
        auto* name = d.findChild<QPushButton*>(QStringLiteral("namePeer"));
        QVERIFY(name && name->isEnabled());
        QTimer::singleShot(50, [] {
            auto* input = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            if (!input) return;
            input->setTextValue(QStringLiteral("Eve"));
            input->accept();
        });
        name->click();
        QCOMPARE(app.friends()->alias(eve), QStringLiteral("Eve"));
        QCOMPARE(connected->item(0, 0)->text(), QStringLiteral("Eve"));
    }

    // Each connected friend's bytes and rate, from the engine's per-peer stats tick; a friend
    // not in the tick yet shows a dash, and Disconnect is offered on public shares too (only the
    // block needs an allow-list).
    void peersDialogShowsEachFriendsTraffic()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        const QString bob(64, QLatin1Char('b'));
        const QString carol(64, QLatin1Char('c'));
        app.friends()->setAlias(bob, QStringLiteral("Bob"));
        ShareRequest r;
        r.port = 8080;
        app.addShare(r);
        app.shares()->setRunning(0, 9);
        ShareInfo info;
        info.id = 9;
        info.publicKey = QString(64, QLatin1Char('a'));
        app.shares()->onStarted(info);
        app.shares()->onPeerConnected(9, bob);
        app.shares()->onPeerConnected(9, carol, true);
        PeersDialog d(&app, 0);
        d.resize(700, 440);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* connected = d.findChild<QTableWidget*>(QStringLiteral("connectedPeers"));
        QVERIFY(connected);
        QCOMPARE(connected->rowCount(), 2);
        auto rowOf = [&](const QString& key) {
            for (int i = 0; i < connected->rowCount(); ++i) {
                if (connected->item(i, 0)->data(Qt::UserRole).toString() == key) return i;
            }
            return -1;
        };
        QCOMPARE(connected->item(rowOf(bob), 3)->text(), QStringLiteral("—"));
        StatsSnapshot s;
        ItemStats item;
        item.id = 9;
        item.peers.push_back(PeerStats{bob, 2500000, 1200000, 0, 400000, 1, 5000, 12, false});
        item.peers.push_back(PeerStats{carol, 300, 700, 0, 0, 2, 3000, 0, true});
        s.items.push_back(item);
        app.shares()->onStats(s);
        const int b = rowOf(bob);
        QCOMPARE(connected->item(b, 0)->text(), QStringLiteral("Bob"));
        // Sent to Bob (the service's answers) first, then received from him.
        QCOMPARE(connected->item(b, 3)->text(),
                 QStringLiteral("↑ %1  ↓ %2").arg(Format::bytes(1200000), Format::bytes(2500000)));
        QCOMPARE(connected->item(b, 4)->text(), Format::upDown(400000, 0));
        QVERIFY(connected->item(b, 4)->toolTip().contains(QStringLiteral("12 ms")));
        QCOMPARE(connected->item(rowOf(carol), 1)->text(), QStringLiteral("relayed"));
        QVERIFY(connected->item(rowOf(carol), 3)->toolTip().contains(QStringLiteral("2 tunnel")));
        QVERIFY(d.selectConnected(carol));
        auto* disconnect = d.findChild<QPushButton*>(QStringLiteral("disconnectPeer"));
        auto* block = d.findChild<QPushButton*>(QStringLiteral("blockPeer"));
        QVERIFY(disconnect->isEnabled());
        QVERIFY(!block->isEnabled());  // a public share has no list to take Carol off
        // The next tick keeps the selection and updates the figures in place.
        item.peers[1].bytesOut = 9000000;
        s.items[0] = item;
        app.shares()->onStats(s);
        QCOMPARE(connected->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(connected->item(connected->currentRow(), 0)->data(Qt::UserRole).toString(), carol);
        QVERIFY(connected->item(rowOf(carol), 3)->text().contains(Format::bytes(9000000)));
        // Every column fits a 700 px wide dialog: nothing is cut off or scrolled.
        QVERIFY(!connected->horizontalScrollBar()->isVisible());
        const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
        if (!shots.isEmpty()) d.grab().save(shots + QStringLiteral("/peers-dialog-traffic.png"));
        // A stopped share has nobody to disconnect.
        app.shares()->onItemStopped(9);
        QCOMPARE(connected->rowCount(), 0);
        QVERIFY(!disconnect->isEnabled());
    }

    void quitAsksWhileSharing()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ShareRequest r;
        r.port = 3000;
        app.addShare(r);
        app.shares()->setRunning(0, 5);
        ShareInfo info;
        info.id = 5;
        info.publicKey = QString(64, QLatin1Char('b'));
        app.shares()->onStarted(info);
        MainWindow w(&app);
        w.setTrayAvailable(true);
        w.show();
        QSignalSpy quit(&w, &MainWindow::quitRequested);
        QString said;
        answerNextBox(QMessageBox::Cancel, &said);
        w.confirmQuit();
        QCOMPARE(quit.count(), 0);
        QVERIFY(said.contains(QStringLiteral("1 port")));
    }

    // The main window with every row state the issue lists, in English, Norwegian, Spanish and
    // under a dark Fusion palette; saved as PNGs when PEERPORT_UI_ARTIFACTS names a directory.
    // Under the dark palette every status color must stand out from the base.
    void screenshotsOfStates_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<bool>("dark");
        QTest::newRow("en") << QString() << false;
        QTest::newRow("nb") << QStringLiteral("nb") << false;
        QTest::newRow("es") << QStringLiteral("es") << false;
        QTest::newRow("dark") << QString() << true;
    }
    void screenshotsOfStates()
    {
        QFETCH(QString, language);
        QFETCH(bool, dark);
        // English too, as the app does: its catalogue holds the plural forms ("1 key").
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/peerport_%1.qm").arg(language.isEmpty() ? QStringLiteral("en") : language)));
        QCoreApplication::installTranslator(&t);
        const QPalette before = QApplication::palette();
        QStyle* oldStyle = QApplication::style();
        const QString oldStyleName = oldStyle ? oldStyle->name() : QString();
        if (dark) applyDarkPalette();
        {
            QTemporaryDir dir;
            AppController app(Profile::resolve(dir.path()), noKeychain());
            FriendBook* friends = app.friends();
            const QString bob(64, QLatin1Char('b'));
            const QString eve(64, QLatin1Char('e'));
            friends->setAlias(bob, QStringLiteral("Bob"));
            ShareRequest r;
            r.port = 8080;
            app.addShare(r);
            r.port = 5432;
            r.access = Access::AllowList;
            r.allow = {bob};
            app.addShare(r);
            r.port = 9000;
            r.access = Access::Public;
            r.allow.clear();
            app.addShare(r);
            SharesModel* sm = app.shares();
            for (int i = 0; i < 3; ++i) {
                sm->setRunning(i, ItemId(10 + i));
                ShareInfo info;
                info.id = ItemId(10 + i);
                info.publicKey = QString(64, QLatin1Char(static_cast<char>('1' + i)));
                info.url = QStringLiteral("hs://0000abc");
                sm->onStarted(info);
            }
            sm->onPeerConnected(10, bob);
            sm->onPeerRefused(11, eve);
            sm->onServiceState(12, false);
            ConnectRequest c;
            const char* names[] = {"Alice web", "Carol", "Dave", "Erin"};
            for (int i = 0; i < 4; ++i) {
                c.key = QString(64, QLatin1Char(static_cast<char>('6' + i)));
                app.addConnection(c, c.key, QString::fromLatin1(names[i]));
                app.connections()->setRunning(i, ItemId(20 + i));
                ConnectInfo ci;
                ci.id = ItemId(20 + i);
                ci.port = quint16(41000 + i);
                ci.publicKey = c.key;
                app.connections()->onStarted(ci);
            }
            app.connections()->onPeerConnected(20, false);
            StatsSnapshot s;
            s.items.push_back(ItemStats{20, 2000000, 30000, 2000000, 30000, 1, 1, 12});
            s.items.push_back(ItemStats{10, 5000, 2000000, 5000, 2000000, 1, 1, 0});
            app.connections()->onStats(s);
            sm->onStats(s);
            app.connections()->onPeerState(21, PeerState::Online);
            app.connections()->onPeerState(22, PeerState::Offline);
            app.connections()->onPeerState(23, PeerState::Refused);

            MainWindow w(&app);
            w.resize(960, 640);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.connectionsView()->selectRow(0);
            const QImage shot = w.grab().toImage();
            QVERIFY(shot.width() >= 900);
            const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
            const QString name = dark ? QStringLiteral("dark") : language.isEmpty() ? QStringLiteral("en") : language;
            if (!shots.isEmpty()) QVERIFY(shot.save(shots + QStringLiteral("/main-window-%1.png").arg(name)));
            // At 700 px the totals in the status bar stay whole (the NAT line gives way).
            w.resize(700, 640);
            QTest::qWait(0);
            QLabel* totals = nullptr;
            for (auto* l : w.statusBar()->findChildren<QLabel*>()) {
                if (l->toolTip().startsWith(QStringLiteral("Total")) || l->text().contains(QStringLiteral("total"))
                    || l->text().contains(QStringLiteral("totalt"))) {
                    totals = l;
                }
            }
            QVERIFY(totals);
            QVERIFY2(totals->width() >= totals->sizeHint().width(), qPrintable(totals->text()));
            // ...and the shares' Status column keeps room for its longest text (Key, then
            // Access, give way); so does the connections' State column.
            QAbstractItemView* shares = w.sharesView();  // sizeHintForColumn is public there
            const int statusWidth = w.sharesView()->columnWidth(SharesModel::StatusColumn);
            QVERIFY2(statusWidth >= shares->sizeHintForColumn(SharesModel::StatusColumn),
                     qPrintable(QStringLiteral("%1 < %2").arg(statusWidth)
                                    .arg(shares->sizeHintForColumn(SharesModel::StatusColumn))));
            QVERIFY(!w.sharesView()->isColumnHidden(SharesModel::ServiceColumn));
            QAbstractItemView* conns = w.connectionsView();
            QVERIFY(w.connectionsView()->columnWidth(ConnectionsModel::StateColumn) >= conns->sizeHintForColumn(ConnectionsModel::StateColumn));
            if (!shots.isEmpty()) QVERIFY(w.grab().save(shots + QStringLiteral("/main-window-%1-700px.png").arg(name)));
            w.resize(1100, 640);
            QTest::qWait(0);
            QVERIFY(!w.sharesView()->isColumnHidden(SharesModel::KeyColumn));  // back when there is room
            QVERIFY(!w.sharesView()->isColumnHidden(SharesModel::AccessColumn));
            w.resize(700, 640);
            QTest::qWait(0);
            if (!shots.isEmpty()) QVERIFY(w.grab().save(shots + QStringLiteral("/main-window-%1-700px.png").arg(name)));
            // Every colored status cell stands out from the base it is drawn on.
            const QColor base = QApplication::palette().color(QPalette::Base);
            auto contrast = [&](const QVariant& v) {
                if (!v.isValid()) return 255;
                return std::abs(v.value<QBrush>().color().lightness() - base.lightness());
            };
            for (int i = 0; i < app.connections()->rowCount(); ++i) {
                const QVariant fg = app.connections()->data(app.connections()->index(i, ConnectionsModel::StateColumn), Qt::ForegroundRole);
                QVERIFY2(contrast(fg) >= 60, qPrintable(app.connections()->data(app.connections()->index(i, ConnectionsModel::StateColumn)).toString()));
            }
            // So does the copy icon in the Key cells (its fixed grey vanished on a dark base).
            const QImage icon = sm->data(sm->index(0, SharesModel::KeyColumn), Qt::DecorationRole).value<QIcon>().pixmap(16, 16).toImage();
            int iconContrast = 0;
            for (int y = 0; y < icon.height(); ++y) {
                for (int x = 0; x < icon.width(); ++x) {
                    const QColor px = icon.pixelColor(x, y);
                    if (px.alpha() > 200) iconContrast = std::max(iconContrast, std::abs(px.lightness() - base.lightness()));
                }
            }
            QVERIFY2(iconContrast >= 100, qPrintable(QString::number(iconContrast)));
            const QVariant down = sm->data(sm->index(2, SharesModel::StatusColumn), Qt::ForegroundRole);
            QVERIFY(down.isValid());
            QVERIFY(contrast(down) >= 60);
            if (!language.isEmpty()) {
                // Translated, not the English source.
                QVERIFY(sm->statusText(2) != QStringLiteral("Service down"));
            }
        }
        if (dark) {
            QApplication::setPalette(before);
            QApplication::setStyle(QStyleFactory::create(oldStyleName));
        }
        QCoreApplication::removeTranslator(&t);
    }

    // "Open in browser" only while our own listener holds the port: not for a stopped
    // connection, nor for one whose port another program owns.
    void openInBrowserOnlyWhileListening()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ConnectRequest c;
        c.key = QString(64, QLatin1Char('a'));
        c.port = 41000;
        app.addConnection(c, c.key, QStringLiteral("Alice web"));
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* open = w.findChild<QPushButton*>(QStringLiteral("openBrowser"));
        QVERIFY(open);
        w.connectionsView()->selectRow(0);
        QVERIFY(!open->isEnabled());  // stopped
        app.connections()->setRunning(0, 77);
        ConnectInfo ci;
        ci.id = 77;
        ci.port = 41000;
        app.connections()->onStarted(ci);
        QVERIFY(open->isEnabled());
        ErrorInfo e;
        e.id = 77;
        e.kind = ErrorKind::PortInUse;
        e.fatal = true;
        app.connections()->onError(e);
        QVERIFY(!open->isEnabled());
    }

    // Editing a share keeps the key friends have (the key's origin is kept), moves a private
    // share's secret with it, and a new share cannot take the old address (same key twice).
    void editShareKeepsItsKeyAndSecret()
    {
        QTemporaryDir dir;
        {
            AppController app(Profile::resolve(dir.path()), noKeychain());
            ShareRequest r;
            r.port = 8080;
            app.addShare(r);
            ShareRequest edited = r;
            edited.port = 8081;
            edited.name = QStringLiteral("Web");
            app.updateShare(0, edited);
            const ShareRequest& now = app.shares()->row(0).request;
            QCOMPARE(now.port, quint16(8081));
            QCOMPARE(now.keyPort, quint16(8080));
            QCOMPARE(now.keyHost, QStringLiteral("127.0.0.1"));
            QCOMPARE(app.shares()->label(0), QStringLiteral("Web"));
            ShareRequest taken;
            taken.port = 8080;
            QVERIFY(!app.duplicateShareError(taken).isEmpty());
            // Moved twice: still the first address's key.
            edited.port = 8082;
            app.updateShare(0, edited);
            QCOMPARE(app.shares()->row(0).request.keyPort, quint16(8080));

            // Not loaded (that would start the engine): values are held in memory all the same.
            app.secrets()->setValue(QStringLiteral("share:127.0.0.1:9000/tcp"), QStringLiteral("s3cret"));
            ShareRequest p;
            p.port = 9000;
            p.access = Access::Private;
            app.addShare(p);
            p.port = 9001;
            app.updateShare(1, p);
            QCOMPARE(app.secrets()->value(QStringLiteral("share:127.0.0.1:9001/tcp")), QStringLiteral("s3cret"));
            QVERIFY(app.secrets()->value(QStringLiteral("share:127.0.0.1:9000/tcp")).isEmpty());
        }
        AppController again(Profile::resolve(dir.path()), noKeychain());
        QCOMPARE(again.shares()->row(0).request.name, QStringLiteral("Web"));
        QCOMPARE(again.shares()->row(0).request.port, quint16(8082));
        QCOMPARE(again.shares()->row(0).request.keyPort, quint16(8080));
        // Back at its first address: nothing to remember.
        ShareRequest home = again.shares()->row(0).request;
        home.port = 8080;
        again.updateShare(0, home);
        QCOMPARE(again.shares()->row(0).request.keyPort, quint16(0));
    }

    // A connection has its own name and can move to another local port; friends stay people.
    void editConnectionAndNamesAreNotFriends()
    {
        QTemporaryDir dir;
        const QString shareKey(64, QLatin1Char('d'));
        {
            AppController app(Profile::resolve(dir.path()), noKeychain());
            ConnectRequest c;
            c.key = shareKey;
            app.addConnection(c, shareKey, QStringLiteral("Dora's wiki"));
            QVERIFY(app.friends()->entries().isEmpty());
            app.updateConnection(0, QStringLiteral("Dora's blog"), 4444);
            QCOMPARE(app.connections()->name(0), QStringLiteral("Dora's blog"));
            QCOMPARE(app.connections()->row(0).request.port, quint16(4444));
        }
        AppController again(Profile::resolve(dir.path()), noKeychain());
        QCOMPARE(again.connections()->name(0), QStringLiteral("Dora's blog"));
        QCOMPARE(again.connections()->row(0).request.port, quint16(4444));
    }

    // Before connections had names, their "alias" went to Friends under the share's key: such an
    // entry becomes the connection's name and leaves Friends; a real friend stays.
    void oldConnectionAliasesLeaveFriends()
    {
        QTemporaryDir dir;
        const QString shareKey(64, QLatin1Char('d'));
        const QString person(64, QLatin1Char('e'));
        {
            QSettings s(Profile::resolve(dir.path()).settingsFile(), QSettings::IniFormat);
            s.beginWriteArray(QStringLiteral("connections"), 1);
            s.setArrayIndex(0);
            s.setValue(QStringLiteral("key"), shareKey);
            s.setValue(QStringLiteral("port"), 4000);
            s.endArray();
            s.beginWriteArray(QStringLiteral("friends"), 2);
            s.setArrayIndex(0);
            s.setValue(QStringLiteral("key"), shareKey);
            s.setValue(QStringLiteral("alias"), QStringLiteral("Alice web"));
            s.setArrayIndex(1);
            s.setValue(QStringLiteral("key"), person);
            s.setValue(QStringLiteral("alias"), QStringLiteral("Alice"));
            s.endArray();
        }
        {
            AppController app(Profile::resolve(dir.path()), noKeychain());
            QCOMPARE(app.connections()->name(0), QStringLiteral("Alice web"));
            QCOMPARE(app.friends()->entries().size(), 1);
            QCOMPARE(app.friends()->alias(person), QStringLiteral("Alice"));
        }
        AppController again(Profile::resolve(dir.path()), noKeychain());
        QCOMPARE(again.friends()->entries().size(), 1);
        QCOMPARE(again.connections()->name(0), QStringLiteral("Alice web"));
    }

    // The Edit… buttons open the dialogs filled in, and Save changes the row in place.
    void editButtonsChangeRowsInPlace()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        ShareRequest r;
        r.port = 8080;
        app.addShare(r);
        ConnectRequest c;
        c.key = QString(64, QLatin1Char('d'));
        app.addConnection(c, c.key, QStringLiteral("Dora"));
        MainWindow w(&app);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* editShare = w.findChild<QPushButton*>(QStringLiteral("editShare"));
        auto* editConnection = w.findChild<QPushButton*>(QStringLiteral("editConnection"));
        QVERIFY(editShare && editConnection);
        QVERIFY(!editShare->isEnabled());
        w.sharesView()->selectRow(0);
        QVERIFY(editShare->isEnabled());
        bool seen = false;
        fillNextDialog<ShareDialog>([](ShareDialog* d) {
            QCOMPARE(d->request().port, quint16(8080));
            d->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("Minecraft"));
            d->findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("25565"));
        }, &seen);
        editShare->click();
        QVERIFY(seen);
        QCOMPARE(app.shares()->rowCount(), 1);
        QCOMPARE(app.shares()->row(0).request.port, quint16(25565));
        QCOMPARE(app.shares()->row(0).request.keyPort, quint16(8080));
        QVERIFY(app.shares()->data(app.shares()->index(0, SharesModel::ServiceColumn)).toString().startsWith(QStringLiteral("Minecraft")));

        w.connectionsView()->selectRow(0);
        QVERIFY(editConnection->isEnabled());
        seen = false;
        fillNextDialog<ConnectDialog>([](ConnectDialog* d) {
            QCOMPARE(d->name(), QStringLiteral("Dora"));
            d->findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("Dora's wiki"));
        }, &seen);
        editConnection->click();
        QVERIFY(seen);
        QCOMPARE(app.connections()->rowCount(), 1);
        QCOMPARE(app.connections()->name(0), QStringLiteral("Dora's wiki"));
        if (!shotsDir().isEmpty()) QVERIFY(w.grab().save(shotsDir() + QStringLiteral("/main-window-edited.png")));
    }

    // "My key": the identity key as text, Copy says it copied, and a QR code of it.
    void myKeyIsEasyToSend()
    {
        const QString key(64, QLatin1Char('a'));
        MyKeyDialog d(key);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QCOMPARE(d.findChild<QLineEdit*>(QStringLiteral("myKey"))->text(), key);
        auto* qr = d.findChild<QLabel*>(QStringLiteral("myKeyQr"));
        QVERIFY(qr && !qr->pixmap().isNull());
        auto* copy = d.findChild<QPushButton*>(QStringLiteral("copyMyKey"));
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), key);
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
        if (!shotsDir().isEmpty()) QVERIFY(d.grab().save(shotsDir() + QStringLiteral("/my-key-dialog.png")));

        FriendBook friends;
        friends.setAlias(QString(64, QLatin1Char('b')), QStringLiteral("Bob"));
        FriendsDialog f(&friends, key);
        f.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f));
        QCOMPARE(f.findChild<QTableWidget*>(QStringLiteral("friends"))->rowCount(), 1);
        if (!shotsDir().isEmpty()) QVERIFY(f.grab().save(shotsDir() + QStringLiteral("/friends-dialog.png")));
    }

    // Failures are notified, each only while its own switch in Settings is on.
    void failureNotificationsEachSwitchable()
    {
        QTemporaryDir dir;
        DesktopApp desk(Profile::resolve(dir.path()), desktopOptions());
        AppController* app = desk.controller();
        auto* bridge = app->findChild<EngineBridge*>();
        QVERIFY(bridge);
        ShareRequest r;
        r.port = 8080;
        r.name = QStringLiteral("Web");
        app->addShare(r);
        app->shares()->setRunning(0, 77);
        ShareInfo info;
        info.id = 77;
        info.publicKey = QString(64, QLatin1Char('1'));
        app->shares()->onStarted(info);
        ConnectRequest c;
        c.key = QString(64, QLatin1Char('d'));
        app->addConnection(c, c.key, QStringLiteral("Dora's wiki"));
        app->connections()->setRunning(0, 88);
        QSignalSpy spy(&desk, &DesktopApp::notified);
        const QString eve(64, QLatin1Char('e'));

        auto fire = [&] {
            emit bridge->peerRefused(77, eve);
            emit bridge->serviceStateChanged(77, true);
            emit bridge->serviceStateChanged(77, false);
            ErrorInfo e;
            e.id = 88;
            e.kind = ErrorKind::PortInUse;
            emit bridge->errorOccurred(e);
            emit bridge->peerConnected(88, QString(), false);
            emit bridge->peerConnected(88, QString(), true);
            emit bridge->peerConnected(88, QString(), true);  // still relayed: no second one
            emit bridge->peerStateChanged(88, PeerState::Online);
            emit bridge->peerStateChanged(88, PeerState::Refused);
        };
        fire();
        QStringList titles;
        for (const auto& call : spy) titles << call.at(0).toString();
        QCOMPARE(titles, (QStringList{QStringLiteral("Connection refused"), QStringLiteral("Service down"),
                                      QStringLiteral("Port in use"), QStringLiteral("Relayed connection"),
                                      QStringLiteral("Refused")}));
        QVERIFY(spy.at(1).at(1).toString().contains(QStringLiteral("Web")));
        QVERIFY(spy.at(3).at(1).toString().contains(QStringLiteral("Dora's wiki")));

        // Each switch silences its own kind only.
        SettingsDialog d(app);
        d.findChild<QCheckBox*>(QStringLiteral("notifyServiceDown"))->setChecked(false);
        d.findChild<QCheckBox*>(QStringLiteral("notifyRelayOnly"))->setChecked(false);
        d.accept();
        QVERIFY(!app->settings().get(Settings::notifyServiceDown));
        spy.clear();
        fire();
        titles.clear();
        for (const auto& call : spy) titles << call.at(0).toString();
        QCOMPARE(titles, (QStringList{QStringLiteral("Connection refused"), QStringLiteral("Port in use"),
                                      QStringLiteral("Refused")}));
        for (const char* name : {"notifyOnPeer", "notifyRefused", "notifyPortInUse"}) {
            QVERIFY(d.findChild<QCheckBox*>(QString::fromLatin1(name)));
        }
    }

    // Choosing a language in Settings changes the window at once, no restart.
    void languageChangesWithoutRestart()
    {
        QTemporaryDir dir;
        DesktopApp desk(Profile::resolve(dir.path()), desktopOptions());
        ConnectRequest c;
        c.key = QString(64, QLatin1Char('a'));
        desk.controller()->addConnection(c, c.key, QStringLiteral("Alice web"));
        c.key = QString(64, QLatin1Char('d'));
        desk.controller()->addConnection(c, c.key, QStringLiteral("Dora"));
        desk.window()->show();
        QVERIFY(QTest::qWaitForWindowExposed(desk.window()));
        desk.window()->connectionsView()->selectRow(1);
        auto title = [&] { return desk.window()->findChild<QGroupBox*>(QStringLiteral("sharesBox"))->title(); };
        QCOMPARE(title(), QStringLiteral("Shared ports"));
        {
            SettingsDialog d(desk.controller());
            auto* language = d.findChild<QComboBox*>(QStringLiteral("language"));
            language->setCurrentIndex(language->findData(QStringLiteral("nb")));
            d.accept();
        }
        QCOMPARE(desk.controller()->settings().get(Settings::language), QStringLiteral("nb"));
        QTRY_VERIFY(title() != QStringLiteral("Shared ports"));
        QVERIFY(desk.window()->isVisible());
        QTranslator nb;
        QVERIFY(nb.load(QStringLiteral(":/i18n/peerport_nb.qm")));
        QCOMPARE(title(), nb.translate("PeerPort::MainWindow", "Shared ports"));
        // The rebuilt window keeps the selected row, and the chart follows it.
        const QModelIndexList selected = desk.window()->connectionsView()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), 1);
        QVERIFY2(desk.window()->findChild<ThroughputChart*>()->title().contains(QStringLiteral("Dora")),
                 qPrintable(desk.window()->findChild<ThroughputChart*>()->title()));
        if (!shotsDir().isEmpty()) QVERIFY(desk.window()->grab().save(shotsDir() + QStringLiteral("/main-window-nb-live.png")));
        desk.controller()->setLanguage(QStringLiteral("en"));
        QTRY_COMPARE(title(), QStringLiteral("Shared ports"));
    }

    // Every dialog this window opens, in en, nb, es and dark: saved for a person to look at,
    // and no label is cut off (each fits its sizeHint).
    void dialogScreenshots_data() { screenshotsOfStates_data(); }
    void dialogScreenshots()
    {
        QFETCH(QString, language);
        QFETCH(bool, dark);
        // English too, as the app does: its catalogue holds the plural forms ("1 key").
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/peerport_%1.qm").arg(language.isEmpty() ? QStringLiteral("en") : language)));
        QCoreApplication::installTranslator(&t);
        const QPalette before = QApplication::palette();
        const QString oldStyleName = QApplication::style()->name();
        if (dark) applyDarkPalette();
        const QString name = dark ? QStringLiteral("dark") : language.isEmpty() ? QStringLiteral("en") : language;
        auto save = [&](QWidget* w, const QString& what) {
            w->show();
            QVERIFY(QTest::qWaitForWindowExposed(w));
            QTest::qWait(0);
            for (QLabel* l : w->findChildren<QLabel*>()) {
                if (!l->isVisible() || l->wordWrap() || l->text().isEmpty()) continue;
                QVERIFY2(l->width() >= l->sizeHint().width() - 1, qPrintable(what + QStringLiteral(": ") + l->text()));
            }
            if (!shotsDir().isEmpty()) QVERIFY(w->grab().save(shotsDir() + QStringLiteral("/%1-%2.png").arg(what, name)));
        };
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        const QString bob(64, QLatin1Char('b'));
        const QString carol(64, QLatin1Char('c'));
        app.friends()->setAlias(bob, QStringLiteral("Bob"));
        app.friends()->setAlias(carol, QStringLiteral("Carol"));
        {
            ShareDialog d(app.friends());
            ShareRequest r;
            r.name = QStringLiteral("Minecraft");
            r.port = 25565;
            r.access = Access::AllowList;
            r.allow = {bob};
            d.setEditing(r);
            d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(2);
            d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(1);
            save(&d, QStringLiteral("share-dialog-edit"));
        }
        {
            ShareDialog d(app.friends());
            save(&d, QStringLiteral("share-dialog-new"));
        }
        {
            ConnectDialog d(app.friends());
            d.setEditing(QString(64, QLatin1Char('d')), QStringLiteral("Alice web"), 41000);
            save(&d, QStringLiteral("connect-dialog-edit"));
        }
        {
            ConnectDialog d(app.friends());  // a new connection, a friend's link pasted
            d.setKeyText(QStringLiteral("hs://0000") + QString(52, QLatin1Char('y')));
            save(&d, QStringLiteral("connect-dialog-new"));
        }
        {
            QrDialog d(QStringLiteral("Key of 127.0.0.1:8080"), QStringLiteral("peerport://") + QString(52, QLatin1Char('y')));
            save(&d, QStringLiteral("qr-dialog"));
        }
        {
            SettingsDialog d(&app);
            save(&d, QStringLiteral("settings-dialog"));
        }
        {
            MyKeyDialog d(QString(64, QLatin1Char('a')));
            save(&d, QStringLiteral("my-key-dialog"));
        }
        {
            FriendsDialog d(app.friends(), QString(64, QLatin1Char('a')));
            save(&d, QStringLiteral("friends-dialog"));
        }
        {
            ShareRequest r;
            r.port = 5432;
            r.access = Access::AllowList;
            r.allow = {bob};
            app.addShare(r);
            app.shares()->setRunning(0, 5);
            ShareInfo info;
            info.id = 5;
            info.publicKey = QString(64, QLatin1Char('f'));
            app.shares()->onStarted(info);
            app.shares()->onPeerConnected(5, bob);
            app.shares()->onPeerRefused(5, QString(64, QLatin1Char('e')));
            PeersDialog d(&app, 0);
            d.findChild<QTableWidget*>(QStringLiteral("connectedPeers"))->selectRow(0);
            save(&d, QStringLiteral("peers-dialog"));
        }
        if (dark) {
            QApplication::setPalette(before);
            QApplication::setStyle(QStyleFactory::create(oldStyleName));
        }
        QCoreApplication::removeTranslator(&t);
    }

    // The window's size is kept however the app ends (it was kept only when closed to the tray).
    void windowSizeKeptAfterQuit()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        {
            MainWindow w(&app);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            w.resize(830, 575);
            QTest::qWait(0);
            QSignalSpy quit(&w, &MainWindow::quitRequested);
            w.confirmQuit();  // Quit from the menu, nothing shared: no question asked
            QCOMPARE(quit.count(), 1);
        }
        MainWindow again(&app);
        QCOMPARE(again.size(), QSize(830, 575));
    }

    // With PEERPORT_BOOTSTRAP set and no bootstrap setting, Settings names the nodes in use, not
    // the public network.
    void settingsNamesTheBootstrapInUse()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        const QByteArray saved = qgetenv("PEERPORT_BOOTSTRAP");
        qunsetenv("PEERPORT_BOOTSTRAP");
        {
            SettingsDialog d(&app);
            QCOMPARE(d.findChild<QLineEdit*>(QStringLiteral("bootstrap"))->placeholderText(), QStringLiteral("public HyperDHT network"));
        }
        qputenv("PEERPORT_BOOTSTRAP", "127.0.0.1:49737");
        SettingsDialog d(&app);
        if (saved.isNull()) qunsetenv("PEERPORT_BOOTSTRAP");
        else qputenv("PEERPORT_BOOTSTRAP", saved);
        const QString shown = d.findChild<QLineEdit*>(QStringLiteral("bootstrap"))->placeholderText();
        QVERIFY2(shown.contains(QStringLiteral("127.0.0.1:49737")) && !shown.contains(QStringLiteral("public")), qPrintable(shown));
    }

    void settingsDialogKeepsRelaySettingsAndRefusesABadKey()
    {
        QTemporaryDir dir;
        AppController app(Profile::resolve(dir.path()), noKeychain());
        SettingsDialog d(&app);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        auto* list = d.findChild<QLineEdit*>(QStringLiteral("relayList"));
        auto* forOthers = d.findChild<QCheckBox*>(QStringLiteral("relayForOthers"));
        QVERIFY(list && forOthers);
        QVERIFY(!forOthers->isChecked());  // off by default
        const QString shots = qEnvironmentVariable("PEERPORT_UI_ARTIFACTS");
        list->setText(QStringLiteral("nonsense"));
        d.accept();
        QVERIFY(d.isVisible());  // refused: the message says why
        QCOMPARE(app.settings().get(Settings::relays), QString());
        if (!shots.isEmpty()) d.grab().save(shots + QStringLiteral("/settings-dialog-bad-relay.png"));
        const QString key(64, QLatin1Char('e'));
        list->setText(key);
        forOthers->setChecked(true);
        if (!shots.isEmpty()) d.grab().save(shots + QStringLiteral("/settings-dialog.png"));
        d.accept();
        QCOMPARE(app.settings().get(Settings::relays), key);
        QVERIFY(app.settings().get(Settings::relayForOthers));
    }
};

QTEST_MAIN(TestWindow)
#include "test_window.moc"
