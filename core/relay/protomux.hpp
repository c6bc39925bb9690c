#pragma once
// Protomux 3.x framing (docs/relay-notes.md): several protocols over one message stream, here
// one SecretStream message per frame. Every frame starts with a channel id (uint): 0 is the
// control channel, anything else is the sender's own id for one of its channels.
//
//   control  [0][1] open   localId, protocol (string), id (optional buffer), handshake
//            [0][2] reject remoteId
//            [0][3] close  localId
//            [0][0] batch  channelId, then (len, bytes)... with len 0 switching channel
//   channel  [localId][type][payload]
//
// A channel is open once both sides have sent OPEN for the same protocol and id. Only what the
// blind relay needs is here: channels this side opens itself (a remote OPEN for anything else is
// rejected at once, as protomux does when no handler waits for it), message types, close.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/bytes.hpp"
#include "common/limits.hpp"
#include "common/result.hpp"

namespace peerport::relay {

class Mux {
 public:
  using SendFn = std::function<void(Bytes frame)>;
  struct ChannelCallbacks {
    std::function<void()> on_open;
    std::function<void(std::uint64_t type, ByteView payload)> on_message;
    std::function<void()> on_close;  // the remote closed or rejected it
  };
  // How many channels a peer may have us track at once: open is cheap to send, memory is not.
  static constexpr std::size_t kMaxChannels = 64;

  explicit Mux(SendFn send) : send_(std::move(send)) {}

  // Sends OPEN; returns the channel's local id (never 0).
  std::uint64_t open(const std::string& protocol, std::optional<Bytes> id, ChannelCallbacks cb);
  // False if the channel is not open (yet): nothing is sent.
  bool send(std::uint64_t channel, std::uint64_t type, ByteView payload);
  void close(std::uint64_t channel);
  bool is_open(std::uint64_t channel) const;

  // One received frame. An error means the peer broke the protocol: end the connection.
  Status feed(ByteView frame);
  std::uint64_t rejected_opens() const { return rejected_opens_; }

 private:
  struct Channel {
    std::string protocol;
    std::optional<Bytes> id;
    std::uint64_t remote_id = 0;  // 0: the remote has not opened it yet
    ChannelCallbacks cb;
  };
  Status decode(std::uint64_t channel, ByteView body, int depth);
  Status control(std::uint64_t type, ByteView rest, int depth);
  void remove(std::uint64_t local_id);

  SendFn send_;
  std::map<std::uint64_t, Channel> channels_;         // by local id
  std::map<std::uint64_t, std::uint64_t> by_remote_;  // remote id -> local id
  std::uint64_t next_id_ = 1;
  std::uint64_t rejected_opens_ = 0;
  // Rejects answered for the frame being fed: one frame may batch thousands of OPENs, each
  // costing us a write (limits::kMuxMaxQueuedRejects).
  std::size_t rejects_this_frame_ = 0;
};

}  // namespace peerport::relay
