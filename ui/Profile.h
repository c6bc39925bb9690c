#pragma once
// A profile: one directory holding one instance's settings, shares, connections and friends.
// `--profile DIR` or PEERPORT_PROFILE picks another one, so two instances can run side by side;
// the keychain entry and the single-instance socket are named from the profile's path.

#include <QString>

namespace PeerPort {

class Profile {
 public:
  // From the command-line value (may be empty), else PEERPORT_PROFILE, else the default
  // ($XDG_CONFIG_HOME/peerport/desktop). Creates the directory (0700).
  static Profile resolve(const QString& commandLineDir);

  QString dir() const { return m_dir; }
  bool isDefault() const { return m_isDefault; }
  QString settingsFile() const;
  QString secretsFallbackFile() const;  // used only when no keychain answers
  // Unique per profile path, short enough for a Unix socket name.
  QString instanceName() const;
  QString keychainKey() const;

 private:
  QString m_dir;
  bool m_isDefault = true;
};

}  // namespace PeerPort
