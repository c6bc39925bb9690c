#include "MyKeyDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include "QrCode.h"

namespace PeerPort {

MyKeyDialog::MyKeyDialog(const QString& hexKey, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("My key"));
  setObjectName(QStringLiteral("myKeyDialog"));
  auto* intro = new QLabel(
      tr("Send this key to a friend whose share admits only listed friends. They add you "
         "under Friends and pick you in the share's allow-list. It is not a secret: it "
         "lets nobody in by itself."),
      this);
  intro->setWordWrap(true);
  auto* key = new QLineEdit(hexKey, this);
  key->setObjectName(QStringLiteral("myKey"));
  key->setReadOnly(true);
  key->setToolTip(tr("Your identity key (public)"));
  key->setMinimumWidth(key->fontMetrics().horizontalAdvance(hexKey) + 16);
  m_copy = new QPushButton(tr("&Copy"), this);
  m_copy->setObjectName(QStringLiteral("copyMyKey"));
  m_copy->setToolTip(tr("Copy your key to the clipboard"));
  connect(m_copy, &QPushButton::clicked, this, [this, hexKey] {
    QApplication::clipboard()->setText(hexKey);
    // Feedback where the user looks: the button says it worked, then goes back.
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(2000, m_copy, [this] { m_copy->setText(tr("&Copy")); });
  });
  auto* keyRow = new QHBoxLayout;
  keyRow->addWidget(key, 1);
  keyRow->addWidget(m_copy);

  auto* image = new QLabel(this);
  image->setObjectName(QStringLiteral("myKeyQr"));
  image->setAlignment(Qt::AlignCenter);
  const qreal dpr = devicePixelRatioF();
  QImage img = qrImage(hexKey, static_cast<int>(5 * dpr));
  img.setDevicePixelRatio(dpr);
  image->setPixmap(QPixmap::fromImage(img));
  image->setAccessibleName(tr("QR code of your key"));
  auto* scan = new QLabel(
      tr("Or let your friend scan this with a phone's camera and pass the text on."), this);
  scan->setWordWrap(true);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(keyRow);
  layout->addWidget(image);
  layout->addWidget(scan);
  layout->addWidget(buttons);
}

}  // namespace PeerPort
