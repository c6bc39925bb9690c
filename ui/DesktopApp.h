#pragma once
// DesktopApp: wires the controller, the main window, the tray and the single-instance socket
// together, and runs the quit sequence (engine stopped off the GUI thread, then the event loop
// ends). app/gui/main.cpp only parses the command line and hands over.
//
// Test hooks (PEERPORT_TEST_HOOKS=1 only; docs/architecture.md "Test hooks"): lines sent to the
// instance socket drive the same controller calls the dialogs make:
//   share PORT       -> AppController::addShare (public TCP share of 127.0.0.1:PORT)
//   connect KEY      -> AppController::addConnection
//   state            -> one line of JSON (identity, keychain backend, shares, connections, tray)
//   screenshot PATH  -> the main window, grabbed to a PNG
//   people ROW       -> opens the People dialog of share ROW (not modal, so hooks go on)
//   people-shot PATH -> that dialog, grabbed to a PNG
//   people-select KEY -> selects KEY's row there
//   people-disconnect KEY / people-block KEY -> selects KEY's row there and clicks Disconnect /
//                       Disconnect and block
//   resize W H       -> resizes the main window (narrow-layout screenshots)
//   language CODE    -> as if chosen in Settings (nb, es, en; "-" for the system's)
//   close            -> closes the main window as the user would
//   quit             -> the normal quit sequence
// Without the variable only "show" (raise the window) is accepted.

#include <QObject>
#include <QPointer>
#include <QString>

#include "AppController.h"

namespace PeerPort {

class MainWindow;
class PeersDialog;
class SingleInstance;
class TrayIcon;

class DesktopApp : public QObject {
  Q_OBJECT

 public:
  struct Options {
    bool startMinimized = false;
    bool testHooks = false;
    bool useKeychain = true;
  };

  DesktopApp(const Profile& profile, const Options& options, QObject* parent = nullptr);
  ~DesktopApp() override;

  // False if the instance socket cannot be created.
  bool start(SingleInstance* instance);
  void quit();
  // Shows the Connect dialog with this key or link filled in.
  void openLink(const QString& link);
  QString stateJson() const;

  // The main window (rebuilt when the language changes).
  MainWindow* window() const { return m_window; }
  AppController* controller() const { return m_app; }

 signals:
  // A notification that its switch in Settings let through (shown by the tray, if any).
  void notified(const QString& title, const QString& text);

 private:
  // Makes the main window and wires it to the app and the tray; used again after a language
  // change, since every label is set in the window's constructor.
  void createWindow();
  void applyLanguage(const QString& code);
  QString handleMessage(const QString& message, const std::function<void(const QString&)>& respond);

  Options m_options;
  AppController* m_app;
  MainWindow* m_window;
  QPointer<PeersDialog> m_people;  // opened by the "people" test hook
  TrayIcon* m_tray = nullptr;
  bool m_quitting = false;
};

}  // namespace PeerPort
