#pragma once
// A table model's column titles and tooltips, kept as one table in column order (marked with
// QT_TRANSLATE_NOOP in the model's own context) and translated where the header shows them.

#include <QAbstractItemModel>
#include <QVariant>
#include <cstddef>

namespace PeerPort {

struct ColumnText {
  const char* title;
  const char* tip;
};

// headerData() for a model whose columns are `columns`; Model::tr translates in its context.
template <class Model, std::size_t N>
QVariant columnHeader(const ColumnText (&columns)[N], int section, Qt::Orientation orientation,
                      int role) {
  if (orientation != Qt::Horizontal || section < 0 || section >= static_cast<int>(N)) return {};
  if (role == Qt::DisplayRole) return Model::tr(columns[section].title);
  if (role == Qt::ToolTipRole) return Model::tr(columns[section].tip);
  return {};
}

}  // namespace PeerPort
