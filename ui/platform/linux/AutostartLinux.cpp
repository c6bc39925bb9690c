// XDG autostart (freedesktop "Desktop Application Autostart Specification"): a .desktop file in
// $XDG_CONFIG_HOME/autostart.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include "../Autostart.h"

namespace PeerPort::Autostart {

namespace {
QString quoteArg(const QString& a) {
  QString q = a;
  q.replace(QLatin1String("\\"), QLatin1String("\\\\"))
      .replace(QLatin1String("\""), QLatin1String("\\\""));
  return a.contains(QLatin1Char(' ')) || a.contains(QLatin1Char('"'))
             ? QStringLiteral("\"%1\"").arg(q)
             : q;
}
}  // namespace

QString location() {
  return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
         QStringLiteral("/autostart/io.github.peerport.PeerPort.desktop");
}

bool isEnabled() {
  return QFile::exists(location());
}

bool setEnabled(bool enabled, const QStringList& arguments, QString* error) {
  const QString path = location();
  if (!enabled) {
    if (QFile::exists(path) && !QFile::remove(path)) {
      if (error)
        *error = QCoreApplication::translate("PeerPort::Autostart", "Cannot remove %1").arg(path);
      return false;
    }
    return true;
  }
  QDir().mkpath(QFileInfo(path).absolutePath());
  QStringList exec{quoteArg(QCoreApplication::applicationFilePath())};
  for (const QString& a : arguments) exec << quoteArg(a);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
    if (error)
      *error = QCoreApplication::translate("PeerPort::Autostart", "Cannot write %1: %2")
                   .arg(path, f.errorString());
    return false;
  }
  const QString text = QStringLiteral(
                           "[Desktop Entry]\n"
                           "Type=Application\n"
                           "Name=PeerPort\n"
                           "Comment=Share a local port with a friend, peer to peer\n"
                           "Exec=%1\n"
                           "Icon=io.github.peerport.PeerPort\n"
                           "Terminal=false\n"
                           "X-GNOME-Autostart-enabled=true\n")
                           .arg(exec.join(QLatin1Char(' ')));
  f.write(text.toUtf8());
  return true;
}

}  // namespace PeerPort::Autostart
