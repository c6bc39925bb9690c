#pragma once
// Key text for the UI: validation with the core parser's own message, short forms for tables,
// and the commands other HyperDHT tools take. Wraps crypto/key_text.hpp so widgets stay Qt-only.

#include <QString>

namespace PeerPort::KeyText {

struct Check {
  bool ok = false;
  QString hexKey;       // the public key as hex when ok
  bool secret = false;  // the text holds a secret (hs://s000...): keep it out of plain settings
  QString error;        // what is wrong, translated, listing the accepted formats, when not ok
};

Check check(const QString& text);
// "ab12cd…ef90" for tables, from a hex key.
QString shortKey(const QString& hexKey);
bool isHexKey(const QString& text);
// peerport://<z32> from a hex key; empty if it is not one.
QString peerportLink(const QString& hexKey);
// hypertele -p <localport> -s <hexkey>
QString hyperteleCommand(const QString& hexKey, quint16 localPort);
// holesail <hs url>
QString holesailCommand(const QString& hsUrl);

}  // namespace PeerPort::KeyText
