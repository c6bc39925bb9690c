#pragma once
// A dht-rpc 6.27 node (index.js + lib/io.js + lib/query.js): requests with transaction ids,
// retries and timeouts; replies to the internal commands (PING, PING_NAT, FIND_NODE,
// DOWN_HINT, DELAYED_PING); the routing table fed by every message whose id proves itself;
// rotating token secrets; iterative queries; bootstrap; NAT sampling of how others see us.
//
// Flow of one query: closest known nodes (or the bootstrap list) -> up to `concurrency`
// FIND_NODE-style requests in flight -> each reply's closer nodes join the candidates if they
// could still be among the k closest -> done when nothing in flight and no candidate can
// improve the k closest replies, or at the query deadline.

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "common/result.hpp"
#include "common/uv.hpp"
#include "crypto/secret.hpp"
#include "dht/adaptive_timeout.hpp"
#include "dht/messages.hpp"
#include "dht/routing_table.hpp"
#include "udx/udx.hpp"

namespace peerport::dht {

udx::Address to_udx(const Address& a);
Address from_udx(const udx::Address& a);

struct NodeStats {
  std::uint64_t requests_in = 0;
  std::uint64_t responses_in = 0;
  std::uint64_t requests_out = 0;
  std::uint64_t requests_refused = 0;  // our own, past limits::kMaxWaitingRequests waiting
  std::uint64_t retries = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t malformed = 0;  // undecodable datagrams: dropped
  // UDX packets for no open stream on this socket (a closed stream's late packets): dropped
  std::uint64_t stream_strays = 0;
  std::uint64_t bad_ids = 0;  // an id that is not the hash of the sender's address
  std::uint64_t invalid_tokens = 0;
  std::uint64_t unsolicited = 0;      // responses matching no request of ours
  std::uint64_t punches = 0;          // one-byte holepunch packets
  std::uint64_t oversized = 0;        // longer than libudx would deliver: dropped unread
  std::uint64_t replies_trimmed = 0;  // value or closer nodes left out: over the amplification cap
  std::uint64_t replies_dropped = 0;  // not sent: the destination's unverified byte budget is spent
  std::uint64_t delayed_pings_dropped = 0;  // over max_delayed_pings
};

struct Reply {
  Response response;
  Address from;
};

class Node {
 public:
  struct Options {
    udx::Address bind;
    std::vector<Address> bootstrap;
    // Persistent nodes put their id in messages and are added to others' routing tables. They
    // need the address others reach them at, which their id is the hash of.
    bool ephemeral = true;
    std::optional<Address> public_address;
    std::size_t concurrency = 10;
    std::uint64_t request_timeout_ms = 1000;
    // Per-destination timeouts from measured RTTs (dht-rpc's adaptiveTimeout option) instead
    // of request_timeout_ms for every send.
    bool adaptive_timeout = true;
    int retries = 3;
    std::uint64_t query_deadline_ms = 30000;
    std::uint32_t max_ping_delay_ms = 10000;
    // What a remote peer can make us send or hold (common/limits.hpp).
    std::size_t max_datagram = limits::kMaxDatagram;
    std::size_t reply_amplification = limits::kReplyAmplification;
    std::size_t unverified_reply_bytes_per_ip_per_s = limits::kUnverifiedReplyBytesPerIpPerSecond;
    std::size_t max_delayed_pings = limits::kMaxDelayedPings;
    std::size_t nat_samples = limits::kNatSamples;
  };

  using ResponseFn = std::function<void(const Reply*)>;  // nullptr: timed out
  // Requests the node itself does not handle (hyperdht's commands). Return false to answer
  // UNKNOWN_COMMAND.
  using RequestFn = std::function<bool(const Request&, const Address& from)>;

  Node(udx::Udx& udx, Options options);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  Status start();
  void on_bootstrapped(std::function<void()> fn) { on_bootstrapped_ = std::move(fn); }
  void on_request(RequestFn fn) { on_request_ = std::move(fn); }
  // Datagrams of one byte or less are holepunch packets (hyperdht's sockets split them off
  // the same way); they go here instead of counting as malformed.
  void on_punch(std::function<void(const Address& from)> fn) { on_punch_ = std::move(fn); }

  void request(const Address& to, std::uint64_t command, bool internal,
               std::optional<NodeId> target, std::optional<Bytes> value, ResponseFn cb,
               std::optional<Token> token = std::nullopt, bool keep_on_timeout = false,
               std::uint32_t min_timeout_ms = 0);
  // Passes a request on (dht-rpc Request.relay): same tid, command and target, a new value,
  // sent from us to `to`, whose answer goes wherever the relayed value says.
  void relay(const Request& req, Bytes value, const Address& to);
  // Replies to a request that carried no valid token stay within reply_amplification times
  // its size (value left out first, then closer nodes) and the destination's byte budget.
  void reply(const Request& req, const Address& to, std::uint64_t error, std::optional<Bytes> value,
             bool with_token, bool with_closer_nodes);
  // The largest value such a reply may carry whole (SIZE_MAX for a verified request): what a
  // handler with a list to offer (LOOKUP peers) fills up to.
  std::size_t reply_room(const Request& req, const Address& to, bool with_token,
                         bool with_closer_nodes) const;
  std::size_t pending_delayed_pings() const { return delayed_pings_.size(); }

  using QueryReplyFn = std::function<void(const Reply&)>;
  using QueryDoneFn = std::function<void(std::vector<Reply> closest)>;
  void query(const NodeId& target, std::uint64_t command, bool internal, std::optional<Bytes> value,
             QueryReplyFn on_reply, QueryDoneFn on_done);

  const NodeId& id() const { return table_.id(); }
  // Where others reach us; a persistent node's id is its hash.
  void set_public_address(const Address& a);
  std::optional<Address> public_address() const { return options_.public_address; }
  RoutingTable& table() { return table_; }
  bool bootstrapped() const { return bootstrapped_; }
  bool ephemeral() const { return options_.ephemeral; }
  udx::Socket& socket() { return *socket_; }
  Address local_address() const;
  // Our address as most nodes that answered us see it (NAT sampling), if any answered.
  std::optional<Address> sampled_address() const;
  // How each of the last nodes that answered saw our address (one entry per node), with up to
  // a few dissenters dropped when the rest agree, as dht-rpc's nat-sampler tolerates them: one
  // lying responder must not make a consistent NAT look random.
  std::vector<Address> nat_samples() const;
  const NodeStats& stats() const { return stats_; }
  // dht-rpc's firewall check (_checkIfFirewalled): up to five nodes are asked (PING_NAT) to
  // answer on a second socket of ours that never sent them anything. If too few answers
  // arrive there, unsolicited packets do not reach us: firewalled (or behind a NAT). Bounded
  // by the request timeout; the result is kept (firewalled()).
  void check_firewall(std::function<void(bool firewalled)> done);
  std::optional<bool> firewalled() const { return firewalled_; }
  // The network changed under us (another interface, a wake from sleep): what nodes saw of
  // our address no longer holds. Samples refill from the next answers.
  void reset_nat() {
    nat_by_sender_.clear();
    nat_senders_.clear();
    firewalled_.reset();
  }
  Token token_for(const Address& a, int which) const;
  // A datagram handled as if it had arrived on the socket from `from`: the fuzz targets'
  // way in (tests/fuzz/fuzz_dht_node.cpp), without a syscall per input.
  void receive(ByteView d, const Address& from) { on_datagram(d, to_udx(from)); }

 private:
  struct Inflight {
    Address to;
    Bytes datagram;
    int sent = 0;
    std::uint64_t deadline = 0;
    ResponseFn cb;
    std::uint64_t sent_at = 0;     // the latest send, for the RTT sample
    bool keep_on_timeout = false;  // a timeout says nothing about the node (firewall check)
    // Requests answered by a peer behind the node (relayed handshakes and holepunches) take
    // longer than the node's own round trip; their retries must not come early.
    std::uint32_t min_timeout_ms = 0;
  };
  struct QueryState;
  // A request waiting for a free in-flight slot (kMaxInflight), sent in order as slots free.
  struct Waiting {
    Address to;
    std::uint64_t command = 0;
    bool internal = false;
    std::optional<NodeId> target;
    std::optional<Bytes> value;
    ResponseFn cb;
    std::optional<Token> token;
    bool keep_on_timeout = false;
    std::uint32_t min_timeout_ms = 0;
  };
  void send_request(Waiting&& w);
  void send_waiting();
  // Calls cb(nullptr) from a later loop turn, never from inside the call that made the
  // request: a caller may not expect its own object to be torn down under it.
  void fail_later(ResponseFn cb);

  void on_datagram(ByteView d, const udx::Address& from);
  void record_nat_sample(const Response& res, const Address& from);
  void handle_request(Request&& req, const Address& from);
  void handle_response(Response&& res, const Address& from, bool sample_nat = true);
  void add_node(const Address& from, const std::optional<NodeId>& claimed_id);
  void on_tick();
  void step(const std::shared_ptr<QueryState>& q);
  bool could_improve_now(const std::shared_ptr<QueryState>& q, const NodeId& id) const;
  std::uint64_t now() const;

  udx::Udx& udx_;
  Options options_;
  std::unique_ptr<udx::Socket> socket_;
  RoutingTable table_;
  std::unique_ptr<uvx::Timer> timer_;
  std::map<std::uint16_t, Inflight> inflight_;
  std::deque<Waiting> waiting_;  // at most limits::kMaxWaitingRequests
  std::uint16_t next_tid_;
  std::array<crypto::SecretBytes<32>, 2> secrets_;
  std::uint64_t ticks_ = 0;
  bool bootstrapped_ = false;
  bool announce_bootstrapped_ = false;
  std::function<void()> on_bootstrapped_;
  RequestFn on_request_;
  std::function<void(const Address&)> on_punch_;
  std::optional<bool> firewalled_;
  std::vector<std::unique_ptr<udx::Socket>> retired_sockets_;
  bool checking_firewall_ = false;
  std::map<std::string, Address> nat_by_sender_;
  std::deque<std::string> nat_senders_;
  NodeStats stats_;
  AdaptiveTimeout timeouts_;
  std::uint64_t timeout_for(const Address& to, int attempt) const;
  Response make_reply(const Request& req, const Address& to, std::uint64_t error,
                      std::optional<Bytes> value, bool with_token, bool with_closer_nodes) const;
  bool spend_reply_budget(const Address& to, std::size_t bytes);
  // DELAYED_PING answers waiting for their time: only what the reply needs (tid, destination).
  struct DelayedPing {
    std::uint16_t tid = 0;
    Address to;
  };
  std::multimap<std::uint64_t, DelayedPing> delayed_pings_;
  struct ReplyWindow {
    std::uint64_t start = 0;
    std::size_t bytes = 0;
  };
  std::map<std::uint32_t, ReplyWindow> reply_budget_;  // by destination IPv4
  uvx::Lifetime alive_;
};

}  // namespace peerport::dht
