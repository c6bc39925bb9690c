#include "relay/protomux.hpp"

#include "encoding/compact.hpp"

namespace peerport::relay {

namespace {
Error bad(std::string why) {
  return make_error(Errc::invalid_value, "protomux: " + std::move(why));
}
}  // namespace

std::uint64_t Mux::open(const std::string& protocol, std::optional<Bytes> id, ChannelCallbacks cb) {
  const std::uint64_t local = next_id_++;
  enc::Writer w;
  w.uint(0).uint(1).uint(local).string(protocol).optional_buffer(id ? &*id : nullptr);
  channels_[local] = Channel{protocol, std::move(id), 0, std::move(cb)};
  send_(std::move(w).take());
  return local;
}

bool Mux::is_open(std::uint64_t channel) const {
  auto it = channels_.find(channel);
  return it != channels_.end() && it->second.remote_id != 0;
}

bool Mux::send(std::uint64_t channel, std::uint64_t type, ByteView payload) {
  if (!is_open(channel)) return false;
  enc::Writer w(payload.size() + 8);
  w.uint(channel).uint(type).fixed(payload);
  send_(std::move(w).take());
  return true;
}

void Mux::close(std::uint64_t channel) {
  if (channels_.find(channel) == channels_.end()) return;
  enc::Writer w;
  w.uint(0).uint(3).uint(channel);
  remove(channel);
  send_(std::move(w).take());
}

void Mux::remove(std::uint64_t local_id) {
  auto it = channels_.find(local_id);
  if (it == channels_.end()) return;
  if (it->second.remote_id != 0) by_remote_.erase(it->second.remote_id);
  channels_.erase(it);
}

Status Mux::feed(ByteView frame) {
  if (frame.empty()) return Ok{};  // keep-alives
  rejects_this_frame_ = 0;
  enc::Reader r(frame);
  const std::uint64_t channel = r.uint();
  if (!r.ok()) return bad("truncated frame");
  return decode(channel, r.rest(), 0);
}

Status Mux::decode(std::uint64_t channel, ByteView body, int depth) {
  enc::Reader r(body);
  const std::uint64_t type = r.uint();
  if (!r.ok()) return bad("truncated message type");
  if (channel == 0) return control(type, r.rest(), depth);
  auto rid = by_remote_.find(channel);
  if (rid == by_remote_.end()) return Ok{};  // a channel we closed: late messages are fine
  auto it = channels_.find(rid->second);
  if (it == channels_.end()) return Ok{};
  // The callback may close channels or destroy this Mux: copy what it needs first.
  auto on_message = it->second.cb.on_message;
  if (on_message) on_message(type, r.rest());
  return Ok{};
}

Status Mux::control(std::uint64_t type, ByteView rest, int depth) {
  enc::Reader r(rest);
  switch (type) {
    case 0: {  // batch
      // Batches do not nest in protomux; one level is all we accept.
      if (depth > 0) return bad("nested batch");
      std::uint64_t channel = r.uint();
      while (r.ok() && !r.at_end()) {
        const std::uint64_t len = r.uint();
        if (!r.ok()) break;
        if (len == 0) {
          channel = r.uint();
          continue;
        }
        if (len > r.remaining()) return bad("batch item longer than the frame");
        ByteView item = r.fixed(static_cast<std::size_t>(len));
        if (auto st = decode(channel, item, depth + 1); !st) return st;
      }
      if (!r.ok()) return bad("truncated batch");
      return Ok{};
    }
    case 1: {  // open
      const std::uint64_t remote = r.uint();
      std::string protocol = r.string();
      std::optional<Bytes> id = r.optional_buffer();
      if (!r.ok()) return bad("truncated open");
      if (remote != 0 && by_remote_.count(remote)) return bad("channel id opened twice");
      std::optional<std::uint64_t> match;
      for (auto& [local, ch] : channels_) {
        if (ch.remote_id == 0 && ch.protocol == protocol && ch.id == id) {
          match = local;
          break;
        }
      }
      if (!match || remote == 0) {
        // protomux peers open channels one at a time; a frame of unanswerable OPENs is an
        // attempt to make us write (and queue) far more than we read.
        if (++rejects_this_frame_ > limits::kMuxMaxQueuedRejects)
          return bad("too many rejected opens in one frame");
        ++rejected_opens_;
        enc::Writer w;
        w.uint(0).uint(2).uint(remote);
        send_(std::move(w).take());
        return Ok{};
      }
      if (by_remote_.size() >= kMaxChannels) return bad("too many channels");
      Channel& ch = channels_[*match];
      ch.remote_id = remote;
      by_remote_[remote] = *match;
      auto on_open = ch.cb.on_open;
      if (on_open) on_open();
      return Ok{};
    }
    case 2:    // reject: the remote will not open our channel
    case 3: {  // close: the remote closed its side of a channel
      const std::uint64_t id = r.uint();
      if (!r.ok()) return bad("truncated reject/close");
      std::uint64_t local = 0;
      if (type == 2) {
        auto it = channels_.find(id);
        if (it != channels_.end() && it->second.remote_id == 0) local = id;
      } else if (auto it = by_remote_.find(id); it != by_remote_.end()) {
        local = it->second;
      }
      if (local == 0) return Ok{};
      auto on_close = channels_[local].cb.on_close;
      remove(local);
      if (on_close) on_close();
      return Ok{};
    }
    default:
      return Ok{};  // unknown control messages are ignored, as protomux does
  }
}

}  // namespace peerport::relay
