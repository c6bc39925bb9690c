#include "ThroughputChart.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "Format.h"

namespace PeerPort {

void RateHistory::Ring::push(Sample s) {
  samples[static_cast<std::size_t>(next)] = s;
  next = (next + 1) % kSamples;
  count = std::min(count + 1, kSamples);
}

RateHistory::Sample RateHistory::Ring::at(int age) const {
  if (age >= count) return {};
  const int i = (next - 1 - age + kSamples) % kSamples;
  return samples[static_cast<std::size_t>(i)];
}

void RateHistory::add(const StatsSnapshot& stats) {
  m_total.push({stats.rateOut, stats.rateIn});
  for (const ItemStats& s : stats.items) m_items[s.id].push({s.rateOut, s.rateIn});
}

const RateHistory::Ring* RateHistory::item(ItemId id) const {
  auto it = m_items.constFind(id);
  return it == m_items.constEnd() ? nullptr : &it.value();
}

ThroughputChart::ThroughputChart(const RateHistory* history, QWidget* parent)
    : QWidget(parent), m_history(history) {
  setAccessibleName(tr("Throughput chart"));
  setToolTip(
      tr("Upload and download over the last 60 seconds; select a row to see only that share or "
         "connection"));
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void ThroughputChart::showItem(ItemId id, const QString& label) {
  m_item = id;
  m_label = label;
  update();
}

void ThroughputChart::setIdle(bool idle) {
  if (m_idle == idle) return;
  m_idle = idle;
  update();
}

const RateHistory::Ring* ThroughputChart::ring() const {
  static const RateHistory::Ring kEmpty;
  const RateHistory::Ring* r = m_item              ? m_history->item(m_item)
                               : m_label.isEmpty() ? &m_history->total()
                                                   : nullptr;
  return r ? r : &kEmpty;
}

QString ThroughputChart::legend() const {
  const RateHistory::Sample now = m_idle ? RateHistory::Sample{} : ring()->at(0);
  return tr("↑ up %1   ↓ down %2").arg(Format::rate(now.up), Format::rate(now.down));
}

namespace {

// A round ceiling for the axis: 1, 2 or 5 times a power of ten, at least 1 kB/s.
double niceCeiling(double v) {
  v = std::max(v, 1000.0);
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (v <= m * p) return m * p;
  }
  return 10 * p;
}

}  // namespace

void ThroughputChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.base());

  const RateHistory::Ring* ring = this->ring();

  double maxRate = 0;
  for (int i = 0; i < ring->count; ++i)
    maxRate = std::max({maxRate, ring->at(i).up, ring->at(i).down});
  const double top = niceCeiling(maxRate);

  const QFontMetrics fm(font());
  const int left = fm.horizontalAdvance(Format::rate(top)) + 8;
  const QRectF plot(left, fm.height() + 6, width() - left - 8, height() - fm.height() * 2 - 12);
  if (plot.width() < 10 || plot.height() < 10) return;

  // Grid and axis labels.
  QColor grid = pal.text().color();
  grid.setAlpha(40);
  p.setPen(grid);
  for (int i = 0; i <= 4; ++i) {
    const double y = plot.top() + plot.height() * i / 4.0;
    p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
  }
  p.setPen(pal.text().color());
  p.drawText(QRectF(0, plot.top() - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight,
             Format::rate(top));
  p.drawText(QRectF(0, plot.bottom() - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight,
             Format::rate(0));
  p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignLeft,
             tr("60 s ago"));
  p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignRight,
             tr("now"));

  const QString title = this->title();
  const QColor upColor(0x35, 0x84, 0xe4);
  const QColor downColor(0x2e, 0xc2, 0x7e);
  p.drawText(QRectF(plot.left(), 2, plot.width(), fm.height()), Qt::AlignLeft, title);
  p.drawText(QRectF(plot.left(), 2, plot.width(), fm.height()), Qt::AlignRight, legend());

  auto series = [&](bool up, const QColor& color) {
    if (ring->count < 1) return;
    QPainterPath path;
    for (int age = RateHistory::kSamples - 1; age >= 0; --age) {
      const RateHistory::Sample s = ring->at(age);
      const double v = up ? s.up : s.down;
      const double x = plot.left() + plot.width() * (RateHistory::kSamples - 1 - age) /
                                         (RateHistory::kSamples - 1);
      const double y = plot.bottom() - plot.height() * std::min(v / top, 1.0);
      if (age == RateHistory::kSamples - 1)
        path.moveTo(x, y);
      else
        path.lineTo(x, y);
    }
    QColor fill = color;
    fill.setAlpha(50);
    QPainterPath area = path;
    area.lineTo(plot.right(), plot.bottom());
    area.lineTo(plot.left(), plot.bottom());
    area.closeSubpath();
    p.fillPath(area, fill);
    p.setPen(QPen(color, 2));
    p.drawPath(path);
  };
  series(false, downColor);
  series(true, upColor);
}

}  // namespace PeerPort
