#include "KeyText.h"

#include <QCoreApplication>
#include <algorithm>

#include "common/bytes.hpp"
#include "crypto/key_text.hpp"

namespace PeerPort::KeyText {

Check check(const QString& text) {
  Check c;
  auto parsed = peerport::crypto::parse_key(text.toStdString());
  if (!parsed) {
    // Our own translated sentence, from the shape of what was typed: the core's message is
    // English and for logs.
    const QString t = text.trimmed();
    auto tr = [](const char* s) { return QCoreApplication::translate("PeerPort::KeyText", s); };
    if (t.isEmpty()) {
      c.error = tr("Paste the key or link your friend sent.");
    } else if (t.startsWith(QLatin1String("hs://"), Qt::CaseInsensitive) ||
               t.startsWith(QLatin1String("peerport://"), Qt::CaseInsensitive)) {
      c.error =
          tr("This link is incomplete or damaged. Copy the whole link again from your friend's "
             "message; PeerPort "
             "accepts 64 hex characters, a 52-character z32 key, or an hs:// or peerport:// link.");
    } else {
      c.error =
          tr("This is not a key PeerPort understands. Paste 64 hex characters, a 52-character z32 "
             "key, "
             "or an hs:// or peerport:// link.");
    }
    return c;
  }
  c.ok = true;
  c.hexKey = QString::fromStdString(peerport::to_hex(parsed->public_key));
  c.secret = parsed->key_pair.has_value();
  return c;
}

bool isHexKey(const QString& text) {
  if (text.size() != 64) return false;
  return std::all_of(text.begin(), text.end(), [](QChar ch) {
    return ch.isDigit() || (ch.toLower() >= QLatin1Char('a') && ch.toLower() <= QLatin1Char('f'));
  });
}

QString shortKey(const QString& hexKey) {
  if (hexKey.size() <= 12) return hexKey;
  return hexKey.left(6) + QStringLiteral("…") + hexKey.right(4);
}

QString peerportLink(const QString& hexKey) {
  auto bytes = peerport::from_hex(hexKey.toStdString());
  if (!bytes || bytes->size() != peerport::crypto::kPublicKeyBytes) return {};
  peerport::crypto::PublicKey key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return QString::fromStdString(peerport::crypto::peerport_url(key));
}

QString hyperteleCommand(const QString& hexKey, quint16 localPort) {
  return QStringLiteral("hypertele -p %1 -s %2").arg(localPort).arg(hexKey);
}

QString holesailCommand(const QString& hsUrl) {
  return QStringLiteral("holesail %1").arg(hsUrl);
}

}  // namespace PeerPort::KeyText
