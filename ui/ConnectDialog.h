#pragma once
// "Connect…": paste a friend's key, validated as you type with the parser's own message; pick a
// local port (empty: a free one) and an optional alias for the friend book.

#include <QDialog>

#include "EngineTypes.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace PeerPort {

class FriendBook;

class ConnectDialog : public QDialog {
    Q_OBJECT

public:
    explicit ConnectDialog(FriendBook* friends, QWidget* parent = nullptr);

    void setKeyText(const QString& text);
    ConnectRequest request() const;
    QString hexKey() const { return m_hexKey; }
    QString alias() const;
    bool isInputValid() const { return m_validation.isEmpty(); }
    QString validationMessage() const { return m_validation; }

public slots:
    void accept() override;

private:
    void validate();

    FriendBook* m_friends;
    QLineEdit* m_key;
    QLineEdit* m_port;
    QLineEdit* m_alias;
    QLabel* m_message;
    QLabel* m_keyInfo;
    QDialogButtonBox* m_buttons;
    QString m_hexKey;
    QString m_validation;
};

}  // namespace PeerPort
