#pragma once
// One share's people: who is connected now (alias or key, since when) and the log of refused
// attempts, with "Allow" to add a refused key to an allow-list share and "Copy key".

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

    AppController* m_app;
    int m_row;
    QTableWidget* m_connected;
    QTableWidget* m_refused;
    QPushButton* m_allow;
    QPushButton* m_copy;
};

}  // namespace PeerPort
