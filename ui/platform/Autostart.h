#pragma once
// Start at login. One implementation per OS (platform/<os>/Autostart*.cpp), chosen by CMake:
// an XDG autostart .desktop file on Linux, the HKCU Run key on Windows, a LaunchAgent on macOS.

#include <QString>
#include <QStringList>

namespace PeerPort::Autostart {

// `arguments` are added to the program's own path (e.g. --minimized, --profile DIR).
bool isEnabled();
bool setEnabled(bool enabled, const QStringList& arguments, QString* error);
// Where the entry lives, for messages and tests.
QString location();

}  // namespace PeerPort::Autostart
