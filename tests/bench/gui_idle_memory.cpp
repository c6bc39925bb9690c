// gui_idle_memory: the desktop app's resident memory when idle with 5 shares (budget 60 MiB,
// issue 16).
// Starts a loopback DHT node and `peerport` on the offscreen platform with its own profile,
// adds 5 shares through the test hooks, waits for them to listen, lets it idle, and prints
// VmRSS and VmHWM from /proc. Run by hand: ./build/tests/bench/gui_idle_memory [idle seconds]
// Exit status 1 if the idle RSS is over the budget.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QUdpSocket>
#include <cstdio>
#include <memory>
#include <vector>

#include "Profile.h"

namespace {

QString send(const QString& name, const QString& message)
{
    QLocalSocket s;
    s.connectToServer(name);
    if (!s.waitForConnected(1000)) return {};
    s.write(message.toUtf8() + '\n');
    QByteArray reply;
    for (int i = 0; i < 50 && !reply.contains('\n'); ++i) {
        s.waitForReadyRead(100);
        reply += s.readAll();
    }
    return QString::fromUtf8(reply).trimmed();
}

long statusKiB(qint64 pid, const char* field)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(field)) return line.mid(static_cast<int>(qstrlen(field))).trimmed().split(' ').first().toLong();
    }
    return -1;
}

}  // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int idleSeconds = argc > 1 ? std::atoi(argv[1]) : 10;
    const double budgetMiB = 60.0;

    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    const quint16 dhtPort = probe.localPort();
    probe.close();
    QProcess node;
    node.start(QStringLiteral(PEERPORT_BINARY_DIR "/app/peerport-cli"),
               {QStringLiteral("node"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                QString::number(dhtPort), QStringLiteral("--bootstrap"), QStringLiteral("none")});
    node.waitForStarted();

    // Five local services to share.
    std::vector<std::unique_ptr<QTcpServer>> services;
    for (int i = 0; i < 5; ++i) {
        services.push_back(std::make_unique<QTcpServer>());
        services.back()->listen(QHostAddress::LocalHost);
    }

    QTemporaryDir dir;
    const QString name = PeerPort::Profile::resolve(dir.path()).instanceName();
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("PEERPORT_NO_KEYCHAIN"), QStringLiteral("1"));
    env.insert(QStringLiteral("PEERPORT_TEST_HOOKS"), QStringLiteral("1"));
    env.insert(QStringLiteral("PEERPORT_BOOTSTRAP"), QStringLiteral("127.0.0.1:%1").arg(dhtPort));
    gui.setProcessEnvironment(env);
    gui.start(QStringLiteral(PEERPORT_BINARY_DIR "/app/gui/peerport"), {QStringLiteral("--profile"), dir.path()});
    if (!gui.waitForStarted()) return 2;

    QElapsedTimer t;
    t.start();
    while (send(name, QStringLiteral("state")).isEmpty() && t.elapsed() < 10000) QThread::msleep(100);
    for (const auto& s : services) send(name, QStringLiteral("share %1").arg(s->serverPort()));
    int listening = 0;
    while (t.elapsed() < 30000) {
        const QJsonObject st = QJsonDocument::fromJson(send(name, QStringLiteral("state")).toUtf8()).object();
        listening = 0;
        for (const auto& v : st[QStringLiteral("shares")].toArray()) {
            listening += v.toObject()[QStringLiteral("state")].toString() == QStringLiteral("Listening") ? 1 : 0;
        }
        if (listening == 5) break;
        QThread::msleep(200);
    }
    QThread::sleep(static_cast<unsigned long>(idleSeconds));
    const long rss = statusKiB(gui.processId(), "VmRSS:");
    const long hwm = statusKiB(gui.processId(), "VmHWM:");
    send(name, QStringLiteral("quit"));
    gui.waitForFinished(10000);
    node.terminate();
    node.waitForFinished(3000);

    const double rssMiB = static_cast<double>(rss) / 1024.0;
    std::printf("gui_idle_memory: %d of 5 shares listening, idle %d s\n", listening, idleSeconds);
    std::printf("  VmRSS %.1f MiB (peak VmHWM %.1f MiB), budget %.0f MiB: %s\n", rssMiB,
                static_cast<double>(hwm) / 1024.0, budgetMiB, rssMiB <= budgetMiB ? "within" : "OVER");
    const bool ok = listening == 5 && rss > 0 && rssMiB <= budgetMiB;
    std::printf("target gui_idle_memory idle_rss_mib %.3g <= %.3g %s\n", rssMiB, budgetMiB,
                ok ? "met" : "MISSED");
    return ok ? 0 : 1;
}
