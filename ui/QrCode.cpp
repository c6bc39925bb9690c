#include "QrCode.h"

#include <qrencode.h>

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace PeerPort {

QImage qrImage(const QString& text, int scale) {
  const QByteArray utf8 = text.toUtf8();
  QRcode* code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) return {};
  const int quiet = 4;
  const int n = code->width;
  QImage img((n + 2 * quiet) * scale, (n + 2 * quiet) * scale, QImage::Format_RGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setPen(Qt::NoPen);
  p.setBrush(Qt::black);
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (code->data[y * n + x] & 1)
        p.drawRect((x + quiet) * scale, (y + quiet) * scale, scale, scale);
    }
  }
  p.end();
  QRcode_free(code);
  return img;
}

QrDialog::QrDialog(const QString& title, const QString& text, QWidget* parent) : QDialog(parent) {
  setWindowTitle(title);
  auto* image = new QLabel(this);
  image->setAlignment(Qt::AlignCenter);
  const qreal dpr = devicePixelRatioF();
  QImage img = qrImage(text, static_cast<int>(6 * dpr));
  img.setDevicePixelRatio(dpr);
  image->setPixmap(QPixmap::fromImage(img));
  image->setAccessibleName(tr("QR code of %1").arg(text));
  auto* label = new QLabel(text, this);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  label->setWordWrap(true);
  label->setAlignment(Qt::AlignCenter);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  auto* copy = buttons->addButton(tr("&Copy link"), QDialogButtonBox::ActionRole);
  copy->setObjectName(QStringLiteral("copyLink"));
  copy->setToolTip(tr("Copy the link to the clipboard"));
  connect(copy, &QPushButton::clicked, this, [copy, text] {
    QApplication::clipboard()->setText(text);
    // Feedback where the user looks: the button says it worked, then goes back.
    copy->setText(tr("Copied"));
    QTimer::singleShot(2000, copy, [copy] { copy->setText(tr("&Copy link")); });
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(
      new QLabel(tr("Your friend can scan this with a phone's camera and send the link to their "
                    "computer, or you "
                    "can send the link below; they paste it in PeerPort's Connect dialog:"),
                 this));
  layout->addWidget(image);
  layout->addWidget(label);
  layout->addWidget(buttons);
}

}  // namespace PeerPort
