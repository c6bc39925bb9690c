#pragma once
// The one class that owns the system tray icon: its icon (idle / sharing / active /
// error), its tooltip with totals, its menu and its notifications.

#include <QObject>

class QMenu;
class QSystemTrayIcon;

namespace PeerPort {

class AppController;

class TrayIcon : public QObject {
  Q_OBJECT

 public:
  explicit TrayIcon(AppController* app, QObject* parent = nullptr);
  ~TrayIcon() override;

  static bool isAvailable();
  bool isVisible() const;
  void show();
  void notify(const QString& title, const QString& text);
  QString toolTip() const;
  QString iconName() const { return m_iconName; }
  // After a language change: the tooltip and the menu in the new language.
  void retranslate() {
    rebuildMenu();
    refresh();
  }

 signals:
  void showWindowRequested();
  void quitRequested();

 private:
  void refresh();
  void rebuildMenu();

  AppController* m_app;
  QSystemTrayIcon* m_tray;
  QMenu* m_menu;
  QString m_iconName;
  bool m_hasError = false;
};

}  // namespace PeerPort
