// udx Stream, loss recovery: what the peer's acks and SACKs say was delivered, the RTT
// estimate (RFC 6298), loss detection by time (RACK, RFC 8985), the tail loss probe and the
// RTO (libudx src/udx.c ack_packet, udx_rto_timeout; docs/udx-notes.md 3.4 and 9.6). Every
// delivery and loss goes on to BBR; what is marked lost is resent by the send path
// (stream_send.cpp).
#include <algorithm>

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
// The tail loss probe waits two smoothed RTTs, at least this (Linux's TCP_TIMEOUT_MIN).
constexpr std::uint64_t kMinProbeMs = 10;
}  // namespace

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
      timer_.stop();
      loss_timer_.stop();
    } else {
      arm_rto();
    }
  }
  if ((h.type & kSack) && !inflight_.empty()) process_sacks(p, t_us);
  std::uint32_t newly_lost = 0;
  if (!inflight_.empty()) newly_lost = detect_losses(t_us);
  if (spurious_undo_ > 0) {
    bbr_.undo_loss(spurious_undo_);
    spurious_undo_ = 0;
  }
  bbr_.on_ack(t_us, newly_lost, pipe(), in_recovery_);
  if (trace::enabled() && now() >= trace_next_ms_) trace_state();
}

void Stream::process_sacks(const Packet& p, std::uint64_t t_us) {
  bool newly_sacked = false;
  std::optional<std::uint64_t> sack_sample;
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
  if (pkt.padding > 0) mtu_probe_acked(pkt);
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
      if (pkt.padding > 0) {
        mtu_probe_lost(pkt);  // too large for the path, most likely: not congestion
      } else {
        ++newly_lost;
      }
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
    loss_timer_.start((wait_us + 999) / 1000, [this] { loss_timer_fired(); });
    loss_timer_tlp_ = false;
  } else if (!loss_timer_tlp_) {
    loss_timer_.stop();
  }
  return newly_lost;
}

void Stream::loss_timer_fired() {
  if (closed_ || inflight_.empty()) return;
  if (loss_timer_tlp_) {
    send_probe();
    return;
  }
  const std::uint32_t lost = detect_losses(now_us());
  if (lost > 0) bbr_.on_ack(now_us(), lost, pipe(), in_recovery_);
  if (lost_count_ > 0) flush();  // a lost MTU probe is resent too, not counted as congestion
}

void Stream::schedule_probe() {
  // Tail loss probe (RFC 8985 7.2): with data out, nothing SACKed, nothing lost and no repair
  // under way, a loss of the last packets of a flight leaves no later packet to reveal it. Two
  // smoothed RTTs after the last send without an ack, one packet goes out to draw a SACK that
  // lets RACK find the hole, instead of the RTO's (>= 200 ms) that throws the window away. Our
  // receiver acks each receive batch at once: no delayed-ack allowance.
  if (inflight_.empty() || in_recovery_ || sacked_count_ > 0 || lost_count_ > 0 || tlp_in_flight_) {
    if (loss_timer_tlp_) {
      loss_timer_.stop();
      loss_timer_tlp_ = false;
    }
    return;
  }
  if (!loss_timer_tlp_ && loss_timer_.active()) return;
  const std::uint64_t pto = bbr_.min_rtt_us() != 0
                                ? std::max<std::uint64_t>(2 * std::uint64_t{srtt_ms_}, kMinProbeMs)
                                : 1000;
  const std::uint64_t rto_left = timer_.due_in();
  if (rto_left != 0 && pto >= rto_left) return;  // the RTO comes first anyway
  loss_timer_.start(pto, [this] { loss_timer_fired(); });
  loss_timer_tlp_ = true;
}

void Stream::send_probe() {
  loss_timer_tlp_ = false;
  if (tlp_in_flight_ || !socket_ || socket_->blocked()) return;
  // New data if there is some the peer's window takes (RFC 8985 7.3), else the last packet
  // again; either way past the congestion window and the pacer: it is one packet.
  OutPacket* probe = nullptr;
  if (queued_bytes_ > 0 && inflight_bytes_ - sacked_bytes_ + max_payload_ <= send_rwnd_) {
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
      mtu_probe_lost(*probe, false);
    }
    return;
  }
  probe->probe = was_sent;
  tlp_in_flight_ = true;
  ++stats_.tail_loss_probes;
  socket_->flush();
  arm_rto();
}

void Stream::arm_rto() {
  timer_.start(std::min<std::uint64_t>(std::uint64_t{rto_ms_} << rto_strikes_, kMaxRtoMs),
               [this] { rto_fired(); });
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
      mtu_probe_lost(pkt);
    }
  }
  // Two RTOs in a row after the search raised the size: the path may no longer carry it (a
  // black hole, RFC 8899 4.3). New packets go back to the base size, and the search stops.
  if (rto_strikes_ >= 2 && max_payload_ != kMaxPayload) {
    reset_mtu_search();
    pmtu_done_ = true;
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
      mtu_probe_lost(pkt, false);
      ++stats_.first_contact_resends;
    }
  }
}

}  // namespace peerport::udx
