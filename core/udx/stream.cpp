// udx Stream: reliability and congestion control over the libudx wire format
// (libudx src/udx.c process_packet, send_ack, ack_packet, udx_rto_timeout; docs/udx-notes.md).
//
// Sequence numbers count packets. The receiver acks once per receive batch (Socket::request_ack;
// libudx acks each data packet), with its cumulative ack (next seq wanted) and up to 50 SACK
// ranges of what it holds beyond that. The
// sender keeps every unacked packet, estimates RTT as RFC 6298, finds losses by time with RACK
// (a packet is lost once one sent after it is delivered and that one's RTT plus a reordering
// window has passed), sends a tail loss probe when a flight's end goes unacked for two RTTs,
// falls back to the RTO, and hands every delivery and loss to BBR (udx/bbr.hpp),
// which sets the packet-counted congestion window and the pacing rate. None of the congestion
// logic is on the wire: libudx runs its own BBR and the two interoperate regardless.
//
// Three files: this one has the stream's life, the receive side and relaying;
// stream_send.cpp packetises, paces and sends; stream_recovery.cpp takes acks and SACKs, and
// runs RTT estimation, RACK, the tail loss probe and the RTO.
#include <algorithm>
#include <cstring>

#include "udx/udx.hpp"

namespace peerport::udx {

Stream::Stream(Udx& udx, std::uint32_t local_id, Callbacks callbacks)
    : udx_(udx)
    , udx_alive_(udx.alive_)
    , local_id_(local_id)
    , cb_(std::move(callbacks))
    , timer_(udx.clock())
    , pace_timer_(udx.clock())
    , keepalive_timer_(udx.clock())
    , loss_timer_(udx.clock())
    , alive_(std::make_shared<bool>(true))
    , bbr_(local_id) {
  udx_.streams_[local_id_] = this;
}

Stream::~Stream() {
  *alive_ = false;
  if (!udx_alive_.expired()) udx_.held_in_all_ -= ooo_bytes_ + held_bytes_;
  unregister();
  if (relay_to_) relay_to_->relay_source_ = nullptr;
  if (relay_source_) relay_source_->relay_to_ = nullptr;
}

void Stream::unregister() {
  if (udx_alive_.expired()) return;
  auto it = udx_.streams_.find(local_id_);
  if (it != udx_.streams_.end() && it->second == this) udx_.streams_.erase(it);
}

std::uint64_t Stream::now() const {
  return udx_.clock().now_ms();
}

std::uint64_t Stream::now_us() const {
  // Not the loop's cached ms: a rate sample over a sub-ms loopback RTT needs the real time.
  return udx_.clock().now_us();
}

const StreamStats& Stream::stats() const {
  stats_.srtt_ms = srtt_ms_;
  stats_.rto_ms = rto_ms_;
  stats_.cwnd = bbr_.cwnd();
  stats_.bandwidth = static_cast<std::uint64_t>(bbr_.bandwidth() * packet_bytes());
  stats_.max_payload = static_cast<std::uint32_t>(max_payload_);
  stats_.min_rtt_us =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(bbr_.min_rtt_us(), UINT32_MAX));
  return stats_;
}

Status Stream::connect(Socket& socket, std::uint32_t remote_id, const Address& remote) {
  if (closed_) return make_error(Errc::destroyed, "stream is closed");
  if (socket_) return make_error(Errc::invalid_value, "stream is already connected");
  if (remote.port() == 0) return make_error(Errc::invalid_value, "remote port must not be 0");
  socket_ = &socket;
  remote_id_ = remote_id;
  remote_ = remote;
  if (ack_needed_) send_ack();
  flush();
  return Ok{};
}

Status Stream::change_remote(Socket& socket, std::uint32_t remote_id, const Address& remote) {
  if (!socket_) return make_error(Errc::not_connected, "stream is not connected");
  if (remote.port() == 0) return make_error(Errc::invalid_value, "remote port must not be 0");
  socket_ = &socket;
  remote_id_ = remote_id;
  remote_ = remote;
  // What was in flight on the old path is resent on the new one rather than waited for.
  for (auto& p : inflight_) {
    if (!p.sacked && !p.lost) {
      p.lost = true;
      ++lost_count_;
      mtu_probe_lost(p, false);
    }
  }
  // The new path's MTU is unknown: new packets start from the base size again (as libudx).
  reset_mtu_search();
  flush();
  return Ok{};
}

bool Stream::write(ByteView data) {
  return write(Bytes(data.begin(), data.end()));
}

bool Stream::write(Bytes&& data) {
  if (closed_ || end_queued_) return false;
  if (!data.empty()) {
    queued_bytes_ += data.size();
    queue_.push_back(std::move(data));
  }
  flush();
  if (queued_bytes_ >= kHighWaterMark) {
    need_drain_ = true;
    return false;
  }
  return true;
}

void Stream::end() {
  if (closed_ || end_queued_) return;
  end_queued_ = true;
  flush();
}

void Stream::destroy() {
  if (closed_) return;
  // A relay stream is not an end of the stream: the ends learn from their own timeouts, as
  // with libudx's relays.
  if (socket_ && !relay_) {
    socket_->send_packet({kDestroy, 0, remote_id_, window(), seq_, ack_}, {}, remote_);
    socket_->flush();
    ++seq_;
  }
  close(make_error(Errc::destroyed, "stream destroyed"));
}

Status Stream::send_message(ByteView message) {
  if (!socket_) return make_error(Errc::not_connected, "stream is not connected");
  if (message.size() > kMaxDatagram - kHeaderSize) {
    return make_error(Errc::too_large, "message larger than one UDX datagram");
  }
  if (!socket_->send_packet({kMessage, 0, remote_id_, window(), seq_, ack_}, message, remote_)) {
    return make_error(Errc::network_error, "message not sent (socket buffer full)");
  }
  socket_->flush();
  return Ok{};
}

void Stream::set_keepalive(std::uint32_t ms) {
  keepalive_ms_ = ms;
  if (ms == 0 || closed_) {
    keepalive_timer_.stop();
    return;
  }
  keepalive_timer_.start(
      ms,
      [this] {
        if (closed_ || !socket_) return;
        // Only when idle: data in flight keeps the path warm by itself.
        if (inflight_.empty()) {
          socket_->send_packet({kHeartbeat, 0, remote_id_, window(), seq_, ack_}, {}, remote_);
          socket_->flush();
          ++stats_.heartbeats_sent;
        }
      },
      ms);
}

void Stream::set_loss(double fraction, std::uint64_t seed) {
  loss_ = fraction;
  rng_ = seed | 1;
}

bool Stream::drop_for_test(const OutPacket& pkt) {
  if (path_payload_for_test_ != 0 && pkt.payload.size() + pkt.padding > path_payload_for_test_) {
    return true;
  }
  if (loss_ <= 0) return false;
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return static_cast<double>(rng_ % 1000000) / 1e6 < loss_;
}

// The reader's share (kReceiveWindow less what waits to be read), and never more than the room
// left under kMaxHeld with the out-of-order data counted in.
std::uint32_t Stream::window() const {
  const std::size_t for_reader = held_bytes_ >= kReceiveWindow ? 0 : kReceiveWindow - held_bytes_;
  const std::size_t kept = ooo_bytes_ + held_bytes_;
  const std::size_t room = kept >= kMaxHeld ? 0 : kMaxHeld - kept;
  return static_cast<std::uint32_t>(std::min(for_reader, room));
}

void Stream::on_packet(Socket& from_socket, const Packet& p, const Address& from) {
  if (closed_) return;
  if (source_watch_ && socket_ && (&from_socket != socket_ || !(from == remote_))) {
    auto watch = source_watch_;  // it may replace itself
    watch(from_socket, from);
    if (closed_) return;
  }
  if (&from_socket != socket_) {
    if (adopt_source_ && socket_) {
      adopt_source_ = false;
      (void)change_remote(from_socket, remote_id_, from);
    } else if (!cb_.on_firewall || !cb_.on_firewall(from_socket, from)) {
      return;
    }
    if (closed_) return;
  }
  if (adopt_source_ && &from_socket == socket_) {
    adopt_source_ = false;
    // What we sent toward the guessed address never arrived or cannot be acked from there:
    // resend it to the real source now, not after an RTO that has backed off for seconds.
    if (!(from == remote_)) (void)change_remote(from_socket, remote_id_, from);
    if (closed_) return;
  }
  const bool first_contact = stats_.packets_received == 0;
  ++stats_.packets_received;
  std::weak_ptr<bool> alive = alive_;
  auto gone = [&] { return alive.expired() || !*alive.lock() || closed_; };
  if (first_packet_) {
    auto first = std::move(first_packet_);
    first_packet_ = nullptr;
    first();
    if (gone()) return;
  }
  const Header& h = p.header;

  if (h.type & kHeartbeat) {
    send_ack();
    return;
  }
  if (h.type & kDestroy) {
    // Only a DESTROY that is not older than what we have seen ends the stream (libudx).
    if (seq_le(ack_, h.seq)) close(make_error(Errc::connection_reset, "peer reset the stream"));
    return;
  }
  if (h.type & kMessage) {
    if (cb_.on_message) cb_.on_message(p.payload);
    if (gone()) return;
  }
  const bool has_data = h.type & (kData | kEnd);
  if (has_data) {
    process_data(p);
    if (gone()) return;
  }
  process_ack(p);
  // Only if that packet shows none of ours arrived: one that acks some proves the path works.
  if (first_contact && remote_acked_ == 0 && sacked_count_ == 0) resend_unanswered();
  if (has_data) {
    if (socket_)
      socket_->request_ack(local_id_);
    else
      ack_needed_ = true;
  }
  flush();
  maybe_drain();
  if (gone()) return;
  maybe_close();
}

void Stream::process_data(const Packet& p) {
  const Header& h = p.header;
  if (seq_lt(h.seq, ack_)) {
    ++stats_.duplicates;
    return;
  }
  if (static_cast<std::uint32_t>(h.seq - ack_) > kMaxAheadPackets) {
    ++stats_.out_of_window;
    return;
  }
  if (h.seq != ack_ && ooo_.contains(h.seq)) {
    ++stats_.duplicates;
    return;
  }
  // Anything we must keep (out of order, or in order while the reader is paused) is bounded: for
  // this stream by kMaxHeld, data waiting for a paused reader by kReceiveWindow, and all streams
  // together by the Udx's budget. Past that the packet is dropped unacked and the sender
  // retries later.
  const std::size_t n = p.payload.size();
  const bool keep = h.seq != ack_ || paused_;
  const bool over = keep && (udx_.held_in_all_ + n > udx_.max_held_in_all_ ||
                             (h.seq != ack_ ? ooo_bytes_ + held_bytes_ + n > kMaxHeld
                                            : held_bytes_ + n > kReceiveWindow ||
                                                  ooo_bytes_ + held_bytes_ + n > kMaxHeld));
  if (over) {
    ++stats_.out_of_window;
    return;
  }
  if (h.seq != ack_) {
    ooo_.emplace(h.seq, std::make_pair(h.type, Bytes(p.payload.begin(), p.payload.end())));
    ooo_bytes_ += p.payload.size();
    udx_.held_in_all_ += p.payload.size();
    add_ooo_run(h.seq);
    return;
  }
  ++ack_;
  if ((h.type & kData) && !p.payload.empty() && !deliver(p.payload)) return;
  if (h.type & kEnd) remote_ended_ = true;
  deliver_in_order();
}

bool Stream::deliver(ByteView data) {
  if (paused_) {
    held_.emplace_back(data.begin(), data.end());
    held_bytes_ += data.size();
    udx_.held_in_all_ += data.size();
    return true;
  }
  std::weak_ptr<bool> alive = alive_;
  stats_.bytes_received += data.size();
  if (cb_.on_data) cb_.on_data(data);
  return !alive.expired() && !closed_;
}

std::map<std::uint32_t, std::uint32_t>::const_iterator Stream::ooo_run_of(std::uint32_t seq) const {
  auto it = ooo_runs_.upper_bound(seq);
  if (it == ooo_runs_.begin()) return ooo_runs_.end();
  --it;
  return seq_lt(seq, it->second) ? it : ooo_runs_.end();
}

void Stream::add_ooo_run(std::uint32_t seq) {
  auto next = ooo_runs_.upper_bound(seq);
  auto run = ooo_runs_.end();
  if (next != ooo_runs_.begin() && std::prev(next)->second == seq) {
    run = std::prev(next);
    run->second = seq + 1;
  }
  if (next != ooo_runs_.end() && next->first == seq + 1) {
    if (run == ooo_runs_.end()) {
      run = ooo_runs_.emplace_hint(next, seq, next->second);
    } else {
      run->second = next->second;
    }
    ooo_runs_.erase(next);
  }
  if (run == ooo_runs_.end()) run = ooo_runs_.emplace_hint(next, seq, seq + 1);
  // Newest first; an older entry that now lies in the same run says nothing new.
  std::size_t kept = 0;
  std::array<std::uint32_t, kRecentSacks> recent{};
  recent[kept++] = seq;
  for (std::size_t i = 0; i < recent_ooo_count_ && kept < kRecentSacks; ++i) {
    const std::uint32_t r = recent_ooo_[i];
    if (ooo_run_of(r) != run) recent[kept++] = r;
  }
  recent_ooo_ = recent;
  recent_ooo_count_ = kept;
}

void Stream::deliver_in_order() {
  // The run that starts at the next expected seq is delivered whole by the loop below.
  if (!ooo_runs_.empty() && ooo_runs_.begin()->first == ack_) ooo_runs_.erase(ooo_runs_.begin());
  while (!ooo_.empty() && ooo_.begin()->first == ack_) {
    auto node = ooo_.extract(ooo_.begin());
    ++ack_;
    ooo_bytes_ -= node.mapped().second.size();
    udx_.held_in_all_ -= node.mapped().second.size();
    const auto type = node.mapped().first;
    if ((type & kData) && !node.mapped().second.empty() && !deliver(node.mapped().second)) return;
    if (type & kEnd) remote_ended_ = true;
  }
  maybe_end();
}

void Stream::maybe_end() {
  if (remote_ended_ && held_.empty() && !paused_ && !end_delivered_) {
    end_delivered_ = true;
    if (cb_.on_end) cb_.on_end();
  }
}

void Stream::pause_reading() {
  paused_ = true;
}

void Stream::resume_reading() {
  if (!paused_ || closed_) return;
  paused_ = false;
  std::weak_ptr<bool> alive = alive_;
  while (!held_.empty() && !paused_) {
    Bytes data = std::move(held_.front());
    held_.pop_front();
    held_bytes_ -= data.size();
    udx_.held_in_all_ -= data.size();
    if (!deliver(data)) return;
  }
  if (paused_) return;
  maybe_end();
  if (alive.expired() || closed_) return;
  // A window update, so a sender held back by our full window resumes now, not at its RTO.
  if (socket_) send_ack();
  maybe_close();
}

void Stream::send_ack() {
  if (!socket_) {
    ack_needed_ = true;
    return;
  }
  ack_needed_ = false;
  ack_queued_ = false;
  std::uint8_t buf[kHeaderSize + kMaxSacks * 8];
  std::size_t n = 0;
  const auto put = [&](std::uint32_t start, std::uint32_t end) {
    std::uint8_t* b = buf + kHeaderSize + 8 * n++;
    for (int i = 0; i < 4; ++i) {
      b[i] = static_cast<std::uint8_t>(start >> (8 * i));
      b[4 + i] = static_cast<std::uint8_t>(end >> (8 * i));
    }
  };
  // The runs of the latest arrivals first, then the lowest runs (those whose holes the sender
  // must repair first).
  std::array<std::uint32_t, kRecentSacks> led{};
  std::size_t n_led = 0;
  for (std::size_t i = 0; i < recent_ooo_count_; ++i) {
    const auto run = ooo_run_of(recent_ooo_[i]);
    if (run == ooo_runs_.end() ||
        std::find(led.begin(), led.begin() + n_led, run->first) != led.begin() + n_led)
      continue;
    led[n_led++] = run->first;
    put(run->first, run->second);
  }
  for (auto it = ooo_runs_.begin(); it != ooo_runs_.end() && n < kMaxSacks; ++it) {
    if (std::find(led.begin(), led.begin() + n_led, it->first) == led.begin() + n_led)
      put(it->first, it->second);
  }
  socket_->send_packet(
      {static_cast<std::uint8_t>(n ? kSack : 0), 0, remote_id_, window(), seq_, ack_},
      ByteView(buf + kHeaderSize, 8 * n), remote_);
  socket_->flush();
}

void Stream::maybe_drain() {
  if (need_drain_ && queued_bytes_ < kHighWaterMark / 2) {
    need_drain_ = false;
    if (cb_.on_drain) cb_.on_drain();
  }
}

void Stream::maybe_close() {
  if (closed_ || !end_sent_ || !inflight_.empty() || !end_delivered_) return;
  close(Ok{});
}

Status Stream::relay_to(Stream& destination) {
  if (relay_ || closed_ || destination.closed_ || destination.relay_source_) {
    return make_error(Errc::invalid_value, "stream cannot relay to that stream");
  }
  relay_ = true;
  relay_to_ = &destination;
  destination.relay_source_ = this;
  return Ok{};
}

void Stream::relay_packet(Socket& from_socket, ByteView datagram, const Header& h,
                          const Address& from) {
  if (closed_) return;
  if (&from_socket != socket_) {
    // The end's first packet: where it is (blind-relay connects the stream from here).
    if (!cb_.on_firewall || !cb_.on_firewall(from_socket, from)) return;
    if (closed_) return;
  }
  Stream* to = relay_to_;
  bool sent = false;
  if (to && to->socket_ && !to->closed_) {
    bool allowed = true;
    if (relay_rate_ > 0) {
      const std::uint64_t t = now();
      relay_tokens_ =
          std::min<double>(static_cast<double>(relay_rate_),
                           relay_tokens_ + static_cast<double>(t - relay_last_) *
                                               static_cast<double>(relay_rate_) / 1000.0);
      relay_last_ = t;
      allowed = relay_tokens_ >= static_cast<double>(datagram.size());
      if (allowed) relay_tokens_ -= static_cast<double>(datagram.size());
    }
    if (allowed) {
      // Only bytes 4..7 change: the id of the stream at the other end.
      std::uint8_t buf[kMaxDatagram];
      const std::size_t n = std::min(datagram.size(), sizeof buf);
      std::memcpy(buf, datagram.data(), n);
      const std::uint32_t id = to->remote_id_;
      buf[4] = static_cast<std::uint8_t>(id);
      buf[5] = static_cast<std::uint8_t>(id >> 8);
      buf[6] = static_cast<std::uint8_t>(id >> 16);
      buf[7] = static_cast<std::uint8_t>(id >> 24);
      sent = to->socket_->send(ByteView(buf, n), to->remote_).ok();
      if (sent && cb_.on_relayed) cb_.on_relayed(ByteView(buf, n));
    }
  }
  if (sent) {
    ++stats_.relayed_packets;
    stats_.relayed_bytes += datagram.size();
  } else {
    ++stats_.relay_dropped;
  }
  if (h.type & kDestroy) close(make_error(Errc::connection_reset, "peer reset the relayed stream"));
}

void Stream::close(Status status) {
  if (closed_) return;
  // An ack still waiting for the end of the receive batch (often the one for the peer's END)
  // must leave before the stream disappears from the registry.
  if (ack_queued_ && socket_) send_ack();
  closed_ = true;
  timer_.stop();
  pace_timer_.stop();
  keepalive_timer_.stop();
  loss_timer_.stop();
  // Late packets for this id now go to the socket's on_message, as in libudx.
  unregister();
  if (cb_.on_close) cb_.on_close(status);  // may delete this
}

}  // namespace peerport::udx