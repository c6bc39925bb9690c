#pragma once
// "Connect…": paste a friend's key, validated as you type with the parser's own message; pick a
// local port (empty: a free one) and an optional name for the connection. Also "Edit connection":
// the key stays, the name and the local port change.

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
  QString name() const;
  // Editing a connection: the key is shown read-only, the button says "Save".
  void setEditing(const QString& keyText, const QString& name, quint16 localPort);
  bool isInputValid() const { return m_validation.isEmpty(); }
  QString validationMessage() const { return m_validation; }

 public slots:
  void accept() override;

 private:
  void validate();

  FriendBook* m_friends;
  QLineEdit* m_key;
  QLineEdit* m_port;
  QLineEdit* m_name;
  bool m_editing = false;
  quint16 m_originalPort = 0;  // an edited connection may keep the port it holds itself
  QLabel* m_message;
  QLabel* m_keyInfo;
  QDialogButtonBox* m_buttons;
  QString m_hexKey;
  QString m_validation;
};

}  // namespace PeerPort
