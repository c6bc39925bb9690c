#pragma once
// One instance per profile: the first one listens on a QLocalServer named from the profile path;
// a second launch connects, sends its request ("show" by default) and exits.

#include <QObject>
#include <QString>
#include <functional>

class QLocalServer;

namespace PeerPort {

// Sends the one reply line for a received message.
using InstanceResponder = std::function<void(const QString&)>;

class SingleInstance : public QObject {
  Q_OBJECT

 public:
  SingleInstance(const QString& name, QObject* parent = nullptr);
  ~SingleInstance() override;

  // True if another instance answered; it got `message` and its reply is in *reply.
  static bool sendToRunning(const QString& name, const QString& message, QString* reply,
                            int timeoutMs = 3000);
  // Becomes the instance for this name (removing a stale socket left by a crash).
  bool listen();

 signals:
  // `respond` must be called once with the reply line.
  void messageReceived(const QString& message, const PeerPort::InstanceResponder& respond);

 private:
  QString m_name;
  QLocalServer* m_server = nullptr;
};

}  // namespace PeerPort
