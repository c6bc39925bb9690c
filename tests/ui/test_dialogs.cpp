// The Share and Connect dialogs' validation, on the offscreen platform.
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QDialogButtonBox>
#include <QTcpServer>
#include <QtTest>

#include <optional>

#include "ConnectDialog.h"
#include "EngineBridge.h"
#include "FriendBook.h"
#include "QrCode.h"
#include "ShareDialog.h"
#include "common/bytes.hpp"
#include "crypto/key_text.hpp"
#include "crypto/keys.hpp"

using namespace PeerPort;

namespace {

peerport::crypto::KeyPair testKeyPair(std::uint8_t fill)
{
    peerport::crypto::Seed seed;
    for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = fill;
    return peerport::crypto::KeyPair::from_seed(seed);
}

QString hexOf(const peerport::crypto::KeyPair& kp) { return QString::fromStdString(peerport::to_hex(kp.public_key)); }

bool okEnabled(QDialog& d)
{
    return d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled();
}

}  // namespace

class TestDialogs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(peerport::crypto::init().ok()); }

    void sharePortValidation_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << "" << "127.0.0.1" << false;
        QTest::newRow("zero") << "0" << "127.0.0.1" << false;
        QTest::newRow("too big") << "65536" << "127.0.0.1" << false;
        QTest::newRow("letters") << "80a" << "127.0.0.1" << false;
        QTest::newRow("lowest") << "1" << "127.0.0.1" << true;
        QTest::newRow("highest") << "65535" << "127.0.0.1" << true;
        QTest::newRow("web") << "8080" << "localhost" << true;
        QTest::newRow("ipv6") << "8080" << "::1" << true;
        QTest::newRow("empty host") << "8080" << "" << false;
        QTest::newRow("bad host") << "8080" << "not a host!" << false;
    }
    void sharePortValidation()
    {
        QFETCH(QString, port);
        QFETCH(QString, host);
        QFETCH(bool, valid);
        FriendBook friends;
        ShareDialog d(&friends);
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(port);
        d.findChild<QLineEdit*>(QStringLiteral("host"))->setText(host);
        QCOMPARE(d.isInputValid(), valid);
        QCOMPARE(okEnabled(d), valid);
        QCOMPARE(d.validationMessage().isEmpty(), valid);
        if (valid) QCOMPARE(d.request().port, port.toUShort());
    }

    void shareDefaultsToLocalhostTcpPublic()
    {
        FriendBook friends;
        ShareDialog d(&friends);
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("8080"));
        const ShareRequest r = d.request();
        QCOMPARE(r.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(r.protocol, Protocol::Tcp);
        QCOMPARE(r.access, Access::Public);
        // A public share has no allow-list: the list is not shown (it was, disabled).
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(!d.findChild<QListWidget*>(QStringLiteral("allowList"))->isVisible());
        d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(1);
        QVERIFY(d.findChild<QListWidget*>(QStringLiteral("allowList"))->isVisible());
    }

    void shareAllowListNeedsAKey()
    {
        FriendBook friends;
        const QString friendKey = hexOf(testKeyPair(5));
        friends.setAlias(friendKey, QStringLiteral("Bob"));
        ShareDialog d(&friends);
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("8080"));
        d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(1);
        QVERIFY(!d.isInputValid());
        QVERIFY(d.validationMessage().contains(QStringLiteral("allow-list")));
        auto* input = d.findChild<QComboBox*>(QStringLiteral("allowInput"))->lineEdit();
        input->setText(QStringLiteral("not a key"));
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(!d.isInputValid());
        // z32 form of the key; stored as hex, shown by alias.
        input->setText(QString::fromStdString(peerport::crypto::z32_encode(testKeyPair(5).public_key)));
        QTest::keyClick(input, Qt::Key_Return);
        QVERIFY(d.isInputValid());
        QCOMPARE(d.request().allow, QStringList{friendKey});
        QCOMPARE(d.findChild<QListWidget*>(QStringLiteral("allowList"))->item(0)->text(), QStringLiteral("Bob"));
    }

    // Allow-lists pick friends: the friend book's people are in the list, picked by name.
    void shareAllowListPicksFriends()
    {
        FriendBook friends;
        const QString bob = hexOf(testKeyPair(5));
        const QString carol = hexOf(testKeyPair(6));
        friends.setAlias(bob, QStringLiteral("Bob"));
        friends.setAlias(carol, QStringLiteral("Carol"));
        ShareDialog d(&friends);
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("8080"));
        d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(1);
        auto* picker = d.findChild<QComboBox*>(QStringLiteral("allowInput"));
        QCOMPARE(picker->count(), 2);
        const int carolIndex = picker->findText(QStringLiteral("Carol"));
        QVERIFY(carolIndex >= 0);
        emit picker->activated(carolIndex);  // as a pick from the drop-down
        QCOMPARE(d.request().allow, QStringList{carol});
        // Typing a friend's name works as well; a repeat is not added twice.
        picker->lineEdit()->setText(QStringLiteral("bob"));
        QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
        picker->lineEdit()->setText(QStringLiteral("Carol"));
        QTest::keyClick(picker->lineEdit(), Qt::Key_Return);
        QCOMPARE(d.request().allow, (QStringList{carol, bob}));
        QVERIFY(d.isInputValid());
        // A friend added meanwhile (in Friends) shows up in the list.
        friends.setAlias(hexOf(testKeyPair(7)), QStringLiteral("Dave"));
        QVERIFY(picker->findText(QStringLiteral("Dave")) >= 0);
    }

    // Editing a share: its values are filled in, "Save", and a note when the key would change.
    void shareEditFillsAndWarnsAboutANewKey()
    {
        FriendBook friends;
        ShareDialog d(&friends);
        ShareRequest r;
        r.name = QStringLiteral("Minecraft");
        r.port = 25565;
        r.access = Access::Public;
        d.setEditing(r);
        QCOMPARE(d.windowTitle(), QStringLiteral("Edit share"));
        QCOMPARE(d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->text(), QStringLiteral("&Save"));
        QCOMPARE(d.request().name, QStringLiteral("Minecraft"));
        QCOMPARE(d.request().port, quint16(25565));
        auto* note = d.findChild<QLabel*>(QStringLiteral("keyNote"));
        QVERIFY(note->text().isEmpty());
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("25566"));
        QVERIFY(note->text().isEmpty());  // a new port keeps the key
        d.findChild<QComboBox*>(QStringLiteral("access"))->setCurrentIndex(2);
        QVERIFY(!note->text().isEmpty());  // private: a new key
        QVERIFY(d.isInputValid());
    }

    // No red sentence before anything is typed, in either dialog.
    void noErrorBeforeTyping()
    {
        FriendBook friends;
        ShareDialog share(&friends);
        QVERIFY(!share.isInputValid());
        QVERIFY(share.findChild<QLabel*>(QStringLiteral("message"))->text().isEmpty());
        ConnectDialog connect(&friends);
        QVERIFY(!connect.isInputValid());
        QVERIFY(connect.findChild<QLabel*>(QStringLiteral("message"))->text().isEmpty());
        connect.show();
        QVERIFY(QTest::qWaitForWindowExposed(&connect));
        const int height = connect.height();
        connect.setKeyText(QStringLiteral("nonsense"));
        QVERIFY(!connect.findChild<QLabel*>(QStringLiteral("message"))->text().isEmpty());
        QTest::qWait(0);
        QCOMPARE(connect.height(), height);  // the message had its room already: no jump
    }

    // The QR dialog: no promise of a scanner PeerPort does not have, and "Copy link" says it
    // worked (it gave no feedback), then reads as before.
    void qrDialogCopyGivesFeedback()
    {
        const QString link = QStringLiteral("hs://0000") + QString(52, QLatin1Char('y'));
        QrDialog d(QStringLiteral("Key of web"), link);
        for (QLabel* l : d.findChildren<QLabel*>()) QVERIFY2(!l->text().contains(QStringLiteral("with PeerPort")), qPrintable(l->text()));
        auto* copy = d.findChild<QPushButton*>(QStringLiteral("copyLink"));
        QVERIFY(copy);
        const QString label = copy->text();
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), link);
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
        QTRY_COMPARE_WITH_TIMEOUT(copy->text(), label, 5000);
    }

    // Editing a connection: the key is kept (a secret one hidden), name and port change, and the
    // port it holds itself is not "in use".
    void connectEditKeepsKeyAndOwnPort()
    {
        FriendBook friends;
        QTcpServer held;  // stands for the connection's own listener
        QVERIFY(held.listen(QHostAddress::LocalHost));
        ConnectDialog d(&friends);
        const QString secretLink = QStringLiteral("hs://s000") + QString(64, QLatin1Char('a'));
        d.setEditing(secretLink, QStringLiteral("Alice web"), held.serverPort());
        auto* key = d.findChild<QLineEdit*>(QStringLiteral("key"));
        QVERIFY(key->isReadOnly());
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QVERIFY2(d.isInputValid(), qPrintable(d.validationMessage()));
        QCOMPARE(d.name(), QStringLiteral("Alice web"));
        QCOMPARE(d.request().port, held.serverPort());
        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost));
        d.findChild<QLineEdit*>(QStringLiteral("localPort"))->setText(QString::number(other.serverPort()));
        QVERIFY(!d.isInputValid());  // someone else's port
        d.findChild<QLineEdit*>(QStringLiteral("localPort"))->clear();
        d.findChild<QLineEdit*>(QStringLiteral("name"))->setText(QStringLiteral("  Alice's wiki "));
        QVERIFY(d.isInputValid());
        QCOMPARE(d.name(), QStringLiteral("Alice's wiki"));
        QCOMPARE(d.request().port, quint16(0));
    }

    void shareDuplicateIsRefused()
    {
        FriendBook friends;
        ShareDialog d(&friends);
        d.setDuplicateCheck([](const ShareRequest& r) { return r.port == 8080 ? QStringLiteral("already shared") : QString(); });
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("8080"));
        QCOMPARE(d.validationMessage(), QStringLiteral("already shared"));
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QStringLiteral("8081"));
        QVERIFY(d.isInputValid());
    }

    void shareWarnsWhenNothingListens()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const quint16 live = server.serverPort();
        QTcpServer gone;
        QVERIFY(gone.listen(QHostAddress::LocalHost));
        const quint16 dead = gone.serverPort();
        gone.close();

        FriendBook friends;
        ShareDialog d(&friends);
        QSignalSpy probed(&d, &ShareDialog::probed);
        auto answerFor = [&](quint16 port) -> std::optional<bool> {
            for (const auto& args : probed) {
                if (args.at(0).value<quint16>() == port) return args.at(1).toBool();
            }
            return std::nullopt;
        };
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QString::number(dead));
        QTRY_VERIFY_WITH_TIMEOUT(answerFor(dead).has_value(), 5000);
        QCOMPARE(*answerFor(dead), false);
        QVERIFY(d.probeWarning().contains(QString::number(dead)));
        QVERIFY(d.isInputValid());  // only a warning
        // The live port is probed too (not merely cleared by the edit), answers, and warns not.
        d.findChild<QLineEdit*>(QStringLiteral("port"))->setText(QString::number(live));
        QTRY_VERIFY_WITH_TIMEOUT(answerFor(live).has_value(), 5000);
        QCOMPARE(*answerFor(live), true);
        QVERIFY2(d.probeWarning().isEmpty(), qPrintable(d.probeWarning()));
    }

    void connectKeyValidation_data()
    {
        const auto kp = testKeyPair(7);
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << "" << false;
        QTest::newRow("garbage") << "hello" << false;
        QTest::newRow("short hex") << QString(63, QLatin1Char('a')) << false;
        QTest::newRow("hex") << hexOf(kp) << true;
        QTest::newRow("hex with spaces") << QStringLiteral("  ") + hexOf(kp) + QStringLiteral("\n") << true;
        QTest::newRow("z32") << QString::fromStdString(peerport::crypto::z32_encode(kp.public_key)) << true;
        QTest::newRow("hs public") << QString::fromStdString(peerport::crypto::hs_public_url(kp.public_key)) << true;
        QTest::newRow("hs private") << QString::fromStdString(peerport::crypto::hs_private_url(std::string(64, 'b'))) << true;
        QTest::newRow("peerport link") << QString::fromStdString(peerport::crypto::peerport_url(kp.public_key)) << true;
        QTest::newRow("hs typo") << QString::fromStdString(peerport::crypto::hs_public_url(kp.public_key)).replace(QStringLiteral("hs://0000"), QStringLiteral("hs://000")) << false;
    }
    void connectKeyValidation()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        FriendBook friends;
        ConnectDialog d(&friends);
        d.findChild<QLineEdit*>(QStringLiteral("key"))->setText(text);
        QCOMPARE(d.isInputValid(), valid);
        QCOMPARE(okEnabled(d), valid);
        if (!valid && !text.isEmpty()) {
            // The parser's own message, which lists the accepted formats.
            QVERIFY2(d.validationMessage().contains(QStringLiteral("hex")), qPrintable(d.validationMessage()));
            QVERIFY(d.findChild<QLabel*>(QStringLiteral("message"))->text() == d.validationMessage());
        }
        if (valid) QCOMPARE(d.hexKey().size(), 64);
    }

    void connectFillsAliasOfKnownFriend()
    {
        FriendBook friends;
        const auto kp = testKeyPair(9);
        friends.setAlias(hexOf(kp), QStringLiteral("Alice"));
        ConnectDialog d(&friends);
        d.setKeyText(QString::fromStdString(peerport::crypto::peerport_url(kp.public_key)));
        QVERIFY(d.isInputValid());
        QCOMPARE(d.name(), QStringLiteral("Alice"));
        QCOMPARE(d.hexKey(), hexOf(kp));
    }

    void connectLocalPortValidation()
    {
        FriendBook friends;
        ConnectDialog d(&friends);
        d.setKeyText(hexOf(testKeyPair(1)));
        auto* port = d.findChild<QLineEdit*>(QStringLiteral("localPort"));
        QVERIFY(d.isInputValid());  // empty: auto
        QCOMPARE(d.request().port, quint16(0));
        port->setText(QStringLiteral("70000"));
        QVERIFY(!d.isInputValid());
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost));
        const quint16 taken = busy.serverPort();
        port->setText(QString::number(taken));
        QVERIFY(!d.isInputValid());
        QVERIFY(d.validationMessage().contains(QString::number(taken)));
        port->setText(QStringLiteral("1x"));
        QVERIFY(!d.isInputValid());
    }

    void relayListAcceptsKeysAndNamesTheBadOne()
    {
        const auto a = testKeyPair(3), b = testKeyPair(4);
        const QString z32 = QString::fromStdString(peerport::crypto::z32_encode(b.public_key));
        auto ok = parseRelayList(hexOf(a) + QStringLiteral(", ") + z32 + QStringLiteral(" "));
        QVERIFY(ok.ok());
        QCOMPARE(ok->size(), std::size_t(2));
        QVERIFY((*ok)[0] == a.public_key);
        QVERIFY((*ok)[1] == b.public_key);
        QVERIFY(parseRelayList(QString()).ok());
        auto bad = parseRelayList(hexOf(a) + QStringLiteral(",not-a-key"));
        QVERIFY(!bad.ok());
        const QString msg = QString::fromStdString(bad.error().message);
        QVERIFY2(msg.contains(QStringLiteral("not-a-key")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("hex")), qPrintable(msg));
    }
};

QTEST_MAIN(TestDialogs)
#include "test_dialogs.moc"
