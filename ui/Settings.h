#pragma once
// The one typed settings registry: every setting's key, default and scope in one
// table below, read and written through SettingsStore. Secrets never go here; they live in the
// keychain (SecretStore).

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QVariant>
#include <memory>

namespace PeerPort {

enum class SettingScope {
  Network,  // read when the engine starts
  Desktop,  // how the app behaves on this desktop
  Window,   // remembered window state
};

template <class T>
struct SettingKey {
  const char* key;
  T fallback;
  SettingScope scope;
};

namespace Settings {
// clang-format off
inline const SettingKey<QString>    bootstrap      {"network/bootstrap",      QString(), SettingScope::Network};  // empty: public HyperDHT
inline const SettingKey<bool>       useRelays      {"network/useRelays",      true,      SettingScope::Network};
inline const SettingKey<QString>    relays         {"network/relays",         QString(), SettingScope::Network};  // keys, comma-separated
inline const SettingKey<bool>       relayForOthers {"network/relayForOthers", false,     SettingScope::Network};
inline const SettingKey<int>        bindPort       {"network/bindPort",       0,         SettingScope::Network};
inline const SettingKey<QString>    language       {"desktop/language",       QString(), SettingScope::Desktop};  // empty: system
inline const SettingKey<bool>       startAtLogin   {"desktop/startAtLogin",   false,     SettingScope::Desktop};
inline const SettingKey<bool>       startMinimized {"desktop/startMinimized", false,     SettingScope::Desktop};
inline const SettingKey<bool>       notifyOnPeer   {"desktop/notifyOnPeer",   true,      SettingScope::Desktop};
// Failures, each switchable on its own (Settings → Notifications).
inline const SettingKey<bool>       notifyRefused  {"desktop/notifyRefused",  true,      SettingScope::Desktop};  // ours turned someone away, or a friend's refused us
inline const SettingKey<bool>       notifyServiceDown{"desktop/notifyServiceDown", true, SettingScope::Desktop};
inline const SettingKey<bool>       notifyPortInUse{"desktop/notifyPortInUse",true,      SettingScope::Desktop};
inline const SettingKey<bool>       notifyRelayOnly{"desktop/notifyRelayOnly",true,      SettingScope::Desktop};
inline const SettingKey<bool>       closeHintShown {"desktop/closeHintShown", false,     SettingScope::Desktop};
// The user dismissed the keychain warning: use the file without asking the keyring at start.
inline const SettingKey<bool>       keychainDismissed{"desktop/keychainDismissed", false, SettingScope::Desktop};
inline const SettingKey<QByteArray> geometry       {"window/geometry",        QByteArray(), SettingScope::Window};
inline const SettingKey<QByteArray> splitterState  {"window/splitter",        QByteArray(), SettingScope::Window};
// clang-format on
}  // namespace Settings

class SettingsStore {
 public:
  // An INI file; the profile directory is created by the caller.
  explicit SettingsStore(const QString& filePath);

  template <class T>
  T get(const SettingKey<T>& s) const {
    return m_settings->value(QLatin1String(s.key), QVariant::fromValue(s.fallback))
        .template value<T>();
  }
  template <class T>
  void set(const SettingKey<T>& s, const T& value) {
    m_settings->setValue(QLatin1String(s.key), QVariant::fromValue(value));
  }

  // For the list sections (shares, connections, friends) kept by Persistence.
  QSettings& raw() { return *m_settings; }
  void sync() { m_settings->sync(); }

 private:
  std::unique_ptr<QSettings> m_settings;
};

}  // namespace PeerPort
