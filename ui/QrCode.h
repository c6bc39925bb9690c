#pragma once
// QR codes through libqrencode, drawn as a crisp black-on-white image.

#include <QDialog>
#include <QImage>
#include <QString>

namespace PeerPort {

// The QR code of `text`, `scale` pixels per module, with a 4-module quiet zone; null on failure.
QImage qrImage(const QString& text, int scale);

class QrDialog : public QDialog {
  Q_OBJECT

 public:
  QrDialog(const QString& title, const QString& text, QWidget* parent = nullptr);
};

}  // namespace PeerPort
