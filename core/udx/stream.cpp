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
#include <algorithm>
#include <cstring>

#include "common/trace.hpp"
#include "udx/udx.hpp"

namespace peerport::udx {

namespace {
constexpr std::uint32_t kMinRtoMs = 200;
constexpr std::uint32_t kMaxRtoMs = 30000;
constexpr std::uint32_t kMaxRtoStrikes = 6;
// RACK (RFC 8985 6.2.4): with this many packets SACKed (or in a recovery) and no reordering
// seen, a hole is lost at once; the reordering window is at most this many quarters of the
// min RTT; it narrows back to one quarter after this many recoveries without a spurious
// retransmission.
constexpr std::size_t kDupThresh = 3;
constexpr std::uint32_t kReoWndMultMax = 8;
constexpr std::uint32_t kReoWndPersist = 16;
// The pacer's bucket, in ms of sending at the pacing rate (Stream::pace says why).
constexpr double kMinPaceBurstMs = 2;
constexpr double kMaxPaceBurstMs = 10;
// The tail loss probe waits two smoothed RTTs, at least this (Linux's TCP_TIMEOUT_MIN).
constexpr std::uint64_t kMinProbeMs = 10;
// Out-of-order data we hold, in packets, beyond what kReceiveWindow bytes allow.
constexpr std::uint32_t kMaxAheadPackets = 8192;
}  // namespace

Stream::Stream(Udx& udx, std::uint32_t local_id, Callbacks callbacks)
    : udx_(udx)
    , udx_alive_(udx.alive_)
    , local_id_(local_id)
    , cb_(std::move(callbacks))
    , alive_(std::make_shared<bool>(true))
    , bbr_(local_id) {
  udx_.streams_[local_id_] = this;
  timer_ = new uv_timer_t;
  uv_timer_init(udx_.loop(), timer_);
  timer_->data = this;
  pace_timer_ = new uv_timer_t;
  uv_timer_init(udx_.loop(), pace_timer_);
  pace_timer_->data = this;
  keepalive_timer_ = new uv_timer_t;
  uv_timer_init(udx_.loop(), keepalive_timer_);
  keepalive_timer_->data = this;
  loss_timer_ = new uv_timer_t;
  uv_timer_init(udx_.loop(), loss_timer_);
  loss_timer_->data = this;
}

Stream::~Stream() {
  *alive_ = false;
  unregister();
  if (relay_to_) relay_to_->relay_source_ = nullptr;
  if (relay_source_) relay_source_->relay_to_ = nullptr;
  for (uv_timer_t* t : {timer_, pace_timer_, keepalive_timer_, loss_timer_}) {
    t->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(t),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
}

void Stream::unregister() {
  if (udx_alive_.expired()) return;
  auto it = udx_.streams_.find(local_id_);
  if (it != udx_.streams_.end() && it->second == this) udx_.streams_.erase(it);
}

std::uint64_t Stream::now() const {
  return uv_now(udx_.loop());
}

std::uint64_t Stream::now_us() {
  // Not the loop's cached ms: a rate sample over a sub-ms loopback RTT needs the real time.
  return uv_hrtime() / 1000;
}

const StreamStats& Stream::stats() const {
  stats_.srtt_ms = srtt_ms_;
  stats_.rto_ms = rto_ms_;
  stats_.cwnd = bbr_.cwnd();
  stats_.bandwidth = static_cast<std::uint64_t>(bbr_.bandwidth() * (kMaxPayload + kHeaderSize));
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
    }
  }
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
    uv_timer_stop(keepalive_timer_);
    return;
  }
  uv_timer_start(
      keepalive_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<Stream*>(t->data);
        if (!self || self->closed_ || !self->socket_) return;
        // Only when idle: data in flight keeps the path warm by itself.
        if (self->inflight_.empty()) {
          self->socket_->send_packet(
              {kHeartbeat, 0, self->remote_id_, self->window(), self->seq_, self->ack_}, {},
              self->remote_);
          self->socket_->flush();
          ++self->stats_.heartbeats_sent;
        }
      },
      ms, ms);
}

void Stream::set_loss(double fraction, std::uint64_t seed) {
  loss_ = fraction;
  rng_ = seed | 1;
}

bool Stream::drop_for_test() {
  if (loss_ <= 0) return false;
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return static_cast<double>(rng_ % 1000000) / 1e6 < loss_;
}

std::uint32_t Stream::window() const {
  const std::size_t kept = ooo_bytes_ + held_bytes_;
  return kept >= kReceiveWindow ? 0 : kReceiveWindow - static_cast<std::uint32_t>(kept);
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
  // Anything we must keep (out of order, or in order while the reader is paused) counts against
  // the window we advertise; past it the packet is dropped unacked and the sender retries later.
  if ((h.seq != ack_ || paused_) && ooo_bytes_ + held_bytes_ + p.payload.size() > kReceiveWindow) {
    ++stats_.out_of_window;
    return;
  }
  if (h.seq != ack_) {
    ooo_.emplace(h.seq, std::make_pair(h.type, Bytes(p.payload.begin(), p.payload.end())));
    ooo_bytes_ += p.payload.size();
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
    return true;
  }
  std::weak_ptr<bool> alive = alive_;
  stats_.bytes_received += data.size();
  if (cb_.on_data) cb_.on_data(data);
  return !alive.expired() && !closed_;
}

void Stream::deliver_in_order() {
  while (!ooo_.empty() && ooo_.begin()->first == ack_) {
    auto node = ooo_.extract(ooo_.begin());
    ++ack_;
    ooo_bytes_ -= node.mapped().second.size();
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
  // SACK ranges over the out-of-order data, lowest first.
  for (auto it = ooo_.begin(); it != ooo_.end() && n < kMaxSacks;) {
    std::uint32_t start = it->first;
    std::uint32_t end = start + 1;
    ++it;
    while (it != ooo_.end() && it->first == end) {
      ++end;
      ++it;
    }
    std::uint8_t* b = buf + kHeaderSize + 8 * n++;
    for (int i = 0; i < 4; ++i) {
      b[i] = static_cast<std::uint8_t>(start >> (8 * i));
      b[4 + i] = static_cast<std::uint8_t>(end >> (8 * i));
    }
  }
  socket_->send_packet(
      {static_cast<std::uint8_t>(n ? kSack : 0), 0, remote_id_, window(), seq_, ack_},
      ByteView(buf + kHeaderSize, 8 * n), remote_);
  socket_->flush();
}

void Stream::process_ack(const Packet& p) {
  const Header& h = p.header;
  if (seq_lt(seq_, h.ack)) {
    ++stats_.bad_acks;  // acks data we never sent: forged or confused
    return;
  }
  send_rwnd_ = h.rwnd;
  const std::uint64_t t_us = now_us();
  if (seq_lt(remote_acked_, h.ack)) {
    std::uint32_t n = h.ack - remote_acked_;
    std::uint64_t t = now();
    std::optional<std::uint64_t> sample;
    for (std::uint32_t i = 0; i < n && !inflight_.empty(); ++i) {
      OutPacket& pkt = inflight_.front();
      // Karn: first transmissions only; and only packets this ack delivers: one SACKed long ago
      // and acked now that the hole below it is filled would measure the repair, not the path
      // (at 1 % loss that doubled the smoothed RTT, and with it the RTO).
      if (pkt.transmissions == 1 && !pkt.sacked) sample = t - pkt.sent_at;
      if (pkt.lost) --lost_count_;
      if (pkt.sacked) {
        --sacked_count_;
        sacked_bytes_ -= pkt.payload.size();
      } else if (pkt.transmissions > 0) {
        on_delivered(pkt, t_us);
      }
      inflight_bytes_ -= pkt.payload.size();
      if (payload_pool_.size() < 1024) payload_pool_.push_back(std::move(pkt.payload));
      inflight_.pop_front();
    }
    remote_acked_ = h.ack;
    rto_strikes_ = 0;
    if (sample) update_rtt(static_cast<std::uint32_t>(*sample));
    if (in_recovery_ && seq_le(recovery_end_, h.ack)) {
      in_recovery_ = false;
      if (reo_wnd_persist_ > 0 && --reo_wnd_persist_ == 0) reo_wnd_mult_ = 1;
    }
    tlp_in_flight_ = false;
    if (inflight_.empty()) {
      uv_timer_stop(timer_);
      uv_timer_stop(loss_timer_);
    } else {
      arm_rto();
    }
  }
  std::uint32_t newly_lost = 0;
  bool newly_sacked = false;
  std::optional<std::uint64_t> sack_sample;
  if ((h.type & kSack) && !inflight_.empty()) {
    for (const SackBlock& b : parse_sacks(p.payload)) {
      // Offsets from the oldest unacked packet, so a range must lie inside what is in flight;
      // serial comparisons alone are not transitive across half the sequence space.
      const std::uint32_t from = b.start - remote_acked_;
      const std::uint32_t to = b.end - remote_acked_;
      if (from >= to || to > inflight_.size()) {
        ++stats_.bad_acks;
        continue;
      }
      for (std::uint32_t i = from; i != to; ++i) {
        OutPacket& pkt = inflight_[i];
        if (pkt.sacked) continue;
        pkt.sacked = true;
        ++sacked_count_;
        sacked_bytes_ += pkt.payload.size();
        newly_sacked = true;
        if (pkt.transmissions == 1) sack_sample = now() - pkt.sent_at;
        if (pkt.transmissions > 0) on_delivered(pkt, t_us);
        if (pkt.lost) {
          pkt.lost = false;
          --lost_count_;
        }
      }
    }
    // The peer is receiving: a hole whose retransmission was lost is the loss detection's to
    // repair, not the RTO's (which would throw the whole window away). The RTO is for a path
    // that delivers nothing.
    if (sack_sample) update_rtt(static_cast<std::uint32_t>(*sack_sample));
    if (newly_sacked) arm_rto();
  }
  if (!inflight_.empty()) newly_lost = detect_losses(t_us);
  if (spurious_undo_ > 0) {
    bbr_.undo_loss(spurious_undo_);
    spurious_undo_ = 0;
  }
  bbr_.on_ack(t_us, newly_lost, pipe(), in_recovery_);
  if (trace::enabled() && now() >= trace_next_ms_) trace_state();
}

void Stream::trace_state() {
  trace_next_ms_ = now() + 1000;
  PP_TRACE(
      "udx %08x: state %d bw %.0f pkt/s pacing %.0f pkt/s sent %llu min_rtt %llu us srtt %u ms "
      "cwnd %u pipe %u inflight %zu "
      "(%zu sacked %zu lost) queued %zu rwnd %u ooo %zu retx %llu spurious %llu tlp %llu rto %llu "
      "limited: cwnd %llu rwnd %llu pacing %llu socket %llu drain_wait %d",
      local_id_, static_cast<int>(bbr_.state()), bbr_.bandwidth(), bbr_.pacing_rate(),
      static_cast<unsigned long long>(stats_.packets_sent),
      static_cast<unsigned long long>(bbr_.min_rtt_us()), srtt_ms_, bbr_.cwnd(), pipe(),
      inflight_.size(), sacked_count_, lost_count_, queued_bytes_, send_rwnd_, ooo_bytes_,
      static_cast<unsigned long long>(stats_.retransmits),
      static_cast<unsigned long long>(stats_.spurious_retransmits),
      static_cast<unsigned long long>(stats_.tail_loss_probes),
      static_cast<unsigned long long>(stats_.rto_fires),
      static_cast<unsigned long long>(stats_.cwnd_limited),
      static_cast<unsigned long long>(stats_.rwnd_limited),
      static_cast<unsigned long long>(stats_.pacing_limited),
      static_cast<unsigned long long>(stats_.socket_limited), need_drain_ ? 1 : 0);
}

void Stream::on_delivered(const OutPacket& pkt, std::uint64_t t_us) {
  bbr_.on_delivered(pkt.rate, t_us, pkt.transmissions > 1);
  const std::uint64_t rtt = t_us - std::min(t_us, pkt.rate.sent_us);
  if (pkt.transmissions > 1 && rtt < bbr_.min_rtt_us()) {
    // Acked sooner after the resend than the path can carry a packet: the original arrived,
    // the loss was reordering or delay (RFC 8985 step 2; we have no DSACK to tell us). The
    // reordering window widens (its DSACK rule) and the window it cost comes back.
    if (rtt < bbr_.min_rtt_us() / 2 && !pkt.probe) {
      ++stats_.spurious_retransmits;
      reordering_seen_ = true;
      // At most one step per round trip (RFC 8985's RACK.dsack_round): one reordering event
      // shows up as several spurious packets, and a window grown to the RTT would make every
      // real loss wait an RTT longer.
      if (!reo_wnd_round_valid_ || seq_le(reo_wnd_round_, remote_acked_)) {
        reo_wnd_mult_ = std::min(reo_wnd_mult_ + 1, kReoWndMultMax);
        reo_wnd_round_ = seq_;
        reo_wnd_round_valid_ = true;
      }
      reo_wnd_persist_ = kReoWndPersist;
      ++spurious_undo_;
    }
    return;  // its RTT says nothing about the path
  }
  // RACK.fack: a first transmission delivered below the highest one delivered overtook it.
  if (pkt.transmissions == 1 && rack_fack_valid_ && seq_lt(pkt.seq, rack_fack_)) {
    reordering_seen_ = true;
  }
  if (!rack_fack_valid_ || seq_lt(rack_fack_, pkt.seq + 1)) rack_fack_ = pkt.seq + 1;
  rack_fack_valid_ = true;
  // RACK.xmit_ts / RACK.rtt: the most recently sent packet known delivered.
  if (!rack_valid_ || pkt.rate.sent_us > rack_sent_us_ ||
      (pkt.rate.sent_us == rack_sent_us_ && seq_lt(rack_seq_, pkt.seq))) {
    rack_valid_ = true;
    rack_sent_us_ = pkt.rate.sent_us;
    rack_seq_ = pkt.seq;
    rack_rtt_us_ = rtt;
  }
}

std::uint64_t Stream::reo_wnd_us() const {
  // RFC 8985 6.2.4: no reordering seen yet, a recovery (or three SACKs) means loss at once;
  // otherwise a quarter of the min RTT, times a multiplier a spurious retransmission raises,
  // at most the smoothed RTT.
  if (!reordering_seen_ && (in_recovery_ || sacked_count_ >= kDupThresh)) return 0;
  const std::uint64_t srtt_us = std::uint64_t{std::max<std::uint32_t>(srtt_ms_, 1)} * 1000;
  return std::min<std::uint64_t>(reo_wnd_mult_ * bbr_.min_rtt_us() / 4, srtt_us);
}

void Stream::update_rtt(std::uint32_t r) {
  if (srtt_ms_ == 0) {
    srtt_ms_ = std::max<std::uint32_t>(r, 1);
    rttvar_ms_ = r / 2;
  } else {
    std::uint32_t d = srtt_ms_ > r ? srtt_ms_ - r : r - srtt_ms_;
    rttvar_ms_ = (3 * rttvar_ms_ + d) / 4;
    srtt_ms_ = (7 * srtt_ms_ + r) / 8;
  }
  rto_ms_ = std::clamp(srtt_ms_ + 4 * rttvar_ms_, kMinRtoMs, kMaxRtoMs);
}

std::uint32_t Stream::detect_losses(std::uint64_t t_us) {
  // RACK (RFC 8985 6.2): a packet sent before the most recently sent packet known delivered
  // is lost once that one's RTT plus the reordering window has passed since it left. Time, not
  // a count of SACKs: a packet overtaken by a few reordered ones is not resent at once, a lost
  // retransmission is resent without waiting for the RTO, and a whole lost tail is found from
  // one delivered packet (a tail loss probe). Packets still inside the window are checked
  // again by the loss timer when their time is up.
  if (!rack_valid_) return 0;
  const std::uint64_t reo_wnd = reo_wnd_us();
  std::uint32_t newly_lost = 0;
  std::uint64_t wait_us = 0;
  for (OutPacket& pkt : inflight_) {
    if (pkt.sacked || pkt.lost || pkt.transmissions == 0) continue;
    const bool before = pkt.rate.sent_us < rack_sent_us_ ||
                        (pkt.rate.sent_us == rack_sent_us_ && seq_lt(pkt.seq, rack_seq_));
    if (!before) {
      // First transmissions leave in sequence order, and every later packet left after this
      // one: none of them can be older than the RACK packet.
      if (pkt.transmissions == 1) break;
      continue;
    }
    // Above the highest packet ever SACKed it may have arrived unreported (an ack carries the
    // lowest 50 SACK ranges): it is not taken for lost on the strength of an older packet's
    // retransmission. The tail loss probe and the RTO cover what really is lost up there.
    if (!rack_fack_valid_ || !seq_lt(pkt.seq, rack_fack_)) continue;
    const std::uint64_t due = pkt.rate.sent_us + rack_rtt_us_ + reo_wnd;
    if (due <= t_us) {
      pkt.lost = true;
      ++lost_count_;
      ++newly_lost;
    } else if (wait_us == 0 || due - t_us < wait_us) {
      wait_us = due - t_us;
    }
  }
  if (newly_lost && !in_recovery_) {
    // Recovery lasts until what was sent before the loss is acked; BBR saves its window on
    // entering and restores it after, but does not read the loss as congestion.
    in_recovery_ = true;
    recovery_end_ = seq_;
  }
  if (wait_us > 0) {
    // The reordering timer (RFC 8985 6.3): in ms on the loop's clock, rounded up.
    uv_timer_start(loss_timer_, on_loss_timer, (wait_us + 999) / 1000, 0);
    loss_timer_tlp_ = false;
  } else if (!loss_timer_tlp_) {
    uv_timer_stop(loss_timer_);
  }
  return newly_lost;
}

void Stream::on_loss_timer(uv_timer_t* t) {
  auto* self = static_cast<Stream*>(t->data);
  if (!self || self->closed_ || self->inflight_.empty()) return;
  if (self->loss_timer_tlp_) {
    self->send_probe();
    return;
  }
  const std::uint32_t lost = self->detect_losses(now_us());
  if (lost > 0) {
    self->bbr_.on_ack(now_us(), lost, self->pipe(), self->in_recovery_);
    self->flush();
  }
}

void Stream::schedule_probe() {
  // Tail loss probe (RFC 8985 7.2): with data out, nothing SACKed, nothing lost and no repair
  // under way, a loss of the last packets of a flight leaves no later packet to reveal it. Two
  // smoothed RTTs after the last send without an ack, one packet goes out to draw a SACK that
  // lets RACK find the hole, instead of the RTO's (>= 200 ms) that throws the window away. Our
  // receiver acks each receive batch at once: no delayed-ack allowance.
  if (inflight_.empty() || in_recovery_ || sacked_count_ > 0 || lost_count_ > 0 || tlp_in_flight_) {
    if (loss_timer_tlp_) {
      uv_timer_stop(loss_timer_);
      loss_timer_tlp_ = false;
    }
    return;
  }
  if (!loss_timer_tlp_ && uv_is_active(reinterpret_cast<uv_handle_t*>(loss_timer_))) return;
  const std::uint64_t pto = bbr_.min_rtt_us() != 0
                                ? std::max<std::uint64_t>(2 * std::uint64_t{srtt_ms_}, kMinProbeMs)
                                : 1000;
  const std::uint64_t rto_left = uv_timer_get_due_in(timer_);
  if (rto_left != 0 && pto >= rto_left) return;  // the RTO comes first anyway
  uv_timer_start(loss_timer_, on_loss_timer, pto, 0);
  loss_timer_tlp_ = true;
}

void Stream::send_probe() {
  loss_timer_tlp_ = false;
  if (tlp_in_flight_ || !socket_ || socket_->blocked()) return;
  // New data if there is some the peer's window takes (RFC 8985 7.3), else the last packet
  // again; either way past the congestion window and the pacer: it is one packet.
  OutPacket* probe = nullptr;
  if (queued_bytes_ > 0 && inflight_bytes_ - sacked_bytes_ + kMaxPayload <= send_rwnd_) {
    make_packet();
    probe = &inflight_.back();
  } else {
    for (auto it = inflight_.rbegin(); it != inflight_.rend(); ++it) {
      if (!it->sacked && !it->lost && it->transmissions > 0) {
        probe = &*it;
        break;
      }
    }
  }
  if (!probe) return;
  const bool was_sent = probe->transmissions > 0;
  if (!send_now(*probe)) {
    if (probe->transmissions == 0) {
      probe->lost = true;  // a new packet the socket refused goes with the retransmissions
      ++lost_count_;
    }
    return;
  }
  probe->probe = was_sent;
  tlp_in_flight_ = true;
  ++stats_.tail_loss_probes;
  socket_->flush();
  arm_rto();
}

void Stream::make_packet() {
  OutPacket pkt;
  pkt.seq = seq_++;
  std::size_t want = std::min(kMaxPayload, queued_bytes_);
  if (!payload_pool_.empty()) {
    pkt.payload = std::move(payload_pool_.back());
    payload_pool_.pop_back();
    pkt.payload.clear();
  }
  pkt.payload.reserve(kMaxPayload);
  while (pkt.payload.size() < want) {
    Bytes& front = queue_.front();
    std::size_t take = std::min(want - pkt.payload.size(), front.size() - queue_head_off_);
    pkt.payload.insert(pkt.payload.end(),
                       front.begin() + static_cast<std::ptrdiff_t>(queue_head_off_),
                       front.begin() + static_cast<std::ptrdiff_t>(queue_head_off_ + take));
    queue_head_off_ += take;
    if (queue_head_off_ == front.size()) {
      queue_.pop_front();
      queue_head_off_ = 0;
    }
  }
  queued_bytes_ -= want;
  pkt.type = want ? kData : 0;
  if (queued_bytes_ == 0 && end_queued_) {
    pkt.type |= kEnd;
    end_sent_ = true;
  }
  inflight_bytes_ += want;
  stats_.bytes_sent += want;
  inflight_.push_back(std::move(pkt));
}

bool Stream::pace(std::size_t bytes) {
  // Token bucket at BBR's pacing rate, so a window leaves spread over the RTT instead of as one
  // burst that overflows a router or the peer's socket buffer. Before the first RTT sample the
  // initial window goes out at once. The loop's 1 ms timer sets the granularity.
  if (bbr_.pacing_rate() <= 0) return true;
  // Below a 1 ms RTT (loopback, a LAN) a 1 ms timer cannot spread a window over the RTT; the
  // window alone bounds what is in flight (Bbr::kMinRttFloorUs).
  if (bbr_.min_rtt_us() < Bbr::kMinRttFloorUs) return true;
  const double rate = bbr_.pacing_rate() * (kMaxPayload + kHeaderSize) / 1000.0;  // bytes per ms
  // The bucket holds an eighth of the min RTT of sending, 2 to 10 ms: the timer fires late on
  // a busy machine (and a 1 ms libuv timer often takes 2), and every ms it is late past the
  // bucket is sending lost for good. With a 2 ms bucket a 100 ms / 100 Mbit/s path under load
  // sent at 77 % of the pacing rate; bursts of an eighth of an RTT stay well inside the
  // window's 2 BDPs.
  const double burst_ms =
      std::clamp(static_cast<double>(bbr_.min_rtt_us()) / 8000.0, kMinPaceBurstMs, kMaxPaceBurstMs);
  const double burst = std::max(burst_ms * rate, 16.0 * (kMaxPayload + kHeaderSize));
  const std::uint64_t t = now();
  pace_tokens_ = std::min(burst, pace_tokens_ + rate * static_cast<double>(t - pace_last_));
  pace_last_ = t;
  if (pace_tokens_ >= static_cast<double>(bytes)) {
    pace_tokens_ -= static_cast<double>(bytes);
    return true;
  }
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(pace_timer_))) {
    uv_timer_start(
        pace_timer_,
        [](uv_timer_t* h) {
          if (auto* self = static_cast<Stream*>(h->data)) self->flush();
        },
        1, 0);
  }
  return false;
}

bool Stream::transmit(OutPacket& pkt) {
  if (socket_->blocked()) return false;
  if (!pace(kHeaderSize + pkt.payload.size())) return false;
  pkt.probe = false;
  return send_now(pkt);
}

bool Stream::send_now(OutPacket& pkt) {
  // A retransmission is still marked lost here and so not counted in pipe(); a new packet is.
  const Bbr::SendState stamp = bbr_.on_send(now_us(), pipe() - (pkt.lost ? 0 : 1));
  if (!drop_for_test() && !socket_->send_packet({pkt.type, 0, remote_id_, window(), pkt.seq, ack_},
                                                pkt.payload, remote_)) {
    return false;
  }
  pkt.sent_at = now();
  pkt.rate = stamp;
  ++pkt.transmissions;
  ++stats_.packets_sent;
  if (pkt.transmissions > 1) ++stats_.retransmits;
  return true;
}

void Stream::flush() {
  if (!socket_ || closed_) return;
  const std::uint32_t cwnd = bbr_.cwnd();
  if (lost_count_ > 0) {
    for (auto& pkt : inflight_) {
      if (lost_count_ == 0 || pipe() >= cwnd) break;
      if (!pkt.lost) continue;
      if (!transmit(pkt)) break;
      pkt.lost = false;
      --lost_count_;
    }
  }
  // The peer's window bounds unacked bytes; with nothing in flight one packet may go anyway,
  // so a zero window is probed rather than waited on forever.
  auto window_allows = [&] {
    return inflight_.empty() ||
           inflight_bytes_ - sacked_bytes_ + std::min(kMaxPayload, queued_bytes_) <= send_rwnd_;
  };
  while (queued_bytes_ > 0 || (end_queued_ && !end_sent_)) {
    if (pipe() >= cwnd) {
      ++stats_.cwnd_limited;
      break;
    }
    if (!window_allows()) {
      ++stats_.rwnd_limited;
      break;
    }
    if (socket_->blocked()) {
      ++stats_.socket_limited;
      break;
    }
    if (!pace(kHeaderSize + std::min(kMaxPayload, queued_bytes_))) {
      ++stats_.pacing_limited;
      break;
    }
    pace_tokens_ += static_cast<double>(kHeaderSize + std::min(kMaxPayload, queued_bytes_));
    make_packet();
    if (!transmit(inflight_.back())) {
      // Kernel buffer full: the packet goes out with the retransmissions once writable.
      inflight_.back().lost = true;
      ++lost_count_;
      break;
    }
  }
  // Out of data with room to send: the coming rate samples measure us, not the path.
  if (queued_bytes_ == 0 && !(end_queued_ && !end_sent_) && pipe() < cwnd) {
    bbr_.on_app_limited(pipe());
  }
  if (socket_->blocked()) socket_->wait_writable(local_id_);
  socket_->flush();
  if (!inflight_.empty() && !uv_is_active(reinterpret_cast<uv_handle_t*>(timer_))) arm_rto();
  schedule_probe();
}

void Stream::arm_rto() {
  uv_timer_start(timer_, on_rto,
                 std::min<std::uint64_t>(std::uint64_t{rto_ms_} << rto_strikes_, kMaxRtoMs), 0);
}

void Stream::on_rto(uv_timer_t* t) {
  if (auto* self = static_cast<Stream*>(t->data)) self->rto_fired();
}

void Stream::rto_fired() {
  if (closed_ || inflight_.empty()) return;
  ++stats_.rto_fires;
  if (++rto_strikes_ > kMaxRtoStrikes) {
    close(make_error(Errc::timed_out, "the peer stopped acknowledging data (timed out)"));
    return;
  }
  // Everything not known to have arrived is presumed lost; restart from a small window.
  for (auto& pkt : inflight_) {
    if (!pkt.sacked && !pkt.lost) {
      pkt.lost = true;
      ++lost_count_;
    }
  }
  bbr_.on_rto();
  tlp_in_flight_ = false;
  in_recovery_ = true;
  recovery_end_ = seq_;
  flush();
  arm_rto();
}

// The peer's first packet, acking nothing of ours: what we sent before it most likely met a NAT
// or firewall that had no mapping for us yet (a server answering an open client sends its first
// bytes before the client's packets have opened the client's NAT toward it). Resent now, not an
// RTO later, and not taken as congestion: nothing about the path's capacity was learnt. When
// both ends simply sent at once, it costs a duplicate of the first flight (at most the initial
// window), once per stream.
void Stream::resend_unanswered() {
  for (auto& pkt : inflight_) {
    if (!pkt.sacked && !pkt.lost && pkt.transmissions > 0) {
      pkt.lost = true;
      ++lost_count_;
      ++stats_.first_contact_resends;
    }
  }
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
  uv_timer_stop(timer_);
  uv_timer_stop(pace_timer_);
  uv_timer_stop(keepalive_timer_);
  uv_timer_stop(loss_timer_);
  // Late packets for this id now go to the socket's on_message, as in libudx.
  unregister();
  if (cb_.on_close) cb_.on_close(status);  // may delete this
}

}  // namespace peerport::udx
