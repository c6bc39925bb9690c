#pragma once
// One share's people: who is connected now (alias or key, since when) and the log of refused
// attempts, with "Allow" to add a refused key to an allow-list share and "Copy key"; "Block" takes
// a connected friend off an allow-list share's list (the share restarts, which drops them);
// "Name…" adds a connected or refused key to Friends.

#include <QDialog>

class QPushButton;
class QTableWidget;

namespace PeerPort {

class AppController;

class PeersDialog : public QDialog {
    Q_OBJECT

public:
    PeersDialog(AppController* app, int shareRow, QWidget* parent = nullptr);

private:
    void reload();
    QString selectedRefusedKey() const;
    QString selectedConnectedKey() const;
    void updateBlock();

    AppController* m_app;
    int m_row;
    QTableWidget* m_connected;
    QTableWidget* m_refused;
    QPushButton* m_allow;
    QPushButton* m_copy;
    QPushButton* m_block;
    QPushButton* m_name;
};

}  // namespace PeerPort
