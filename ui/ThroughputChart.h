#pragma once
// The live throughput chart: up and down over the last 60 seconds, drawn with QPainter
// (lighter than Qt Charts). RateHistory keeps one small ring per item and one for the total,
// fed by the engine's once-a-second stats snapshot.

#include <QHash>
#include <QString>
#include <QWidget>
#include <array>

#include "EngineTypes.h"

namespace PeerPort {

class RateHistory {
 public:
  static constexpr int kSamples = 60;
  struct Sample {
    double up = 0;
    double down = 0;
  };
  struct Ring {
    std::array<Sample, kSamples> samples{};
    int next = 0;   // where the next sample goes
    int count = 0;  // valid samples
    void push(Sample s);
    Sample at(int age) const;  // 0: newest
  };

  void add(const StatsSnapshot& stats);
  void forget(ItemId id) { m_items.remove(id); }
  const Ring& total() const { return m_total; }
  // nullptr when the item has no history.
  const Ring* item(ItemId id) const;

 private:
  Ring m_total;
  QHash<ItemId, Ring> m_items;
};

class ThroughputChart : public QWidget {
  Q_OBJECT

 public:
  explicit ThroughputChart(const RateHistory* history, QWidget* parent = nullptr);

  // An empty label: the total. Else one share's or connection's history, titled `label`
  // (id 0: a stopped one, with no history).
  void showItem(ItemId id, const QString& label);
  // The shown item has no rate now (a connection whose friend is offline, refusing or not
  // found): the legend's "now" reads 0, not the last sample, which the engine averaged over
  // seconds when the tunnel still carried data.
  void setIdle(bool idle);
  bool idle() const { return m_idle; }
  QString legend() const;
  QString title() const { return m_label.isEmpty() ? tr("All traffic") : m_label; }
  ItemId item() const { return m_item; }
  QSize sizeHint() const override { return {480, 140}; }
  QSize minimumSizeHint() const override { return {200, 90}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  const RateHistory* m_history;
  const RateHistory::Ring* ring() const;

  ItemId m_item = 0;
  QString m_label;
  bool m_idle = false;
};

}  // namespace PeerPort
