#pragma once
// "My key": this computer's identity key, the one friends put on a share's allow-list, made easy
// to send: the key as text, a Copy button that says it copied, and a QR code of it.

#include <QDialog>

class QPushButton;

namespace PeerPort {

class MyKeyDialog : public QDialog {
  Q_OBJECT

 public:
  MyKeyDialog(const QString& hexKey, QWidget* parent = nullptr);

 private:
  QPushButton* m_copy;
};

}  // namespace PeerPort
