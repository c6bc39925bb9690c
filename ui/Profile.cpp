#include "Profile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace PeerPort {

Profile Profile::resolve(const QString& commandLineDir) {
  Profile p;
  QString dir = commandLineDir;
  if (dir.isEmpty()) dir = qEnvironmentVariable("PEERPORT_PROFILE");
  p.m_isDefault = dir.isEmpty();
  if (dir.isEmpty()) {
    dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
          QStringLiteral("/peerport/desktop");
  }
  QDir().mkpath(dir);
  QFile::setPermissions(dir,
                        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  p.m_dir = QFileInfo(dir).canonicalFilePath();
  if (p.m_dir.isEmpty()) p.m_dir = QFileInfo(dir).absoluteFilePath();
  return p;
}

QString Profile::settingsFile() const {
  return m_dir + QStringLiteral("/peerport.ini");
}

QString Profile::secretsFallbackFile() const {
  return m_dir + QStringLiteral("/secrets.json");
}

QString Profile::instanceName() const {
  const QByteArray h = QCryptographicHash::hash(m_dir.toUtf8(), QCryptographicHash::Sha256).toHex();
  return QStringLiteral("peerport-") + QString::fromLatin1(h.left(16));
}

QString Profile::keychainKey() const {
  return QStringLiteral("secrets:") + m_dir;
}

}  // namespace PeerPort
