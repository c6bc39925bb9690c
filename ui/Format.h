#pragma once
// Numbers for people: rates, byte counts, enum names.

#include <QColor>
#include <QString>

#include "EngineTypes.h"

namespace PeerPort::Format {

QString rate(double bytesPerSecond);     // "1.2 MB/s"
QString bytes(quint64 count);            // "3.4 GB"
QString upDown(double up, double down);  // "↑ 1.2 kB/s ↓ 0 B/s"
QString protocol(Protocol p);
QString access(Access a);
QString nat(NatKind n);
// Status text colors readable on the current palette's base, light or dark (Fusion dark too).
QColor goodColor();
QColor badColor();

}  // namespace PeerPort::Format
