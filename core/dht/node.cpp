#include "dht/node.hpp"

#include <sodium.h>
#include <uv.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "crypto/hash.hpp"
#include "udx/packet.hpp"

namespace peerport::dht {

namespace {
// Fine enough for adaptive timeouts (300 ms and up); periodic work counts ticks.
constexpr std::uint64_t kTickMs = 50;
constexpr std::uint64_t kRotateTicks =
    7500 / kTickMs;  // token secrets rotate every 7.5 s, as dht-rpc
constexpr std::uint64_t kPingTicks =
    5000 / kTickMs;  // every 5 s ping a few nodes not heard from lately
constexpr std::uint64_t kStaleMs = 60000;
constexpr std::size_t kMaxInflight = 160;  // dht-rpc's congestion window allows 2 x 80
// Candidates a query keeps waiting: several times k, far more than it ever gets to ask.
constexpr std::size_t kMaxQueryPending = 200;

std::string key_of(const Address& a) {
  return a.to_string();
}
}  // namespace

udx::Address to_udx(const Address& a) {
  udx::Address u;
  u.sa.sin_family = AF_INET;
  u.sa.sin_port = htons(a.port);
  std::memcpy(&u.sa.sin_addr, a.host.data(), 4);
  return u;
}

Address from_udx(const udx::Address& u) {
  Address a;
  std::memcpy(a.host.data(), &u.sa.sin_addr, 4);
  a.port = u.port();
  return a;
}

struct Node::QueryState {
  NodeId target{};
  std::uint64_t command = 0;
  bool internal = true;
  std::optional<Bytes> value;
  QueryReplyFn on_reply;
  QueryDoneFn on_done;
  std::vector<std::pair<NodeId, Address>> pending;  // sorted, closest first
  std::set<std::string> seen;
  std::vector<Reply> closest;  // sorted, at most k
  std::size_t inflight = 0;
  std::uint64_t deadline = 0;
  bool done = false;
  bool starting = true;  // inside query(): completion waits for a later loop turn
};

Node::Node(udx::Udx& udx, Options options)
    : udx_(udx)
    , options_(std::move(options))
    , socket_(std::make_unique<udx::Socket>(udx))
    , table_(NodeId{})
    , next_tid_(static_cast<std::uint16_t>(randombytes_random())) {
  NodeId id;
  if (options_.public_address)
    id = node_id(*options_.public_address);
  else
    randombytes_buf(id.data(), id.size());
  table_.set_id(id);
  for (auto& s : secrets_) randombytes_buf(s.data(), s.size());
  timer_ = std::make_unique<uvx::Timer>(udx_.clock());
}

Node::~Node() {
  alive_.end();
  timer_.reset();
}

std::uint64_t Node::timeout_for(const Address& to, int attempt) const {
  if (!options_.adaptive_timeout) return options_.request_timeout_ms;
  return timeouts_.get(key_of(to), attempt, randombytes_random(), now());
}

std::uint64_t Node::now() const {
  return udx_.clock().now_ms();
}

Address Node::local_address() const {
  return from_udx(socket_->local_address());
}

Status Node::start() {
  if (auto st = socket_->bind(options_.bind); !st) return st;
  // A persistent node bound to a specific address is reached there (port 0 resolved now).
  if (!options_.ephemeral && !options_.public_address && options_.bind.sa.sin_addr.s_addr != 0) {
    set_public_address(local_address());
  }
  socket_->on_message([this](ByteView d, const udx::Address& from) { on_datagram(d, from); });
  timer_->start(
      kTickMs, [this] { on_tick(); }, kTickMs);
  if (options_.bootstrap.empty()) {
    // The first node of a new network: nothing to ask. Reported from the first tick, so the
    // callback never runs inside start().
    announce_bootstrapped_ = true;
    return Ok{};
  }
  uvx::Lifetime::Token alive = alive_;
  query(id(), kFindNode, true, std::nullopt, nullptr, [this, alive](std::vector<Reply>) {
    if (alive.expired()) return;
    // Bound to a wildcard address, a persistent node learns where it is reached from the
    // network; its id follows from that.
    if (!options_.ephemeral && !options_.public_address) {
      if (auto a = sampled_address()) set_public_address(*a);
    }
    bootstrapped_ = true;
    if (on_bootstrapped_) on_bootstrapped_();
  });
  return Ok{};
}

void Node::set_public_address(const Address& a) {
  options_.public_address = a;
  const NodeId id = node_id(a);
  if (id == table_.id()) return;
  // Row indices depend on our id: re-file every known node.
  std::vector<TableNode> nodes;
  for (const TableNode* n : table_.all()) nodes.push_back(*n);
  table_.set_id(id);
  for (const auto& n : nodes) table_.add(n);
}

Token Node::token_for(const Address& a, int which) const {
  // dht-rpc io.js token(): BLAKE2b-256 of the host as text, keyed by a rotating secret, so a
  // token proves the requester really receives at that address.
  const std::string host = a.host_string();
  return crypto::blake2b_256(as_bytes(host), secrets_[which].view());
}

void Node::request(const Address& to, std::uint64_t command, bool internal,
                   std::optional<NodeId> target, std::optional<Bytes> value, ResponseFn cb,
                   std::optional<Token> token, bool keep_on_timeout, std::uint32_t min_timeout_ms) {
  Waiting w{
      to,    command,         internal,      std::move(target), std::move(value), std::move(cb),
      token, keep_on_timeout, min_timeout_ms};
  // As dht-rpc's congestion window: past kMaxInflight, a request waits for a slot instead of
  // failing (a burst of a few hundred shares or lookups at once used to fail the rest).
  if (inflight_.size() >= kMaxInflight || !waiting_.empty()) {
    if (waiting_.size() >= limits::kMaxWaitingRequests) {
      ++stats_.requests_refused;
      return fail_later(std::move(w.cb));
    }
    waiting_.push_back(std::move(w));
    return;
  }
  send_request(std::move(w));
}

void Node::send_request(Waiting&& w) {
  std::uint16_t tid = next_tid_++;
  while (inflight_.contains(tid)) tid = next_tid_++;
  Request r;
  r.tid = tid;
  r.to = w.to;
  if (!options_.ephemeral) r.id = id();
  r.token = w.token;
  r.internal = w.internal;
  r.command = w.command;
  r.target = w.target;
  r.value = std::move(w.value);
  const std::uint64_t t = now();
  const std::uint64_t first = std::max<std::uint64_t>(w.min_timeout_ms, timeout_for(w.to, 1));
  Inflight f{
      w.to, encode(r), 1, t + first, std::move(w.cb), t, w.keep_on_timeout, w.min_timeout_ms};
  (void)socket_->send(f.datagram, to_udx(w.to));
  ++stats_.requests_out;
  inflight_.emplace(tid, std::move(f));
}

void Node::send_waiting() {
  while (!waiting_.empty() && inflight_.size() < kMaxInflight) {
    Waiting w = std::move(waiting_.front());
    waiting_.pop_front();
    send_request(std::move(w));
  }
}

void Node::fail_later(ResponseFn cb) {
  if (!cb) return;
  uvx::Lifetime::Token alive = alive_;
  uvx::defer(udx_.loop(), [alive, cb = std::move(cb)] {
    if (!alive.expired()) cb(nullptr);
  });
}

void Node::relay(const Request& req, Bytes value, const Address& to) {
  Request r;
  r.tid = req.tid;
  r.to = to;
  if (!options_.ephemeral) r.id = id();
  r.internal = req.internal;
  r.command = req.command;
  r.target = req.target;
  r.value = std::move(value);
  (void)socket_->send(encode(r), to_udx(to));
}

Response Node::make_reply(const Request& req, const Address& to, std::uint64_t error,
                          std::optional<Bytes> value, bool with_token,
                          bool with_closer_nodes) const {
  Response res;
  res.tid = req.tid;
  res.to = to;
  if (!options_.ephemeral) res.id = id();
  if (with_token) res.token = token_for(to, 1);
  if (with_closer_nodes && req.target) {
    for (const auto& n : table_.closest(*req.target)) res.closer_nodes.push_back(n.address);
  }
  res.error = error;
  res.value = std::move(value);
  return res;
}

std::size_t Node::reply_room(const Request& req, const Address& to, bool with_token,
                             bool with_closer_nodes) const {
  if (req.verified || req.received_size == 0) return SIZE_MAX;
  const std::size_t allowed = options_.reply_amplification * req.received_size;
  // An empty value still costs its flag and length byte; a longer one up to 2 more.
  const std::size_t base =
      encode(make_reply(req, to, 0, Bytes{}, with_token, with_closer_nodes)).size() + 2;
  return allowed > base ? allowed - base : 0;
}

bool Node::spend_reply_budget(const Address& to, std::size_t bytes) {
  std::uint32_t ip = 0;
  for (auto b : to.host) ip = ip << 8 | b;
  const std::uint64_t t = now();
  auto it = reply_budget_.find(ip);
  if (it == reply_budget_.end()) {
    if (reply_budget_.size() >= limits::kReplyBudgetDestinations) {
      std::erase_if(reply_budget_, [&](const auto& e) { return t - e.second.start >= 1000; });
      // Still full: a spray of sources; answering more of them is what the budget prevents.
      if (reply_budget_.size() >= limits::kReplyBudgetDestinations) return false;
    }
    it = reply_budget_.emplace(ip, ReplyWindow{t, 0}).first;
  }
  auto& w = it->second;
  if (t - w.start >= 1000) w = ReplyWindow{t, 0};
  if (w.bytes + bytes > options_.unverified_reply_bytes_per_ip_per_s) return false;
  w.bytes += bytes;
  return true;
}

void Node::reply(const Request& req, const Address& to, std::uint64_t error,
                 std::optional<Bytes> value, bool with_token, bool with_closer_nodes) {
  Response res = make_reply(req, to, error, std::move(value), with_token, with_closer_nodes);
  Bytes out = encode(res);
  // A request without a token we issued may come from a spoofed address: what we send back
  // must not be much more than what it cost to ask (limits::kReplyAmplification).
  if (!req.verified && req.received_size > 0) {
    const std::size_t allowed = options_.reply_amplification * req.received_size;
    if (out.size() > allowed && res.value) {
      res.value.reset();
      out = encode(res);
      ++stats_.replies_trimmed;
    }
    if (out.size() > allowed && !res.closer_nodes.empty()) {
      res.closer_nodes.clear();
      out = encode(res);
      ++stats_.replies_trimmed;
    }
    if (out.size() > allowed || !spend_reply_budget(to, out.size())) {
      ++stats_.replies_dropped;
      return;
    }
  }
  (void)socket_->send(out, to_udx(to));
}

void Node::on_datagram(ByteView d, const udx::Address& from_u) {
  const Address from = from_udx(from_u);
  if (d.size() <= 1 && from.port != 0 && on_punch_) {
    ++stats_.punches;
    on_punch_(from);
    return;
  }
  if (from.port == 0 || d.size() < 2) {
    ++stats_.malformed;
    return;
  }
  // The socket hands over UDX packets for no open stream, as libudx does: mostly a closed
  // stream's late packets, which are no DHT message and no sign of a hostile peer.
  if (udx::is_udx(d)) {
    ++stats_.stream_strays;
    return;
  }
  // libudx truncates at its 2048-byte buffer, so nothing this long comes from a real peer.
  if (d.size() > options_.max_datagram) {
    ++stats_.oversized;
    return;
  }
  if (d[0] == kRequestType) {
    auto req = decode_request(d);
    if (!req) {
      ++stats_.malformed;
      return;
    }
    req->received_size = d.size();
    handle_request(std::move(*req), from);
  } else if (d[0] == kResponseType) {
    auto res = decode_response(d);
    if (!res) {
      ++stats_.malformed;
      return;
    }
    handle_response(std::move(*res), from);
  } else {
    ++stats_.malformed;
  }
}

void Node::add_node(const Address& from, const std::optional<NodeId>& claimed) {
  if (!claimed) return;
  const NodeId expected = node_id(from);
  if (*claimed != expected) {
    ++stats_.bad_ids;
    return;
  }
  const std::uint64_t t = now();
  if (TableNode* n = table_.get(expected)) {
    n->seen = t;
    n->address = from;
    return;
  }
  table_.add(TableNode{expected, from, t, t, t});
}

void Node::handle_request(Request&& req, const Address& from) {
  ++stats_.requests_in;
  add_node(from, req.id);
  // Constant time: how far a guess matched must not show in how long the check took.
  auto same = [](const Token& a, const Token& b) {
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
  };
  if (req.token && !same(*req.token, token_for(from, 1)) && !same(*req.token, token_for(from, 0))) {
    ++stats_.invalid_tokens;
    reply(req, from, kErrInvalidToken, std::nullopt, true, true);
    return;
  }
  req.verified = req.token.has_value();
  if (req.internal) {
    switch (req.command) {
      case kPing:
        reply(req, from, 0, std::nullopt, false, false);
        return;
      case kPingNat: {
        // "Can you reach my other port?": answer to the port named in the value.
        if (!req.value || req.value->size() < 2) return;
        Address to = from;
        to.port = static_cast<std::uint16_t>((*req.value)[0] | (*req.value)[1] << 8);
        if (to.port == 0) return;
        reply(req, to, 0, std::nullopt, false, false);
        return;
      }
      case kFindNode:
        if (!req.target) return;
        reply(req, from, 0, std::nullopt, false, true);
        return;
      case kDownHint:
        if (!req.value || req.value->size() < 6) return;
        reply(req, from, 0, std::nullopt, false, false);
        return;
      case kDelayedPing: {
        if (!req.value || req.value->size() < 4) return;
        enc::Reader r(*req.value);
        const std::uint32_t delay = r.uint32();
        if (delay > options_.max_ping_delay_ms) return;
        // Answered from the tick; only the tid and destination wait, and only so many at once.
        if (delayed_pings_.size() >= options_.max_delayed_pings) {
          ++stats_.delayed_pings_dropped;
          return;
        }
        delayed_pings_.emplace(now() + delay, DelayedPing{req.tid, from});
        return;
      }
      default:
        reply(req, from, kErrUnknownCommand, std::nullopt, false, req.target.has_value());
        return;
    }
  }
  if (on_request_ && on_request_(req, from)) return;
  reply(req, from, kErrUnknownCommand, std::nullopt, false, req.target.has_value());
}

void Node::handle_response(Response&& res, const Address& from, bool sample_nat) {
  auto it = inflight_.find(res.tid);
  // Only the node we asked may answer: a matching tid from elsewhere is ignored.
  if (it == inflight_.end() || !(it->second.to == from)) {
    ++stats_.unsolicited;
    return;
  }
  ++stats_.responses_in;
  add_node(from, res.id);
  if (sample_nat) record_nat_sample(res, from);
  // Only early answers are clean RTT samples (dht-rpc: req.sent <= 2).
  if (it->second.sent <= 2) {
    const std::uint64_t t = now();
    timeouts_.put(key_of(from), static_cast<std::uint32_t>(t - it->second.sent_at), t);
  }
  ResponseFn cb = std::move(it->second.cb);
  inflight_.erase(it);
  send_waiting();
  Reply r{std::move(res), from};
  if (cb) cb(&r);
}

void Node::on_tick() {
  const std::uint64_t t = now();
  ++ticks_;
  retired_sockets_.clear();
  if (announce_bootstrapped_) {
    announce_bootstrapped_ = false;
    bootstrapped_ = true;
    if (on_bootstrapped_) on_bootstrapped_();
  }
  // Delayed pings that are due. Their requests are gone; the reply is a bare PING answer.
  while (!delayed_pings_.empty() && delayed_pings_.begin()->first <= t) {
    const DelayedPing p = delayed_pings_.begin()->second;
    delayed_pings_.erase(delayed_pings_.begin());
    Request req;
    req.tid = p.tid;
    reply(req, p.to, 0, std::nullopt, false, false);
  }
  // Retries and timeouts.
  std::vector<std::uint16_t> expired;
  for (auto& [tid, f] : inflight_) {
    if (f.deadline > t) continue;
    if (f.sent > options_.retries) {
      expired.push_back(tid);
      continue;
    }
    ++f.sent;
    ++stats_.retries;
    f.deadline = t + std::max<std::uint64_t>(f.min_timeout_ms, timeout_for(f.to, f.sent));
    f.sent_at = t;
    (void)socket_->send(f.datagram, to_udx(f.to));
  }
  uvx::Lifetime::Token alive = alive_;
  for (std::uint16_t tid : expired) {
    auto it = inflight_.find(tid);
    if (it == inflight_.end()) continue;
    ++stats_.timeouts;
    ResponseFn cb = std::move(it->second.cb);
    const NodeId gone = node_id(it->second.to);
    const bool keep = it->second.keep_on_timeout;
    inflight_.erase(it);
    send_waiting();
    // A node that stopped answering leaves the table, as in dht-rpc.
    if (!keep) table_.remove(gone);
    if (cb) cb(nullptr);
    if (alive.expired()) return;
  }
  if (ticks_ % kRotateTicks == 0) {
    std::swap(secrets_[0], secrets_[1]);
    crypto_generichash(secrets_[1].data(), 32, secrets_[1].data(), 32, nullptr, 0);
  }
  if (ticks_ % kPingTicks == 0) {
    // Check a few of the nodes we have not heard from longest; the timeout path removes them.
    auto nodes = table_.all();
    std::sort(nodes.begin(), nodes.end(),
              [](const TableNode* a, const TableNode* b) { return a->seen < b->seen; });
    int budget = 3;
    for (const TableNode* n : nodes) {
      if (budget-- == 0 || t - n->seen < kStaleMs) break;
      request(n->address, kPing, true, std::nullopt, std::nullopt, nullptr);
    }
  }
}

void Node::query(const NodeId& target, std::uint64_t command, bool internal,
                 std::optional<Bytes> value, QueryReplyFn on_reply, QueryDoneFn on_done) {
  auto q = std::make_shared<QueryState>();
  q->target = target;
  q->command = command;
  q->internal = internal;
  q->value = std::move(value);
  q->on_reply = std::move(on_reply);
  q->on_done = std::move(on_done);
  q->deadline = now() + options_.query_deadline_ms;
  auto candidates = table_.closest(target);
  for (const auto& n : candidates) q->pending.emplace_back(n.id, n.address);
  // Too few known nodes (or none): the bootstrap list fills in, as dht-rpc does.
  if (q->pending.size() < table_.k()) {
    for (const auto& a : options_.bootstrap) q->pending.emplace_back(node_id(a), a);
  }
  std::sort(q->pending.begin(), q->pending.end(),
            [&](const auto& a, const auto& b) { return closer(target, a.first, b.first); });
  step(q);
  q->starting = false;
}

bool Node::could_improve_now(const std::shared_ptr<QueryState>& q, const NodeId& id) const {
  return q->closest.size() < table_.k() || closer(q->target, id, node_id(q->closest.back().from));
}

void Node::step(const std::shared_ptr<QueryState>& q) {
  if (q->done) return;
  const bool late = now() >= q->deadline;
  while (!late && q->inflight < options_.concurrency && !q->pending.empty()) {
    auto [id, addr] = q->pending.front();
    q->pending.erase(q->pending.begin());
    if (!q->seen.insert(key_of(addr)).second) continue;
    // Other nodes list us among the closest; asking ourselves is a wasted round trip.
    if (options_.public_address && addr == *options_.public_address) continue;
    if (!could_improve_now(q, id)) {
      q->pending.clear();  // sorted: nothing further can improve either
      break;
    }
    ++q->inflight;
    uvx::Lifetime::Token alive = alive_;
    request(addr, q->command, q->internal, q->target, q->value, [this, q, alive](const Reply* r) {
      if (alive.expired()) return;
      --q->inflight;
      if (r && !q->done) {
        const NodeId rid = node_id(r->from);
        // As dht-rpc's query: only successful replies from nodes that proved their id count
        // among the closest (those are the ones a commit can write to).
        if (r->response.error == 0 && r->response.id == rid) {
          auto pos = std::find_if(q->closest.begin(), q->closest.end(), [&](const Reply& x) {
            return closer(q->target, rid, node_id(x.from));
          });
          q->closest.insert(pos, *r);
          if (q->closest.size() > table_.k()) q->closest.pop_back();
        }
        // Sorted inserts by binary search into a list kept short: only its head is ever
        // asked (the walk stops at the first candidate that cannot improve the k closest).
        for (const auto& a : r->response.closer_nodes) {
          if (q->seen.contains(key_of(a))) continue;
          const NodeId nid = node_id(a);
          if (!could_improve_now(q, nid)) continue;
          auto at = std::upper_bound(
              q->pending.begin(), q->pending.end(), nid,
              [&](const NodeId& x, const auto& p) { return closer(q->target, x, p.first); });
          q->pending.emplace(at, nid, a);
        }
        if (q->pending.size() > kMaxQueryPending) q->pending.resize(kMaxQueryPending);
        if (q->on_reply) q->on_reply(*r);
        if (alive.expired()) return;
      }
      step(q);
    });
  }
  if (q->inflight == 0 && !q->done) {
    q->done = true;
    if (!q->on_done) return;
    // A query with nobody to ask ends at once; its caller still hears of it only after
    // query() has returned (a share whose announcement fails is torn down in its callback).
    if (q->starting) {
      uvx::Lifetime::Token alive = alive_;
      uvx::defer(udx_.loop(), [alive, q] {
        if (!alive.expired()) q->on_done(q->closest);
      });
      return;
    }
    q->on_done(q->closest);
  }
}

}  // namespace peerport::dht
