#include "Settings.h"

namespace PeerPort {

SettingsStore::SettingsStore(const QString& filePath)
    : m_settings(std::make_unique<QSettings>(filePath, QSettings::IniFormat)) {}

}  // namespace PeerPort
