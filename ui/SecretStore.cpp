#include "SecretStore.h"

#include <qt6keychain/keychain.h>

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>
#include <memory>
#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

namespace PeerPort {

SecretStore::SecretStore(const Profile& profile, int timeoutMs, QObject* parent)
    : QObject(parent), m_profile(profile), m_timeoutMs(timeoutMs) {}

QString SecretStore::value(const QString& name) const {
  return m_data.value(name).toString();
}

void SecretStore::setValue(const QString& name, const QString& value) {
  if (m_data.value(name).toString() == value) return;
  m_data.insert(name, value);
  save();
}

void SecretStore::remove(const QString& name) {
  if (!m_data.contains(name)) return;
  m_data.remove(name);
  save();
}

void SecretStore::loadFromFileOnly() {
  fallBackToFile([] { return tr("The keychain is not used in this session."); });
  emit loaded();
}

void SecretStore::load() {
  read(false);
}

void SecretStore::retryKeychain() {
  read(true);
}

void SecretStore::read(bool retry) {
  auto* job = new QKeychain::ReadPasswordJob(QLatin1String(kService), this);
  job->setKey(m_profile.keychainKey());
  job->setAutoDelete(true);
  const quint64 generation = ++m_generation;
  auto done = std::make_shared<bool>(false);

  QTimer::singleShot(m_timeoutMs, this, [this, done, retry] {
    if (*done) return;
    *done = true;
    ++m_generation;
    fallBackToFile([seconds = m_timeoutMs / 1000] {
      return tr("The system keychain did not answer within %1 seconds (it may be locked).")
          .arg(seconds);
    });
    if (!retry) emit loaded();
  });
  connect(job, &QKeychain::Job::finished, this, [this, job, done, generation, retry] {
    if (*done || generation != m_generation) return;
    *done = true;
    if (job->error() == QKeychain::NoError) {
      QJsonObject stored = QJsonDocument::fromJson(job->textData().toUtf8()).object();
      if (retry) {
        for (auto it = m_data.begin(); it != m_data.end(); ++it)
          stored.insert(it.key(), it.value());
      }
      m_data = stored;
      m_backend = Backend::Keychain;
      m_reason = nullptr;
      if (retry) save();
    } else if (job->error() == QKeychain::EntryNotFound) {
      m_backend = Backend::Keychain;
      m_reason = nullptr;
      // Secrets saved to the fallback file while the keychain was away move into it now.
      if (readFile() || retry) {
        save();
      }
    } else if (job->error() == QKeychain::AccessDeniedByUser) {
      fallBackToFile([] {
        return tr(
            "You cancelled the keychain prompt, so PeerPort keeps its key in a file instead.");
      });
    } else {
      fallBackToFile([why = job->errorString()] {
        return tr("The system keychain is not available (%1).").arg(why);
      });
    }
    emit backendChanged();
    if (!retry) emit loaded();
  });
  job->start();
}

// The reason is kept as a function and the warning composed when asked for, so it speaks the
// language in use then (the user may switch languages after the keychain failed).
QString SecretStore::warning() const {
  if (!m_reason) return {};
  return m_reason() + QLatin1Char(' ') +
         tr("Your private key is stored in %1, readable only by you. To move it into the "
            "keychain (for example GNOME Keyring or KWallet), unlock it and choose Retry keychain.")
             .arg(m_profile.secretsFallbackFile());
}

void SecretStore::fallBackToFile(std::function<QString()> reason) {
  m_backend = Backend::File;
  m_reason = std::move(reason);
  readFile();
  emit backendChanged();
}

void SecretStore::save() {
  const QByteArray json = QJsonDocument(m_data).toJson(QJsonDocument::Compact);
  if (m_backend == Backend::File || m_backend == Backend::Loading) {
    QString error;
    if (!writeFile(&error)) qWarning("PeerPort: %s", qPrintable(error));
    return;
  }
  auto* job = new QKeychain::WritePasswordJob(QLatin1String(kService), this);
  job->setKey(m_profile.keychainKey());
  job->setTextData(QString::fromUtf8(json));
  job->setAutoDelete(true);
  auto done = std::make_shared<bool>(false);
  QTimer::singleShot(m_timeoutMs, this, [this, done] {
    if (*done) return;
    *done = true;
    fallBackToFile([] { return tr("The system keychain stopped answering."); });
    QString error;
    writeFile(&error);
  });
  connect(job, &QKeychain::Job::finished, this, [this, job, done] {
    if (*done) return;
    *done = true;
    if (job->error() != QKeychain::NoError) {
      fallBackToFile([why = job->errorString()] {
        return tr("The system keychain refused to store the key (%1).").arg(why);
      });
      QString error;
      writeFile(&error);
      return;
    }
    QFile::remove(m_profile.secretsFallbackFile());  // the keychain holds it now
  });
  job->start();
}

bool SecretStore::readFile() {
  QFile f(m_profile.secretsFallbackFile());
  if (!f.open(QIODevice::ReadOnly)) return false;
  const QJsonObject file = QJsonDocument::fromJson(f.readAll()).object();
  for (auto it = file.begin(); it != file.end(); ++it) {
    if (!m_data.contains(it.key())) m_data.insert(it.key(), it.value());
  }
  return !file.isEmpty();
}

bool SecretStore::writeFile(QString* error) {
  // Written beside the old file, synced, then renamed over it, and the directory synced:
  // at every instant a crash leaves either the old identity or the new one, never none
  // (the old file is never removed first).
  const QString path = m_profile.secretsFallbackFile();
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    *error = tr("Cannot write %1: %2").arg(path, f.errorString());
    return false;
  }
  // Owner-only before a secret byte is written.
  f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  f.write(QJsonDocument(m_data).toJson(QJsonDocument::Indented));
  bool synced = f.flush();
#ifdef Q_OS_UNIX
  synced = synced && ::fsync(f.handle()) == 0;
#endif
  if (!synced) {
    f.cancelWriting();
    *error = tr("Cannot write %1: %2").arg(path, f.errorString());
    return false;
  }
  if (!f.commit()) {
    *error = tr("Cannot replace %1: %2").arg(path, f.errorString());
    return false;
  }
#ifdef Q_OS_UNIX
  const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
  const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // the rename itself must reach the disk
    ::close(fd);
  }
#endif
  return true;
}

}  // namespace PeerPort
