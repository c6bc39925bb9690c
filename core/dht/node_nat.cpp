// How others see us (dht-rpc 6.27 lib/nat-sampler.js and index.js _checkIfFirewalled): one
// sample per answering node of the address it saw us at, the address most of them agree on,
// and the firewall check that asks nodes to answer on a socket that never wrote to them.
#include <algorithm>
#include <map>
#include <set>

#include "dht/node.hpp"

namespace peerport::dht {

std::vector<Address> Node::nat_samples() const {
  std::vector<Address> out;
  out.reserve(nat_by_sender_.size());
  for (const auto& [sender, seen] : nat_by_sender_) out.push_back(seen);
  // dht-rpc nat-sampler's threshold: with n samples, the most common address counts as the
  // answer if at most 0 (n < 4), 1 (n < 8), 2 (n < 12) or 3 others disagree.
  const std::size_t n = out.size();
  const std::size_t tolerance = n < 4 ? 0 : n < 8 ? 1 : n < 12 ? 2 : 3;
  std::map<std::string, std::size_t> votes;
  const Address* top = nullptr;
  std::size_t top_votes = 0;
  for (const auto& a : out) {
    const std::size_t v = ++votes[a.to_string()];
    if (v > top_votes) {
      top_votes = v;
      top = &a;
    }
  }
  if (top && tolerance > 0 && top_votes < n && top_votes + tolerance >= n) {
    const Address agreed = *top;
    out.assign(top_votes, agreed);
  }
  return out;
}

std::optional<Address> Node::sampled_address() const {
  // The address the most distinct responders saw: one node answering often counts once.
  std::map<std::string, std::pair<Address, std::size_t>> votes;
  const std::pair<Address, std::size_t>* best = nullptr;
  for (const auto& sender : nat_senders_) {
    const Address& seen = nat_by_sender_.at(sender);
    auto& v = votes[seen.to_string()];
    v.first = seen;
    ++v.second;
    // Ties go to the latest responder's view: the freshest after a network change.
    if (!best || v.second >= best->second) best = &v;
  }
  if (!best) return std::nullopt;
  return best->first;
}

void Node::record_nat_sample(const Response& res, const Address& from) {
  // One sample per answering node, as dht-rpc's nat-sampler: many answers from one node say
  // nothing about how the NAT treats other destinations. The oldest responder makes room.
  const std::string sender = from.to_string();
  auto it = std::find(nat_senders_.begin(), nat_senders_.end(), sender);
  if (it != nat_senders_.end()) {
    nat_senders_.erase(it);
  } else if (nat_senders_.size() >= std::max<std::size_t>(options_.nat_samples, 1)) {
    nat_by_sender_.erase(nat_senders_.front());
    nat_senders_.pop_front();
  }
  nat_senders_.push_back(sender);
  nat_by_sender_[sender] = res.to;
}

void Node::check_firewall(std::function<void(bool)> done) {
  if (checking_firewall_) return;
  std::vector<Address> ask;
  for (const TableNode* n : table_.all()) {
    if (ask.size() >= 5) break;
    ask.push_back(n->address);
  }
  for (const auto& b : options_.bootstrap) {
    if (ask.size() >= 5) break;
    if (std::find(ask.begin(), ask.end(), b) == ask.end()) ask.push_back(b);
  }
  if (ask.empty()) {
    firewalled_ = true;  // nobody to ask: as dht-rpc, assume the worst
    if (done) done(true);
    return;
  }
  checking_firewall_ = true;
  struct Check {
    std::unique_ptr<udx::Socket> probe;
    std::set<std::string> hosts;     // hosts we asked
    std::set<std::string> answered;  // of those, the ones heard on the probe socket
    std::size_t pending = 0;
    std::function<void(bool)> done;
  };
  auto c = std::make_shared<Check>();
  c->done = std::move(done);
  c->probe = std::make_unique<udx::Socket>(socket_->udx());
  udx::Address bind = options_.bind;
  bind.sa.sin_port = 0;
  if (!c->probe->bind(bind).ok()) {
    checking_firewall_ = false;
    if (c->done) c->done(firewalled_.value_or(true));
    return;
  }
  for (const auto& a : ask) c->hosts.insert(a.host_string());
  std::weak_ptr<Check> weak = c;
  uvx::Lifetime::Token node_alive = alive_;
  c->probe->on_message([this, weak, node_alive](ByteView d, const udx::Address& from) {
    auto self = weak.lock();
    if (!self || node_alive.expired()) return;
    const std::string host = from_udx(from).host_string();
    if (self->hosts.count(host)) self->answered.insert(host);
    // The answer ends its request (so the node is not taken for dead), but how it saw the
    // probe port says nothing about our NAT mapping: no sample.
    if (d.size() >= 2 && d[0] == kResponseType) {
      if (auto res = decode_response(d)) handle_response(std::move(*res), from_udx(from), false);
    }
  });
  const std::uint16_t port = c->probe->local_address().port();
  Bytes value = {static_cast<std::uint8_t>(port & 0xff), static_cast<std::uint8_t>(port >> 8)};
  uvx::Lifetime::Token alive = alive_;
  c->pending = ask.size();
  const std::size_t asked = ask.size();
  for (const auto& a : ask) {
    // Answers arrive on the probe socket, which ends their requests; on a firewalled host they
    // never do, and those timeouts must not evict the nodes.
    request(
        a, kPingNat, true, std::nullopt, value,
        [this, c, alive, asked](const Reply*) {
          if (alive.expired() || --c->pending > 0) return;
          const std::size_t need = asked >= 5 ? 3 : 1;
          const bool firewalled = c->answered.size() < need;
          firewalled_ = firewalled;
          checking_firewall_ = false;
          auto d = std::move(c->done);
          // This may run inside the probe socket's own receive: freed on the next tick.
          retired_sockets_.push_back(std::move(c->probe));
          if (d) d(firewalled);
        },
        std::nullopt, true);
  }
}

}  // namespace peerport::dht
