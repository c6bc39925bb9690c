// udx Stream, the send path: written bytes cut into packets, paced at BBR's rate, and sent
// within the congestion window and the peer's receive window (libudx src/udx.c
// send_new_packet, _send_packet, stream_may_send; docs/udx-notes.md 4.2). Retransmissions of
// packets the loss detection marked lost (stream_recovery.cpp) leave here too, first.
#include <algorithm>

#include "udx/udx.hpp"

namespace peerport::udx {

namespace {
// The pacer's bucket, in ms of sending at the pacing rate (Stream::pace says why).
constexpr double kMinPaceBurstMs = 2;
constexpr double kMaxPaceBurstMs = 10;
}  // namespace

void Stream::make_packet() {
  OutPacket pkt;
  pkt.seq = seq_++;
  std::size_t want = std::min(max_payload_, queued_bytes_);
  if (!payload_pool_.empty()) {
    pkt.payload = std::move(payload_pool_.back());
    payload_pool_.pop_back();
    pkt.payload.clear();
  }
  pkt.payload.reserve(max_payload_);
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
  const double rate = bbr_.pacing_rate() * packet_bytes() / 1000.0;  // bytes per ms
  // The bucket holds an eighth of the min RTT of sending, 2 to 10 ms: the timer fires late on
  // a busy machine (and a 1 ms libuv timer often takes 2), and every ms it is late past the
  // bucket is sending lost for good. With a 2 ms bucket a 100 ms / 100 Mbit/s path under load
  // sent at 77 % of the pacing rate; bursts of an eighth of an RTT stay well inside the
  // window's 2 BDPs.
  const double burst_ms =
      std::clamp(static_cast<double>(bbr_.min_rtt_us()) / 8000.0, kMinPaceBurstMs, kMaxPaceBurstMs);
  const double burst = std::max(burst_ms * rate, 16.0 * packet_bytes());
  const std::uint64_t t = now();
  pace_tokens_ = std::min(burst, pace_tokens_ + rate * static_cast<double>(t - pace_last_));
  pace_last_ = t;
  if (pace_tokens_ >= static_cast<double>(bytes)) {
    pace_tokens_ -= static_cast<double>(bytes);
    return true;
  }
  if (!pace_timer_.active()) pace_timer_.start(1, [this] { flush(); });
  return false;
}

bool Stream::transmit(OutPacket& pkt) {
  if (socket_->blocked()) return false;
  if (!pace(kHeaderSize + pkt.padding + pkt.payload.size())) return false;
  pkt.probe = false;
  return send_now(pkt);
}

bool Stream::send_now(OutPacket& pkt) {
  // A retransmission is still marked lost here and so not counted in pipe(); a new packet is.
  const Bbr::SendState stamp = bbr_.on_send(now_us(), pipe() - (pkt.lost ? 0 : 1));
  if (!drop_for_test(pkt) &&
      !socket_->send_packet({pkt.type, 0, remote_id_, window(), pkt.seq, ack_}, pkt.payload,
                            remote_, pkt.padding)) {
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
           inflight_bytes_ - sacked_bytes_ + std::min(max_payload_, queued_bytes_) <= send_rwnd_;
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
    if (!pace(kHeaderSize + std::min(max_payload_, queued_bytes_))) {
      ++stats_.pacing_limited;
      break;
    }
    pace_tokens_ += static_cast<double>(kHeaderSize + std::min(max_payload_, queued_bytes_));
    make_packet();
    pad_for_mtu_probe(inflight_.back());
    if (!transmit(inflight_.back())) {
      // Kernel buffer full: the packet goes out with the retransmissions once writable.
      inflight_.back().lost = true;
      ++lost_count_;
      mtu_probe_lost(inflight_.back(), false);
      break;
    }
  }
  // Out of data with room to send: the coming rate samples measure us, not the path.
  if (queued_bytes_ == 0 && !(end_queued_ && !end_sent_) && pipe() < cwnd) {
    bbr_.on_app_limited(pipe());
  }
  if (socket_->blocked()) socket_->wait_writable(local_id_);
  socket_->flush();
  if (!inflight_.empty() && !timer_.active()) arm_rto();
  schedule_probe();
}

void Stream::pad_for_mtu_probe(OutPacket& pkt) {
  // One probe at a time, on a full packet of new data, once the path has answered (an RTT
  // measured), outside a repair, and never on a socket that lets routers fragment.
  if (pmtu_done_ || pmtu_trying_ != 0 || srtt_ms_ == 0 || in_recovery_ || adopt_source_ ||
      pkt.payload.size() != max_payload_ || (pkt.type & kEnd) || !socket_->dont_fragment()) {
    return;
  }
  if (pmtu_high_ < max_payload_ + kPmtuStep) {
    pmtu_done_ = true;
    return;
  }
  const std::size_t gap = pmtu_high_ - max_payload_;
  const std::size_t step = std::min(pmtu_bisect_ ? (gap + 1) / 2 : gap, kMaxProbePadding);
  pmtu_trying_ = max_payload_ + step;
  pkt.padding = static_cast<std::uint8_t>(step);
  ++stats_.mtu_probes;
}

void Stream::mtu_probe_lost(OutPacket& pkt, bool sent) {
  if (pkt.padding == 0) return;
  const std::size_t size = pkt.payload.size() + pkt.padding;
  pkt.padding = 0;
  if (size != pmtu_trying_) return;  // a probe of a search since reset
  pmtu_trying_ = 0;
  if (!sent) return;
  ++stats_.mtu_probes_lost;
  if (++pmtu_fails_ < kPmtuProbeAttempts) return;
  pmtu_fails_ = 0;
  pmtu_high_ = size - 1;
  pmtu_bisect_ = true;
}

void Stream::mtu_probe_acked(const OutPacket& pkt) {
  const std::size_t size = pkt.payload.size() + pkt.padding;
  if (size != pmtu_trying_) return;
  pmtu_trying_ = 0;
  pmtu_fails_ = 0;
  if (size > max_payload_) set_max_payload(size);
}

void Stream::set_max_payload(std::size_t size) {
  if (size == max_payload_) return;
  // BBR counts packets: what it learnt at the old size is as many bytes in a different number
  // of packets now.
  bbr_.rescale(static_cast<double>(max_payload_ + kHeaderSize) /
               static_cast<double>(size + kHeaderSize));
  max_payload_ = size;
}

void Stream::reset_mtu_search() {
  set_max_payload(kMaxPayload);
  pmtu_high_ = kMaxPathPayload;
  pmtu_trying_ = 0;
  pmtu_fails_ = 0;
  pmtu_bisect_ = false;
  pmtu_done_ = false;
}

}  // namespace peerport::udx
