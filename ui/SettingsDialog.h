#pragma once
// Settings: network (bootstrap nodes, relays), desktop (language, start at login, start
// minimized, notifications) and the identity (its public key, where its secret is kept).

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace PeerPort {

class AppController;

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SettingsDialog(AppController* app, QWidget* parent = nullptr);

  // Language codes with a translation, "" first for the system language.
  static QStringList languages();
  static QString languageName(const QString& code);

 public slots:
  void accept() override;

 private:
  AppController* m_app;
  QLineEdit* m_bootstrap;
  QCheckBox* m_relays;
  QLineEdit* m_relayList;
  QCheckBox* m_relayForOthers;
  QComboBox* m_language;
  QCheckBox* m_startAtLogin;
  QCheckBox* m_startMinimized;
  QCheckBox* m_notify;
  QCheckBox* m_notifyRefused;
  QCheckBox* m_notifyServiceDown;
  QCheckBox* m_notifyPortInUse;
  QCheckBox* m_notifyRelayOnly;
  QLabel* m_message;
};

}  // namespace PeerPort
