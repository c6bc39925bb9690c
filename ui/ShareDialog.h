#pragma once
// "Share port…": which local service to share and who may reach it. Validates as you type and
// warns (without blocking) when nothing listens on the port yet.

#include <QDialog>
#include <functional>

#include "EngineTypes.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTcpSocket;
class QTimer;

namespace PeerPort {

class FriendBook;

class ShareDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ShareDialog(FriendBook* friends, QWidget* parent = nullptr);

  // Called with the request before accepting; returns an error sentence or empty.
  void setDuplicateCheck(std::function<QString(const ShareRequest&)> check) {
    m_duplicateCheck = std::move(check);
  }
  void setRequest(const ShareRequest& request);
  // Editing an existing share: "Save" instead of "Share", and a note when the key would change.
  void setEditing(const ShareRequest& original);

  ShareRequest request() const;
  bool isInputValid() const;
  QString validationMessage() const;  // empty when valid
  QString probeWarning() const;       // empty unless the probe found nothing listening

 signals:
  // The service probe's answer for `port`: whether something accepted a connection there.
  void probed(quint16 port, bool listening);

 public slots:
  void accept() override;

 private:
  void validate();
  void scheduleProbe();
  void runProbe();
  void addAllowed();  // what the picker's field holds: a friend's name or a key
  void allowKey(const QString& hexKey);

  void fillFriends();

  FriendBook* m_friends;
  QLineEdit* m_name;
  QLineEdit* m_port;
  QLineEdit* m_host;
  QComboBox* m_protocol;
  QComboBox* m_access;
  QLabel* m_accessHelp;
  QWidget* m_allowBox;
  QListWidget* m_allowList;
  QComboBox* m_allowInput;  // pick a friend, or paste a key
  QPushButton* m_allowAdd;
  QPushButton* m_allowRemove;
  QLabel* m_message;
  QLabel* m_probeLabel;
  QLabel* m_keyNote;
  bool m_editing = false;
  ShareRequest m_original;
  QDialogButtonBox* m_buttons;
  QTimer* m_probeTimer;
  QTcpSocket* m_probe = nullptr;
  QString m_validation;
  bool m_touched = false;  // the user typed or pressed Share: only then is "enter a port" shown
  QString m_probeWarning;
  std::function<QString(const ShareRequest&)> m_duplicateCheck;
};

}  // namespace PeerPort
