// The main window's close behaviour with and without a system tray, its tables' wiring to the
// controller, and the Settings/About dialogs opening, on the offscreen platform.
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "AppController.h"
#include "ConnectionsModel.h"
#include "MainWindow.h"
#include "Resources.h"
#include "Settings.h"
#include "SettingsDialog.h"
#include "SharesModel.h"

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
        QCOMPARE(again.connections()->friendName(0), QStringLiteral("Dora"));
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
