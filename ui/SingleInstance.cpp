#include "SingleInstance.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>
#include <functional>

namespace PeerPort {

SingleInstance::SingleInstance(const QString& name, QObject* parent)
    : QObject(parent), m_name(name) {}

SingleInstance::~SingleInstance() = default;

bool SingleInstance::sendToRunning(const QString& name, const QString& message, QString* reply,
                                   int timeoutMs) {
  QLocalSocket socket;
  socket.connectToServer(name);
  if (!socket.waitForConnected(500)) return false;
  socket.write(message.toUtf8() + '\n');
  socket.flush();
  QByteArray answer;
  while (!answer.contains('\n') && socket.waitForReadyRead(timeoutMs)) answer += socket.readAll();
  if (reply) *reply = QString::fromUtf8(answer).trimmed();
  return true;
}

bool SingleInstance::listen() {
  m_server = new QLocalServer(this);
  m_server->setSocketOptions(QLocalServer::UserAccessOption);
  if (!m_server->listen(m_name)) {
    // A socket file left by a crashed instance: nobody answered on it, so take it over.
    QLocalServer::removeServer(m_name);
    if (!m_server->listen(m_name)) return false;
  }
  connect(m_server, &QLocalServer::newConnection, this, [this] {
    while (QLocalSocket* s = m_server->nextPendingConnection()) {
      connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
      connect(s, &QLocalSocket::readyRead, this, [this, s] {
        if (!s->canReadLine()) return;
        const QString line = QString::fromUtf8(s->readLine()).trimmed();
        QPointer<QLocalSocket> guard(s);
        emit messageReceived(line, [guard](const QString& answer) {
          if (!guard) return;
          guard->write(answer.toUtf8() + '\n');
          guard->flush();
        });
      });
    }
  });
  return true;
}

}  // namespace PeerPort
