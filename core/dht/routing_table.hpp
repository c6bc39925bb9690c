#pragma once
// The Kademlia routing table of kademlia-routing-table 1.x as dht-rpc uses it: 256 rows, row i
// holding nodes whose id first differs from ours at bit i, at most k (20) per row; a full row
// refuses newcomers (dht-rpc then pings the oldest node and swaps only if it is gone).

#include <array>
#include <optional>
#include <vector>

#include "dht/messages.hpp"

namespace peerport::dht {

struct TableNode {
  NodeId id{};
  Address address;
  std::uint64_t added = 0;   // tick
  std::uint64_t seen = 0;    // last tick we heard from it
  std::uint64_t pinged = 0;  // last tick we pinged it
};

class RoutingTable {
 public:
  explicit RoutingTable(const NodeId& id, std::size_t k = 20) : id_(id), k_(k) {}

  const NodeId& id() const { return id_; }
  void set_id(const NodeId& id);  // clears the table: every row index changes
  std::size_t k() const { return k_; }
  std::size_t size() const { return size_; }

  // False if the node is us or its row is full. An existing node is updated in place.
  bool add(const TableNode& node);
  bool remove(const NodeId& id);
  TableNode* get(const NodeId& id);
  // The k nodes closest to target by XOR distance (exact, not row-approximate).
  std::vector<TableNode> closest(const NodeId& target, std::size_t k = 0) const;
  std::vector<const TableNode*> all() const;
  // The row a newcomer would go to, to find a full row's oldest member.
  const std::vector<TableNode>& row_for(const NodeId& id) const { return rows_[row_index(id)]; }

 private:
  std::size_t row_index(const NodeId& id) const;

  NodeId id_;
  std::size_t k_;
  std::size_t size_ = 0;
  std::array<std::vector<TableNode>, 256> rows_;
};

}  // namespace peerport::dht
