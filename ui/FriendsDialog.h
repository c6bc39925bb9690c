#pragma once
// Friends: the address book of aliases for keys, used in both tables.

#include <QDialog>

class QTableWidget;

namespace PeerPort {

class FriendBook;

class FriendsDialog : public QDialog {
    Q_OBJECT

public:
    explicit FriendsDialog(FriendBook* friends, QWidget* parent = nullptr);

private:
    void reload();
    void addFriend();

    FriendBook* m_friends;
    QTableWidget* m_table;
};

}  // namespace PeerPort
