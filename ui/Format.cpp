#include "Format.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace PeerPort::Format {

namespace {
QString scaled(double v, const char* const* units, int count) {
  int u = 0;
  while (v >= 1000.0 && u < count - 1) {
    v /= 1000.0;
    ++u;
  }
  const int decimals = (u == 0 || v >= 100.0) ? 0 : 1;
  return QLocale().toString(v, 'f', decimals) + QLatin1Char(' ') + QLatin1String(units[u]);
}
}  // namespace

QString rate(double bytesPerSecond) {
  static const char* const units[] = {"B/s", "kB/s", "MB/s", "GB/s"};
  return scaled(bytesPerSecond < 0 ? 0 : bytesPerSecond, units, 4);
}

QString bytes(quint64 count) {
  static const char* const units[] = {"B", "kB", "MB", "GB", "TB"};
  return scaled(static_cast<double>(count), units, 5);
}

QString upDown(double up, double down) {
  return QStringLiteral("↑ %1  ↓ %2").arg(rate(up), rate(down));
}

QString protocol(Protocol p) {
  return p == Protocol::Udp ? QStringLiteral("UDP") : QStringLiteral("TCP");
}

QString access(Access a) {
  switch (a) {
    case Access::Public:
      return QCoreApplication::translate("PeerPort::Format", "Public");
    case Access::AllowList:
      return QCoreApplication::translate("PeerPort::Format", "Allow-list");
    case Access::Private:
      return QCoreApplication::translate("PeerPort::Format", "Private");
  }
  return {};
}

QString nat(NatKind n) {
  switch (n) {
    case NatKind::Unknown:
      return QCoreApplication::translate("PeerPort::Format", "unknown");
    case NatKind::Open:
      return QCoreApplication::translate("PeerPort::Format", "open (no NAT)");
    case NatKind::Consistent:
      return QCoreApplication::translate("PeerPort::Format", "consistent NAT");
    case NatKind::Random:
      return QCoreApplication::translate("PeerPort::Format", "random NAT");
    case NatKind::Firewalled:
      return QCoreApplication::translate("PeerPort::Format", "firewalled");
    case NatKind::Offline:
      return QCoreApplication::translate("PeerPort::Format", "offline");
    case NatKind::UdpBlocked:
      return QCoreApplication::translate("PeerPort::Format", "UDP blocked");
  }
  return {};
}

namespace {
bool darkBase() {
  return QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}
}  // namespace

QColor goodColor() {
  return darkBase() ? QColor(0x6b, 0xd4, 0x7e) : QColor(0x26, 0x8b, 0x3c);
}

QColor badColor() {
  return darkBase() ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
}

}  // namespace PeerPort::Format
