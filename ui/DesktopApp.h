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
//   close            -> closes the main window as the user would
//   quit             -> the normal quit sequence
// Without the variable only "show" (raise the window) is accepted.

#include <QObject>
#include <QString>

#include "AppController.h"

namespace PeerPort {

class MainWindow;
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

private:
    QString handleMessage(const QString& message, const std::function<void(const QString&)>& respond);

    Options m_options;
    AppController* m_app;
    MainWindow* m_window;
    TrayIcon* m_tray = nullptr;
    bool m_quitting = false;
};

}  // namespace PeerPort
