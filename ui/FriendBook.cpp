#include "FriendBook.h"

#include <QSettings>

#include "KeyText.h"

namespace PeerPort {

FriendBook::FriendBook(QObject* parent) : QObject(parent) {}

QString FriendBook::alias(const QString& hexKey) const {
  return m_aliases.value(hexKey.toLower());
}

QString FriendBook::displayName(const QString& hexKey) const {
  const QString a = alias(hexKey);
  return a.isEmpty() ? KeyText::shortKey(hexKey) : a;
}

void FriendBook::setAlias(const QString& hexKey, const QString& alias) {
  const QString key = hexKey.toLower();
  const QString trimmed = alias.trimmed();
  if (trimmed.isEmpty()) {
    remove(key);
    return;
  }
  if (m_aliases.value(key) == trimmed) return;
  m_aliases.insert(key, trimmed);
  emit changed();
}

void FriendBook::remove(const QString& hexKey) {
  if (m_aliases.remove(hexKey.toLower()) > 0) emit changed();
}

void FriendBook::load(QSettings& settings) {
  m_aliases.clear();
  const int n = settings.beginReadArray(QStringLiteral("friends"));
  for (int i = 0; i < n; ++i) {
    settings.setArrayIndex(i);
    const QString key = settings.value(QStringLiteral("key")).toString().toLower();
    const QString name = settings.value(QStringLiteral("alias")).toString();
    if (KeyText::isHexKey(key) && !name.isEmpty()) m_aliases.insert(key, name);
  }
  settings.endArray();
  emit changed();
}

void FriendBook::save(QSettings& settings) const {
  settings.remove(QStringLiteral("friends"));
  settings.beginWriteArray(QStringLiteral("friends"), static_cast<int>(m_aliases.size()));
  int i = 0;
  for (auto it = m_aliases.begin(); it != m_aliases.end(); ++it, ++i) {
    settings.setArrayIndex(i);
    settings.setValue(QStringLiteral("key"), it.key());
    settings.setValue(QStringLiteral("alias"), it.value());
  }
  settings.endArray();
}

}  // namespace PeerPort
