#pragma once
// dht-rpc 6.27 messages (lib/io.js Request._encodeRequest / Request.decode / _sendReply /
// decodeReply, lib/peer.js). Every datagram starts with one type byte: 0x03 request, 0x13
// response (low nibble: version 3). Then, as compact-encoding:
//
//   request   flags(uint) tid(uint16) to(ipv4 address)
//             [id fixed32 if flags&1] [token fixed32 if &2] (internal: flags&4)
//             command(uint) [target fixed32 if &8] [value buffer if &16]
//   response  flags(uint) tid(uint16) to(ipv4 address)
//             [id if &1] [token if &2] [closerNodes ipv4[] if &4] [error uint if &8]
//             [value buffer if &16]
//
// `to` is the receiver's address as the sender sees it: that is how a node learns its public
// address (NAT sampling). A node id is BLAKE2b-256 of the node's 6-byte ipv4 address+port, so
// an id in a message is only believed if it matches the address the message came from.

#include <optional>
#include <vector>

#include "common/bytes.hpp"
#include "encoding/compact.hpp"

namespace peerport::dht {

using NodeId = FixedBytes<32>;
using Token = FixedBytes<32>;
using Address = enc::Ipv4Address;

inline constexpr std::uint8_t kRequestType = 0x03;
inline constexpr std::uint8_t kResponseType = 0x13;

// dht-rpc lib/commands.js (internal commands).
enum Command : std::uint64_t {
  kPing = 0,
  kPingNat = 1,
  kFindNode = 2,
  kDownHint = 3,
  kDelayedPing = 4,
};

// dht-rpc lib/errors.js codes carried in responses.
inline constexpr std::uint64_t kErrUnknownCommand = 1;
inline constexpr std::uint64_t kErrInvalidToken = 2;

NodeId node_id(const Address& a);

struct Request {
  std::uint16_t tid = 0;
  Address to;
  std::optional<NodeId> id;
  std::optional<Token> token;
  bool internal = false;
  std::uint64_t command = 0;
  std::optional<NodeId> target;
  std::optional<Bytes> value;
  // Not on the wire: filled in by the receiving node. How big the datagram was, and whether it
  // carried a token we issued (proof that the sender receives at its address); together they
  // bound what a reply may send back (limits::kReplyAmplification).
  std::size_t received_size = 0;
  bool verified = false;
  bool operator==(const Request&) const = default;
};

struct Response {
  std::uint16_t tid = 0;
  Address to;
  std::optional<NodeId> id;
  std::optional<Token> token;
  std::vector<Address> closer_nodes;
  std::uint64_t error = 0;
  std::optional<Bytes> value;
  bool operator==(const Response&) const = default;
};

Bytes encode(const Request& r);
Bytes encode(const Response& r);
// nullopt for anything malformed; the caller counts and drops it.
std::optional<Request> decode_request(ByteView datagram);
std::optional<Response> decode_response(ByteView datagram);

// XOR distance order: true if a is closer to target than b.
bool closer(const NodeId& target, const NodeId& a, const NodeId& b);

}  // namespace peerport::dht
