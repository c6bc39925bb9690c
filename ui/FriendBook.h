#pragma once
// Friends: an address book of aliases for public keys (hex), shown wherever a key would be.

#include <QMap>
#include <QObject>
#include <QString>

class QSettings;

namespace PeerPort {

class FriendBook : public QObject {
  Q_OBJECT

 public:
  explicit FriendBook(QObject* parent = nullptr);

  // Alias for the key, or empty.
  QString alias(const QString& hexKey) const;
  // The alias, else a short form of the key.
  QString displayName(const QString& hexKey) const;
  void setAlias(const QString& hexKey, const QString& alias);  // empty alias removes
  void remove(const QString& hexKey);
  const QMap<QString, QString>& entries() const { return m_aliases; }

  void load(QSettings& settings);
  void save(QSettings& settings) const;

 signals:
  void changed();

 private:
  QMap<QString, QString> m_aliases;  // lower-case hex key -> alias
};

}  // namespace PeerPort
