#pragma once
// The main window: shared ports, connections, the throughput chart and the status bar.

#include <QMainWindow>

class QAction;
class QLabel;
class QToolButton;
class QPushButton;
class QSplitter;
class QTableView;

namespace PeerPort {

class AppController;
class ThroughputChart;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(AppController* app, QWidget* parent = nullptr);

  // Where closing the window leaves the app: true keeps running in the tray.
  void setTrayAvailable(bool available) { m_trayAvailable = available; }
  void showShareDialog();
  void showConnectDialog(const QString& keyText = QString());
  void showEditShareDialog(int row);
  void showEditConnectionDialog(int row);
  void showAbout();
  void raiseWindow();
  void setWarning(const QString& text);
  // The keychain banner: the same place, with "Retry keychain" and "Dismiss".
  void setKeychainWarning(const QString& text);
  QString warningText() const;
  // Window size and splitter, kept for the next start however the app ends.
  void saveWindowState();
  // Asks first while something is shared or connected; emits quitRequested() if confirmed.
  void confirmQuit();
  QTableView* sharesView() const { return m_sharesView; }
  QTableView* connectionsView() const { return m_connectionsView; }

 signals:
  void quitRequested();
  void retryKeychainRequested();
  void keychainWarningDismissed();

 protected:
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void createActions();
  QWidget* createSharesPanel();
  QWidget* createConnectionsPanel();
  void updateStatusBar();
  void updateButtons();
  void updateChartSelection();
  // A secret (a private share's link, or a command holding it) is copied only after a
  // warning, and its text never reaches the status bar.
  // `done` is the status-bar sentence; %1 in it (not for secrets) is a short form of the text.
  void copyToClipboard(const QString& text, const QString& done, bool secret = false);
  void copyShareLink(int row);
  void updateEmptyHints();
  // At a narrow width (700 px, or longer words in nb/es) the Status column keeps room for its
  // text: the Key column gives way first (Copy key does the same), then Access.
  void fitShareColumns();
  int currentShareRow() const;
  int currentConnectionRow() const;

  AppController* m_app;
  bool m_trayAvailable = false;
  QTableView* m_sharesView = nullptr;
  QTableView* m_connectionsView = nullptr;
  ThroughputChart* m_chart = nullptr;
  QSplitter* m_splitter = nullptr;
  QWidget* m_banner = nullptr;
  QLabel* m_warning = nullptr;
  QPushButton* m_retryKeychain = nullptr;
  QPushButton* m_dismissWarning = nullptr;
  QLabel* m_sharesHint = nullptr;
  QLabel* m_connectionsHint = nullptr;
  QLabel* m_dhtLabel = nullptr;
  QToolButton* m_relayButton = nullptr;
  QLabel* m_natLabel = nullptr;
  QLabel* m_totalsLabel = nullptr;
  QAction* m_pauseAction = nullptr;
  QPushButton* m_copyKey = nullptr;
  QPushButton* m_qr = nullptr;
  QPushButton* m_copyHypertele = nullptr;
  QPushButton* m_copyHolesail = nullptr;
  QPushButton* m_copyCommand = nullptr;
  QPushButton* m_people = nullptr;
  QPushButton* m_shareEdit = nullptr;
  QPushButton* m_connEdit = nullptr;
  QPushButton* m_shareToggle = nullptr;
  QPushButton* m_shareRemove = nullptr;
  QPushButton* m_copyAddress = nullptr;
  QPushButton* m_openBrowser = nullptr;
  QPushButton* m_connToggle = nullptr;
  QPushButton* m_connRemove = nullptr;
};

}  // namespace PeerPort
