#include "dht/routing_table.hpp"

#include <algorithm>
#include <bit>

namespace peerport::dht {

std::size_t RoutingTable::row_index(const NodeId& id) const {
  for (std::size_t i = 0; i < id.size(); ++i) {
    const std::uint8_t x = id[i] ^ id_[i];
    if (x) return i * 8 + static_cast<std::size_t>(std::countl_zero(x));
  }
  return rows_.size() - 1;
}

void RoutingTable::set_id(const NodeId& id) {
  id_ = id;
  for (auto& r : rows_) r.clear();
  size_ = 0;
}

bool RoutingTable::add(const TableNode& node) {
  if (node.id == id_) return false;
  auto& row = rows_[row_index(node.id)];
  for (auto& n : row) {
    if (n.id == node.id) {
      n = node;
      return true;
    }
  }
  if (row.size() >= k_) return false;
  row.push_back(node);
  ++size_;
  return true;
}

bool RoutingTable::remove(const NodeId& id) {
  auto& row = rows_[row_index(id)];
  auto it = std::find_if(row.begin(), row.end(), [&](const TableNode& n) { return n.id == id; });
  if (it == row.end()) return false;
  row.erase(it);
  --size_;
  return true;
}

TableNode* RoutingTable::get(const NodeId& id) {
  auto& row = rows_[row_index(id)];
  auto it = std::find_if(row.begin(), row.end(), [&](const TableNode& n) { return n.id == id; });
  return it == row.end() ? nullptr : &*it;
}

std::vector<TableNode> RoutingTable::closest(const NodeId& target, std::size_t k) const {
  if (k == 0) k = k_;
  std::vector<TableNode> out;
  out.reserve(size_);
  for (const auto& row : rows_) out.insert(out.end(), row.begin(), row.end());
  const auto by_distance = [&](const TableNode& a, const TableNode& b) {
    return closer(target, a.id, b.id);
  };
  if (out.size() > k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(),
                      by_distance);
    out.resize(k);
  } else {
    std::sort(out.begin(), out.end(), by_distance);
  }
  return out;
}

std::vector<const TableNode*> RoutingTable::all() const {
  std::vector<const TableNode*> out;
  for (const auto& row : rows_) {
    for (const auto& n : row) out.push_back(&n);
  }
  return out;
}

}  // namespace peerport::dht
