// Windows: a value under HKCU\Software\Microsoft\Windows\CurrentVersion\Run.
#include <QCoreApplication>
#include <QDir>
#include <QSettings>

#include "../Autostart.h"

namespace PeerPort::Autostart {

namespace {
const char* kRunKey = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
}

QString location() {
  return QString::fromLatin1(kRunKey) + QStringLiteral("\\PeerPort");
}

bool isEnabled() {
  QSettings run(QString::fromLatin1(kRunKey), QSettings::NativeFormat);
  return run.contains(QStringLiteral("PeerPort"));
}

bool setEnabled(bool enabled, const QStringList& arguments, QString* error) {
  QSettings run(QString::fromLatin1(kRunKey), QSettings::NativeFormat);
  if (!enabled) {
    run.remove(QStringLiteral("PeerPort"));
  } else {
    QStringList parts{QLatin1Char('"') +
                      QDir::toNativeSeparators(QCoreApplication::applicationFilePath()) +
                      QLatin1Char('"')};
    for (const QString& a : arguments)
      parts << (a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    run.setValue(QStringLiteral("PeerPort"), parts.join(QLatin1Char(' ')));
  }
  run.sync();
  if (run.status() != QSettings::NoError) {
    if (error)
      *error =
          QCoreApplication::translate("PeerPort::Autostart", "Cannot write %1").arg(location());
    return false;
  }
  return true;
}

}  // namespace PeerPort::Autostart
