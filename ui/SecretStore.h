#pragma once
// Secrets of one profile (the identity seed, private shares' secrets) in the OS keychain through
// QtKeychain, as one JSON entry per profile.
//
// QtKeychain has no availability check and no timeout: with a locked or absent keyring a job
// can hang. So every job runs asynchronously under our own timer; a keychain that errors or does
// not answer in time makes the store fall back to a 0600 file in the profile directory, and
// warning() says so in words the user can act on. When the keychain works again, the file is
// moved into it and deleted.

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <functional>

#include "Profile.h"

namespace PeerPort {

class SecretStore : public QObject {
  Q_OBJECT

 public:
  enum class Backend {
    Loading,
    Keychain,
    File,
  };

  static constexpr const char* kService = "io.github.peerport.PeerPort";

  SecretStore(const Profile& profile, int timeoutMs, QObject* parent = nullptr);

  // Reads the entry; emits loaded() once, whatever happens.
  void load();
  // After a fallback: asks the keychain again and, if it answers, moves what this session
  // holds into it (what we hold wins over an older keychain entry, so the identity in use
  // stays). Emits backendChanged(), not loaded().
  void retryKeychain();
  // Test hook / headless use: skip the keychain and use the file.
  void loadFromFileOnly();

  Backend backend() const { return m_backend; }
  // Why the key is in a file and what to do, in the current language; empty on the keychain.
  QString warning() const;
  QString value(const QString& name) const;
  // Stores and saves (asynchronously).
  void setValue(const QString& name, const QString& value);
  void remove(const QString& name);

 signals:
  void loaded();
  void backendChanged();

 private:
  void read(bool retry);
  void fallBackToFile(std::function<QString()> reason);
  void save();
  bool readFile();
  bool writeFile(QString* error);

  Profile m_profile;
  int m_timeoutMs;
  Backend m_backend = Backend::Loading;
  std::function<QString()> m_reason;  // set while the key lives in the file
  QJsonObject m_data;
  quint64 m_generation = 0;  // drops answers of jobs that timed out
};

}  // namespace PeerPort
