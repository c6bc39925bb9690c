// The table models, the friend book, rate history, key text helpers, error sentences and the
// translations, on the offscreen platform.
#include <QDir>
#include <QSettings>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

#include "ConnectionsModel.h"
#include "ErrorText.h"
#include "Format.h"
#include "FriendBook.h"
#include "KeyText.h"
#include "Profile.h"
#include "SecretStore.h"
#include "SharesModel.h"
#include "ThroughputChart.h"
#include "Translations.h"
#include "common/bytes.hpp"
#include "crypto/keys.hpp"

using namespace PeerPort;

namespace {

const QString kKeyA = QString(64, QLatin1Char('a'));
const QString kKeyB = QString(64, QLatin1Char('b'));

QString cell(QAbstractItemModel& m, int row, int column, int role = Qt::DisplayRole)
{
    return m.data(m.index(row, column), role).toString();
}

const ErrorKind kAllErrors[] = {ErrorKind::InvalidKey,      ErrorKind::InvalidArgument, ErrorKind::PortInUse,
                                ErrorKind::PeerNotFound,    ErrorKind::ConnectionFailed, ErrorKind::ServiceUnreachable,
                                ErrorKind::DhtUnreachable,  ErrorKind::UdpBlocked,      ErrorKind::AnnounceFailed,
                                ErrorKind::PeerReset,       ErrorKind::PeerTimedOut,    ErrorKind::IdleTimeout,
                                ErrorKind::Internal};

}  // namespace

class TestModels : public QObject {
    Q_OBJECT

private slots:
    void sharesLifecycle()
    {
        FriendBook friends;
        friends.setAlias(kKeyB, QStringLiteral("Bob"));
        SharesModel m(&friends);
        QCOMPARE(m.columnCount(), int(SharesModel::ColumnCount));
        ShareRequest r;
        r.port = 8080;
        const int row = m.addShare(r);
        QCOMPARE(m.rowCount(), 1);
        QVERIFY(m.contains(QStringLiteral("127.0.0.1"), 8080, Protocol::Tcp));
        QVERIFY(!m.contains(QStringLiteral("127.0.0.1"), 8080, Protocol::Udp));
        QCOMPARE(cell(m, row, SharesModel::ServiceColumn), QStringLiteral("127.0.0.1:8080 (TCP)"));
        QCOMPARE(cell(m, row, SharesModel::AccessColumn), QStringLiteral("Public"));
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Stopped"));

        m.setRunning(row, 42);
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Announcing…"));
        ShareInfo info;
        info.id = 42;
        info.publicKey = kKeyA;
        info.url = QStringLiteral("hs://0000xyz");
        m.onStarted(info);
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Listening"));
        QCOMPARE(cell(m, row, SharesModel::KeyColumn), KeyText::shortKey(kKeyA));
        QVERIFY(cell(m, row, SharesModel::KeyColumn, Qt::ToolTipRole).contains(kKeyA));
        QCOMPARE(m.listeningCount(), 1);

        m.onPeerConnected(42, kKeyB.toUpper());
        QCOMPARE(cell(m, row, SharesModel::PeersColumn), QStringLiteral("1"));
        QVERIFY(cell(m, row, SharesModel::PeersColumn, Qt::ToolTipRole).startsWith(QStringLiteral("Bob, since ")));
        // Peers counts friends, not tunnels: a second TCP connection of Bob's is still one friend.
        m.onPeerConnected(42, kKeyB);
        QCOMPARE(cell(m, row, SharesModel::PeersColumn), QStringLiteral("1"));
        QCOMPARE(m.activePeerCount(), 1);
        m.onPeerDisconnected(42, kKeyB);
        QCOMPARE(cell(m, row, SharesModel::PeersColumn), QStringLiteral("1"));

        StatsSnapshot s;
        s.items.push_back(ItemStats{42, 100, 200000, 1000, 250000, 1, 1});
        s.items.push_back(ItemStats{99, 0, 0, 5, 5, 0, 0});  // unknown id: ignored
        m.onStats(s);
        QCOMPARE(m.row(row).rateUp, 250000.0);  // out = to peers = up
        QCOMPARE(m.row(row).rateDown, 1000.0);
        QVERIFY(cell(m, row, SharesModel::RateColumn).contains(QStringLiteral("250 kB/s")));

        ErrorInfo e;
        e.id = 42;
        e.kind = ErrorKind::ServiceUnreachable;
        e.message = QStringLiteral("service at 127.0.0.1:8080 refused");
        e.fatal = false;
        m.onError(e);
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Listening"));  // non-fatal keeps going
        e.fatal = true;
        e.kind = ErrorKind::AnnounceFailed;
        m.onError(e);
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Error: Announce failed"));
        QVERIFY(cell(m, row, SharesModel::StatusColumn, Qt::ToolTipRole).contains(QStringLiteral("retries")));
        m.onItemStopped(42);
        QCOMPARE(m.row(row).id, ItemId(0));
        QCOMPARE(cell(m, row, SharesModel::StatusColumn), QStringLiteral("Error: Announce failed"));
        m.removeRow(row);
        QCOMPARE(m.rowCount(), 0);
    }

    // The sharer sees a dead service and refused friends on the share's row.
    void shareServiceAndRefusals()
    {
        FriendBook friends;
        friends.setAlias(kKeyB, QStringLiteral("Bob"));
        SharesModel m(&friends);
        ShareRequest r;
        r.port = 8080;
        r.access = Access::AllowList;
        const int row = m.addShare(r);
        m.setRunning(row, 5);
        ShareInfo info;
        info.id = 5;
        info.publicKey = kKeyA;
        info.url = QStringLiteral("hs://0000xyz");
        m.onStarted(info);
        QCOMPARE(m.statusText(row), QStringLiteral("Listening"));
        m.onServiceState(5, false);
        QCOMPARE(m.statusText(row), QStringLiteral("Service down"));
        QVERIFY(cell(m, row, SharesModel::StatusColumn, Qt::ToolTipRole).contains(QStringLiteral("127.0.0.1:8080")));
        QVERIFY(m.data(m.index(row, SharesModel::StatusColumn), Qt::ForegroundRole).isValid());
        m.onServiceState(5, true);
        QCOMPARE(m.statusText(row), QStringLiteral("Listening"));

        m.onPeerRefused(5, kKeyB);
        m.onPeerRefused(5, kKeyB);
        QCOMPARE(m.row(row).refusals.size(), 1);
        QCOMPARE(m.row(row).refusals.first().count, 2);
        QVERIFY(m.statusText(row).startsWith(QStringLiteral("Listening, refused")));
        QVERIFY(cell(m, row, SharesModel::StatusColumn, Qt::ToolTipRole).contains(QStringLiteral("Refused Bob")));
        // Bounded log: a client cycling keys cannot grow it.
        for (int i = 0; i < SharesModel::kMaxRefusals + 10; ++i) {
            m.onPeerRefused(5, QStringLiteral("%1").arg(i, 64, 16, QLatin1Char('0')));
        }
        QCOMPARE(m.row(row).refusals.size(), SharesModel::kMaxRefusals);
        m.onItemStopped(5);
        QVERIFY(!m.row(row).serviceUp.has_value());
    }

    // A connection's state follows the engine's peer checks: away and back, refused, and no
    // stale "Direct" once no tunnel is open.
    void connectionPeerState()
    {
        FriendBook friends;
        ConnectionsModel m(&friends);
        ConnectRequest req;
        req.key = kKeyA;
        const int row = m.addConnection(req, kKeyA);
        m.setRunning(row, 9);
        ConnectInfo info;
        info.id = 9;
        info.port = 40000;
        info.publicKey = kKeyA;
        m.onStarted(info);
        m.onPeerState(9, PeerState::Online);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Online"));
        QCOMPARE(m.onlineCount(), 1);
        m.onPeerConnected(9, false);
        StatsSnapshot s;
        s.items.push_back(ItemStats{9, 10, 10, 0, 0, 1, 1});
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Direct"));
        s.items[0].active = 0;
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Online"));  // no tunnel: no "Direct"
        QCOMPARE(m.connectedCount(), 0);

        m.onPeerState(9, PeerState::Offline);  // the friend paused or quit
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Friend offline"));
        QCOMPARE(m.onlineCount(), 0);
        m.onPeerState(9, PeerState::Online);  // and came back
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Online"));

        m.onPeerState(9, PeerState::Refused);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Not admitted"));
        QVERIFY(cell(m, row, ConnectionsModel::StateColumn, Qt::ToolTipRole).contains(QStringLiteral("allow-list")));

        // A "not found" retry from before the friend came back does not stick.
        ErrorInfo e;
        e.id = 9;
        e.kind = ErrorKind::PeerNotFound;
        m.onError(e);
        m.onPeerState(9, PeerState::Online);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Online"));
        QCOMPARE(m.row(row).state, ConnectionState::Ready);
        m.setStopped(row);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Stopped"));
    }

    // The engine's rate is averaged over a few seconds, so it decays for a few ticks after the
    // tunnel closed. A row whose friend is offline, refusing or not found shows "—" for the
    // rate then, not a figure that says data still flows.
    void unreachableRowShowsNoRate_data()
    {
        QTest::addColumn<PeerState>("state");
        QTest::addColumn<QString>("text");
        QTest::newRow("offline") << PeerState::Offline << QStringLiteral("Friend offline");
        QTest::newRow("refused") << PeerState::Refused << QStringLiteral("Not admitted");
        QTest::newRow("not-found") << PeerState::NotFound << QStringLiteral("Not found");
    }
    void unreachableRowShowsNoRate()
    {
        QFETCH(PeerState, state);
        QFETCH(QString, text);
        FriendBook friends;
        ConnectionsModel m(&friends);
        ConnectRequest req;
        req.key = kKeyA;
        const int row = m.addConnection(req, kKeyA);
        m.setRunning(row, 9);
        ConnectInfo info;
        info.id = 9;
        info.port = 40000;
        info.publicKey = kKeyA;
        m.onStarted(info);
        m.onPeerConnected(9, false);
        StatsSnapshot s;
        s.items.push_back(ItemStats{9, 900000, 10, 131000, 2000, 1, 1, 12});
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), Format::upDown(2000, 131000));

        // The tunnel closes; the friend goes away while the averaged rate still decays.
        s.items[0].active = 0;
        s.items[0].rateIn = 90000;
        m.onStats(s);
        m.onPeerState(9, state);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), text);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), QStringLiteral("—"));
        QCOMPARE(cell(m, row, ConnectionsModel::RttColumn), QStringLiteral("—"));
        QVERIFY(cell(m, row, ConnectionsModel::RateColumn, Qt::ToolTipRole).contains(QStringLiteral("no rate")));
        // The chart's history gets 0 for it too (its legend showed the average decaying); other
        // items and the totals are left as the engine measured them.
        StatsSnapshot withOther = s;
        withOther.rateIn = 90000;
        withOther.items.push_back(ItemStats{77, 0, 0, 1234, 0, 1, 1, 0});
        const StatsSnapshot forChart = m.withoutStaleRates(withOther);
        QCOMPARE(forChart.items[0].rateIn, 0.0);
        QCOMPARE(forChart.items[1].rateIn, 1234.0);
        QCOMPARE(forChart.rateIn, 90000.0);
        s.items[0].rateIn = 40000;  // the next tick: still no figure
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), QStringLiteral("—"));

        // Back online: the rate is shown again (zero until a client uses the tunnel).
        m.onPeerState(9, PeerState::Online);
        s.items[0].rateIn = 0;
        s.items[0].rateOut = 0;
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), Format::upDown(0, 0));
        // A local client waiting for a tunnel that cannot open: still no rate, and not Direct.
        m.onPeerState(9, state);
        s.items[0].active = 1;
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), text);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), QStringLiteral("—"));
        // A tunnel that does open (the check was stale) carries data: its rate shows.
        m.onPeerConnected(9, false);
        s.items[0].rateIn = 5000;
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), Format::upDown(0, 5000));
        QCOMPARE(m.withoutStaleRates(s).items[0].rateIn, 5000.0);
        // Stopped by the user: no rate either.
        m.setStopped(row);
        QCOMPARE(cell(m, row, ConnectionsModel::RateColumn), QStringLiteral("—"));
    }

    void connectionsLifecycle()
    {
        FriendBook friends;
        ConnectionsModel m(&friends);
        ConnectRequest r;
        r.key = kKeyA;
        const int row = m.addConnection(r, kKeyA);
        QCOMPARE(cell(m, row, ConnectionsModel::NameColumn), KeyText::shortKey(kKeyA));
        friends.setAlias(kKeyA, QStringLiteral("Alice"));
        QCOMPARE(cell(m, row, ConnectionsModel::NameColumn), QStringLiteral("Alice"));
        // Named on its own, the connection still says whose key it reaches when that is a friend's.
        m.setName(row, QStringLiteral("Alice web"));
        QCOMPARE(cell(m, row, ConnectionsModel::NameColumn), QStringLiteral("Alice web"));
        const QString tip = m.data(m.index(row, ConnectionsModel::NameColumn), Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(QStringLiteral("Shared by Alice\n")) && tip.endsWith(kKeyA), qPrintable(tip));
        friends.setAlias(kKeyA, QString());
        QCOMPARE(m.data(m.index(row, ConnectionsModel::NameColumn), Qt::ToolTipRole).toString(), kKeyA);
        friends.setAlias(kKeyA, QStringLiteral("Alice"));
        QCOMPARE(cell(m, row, ConnectionsModel::LocalPortColumn), QStringLiteral("auto"));
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Stopped"));

        m.setRunning(row, 7);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Looking up…"));
        ConnectInfo info;
        info.id = 7;
        info.host = QStringLiteral("127.0.0.1");
        info.port = 40123;
        info.publicKey = kKeyA;
        m.onStarted(info);
        QCOMPARE(cell(m, row, ConnectionsModel::LocalPortColumn), QStringLiteral("localhost:40123 (TCP)"));
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Ready"));
        m.onPeerConnected(7, true);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Relayed"));
        m.onPeerConnected(7, false);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Direct"));
        QCOMPARE(m.connectedCount(), 1);
        m.onPeerDisconnected(7, ErrorKind::PeerTimedOut);
        // A broken tunnel to a friend the engine last saw online: the engine reports only
        // changes, so the row keeps that (it said "Retrying" for good before).
        QCOMPARE(m.row(row).peer, PeerState::Online);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Online"));
        m.onPeerState(7, PeerState::Unknown);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn),
                 QStringLiteral("Retrying: Friend stopped answering"));
        // Its detail is our sentence and the stable code, not the engine's English.
        QVERIFY(m.row(row).errorDetail.startsWith(ErrorText::sentence(ErrorKind::PeerTimedOut)));
        QVERIFY(m.row(row).errorDetail.endsWith(QStringLiteral("PEER_TIMED_OUT")));
        ErrorInfo e;
        e.id = 7;
        e.kind = ErrorKind::PeerNotFound;
        e.fatal = true;
        m.onError(e);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Error: Peer not found"));
        m.onItemStopped(7);
        QCOMPARE(m.rowOfId(7), -1);
        m.setRunning(row, 8);
        m.onStarted(ConnectInfo{8, QStringLiteral("127.0.0.1"), 40123, kKeyA});
        // A local client waits for its tunnel (one per client): that is not a tunnel yet.
        StatsSnapshot s;
        s.items.push_back(ItemStats{8, 0, 0, 0, 0, 1, 1, 0});
        m.onStats(s);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Ready"));
        QCOMPARE(m.connectedCount(), 0);
        m.onPeerConnected(8, false);
        s.items[0] = ItemStats{8, 5000, 10, 4000, 10, 1, 1, 12};
        m.onStats(s);
        QCOMPARE(m.row(row).rateDown, 4000.0);
        QCOMPARE(cell(m, row, ConnectionsModel::RttColumn), QStringLiteral("12 ms"));
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Direct"));
        // Two tunnels (two local clients); one closes: still Direct. The last closes: Ready at
        // once, not a stats tick later.
        m.onPeerConnected(8, false);
        QCOMPARE(m.row(row).tunnels, 2);
        m.onPathChanged(8, true);  // a move of one open tunnel is not another tunnel
        QCOMPARE(m.row(row).tunnels, 2);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Relayed"));
        m.onPeerDisconnected(8);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Relayed"));
        m.onPeerDisconnected(8);
        QCOMPARE(m.row(row).state, ConnectionState::Ready);
        QCOMPARE(m.connectedCount(), 0);
        // The friend goes away while the last stats tick still counted a client: not Direct.
        m.onPeerConnected(8, false);
        m.onPeerDisconnected(8);
        m.onPeerState(8, PeerState::Offline);
        QCOMPARE(cell(m, row, ConnectionsModel::StateColumn), QStringLiteral("Friend offline"));
        m.setStopped(row);
        QCOMPARE(m.row(row).rateDown, 0.0);
        QCOMPARE(m.row(row).localPort, quint16(40123));  // remembered for the next start
    }

    void friendBookPersists()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("p.ini"));
        {
            FriendBook book;
            QSignalSpy changed(&book, &FriendBook::changed);
            book.setAlias(kKeyA.toUpper(), QStringLiteral("  Alice "));
            book.setAlias(kKeyB, QStringLiteral("Bob"));
            book.setAlias(QStringLiteral("nonsense"), QStringLiteral("x"));
            QCOMPARE(changed.count(), 3);
            QCOMPARE(book.alias(kKeyA), QStringLiteral("Alice"));
            book.setAlias(kKeyB, QString());  // empty removes
            QCOMPARE(book.displayName(kKeyB), KeyText::shortKey(kKeyB));
            QSettings s(file, QSettings::IniFormat);
            book.save(s);
        }
        FriendBook again;
        QSettings s(file, QSettings::IniFormat);
        again.load(s);
        QCOMPARE(again.entries().size(), 1);  // the non-key entry is dropped on load
        QCOMPARE(again.displayName(kKeyA), QStringLiteral("Alice"));
    }

    void rateHistoryKeepsSixtySeconds()
    {
        RateHistory h;
        for (int i = 1; i <= 75; ++i) {
            StatsSnapshot s;
            s.rateOut = i;
            s.rateIn = 2 * i;
            s.items.push_back(ItemStats{3, 0, 0, double(i), 0, 0, 0});
            h.add(s);
        }
        QCOMPARE(h.total().count, RateHistory::kSamples);
        QCOMPARE(h.total().at(0).up, 75.0);
        QCOMPARE(h.total().at(0).down, 150.0);
        QCOMPARE(h.total().at(59).up, 16.0);
        QCOMPARE(h.total().at(60).up, 0.0);
        QVERIFY(h.item(3));
        QCOMPARE(h.item(3)->at(0).down, 75.0);
        h.forget(3);
        QVERIFY(!h.item(3));

        ThroughputChart chart(&h);
        chart.resize(400, 150);
        chart.showItem(0, QString());
        QVERIFY(!chart.grab().isNull());
    }

    void keyTextHelpers()
    {
        QVERIFY(peerport::crypto::init().ok());
        QCOMPARE(KeyText::hyperteleCommand(kKeyA, 8080), QStringLiteral("hypertele -p 8080 -s ") + kKeyA);
        QCOMPARE(KeyText::holesailCommand(QStringLiteral("hs://0000abc")), QStringLiteral("holesail hs://0000abc"));
        QVERIFY(KeyText::isHexKey(kKeyA));
        QVERIFY(!KeyText::isHexKey(kKeyA.left(63) + QLatin1Char('g')));
        QVERIFY(KeyText::peerportLink(kKeyA).startsWith(QStringLiteral("peerport://")));
        const auto check = KeyText::check(KeyText::peerportLink(kKeyA));
        QVERIFY(check.ok);
        QCOMPARE(check.hexKey, kKeyA);
        QVERIFY(!check.secret);
        QVERIFY(KeyText::check(QStringLiteral("hs://s000") + QString(64, QLatin1Char('c'))).secret);
        QCOMPARE(KeyText::shortKey(kKeyA), QStringLiteral("aaaaaa…aaaa"));
    }

    void everyErrorHasASentence()
    {
        QSet<QString> seen;
        for (ErrorKind k : kAllErrors) {
            QVERIFY(!ErrorText::title(k).isEmpty());
            QVERIFY(ErrorText::sentence(k).size() > 40);
            QVERIFY(!ErrorText::stableName(k).isEmpty());
            seen.insert(ErrorText::sentence(k));
        }
        QCOMPARE(seen.size(), int(std::size(kAllErrors)));
    }

    // The compiled translations are in the binary and cover every error sentence.
    void translationsAreComplete_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("nb") << QStringLiteral("nb");
        QTest::newRow("es") << QStringLiteral("es");
    }
    void translationsAreComplete()
    {
        QFETCH(QString, language);
        QTranslator t;
        QVERIFY2(t.load(QStringLiteral(":/i18n/peerport_%1.qm").arg(language)), "compiled translation missing");
        for (ErrorKind k : kAllErrors) {
            const QString english = ErrorText::sentence(k);
            const QString translated = t.translate("ErrorText", english.toUtf8().constData());
            QVERIFY2(!translated.isEmpty() && translated != english, qPrintable(english));
        }
        QVERIFY(!t.translate("PeerPort::SharesModel", "Listening").isEmpty());
        QVERIFY(!t.translate("PeerPort::MainWindow", "Shared ports").isEmpty());
        // Dialogs added later are in the catalogue too (lupdate was run, then translated).
        QVERIFY(!t.translate("PeerPort::MyKeyDialog", "My key").isEmpty());
        QVERIFY(!t.translate("PeerPort::PeersDialog", "Connected now").isEmpty());
        QVERIFY(!t.translate("PeerPort::SettingsDialog", "Notify me when").isEmpty());
        QVERIFY(!t.translate("PeerPort::ShareDialog", "Edit share").isEmpty());
        // Qt's own buttons (Debian has no qtbase_nb), and whole sentences for copy feedback.
        QVERIFY(!t.translate("QPlatformTheme", "Cancel").isEmpty());
        QVERIFY(!t.translate("QPlatformTheme", "Close").isEmpty());
        if (language == QLatin1String("es")) {
            QCOMPARE(t.translate("PeerPort::MainWindow", "Key copied: %1"), QStringLiteral("Clave copiada: %1"));
        }
        // Key validation is ours and translated, not the core's English.
        QCoreApplication::installTranslator(&t);
        const QString keyError = KeyText::check(QStringLiteral("not a key")).error;
        QCoreApplication::removeTranslator(&t);
        QVERIFY(!keyError.isEmpty());
        QVERIFY2(!keyError.startsWith(QStringLiteral("This is not a key")), qPrintable(keyError));
        // Nothing left untranslated in the source catalogue.
        QFile ts(QStringLiteral(PEERPORT_SOURCE_DIR "/translations/peerport_%1.ts").arg(language));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QVERIFY(!ts.readAll().contains("type=\"unfinished\""));
    }

    // English plurals come from peerport_en: "1 port", "2 ports", never "port(s)".
    void englishPlurals()
    {
        QTranslator t;
        QVERIFY(t.load(QStringLiteral(":/i18n/peerport_en.qm")));
        QCOMPARE(t.translate("PeerPort::TrayIcon", "PeerPort: sharing %n port(s)", nullptr, 1),
                 QStringLiteral("PeerPort: sharing %n port"));
        QCOMPARE(t.translate("PeerPort::TrayIcon", "PeerPort: sharing %n port(s)", nullptr, 2),
                 QStringLiteral("PeerPort: sharing %n ports"));
    }

    void secretStoreFileFallbackIsPrivate()
    {
        QTemporaryDir dir;
        const Profile profile = Profile::resolve(dir.path());
        QCOMPARE(QFileInfo(profile.dir()).canonicalFilePath(), QFileInfo(dir.path()).canonicalFilePath());
        QVERIFY(profile.instanceName() != Profile::resolve(dir.filePath(QStringLiteral("other"))).instanceName());
        {
            SecretStore store(profile, 1000);
            QSignalSpy loaded(&store, &SecretStore::loaded);
            store.loadFromFileOnly();
            QCOMPARE(loaded.count(), 1);
            QCOMPARE(store.backend(), SecretStore::Backend::File);
            QVERIFY(store.warning().contains(profile.secretsFallbackFile()));
            // The warning follows a language switched afterwards (it was kept in English).
            QTranslator nb;
            QVERIFY(nb.load(QStringLiteral(":/i18n/peerport_nb.qm")));
            QCoreApplication::installTranslator(&nb);
            const QString translated = store.warning();
            QCoreApplication::removeTranslator(&nb);
            QVERIFY2(translated.startsWith(QStringLiteral("Nøkkelringen brukes ikke")), qPrintable(translated));
            QVERIFY(translated.contains(profile.secretsFallbackFile()));
            store.setValue(QStringLiteral("identity"), QStringLiteral("00ff"));
        }
        QFileInfo fi(profile.secretsFallbackFile());
        QVERIFY(fi.exists());
        QCOMPARE(fi.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        SecretStore again(profile, 1000);
        again.loadFromFileOnly();
        QCOMPARE(again.value(QStringLiteral("identity")), QStringLiteral("00ff"));
    }
};

QTEST_MAIN(TestModels)
#include "test_models.moc"
