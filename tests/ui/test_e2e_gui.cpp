// End to end, two real `peerport` processes under Xvfb (see run_e2e.sh): instance A, with a
// system tray, shares a local HTTP service through the GUI's own code path (AppController,
// driven by the documented test hooks); instance B, started before the tray exists, connects
// with A's key over a loopback testnet; a page is fetched through B's local port; both windows
// show the connection with a non-zero rate and are saved as PNGs; A's identity key is in the
// Secret Service (gnome-keyring) and nowhere on disk; a second launch raises the first.
#include <qt6keychain/keychain.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>
#include <QtTest>

#include "Profile.h"
#include "SecretStore.h"
#include "common/bytes.hpp"
#include "crypto/keys.hpp"

using namespace PeerPort;

namespace {

const QString kApp = QStringLiteral(PEERPORT_BINARY_DIR "/app/gui/peerport");
const QString kCli = QStringLiteral(PEERPORT_BINARY_DIR "/app/peerport-cli");
const QByteArray kPage = "<html><body><h1>Hello from Alice's PeerPort</h1></body></html>\n";

// A tiny HTTP service: "/" answers kPage; "/stream" sends 32 KiB every 100 ms for 8 s, so a
// tunnel stays open and busy while the windows are captured.
// What a person would read in a screenshot: the PNG scaled up 3x (tesseract reads the app's
// small UI font far better then) and read by tesseract-ocr, with whitespace runs folded to one
// space. Empty, with the reason in `why`, when it cannot be read.
QString readScreenshot(const QString& png, QString* why)
{
    QImage img(png);
    if (img.isNull()) {
        *why = QStringLiteral("cannot load ") + png;
        return {};
    }
    const QString big = png + QStringLiteral(".x3.png");
    img.scaled(img.size() * 3, Qt::KeepAspectRatio, Qt::SmoothTransformation).save(big);
    QProcess ocr;
    ocr.start(QStringLiteral("tesseract"), {big, QStringLiteral("stdout")});
    if (!ocr.waitForStarted(5000)) {
        *why = QStringLiteral("tesseract-ocr is not installed (./dev.sh setup installs it)");
        return {};
    }
    ocr.waitForFinished(60000);
    QFile::remove(big);
    if (ocr.exitStatus() != QProcess::NormalExit || ocr.exitCode() != 0) {
        *why = QStringLiteral("tesseract failed: ") + QString::fromUtf8(ocr.readAllStandardError());
        return {};
    }
    return QString::fromUtf8(ocr.readAllStandardOutput()).simplified();
}

class HttpService : public QTcpServer {
public:
    HttpService()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection()) {
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    const QByteArray req = s->readAll();
                    if (req.startsWith("GET /stream")) {
                        s->write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n");
                        auto* timer = new QTimer(s);
                        auto* left = new int(80);
                        connect(timer, &QTimer::timeout, s, [s, timer, left] {
                            s->write(QByteArray(32 * 1024, 'p'));
                            if (--*left == 0) {
                                delete left;
                                timer->stop();
                                s->disconnectFromHost();
                            }
                        });
                        timer->start(100);
                        return;
                    }
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: "
                             + QByteArray::number(kPage.size()) + "\r\n\r\n" + kPage);
                    s->disconnectFromHost();
                });
            }
        });
        listen(QHostAddress::LocalHost);
    }
};

quint16 freeUdpPort()
{
    QUdpSocket s;
    s.bind(QHostAddress::LocalHost, 0);
    return s.localPort();
}

}  // namespace

class TestE2eGui : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(peerport::crypto::init().ok());
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"), "run through run_e2e.sh");
        m_work = qEnvironmentVariable("PEERPORT_E2E_WORK");
        m_artifacts = qEnvironmentVariable("PEERPORT_E2E_ARTIFACTS");
        QVERIFY(!m_work.isEmpty() && !m_artifacts.isEmpty());
        m_dhtPort = freeUdpPort();
        m_node.start(kCli, {QStringLiteral("node"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                            QString::number(m_dhtPort), QStringLiteral("--bootstrap"), QStringLiteral("none"), QStringLiteral("--json")});
        QVERIFY(m_node.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(m_node.canReadLine(), 10000);
    }

    void cleanupTestCase()
    {
        for (QProcess* p : {&m_a, &m_b, &m_trayer, &m_node}) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(5000)) p->kill();
            }
        }
    }

    void twoInstancesShareAndConnect()
    {
        HttpService http;
        QVERIFY(http.isListening());
        const QString profileA = m_work + QStringLiteral("/profile-a");
        const QString profileB = m_work + QStringLiteral("/profile-b");
        QDir().mkpath(profileA);
        {  // A was closed before: the "keeps running" hint was shown then.
            QFile ini(profileA + QStringLiteral("/peerport.ini"));
            QVERIFY(ini.open(QIODevice::WriteOnly));
            ini.write("[desktop]\ncloseHintShown=true\n");
        }

        // B first, while no tray exists.
        launch(m_b, profileB);
        QJsonObject b = waitState(profileB, [](const QJsonObject& s) { return s[QStringLiteral("engine")].toBool(); }, 20000);
        QCOMPARE(b[QStringLiteral("tray")].toBool(), false);

        m_trayer.start(QStringLiteral("trayer"), {QStringLiteral("--edge"), QStringLiteral("bottom"), QStringLiteral("--align"),
                                                  QStringLiteral("right"), QStringLiteral("--widthtype"), QStringLiteral("request")});
        QVERIFY(m_trayer.waitForStarted(5000));
        // Until trayer owns the tray selection: A looks for a tray once, at start.
        QVERIFY(QTest::qWaitFor([] {
            return QProcess::execute(QStringLiteral("python3"), {QStringLiteral(PEERPORT_SOURCE_DIR "/tests/ui/tray_owned.py")}) == 0;
        }, 20000));
        launch(m_a, profileA);
        QJsonObject a = waitState(profileA, [](const QJsonObject& s) { return s[QStringLiteral("engine")].toBool(); }, 20000);
        QCOMPARE(a[QStringLiteral("tray")].toBool(), true);
        QCOMPARE(a[QStringLiteral("keychain")].toString(), QStringLiteral("keychain"));

        // A shares the HTTP service; B connects with A's key.
        QCOMPARE(send(profileA, QStringLiteral("share %1").arg(http.serverPort())), QStringLiteral("ok"));
        a = waitState(profileA, [](const QJsonObject& s) {
            const QJsonArray shares = s[QStringLiteral("shares")].toArray();
            return !shares.isEmpty() && shares[0].toObject()[QStringLiteral("state")].toString() == QStringLiteral("Listening");
        }, 30000);
        const QString url = a[QStringLiteral("shares")].toArray()[0].toObject()[QStringLiteral("url")].toString();
        QVERIFY(url.startsWith(QStringLiteral("hs://0000")));
        QCOMPARE(send(profileB, QStringLiteral("connect ") + url), QStringLiteral("ok"));
        b = waitState(profileB, [](const QJsonObject& s) {
            const QJsonArray c = s[QStringLiteral("connections")].toArray();
            return !c.isEmpty() && c[0].toObject()[QStringLiteral("localPort")].toInt() != 0;
        }, 30000);
        const quint16 localPort = static_cast<quint16>(b[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("localPort")].toInt());

        // The page, through the tunnel.
        const QByteArray page = httpGet(localPort, "/", 20000);
        QVERIFY2(page.contains(kPage), page.constData());

        // A busy tunnel while both windows are checked and captured.
        QTcpSocket stream;
        stream.connectToHost(QHostAddress::LocalHost, localPort);
        QVERIFY(stream.waitForConnected(5000));
        stream.write("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
        connect(&stream, &QTcpSocket::readyRead, &stream, [&stream] { stream.readAll(); });
        a = waitState(profileA, [](const QJsonObject& s) {
            const QJsonObject sh = s[QStringLiteral("shares")].toArray()[0].toObject();
            return sh[QStringLiteral("peers")].toInt() >= 1 && sh[QStringLiteral("up")].toDouble() > 0;
        }, 15000);
        b = waitState(profileB, [](const QJsonObject& s) {
            const QJsonObject c = s[QStringLiteral("connections")].toArray()[0].toObject();
            return c[QStringLiteral("connected")].toBool() && c[QStringLiteral("down")].toDouble() > 0;
        }, 15000);
        const QString shotA = m_artifacts + QStringLiteral("/peerport-a-sharing.png");
        const QString shotB = m_artifacts + QStringLiteral("/peerport-b-connected.png");
        QCOMPARE(send(profileA, QStringLiteral("screenshot ") + shotA), QStringLiteral("ok"));
        QCOMPARE(send(profileB, QStringLiteral("screenshot ") + shotB), QStringLiteral("ok"));
        // Both windows show the connection as a person reads them: A's share row with its
        // service address and "Listening", B's connection row with its local port and
        // "Direct" (OCR of the PNGs; the states above are the models', this is the pixels').
        QString why;
        const QString seenA = readScreenshot(shotA, &why);
        QVERIFY2(!seenA.isEmpty(), qPrintable(why));
        const QString service = QStringLiteral("127.0.0.1:%1 (TCP)").arg(http.serverPort());
        QVERIFY2(seenA.contains(service) && seenA.contains(QStringLiteral("Listening")),
                 qPrintable(QStringLiteral("A's window, read: ") + seenA));
        const QString seenB = readScreenshot(shotB, &why);
        QVERIFY2(!seenB.isEmpty(), qPrintable(why));
        const QString local = QStringLiteral("localhost:%1 (TCP)").arg(localPort);
        QVERIFY2(seenB.contains(local) && seenB.contains(QStringLiteral("Direct")),
                 qPrintable(QStringLiteral("B's window, read: ") + seenB));
        // A's People dialog: B, connected now, with its traffic.
        QCOMPARE(send(profileA, QStringLiteral("people 0")), QStringLiteral("ok"));
        const QString shotPeople = m_artifacts + QStringLiteral("/peerport-a-people.png");
        QCOMPARE(send(profileA, QStringLiteral("people-shot ") + shotPeople), QStringLiteral("ok"));
        QVERIFY(QFileInfo(shotPeople).size() > 5000);
        // The whole screen too: both windows and the tray, as a person would see them.
        QProcess::execute(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("command -v xwd >/dev/null && command -v convert >/dev/null && "
                                                                                      "xwd -root -silent | convert xwd:- '%1/screen.png' || true")
                                                                           .arg(m_artifacts)});

        // B knows whether A is there with no local client: A pauses, B says offline; A resumes,
        // B says online again within 10 s.
        stream.abort();
        auto peerOf = [](const QJsonObject& s) {
            return s[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("peer")].toString();
        };
        // The aborted client's tunnel is gone first: what follows is about the friend, not it.
        b = waitState(profileB, [&](const QJsonObject& s) {
            return peerOf(s) == QStringLiteral("online")
                   && !s[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("connected")].toBool();
        }, 10000);
        QCOMPARE(send(profileA, QStringLiteral("pause")), QStringLiteral("ok"));
        b = waitState(profileB, [&](const QJsonObject& s) { return peerOf(s) == QStringLiteral("offline"); }, 15000);
        QVERIFY(b[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("state")].toString()
                    != QStringLiteral("Direct"));
        // No rate while the friend is offline, not the averaged rate of the stream decaying.
        QCOMPARE(b[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("rate")].toString(), QStringLiteral("—"));
        const QString shotOffline = m_artifacts + QStringLiteral("/peerport-b-friend-offline.png");
        QCOMPARE(send(profileB, QStringLiteral("screenshot ") + shotOffline), QStringLiteral("ok"));
        QCOMPARE(send(profileA, QStringLiteral("resume")), QStringLiteral("ok"));
        QElapsedTimer back;
        back.start();
        b = waitState(profileB, [&](const QJsonObject& s) { return peerOf(s) == QStringLiteral("online"); }, 10000);
        qInfo("peer online again %lld ms after resume", static_cast<long long>(back.elapsed()));

        // B changes its language in the running app: the window is rebuilt in Norwegian, with
        // no restart, and its rows speak it too; then back to English.
        auto stateOf = [](const QJsonObject& s) {
            return s[QStringLiteral("connections")].toArray()[0].toObject()[QStringLiteral("state")].toString();
        };
        QCOMPARE(send(profileB, QStringLiteral("language nb")), QStringLiteral("ok"));
        b = waitState(profileB, [&](const QJsonObject& s) { return stateOf(s) == QStringLiteral("På nett"); }, 5000);
        QVERIFY(b[QStringLiteral("window")].toBool());
        const QString shotNb = m_artifacts + QStringLiteral("/peerport-b-nb-live.png");
        QCOMPARE(send(profileB, QStringLiteral("screenshot ") + shotNb), QStringLiteral("ok"));
        QCOMPARE(send(profileB, QStringLiteral("language es")), QStringLiteral("ok"));
        b = waitState(profileB, [&](const QJsonObject& s) { return stateOf(s) == QStringLiteral("En línea"); }, 5000);
        const QString shotEs = m_artifacts + QStringLiteral("/peerport-b-es-live.png");
        QCOMPARE(send(profileB, QStringLiteral("screenshot ") + shotEs), QStringLiteral("ok"));
        QCOMPARE(send(profileB, QStringLiteral("language en")), QStringLiteral("ok"));
        waitState(profileB, [&](const QJsonObject& s) { return stateOf(s) == QStringLiteral("Online"); }, 5000);
        a = waitState(profileA, [](const QJsonObject& s) {
            return s[QStringLiteral("shares")].toArray()[0].toObject()[QStringLiteral("state")].toString() == QStringLiteral("Listening");
        }, 30000);

        // The identity key: in the keychain, not on disk.
        const QString identityA = a[QStringLiteral("identity")].toString();
        QCOMPARE(identityA.size(), 64);
        QVERIFY(!QFile::exists(Profile::resolve(profileA).secretsFallbackFile()));
        for (const QString& f : QDir(profileA).entryList(QDir::Files)) {
            QFile file(profileA + QLatin1Char('/') + f);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("identity"), qPrintable(f));
        }
        const QJsonObject secrets = readKeychain(Profile::resolve(profileA).keychainKey());
        const auto seed = peerport::crypto::seed_from_hex(secrets[QStringLiteral("identity")].toString().toStdString());
        QVERIFY2(seed.has_value(), "no identity seed in the keychain");
        QCOMPARE(QString::fromStdString(peerport::to_hex(peerport::crypto::KeyPair::from_seed(*seed).public_key)), identityA);

        // Closing A's window keeps it sharing in the tray; a second launch raises it again.
        QCOMPARE(send(profileA, QStringLiteral("close")), QStringLiteral("ok"));
        a = waitState(profileA, [](const QJsonObject& s) { return !s[QStringLiteral("window")].toBool(); }, 5000);
        QCOMPARE(a[QStringLiteral("shares")].toArray()[0].toObject()[QStringLiteral("state")].toString(), QStringLiteral("Listening"));
        QCOMPARE(httpGet(localPort, "/", 20000).contains(kPage), true);
        QProcess second;
        second.start(kApp, {QStringLiteral("--profile"), profileA});
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitCode(), 0);
        waitState(profileA, [](const QJsonObject& s) { return s[QStringLiteral("window")].toBool(); }, 5000);

        // A quits: B sees it offline; A starts again (its share comes back): B sees it online.
        QCOMPARE(send(profileA, QStringLiteral("quit")), QStringLiteral("ok"));
        QVERIFY(m_a.waitForFinished(15000));
        b = waitState(profileB, [&](const QJsonObject& s) { return peerOf(s) == QStringLiteral("offline"); }, 15000);
        launch(m_a, profileA);
        b = waitState(profileB, [&](const QJsonObject& s) { return peerOf(s) == QStringLiteral("online"); }, 40000);
        QCOMPARE(httpGet(localPort, "/", 20000).contains(kPage), true);

        // Both quit cleanly.
        QCOMPARE(send(profileB, QStringLiteral("quit")), QStringLiteral("ok"));
        QCOMPARE(send(profileA, QStringLiteral("quit")), QStringLiteral("ok"));
        QVERIFY(m_a.waitForFinished(15000));
        QVERIFY(m_b.waitForFinished(15000));
        QCOMPARE(m_a.exitCode(), 0);
        QCOMPARE(m_b.exitCode(), 0);
    }

private:
    void launch(QProcess& p, const QString& profile)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PEERPORT_TEST_HOOKS"), QStringLiteral("1"));
        env.insert(QStringLiteral("PEERPORT_BOOTSTRAP"), QStringLiteral("127.0.0.1:%1").arg(m_dhtPort));
        // Peer checks every 2 s instead of 30 s, so away/back is seen within the test's waits.
        env.insert(QStringLiteral("PEERPORT_PEER_CHECK_MS"), QStringLiteral("2000"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::ForwardedChannels);
        p.start(kApp, {QStringLiteral("--profile"), profile});
        QVERIFY(p.waitForStarted(5000));
    }

    static QString send(const QString& profile, const QString& message, int timeoutMs = 10000)
    {
        QLocalSocket s;
        s.connectToServer(Profile::resolve(profile).instanceName());
        if (!s.waitForConnected(2000)) return QStringLiteral("(not running)");
        s.write(message.toUtf8() + '\n');
        QByteArray reply;
        QElapsedTimer t;
        t.start();
        while (!reply.contains('\n') && t.elapsed() < timeoutMs) {
            s.waitForReadyRead(100);
            reply += s.readAll();
        }
        return QString::fromUtf8(reply).trimmed();
    }

    template <class Pred>
    QJsonObject waitState(const QString& profile, Pred pred, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        QJsonObject last;
        while (t.elapsed() < timeoutMs) {
            last = QJsonDocument::fromJson(send(profile, QStringLiteral("state")).toUtf8()).object();
            if (!last.isEmpty() && pred(last)) return last;
            QTest::qWait(250);
        }
        QTest::qFail(qPrintable(QStringLiteral("timed out waiting; last state of %1: %2")
                                    .arg(profile, QString::fromUtf8(QJsonDocument(last).toJson(QJsonDocument::Compact)))),
                     __FILE__, __LINE__);
        return last;
    }

    static QByteArray httpGet(quint16 port, const char* path, int timeoutMs)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        if (!s.waitForConnected(5000)) return {};
        s.write(QByteArray("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        QByteArray all;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            QTest::qWait(20);  // keep this process's own HTTP service running
            all += s.readAll();
            if (s.state() != QAbstractSocket::ConnectedState) {
                all += s.readAll();
                break;
            }
        }
        return all;
    }

    static QJsonObject readKeychain(const QString& key)
    {
        QKeychain::ReadPasswordJob job(QLatin1String(SecretStore::kService));
        job.setAutoDelete(false);
        job.setKey(key);
        QSignalSpy done(&job, &QKeychain::Job::finished);
        job.start();
        if (!done.wait(10000)) return {};
        if (job.error() != QKeychain::NoError) {
            qWarning("keychain: %s", qPrintable(job.errorString()));
            return {};
        }
        return QJsonDocument::fromJson(job.textData().toUtf8()).object();
    }

    QString m_work;
    QString m_artifacts;
    quint16 m_dhtPort = 0;
    QProcess m_node;
    QProcess m_trayer;
    QProcess m_a;
    QProcess m_b;
};

QTEST_GUILESS_MAIN(TestE2eGui)
#include "test_e2e_gui.moc"
