// macOS: a LaunchAgent plist in ~/Library/LaunchAgents with RunAtLoad.
#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include "../Autostart.h"

namespace PeerPort::Autostart {

QString location() {
  return QDir::homePath() +
         QStringLiteral("/Library/LaunchAgents/io.github.peerport.PeerPort.plist");
}

bool isEnabled() {
  return QFile::exists(location());
}

bool setEnabled(bool enabled, const QStringList& arguments, QString* error) {
  const QString path = location();
  if (!enabled) {
    QFile::remove(path);
    return !QFile::exists(path);
  }
  QDir().mkpath(QDir::homePath() + QStringLiteral("/Library/LaunchAgents"));
  QString args = QStringLiteral("    <string>%1</string>\n")
                     .arg(QCoreApplication::applicationFilePath().toHtmlEscaped());
  for (const QString& a : arguments)
    args += QStringLiteral("    <string>%1</string>\n").arg(a.toHtmlEscaped());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    if (error)
      *error = QCoreApplication::translate("PeerPort::Autostart", "Cannot write %1: %2")
                   .arg(path, f.errorString());
    return false;
  }
  f.write(QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                         "<plist version=\"1.0\">\n<dict>\n"
                         "  <key>Label</key><string>io.github.peerport.PeerPort</string>\n"
                         "  <key>ProgramArguments</key>\n  <array>\n%1  </array>\n"
                         "  <key>RunAtLoad</key><true/>\n"
                         "</dict>\n</plist>\n")
              .arg(args)
              .toUtf8());
  return true;
}

}  // namespace PeerPort::Autostart
