#pragma once
// Friends: people, each an identity key with a name. Allow-lists pick from them, and a share's
// people list names them. "My key…" shows our own key to send.

#include <QDialog>

class QTableWidget;

namespace PeerPort {

class FriendBook;

class FriendsDialog : public QDialog {
  Q_OBJECT

 public:
  FriendsDialog(FriendBook* friends, const QString& myKey, QWidget* parent = nullptr);

 private:
  void reload();
  void addFriend();

  FriendBook* m_friends;
  QString m_myKey;
  QTableWidget* m_table;
};

}  // namespace PeerPort
