// BBR for core/udx: libudx src/udx_bbr.c (bbr_main and its helpers, which follow Linux
// net/ipv4/tcp_bbr.c) and the delivery-rate estimation of tcp_rate.c. Function comments name
// their counterpart there. Counts are packets, times microseconds.
#include "udx/bbr.hpp"

#include <algorithm>
#include <cmath>

namespace peerport::udx {

namespace {
// ProbeBW's gain cycle: probe up for one min RTT, drain what that queued, cruise for six.
constexpr std::array<double, Bbr::kCycleLength> kPacingGains = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
// Startup ends once three rounds in a row grow the bandwidth by less than this.
constexpr double kFullBwThresh = 1.25;
constexpr std::uint32_t kFullBwCount = 3;
// Packets added to every in-flight target for the bursts pacing and ack coalescing make
// (Linux: 3 x the TSO quantum).
constexpr std::uint32_t kQuantumPackets = 3;
}  // namespace

Bbr::Bbr(std::uint64_t seed) : rng_(seed | 1) {}

std::uint32_t Bbr::next_random() {
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return static_cast<std::uint32_t>(rng_ >> 11);
}

double Bbr::bandwidth() const {
  double bw = 0;
  for (std::size_t i = 0; i < kBwWindowRounds; ++i) {
    if (round_count_ - bw_round_[i] < kBwWindowRounds) bw = std::max(bw, bw_by_round_[i]);
  }
  return bw;
}

double Bbr::bdp(double bw, double gain) const {
  // Without an RTT there is no model yet: the initial window (bbr_bdp).
  if (min_rtt_us_ == 0) return kInitialCwnd;
  const std::uint64_t rtt = std::max(min_rtt_us_, kMinRttFloorUs);
  return std::ceil(bw * static_cast<double>(rtt) / 1e6 * gain);
}

std::uint32_t Bbr::inflight_target(double bw, double gain) const {
  // bbr_inflight plus bbr_quantization_budget: the probing phase gets two packets more so that
  // a tiny BDP still probes.
  double target = bdp(bw, gain) + kQuantumPackets;
  if (state_ == State::probe_bw && cycle_index_ == 0) target += 2;
  return static_cast<std::uint32_t>(std::min(target, 1e9));
}

std::uint32_t Bbr::probe_rtt_cwnd() const {
  return std::max(kMinCwnd, static_cast<std::uint32_t>(bdp(bandwidth(), kProbeRttCwndGain)));
}

Bbr::SendState Bbr::on_send(std::uint64_t now_us, std::uint32_t in_flight) {
  if (in_flight == 0) {
    // A new flight after idle: its rate is measured from now, not from the last ack long ago.
    first_sent_us_ = now_us;
    delivered_us_ = now_us;
    if (app_limited_until_ != 0) {
      // bbr_on_transmit_start: restart at the estimated rate instead of re-probing.
      idle_restart_ = true;
      ack_epoch_us_ = now_us;
      ack_epoch_acked_ = 0;
      if (state_ == State::probe_bw) {
        set_pacing_rate(bandwidth(), 1.0);
      } else if (state_ == State::probe_rtt && probe_rtt_done_us_ != 0 &&
                 now_us > probe_rtt_done_us_) {
        min_rtt_stamp_us_ = now_us;
        cwnd_ = std::max(cwnd_, prior_cwnd_);
        reset_mode(now_us);
      }
    }
  }
  return {delivered_, delivered_us_, first_sent_us_, now_us, app_limited_until_ != 0};
}

void Bbr::on_delivered(const SendState& sent, std::uint64_t now_us, bool retransmitted) {
  // tcp_rate_skb_delivered: the sample is taken from the most recently sent packet this ack
  // delivers, over the interval since the delivery count it saw when it left.
  ++delivered_;
  delivered_us_ = now_us;
  ++rs_.acked;
  if (!rs_.valid || sent.delivered >= rs_.prior_delivered) {
    rs_.valid = true;
    rs_.prior_delivered = sent.delivered;
    rs_.prior_us = sent.delivered_us;
    rs_.app_limited = sent.app_limited;
    rs_.send_elapsed_us = sent.sent_us - std::min(sent.sent_us, sent.first_sent_us);
    rs_.ack_elapsed_us = delivered_us_ - std::min(delivered_us_, sent.delivered_us);
    first_sent_us_ = sent.sent_us;
  }
  if (!retransmitted)
    rs_.rtt_us = std::max<std::uint64_t>(now_us - std::min(now_us, sent.sent_us), 1);
}

void Bbr::on_app_limited(std::uint32_t in_flight) {
  app_limited_until_ = std::max<std::uint64_t>(delivered_ + in_flight, 1);
}

void Bbr::on_ack(std::uint64_t now_us, std::uint32_t lost, std::uint32_t in_flight,
                 bool in_recovery) {
  if (app_limited_until_ != 0 && delivered_ > app_limited_until_) app_limited_until_ = 0;
  const RateSample rs = rs_;
  rs_ = {};
  const std::uint32_t prior_in_flight = in_flight + rs.acked + lost;

  // tcp_rate_gen: the interval is the longer of the send and the ack phase, so neither a burst
  // of sends nor a burst of (coalesced) acks inflates the rate; one shorter than the min RTT
  // cannot be trusted at all.
  double sample_bw = -1;
  if (rs.valid) {
    const std::uint64_t interval = std::max(rs.send_elapsed_us, rs.ack_elapsed_us);
    const std::uint64_t floor = min_rtt_us_ != 0 ? min_rtt_us_ : 1;
    if (interval >= floor && interval > 0) {
      sample_bw = static_cast<double>(delivered_ - rs.prior_delivered) * 1e6 /
                  static_cast<double>(interval);
    }
  }

  // bbr_update_model
  update_bw(rs, sample_bw);
  update_ack_aggregation(rs, now_us);
  update_cycle_phase(rs, now_us, lost, prior_in_flight);
  check_full_bw_reached(rs);
  check_drain(now_us, in_flight);
  update_min_rtt(rs, now_us, in_flight);
  update_gains();

  set_pacing_rate(bandwidth(), pacing_gain_);
  set_cwnd(rs.acked, lost, in_recovery);
}

void Bbr::update_bw(const RateSample& rs, double sample_bw) {
  // bbr_update_bw: a round ends when a packet sent after the previous round's end is delivered.
  round_start_ = false;
  if (!rs.valid) return;
  if (rs.prior_delivered >= next_round_delivered_) {
    next_round_delivered_ = delivered_;
    ++round_count_;
    round_start_ = true;
  }
  if (sample_bw < 0) return;
  // An app-limited sample only says the path is at least that fast.
  if (rs.app_limited && sample_bw < bandwidth()) return;
  const std::size_t slot = round_count_ % kBwWindowRounds;
  if (bw_round_[slot] != round_count_) {
    bw_round_[slot] = round_count_;
    bw_by_round_[slot] = sample_bw;
  } else {
    bw_by_round_[slot] = std::max(bw_by_round_[slot], sample_bw);
  }
}

void Bbr::update_ack_aggregation(const RateSample& rs, std::uint64_t now_us) {
  // bbr_update_ack_aggregation: acks that arrive in bursts (the peer coalesces one ack per
  // receive batch; Wi-Fi aggregates) deliver more than bw x time; without room for that in the
  // window the sender would idle between bursts.
  if (rs.acked == 0 || !rs.valid) return;
  if (round_start_ && ++extra_acked_rounds_ >= kExtraAckedRounds) {
    extra_acked_rounds_ = 0;
    extra_acked_index_ ^= 1;
    extra_acked_[extra_acked_index_] = 0;
  }
  double expected =
      bandwidth() * static_cast<double>(now_us - std::min(now_us, ack_epoch_us_)) / 1e6;
  if (static_cast<double>(ack_epoch_acked_) <= expected) {
    ack_epoch_acked_ = 0;
    ack_epoch_us_ = now_us;
    expected = 0;
  }
  ack_epoch_acked_ += rs.acked;
  const double extra =
      std::min(static_cast<double>(ack_epoch_acked_) - expected, static_cast<double>(cwnd_));
  extra_acked_[extra_acked_index_] =
      std::max(extra_acked_[extra_acked_index_], static_cast<std::uint32_t>(extra));
}

void Bbr::update_cycle_phase(const RateSample& rs, std::uint64_t now_us, std::uint32_t lost,
                             std::uint32_t prior_in_flight) {
  // bbr_is_next_cycle_phase
  if (state_ != State::probe_bw) return;
  const std::uint64_t elapsed = now_us - cycle_stamp_us_;
  const bool full_length = elapsed > min_rtt_us_;
  const double gain = kPacingGains[cycle_index_];
  if (gain < 1 && rs.rtt_us != 0 && (phase_min_rtt_us_ == 0 || rs.rtt_us < phase_min_rtt_us_)) {
    phase_min_rtt_us_ = rs.rtt_us;
  }
  bool next = full_length;
  if (gain > 1) {
    // Probe until the extra is really in flight, or a loss says the pipe is full.
    next = full_length && (lost > 0 || prior_in_flight >= inflight_target(bandwidth(), gain));
  } else if (gain < 1) {
    // Drain until the queue is gone: in flight at most a BDP (v1), or a packet that crossed
    // with little queued. v1 drains for one min RTT however much is queued; but the bandwidth
    // filter keeps the highest sample, so cruising at 1.0 runs a little above the link, a
    // queue creeps in over the cycles, and it grew until the 2-BDP window held it (2x the
    // RTT, measured at 20 Mbit/s). An ack-aggregating path looks full by in-flight count
    // alone, so the RTT decides, and kMaxDrainRounds bounds it.
    const bool drained = phase_min_rtt_us_ != 0 && phase_min_rtt_us_ <= min_rtt_us_ * 5 / 4;
    next = prior_in_flight <= inflight_target(bandwidth(), 1.0) || (full_length && drained) ||
           elapsed > kMaxDrainRounds * min_rtt_us_;
  }
  if (next) {
    cycle_index_ = (cycle_index_ + 1) % kCycleLength;
    cycle_stamp_us_ = now_us;
    phase_min_rtt_us_ = 0;
  }
}

void Bbr::check_full_bw_reached(const RateSample& rs) {
  // bbr_check_full_bw_reached: loss does not end Startup (BBR v1; random loss would).
  if (full_bw_reached_ || !round_start_ || rs.app_limited) return;
  const double bw = bandwidth();
  if (bw >= full_bw_ * kFullBwThresh) {
    full_bw_ = bw;
    full_bw_count_ = 0;
    return;
  }
  if (++full_bw_count_ >= kFullBwCount) full_bw_reached_ = true;
}

void Bbr::check_drain(std::uint64_t now_us, std::uint32_t in_flight) {
  if (state_ == State::startup && full_bw_reached_) state_ = State::drain;
  if (state_ == State::drain && in_flight <= inflight_target(bandwidth(), 1.0)) {
    enter_probe_bw(now_us);
  }
}

void Bbr::update_min_rtt(const RateSample& rs, std::uint64_t now_us, std::uint32_t in_flight) {
  // bbr_update_min_rtt: a min RTT not confirmed for 10 s may be stale (the path changed, or our
  // own queue hid it): drain to half a BDP for a while to measure it afresh.
  const bool expired = min_rtt_us_ != 0 && now_us > min_rtt_stamp_us_ + kMinRttWindowUs;
  if (rs.rtt_us != 0 && (min_rtt_us_ == 0 || rs.rtt_us < min_rtt_us_ || expired)) {
    min_rtt_us_ = rs.rtt_us;
    min_rtt_stamp_us_ = now_us;
  }
  if (expired && !idle_restart_ && state_ != State::probe_rtt) {
    state_ = State::probe_rtt;
    save_cwnd();
    probe_rtt_done_us_ = 0;
  }
  if (state_ == State::probe_rtt) {
    // Whatever is measured now is limited by our own small window, not the path.
    on_app_limited(in_flight);
    if (probe_rtt_done_us_ == 0 && in_flight <= probe_rtt_cwnd()) {
      probe_rtt_done_us_ = now_us + kProbeRttUs;
      probe_rtt_round_done_ = false;
      next_round_delivered_ = delivered_;
    } else if (probe_rtt_done_us_ != 0) {
      if (round_start_) probe_rtt_round_done_ = true;
      if (probe_rtt_round_done_ && now_us > probe_rtt_done_us_) {
        min_rtt_stamp_us_ = now_us;
        cwnd_ = std::max(cwnd_, prior_cwnd_);
        reset_mode(now_us);
      }
    }
  }
  if (rs.acked > 0) idle_restart_ = false;
}

void Bbr::update_gains() {
  switch (state_) {
    case State::startup:
      pacing_gain_ = kHighGain;
      cwnd_gain_ = kHighGain;
      break;
    case State::drain:
      pacing_gain_ = kDrainGain;
      cwnd_gain_ = kHighGain;
      break;
    case State::probe_bw:
      pacing_gain_ = kPacingGains[cycle_index_];
      cwnd_gain_ = kCwndGain;
      break;
    case State::probe_rtt:
      pacing_gain_ = 1;
      cwnd_gain_ = 1;
      break;
  }
}

void Bbr::set_pacing_rate(double bw, double gain) {
  // bbr_set_pacing_rate: until Startup is done the rate only grows; the first RTT seeds it with
  // the initial window per RTT (bbr_init_pacing_rate_from_rtt).
  if (pacing_rate_ == 0 && min_rtt_us_ != 0) {
    pacing_rate_ = kHighGain * kInitialCwnd * 1e6 / static_cast<double>(min_rtt_us_);
  }
  const double rate = gain * bw * kPacingMargin;
  if (rate > 0 && (full_bw_reached_ || rate > pacing_rate_)) pacing_rate_ = rate;
}

void Bbr::save_cwnd() {
  // bbr_save_cwnd: what to return to after recovery or ProbeRTT.
  if (!prev_in_recovery_ && state_ != State::probe_rtt)
    prior_cwnd_ = cwnd_;
  else
    prior_cwnd_ = std::max(prior_cwnd_, cwnd_);
}

void Bbr::set_cwnd(std::uint32_t acked, std::uint32_t lost, bool in_recovery) {
  if (acked == 0) {
    if (state_ == State::probe_rtt) cwnd_ = std::min(cwnd_, probe_rtt_cwnd());
    return;
  }
  // bbr_set_cwnd_to_recover_or_restore, less its packet conservation: losses come off the
  // window, entering recovery saves the window and leaving it restores it. Linux and libudx also
  // hold the window at what is in flight for the first round of a recovery; under random loss a
  // new recovery starts every round, so that pins the window where it is and the rate
  // collapses (to 62 % of the link at 3 % loss in test_bbr.cpp's model). Real congestion is
  // still answered: the window is bounded by 2 BDPs and the pacing rate by what is delivered.
  std::uint32_t cwnd = cwnd_;
  if (lost > 0) cwnd = cwnd > lost ? cwnd - lost : 1;
  if (in_recovery && !prev_in_recovery_) {
    save_cwnd();
  } else if (!in_recovery && prev_in_recovery_) {
    cwnd = std::max(cwnd, prior_cwnd_);
  }
  prev_in_recovery_ = in_recovery;
  double aggregation = 0;
  if (full_bw_reached_) {
    aggregation = std::min<double>(std::max(extra_acked_[0], extra_acked_[1]),
                                   bandwidth() * static_cast<double>(kExtraAckedMaxUs) / 1e6);
  }
  // The aggregation allowance lies inside the 2 BDPs, not on top of them (a deep queue holds
  // whatever the window allows beyond one BDP).
  const double with_aggregation =
      static_cast<double>(inflight_target(bandwidth(), 1.0)) + aggregation;
  const auto target = static_cast<std::uint32_t>(std::min(
      std::max(static_cast<double>(inflight_target(bandwidth(), cwnd_gain_)), with_aggregation),
      1e9));
  if (full_bw_reached_)
    cwnd = std::min(cwnd + acked, target);
  else if (cwnd < target || delivered_ < kInitialCwnd)
    cwnd += acked;
  cwnd = std::max(cwnd, kMinCwnd);
  cwnd_ = state_ == State::probe_rtt ? std::min(cwnd, probe_rtt_cwnd()) : cwnd;
}

void Bbr::undo_loss(std::uint32_t n) {
  // Bounded again by the in-flight target at the next ack once Startup is over.
  if (state_ != State::probe_rtt) cwnd_ += n;
}

void Bbr::on_rto() {
  // A timeout (bbr_on_rto and Linux's CA_EVENT_LOSS): start again from one packet, growing by
  // what is acked; the window from before returns when the recovery the stream starts now ends.
  save_cwnd();
  prev_in_recovery_ = true;
  full_bw_ = 0;
  round_start_ = true;
  cwnd_ = 1;
}

void Bbr::enter_probe_bw(std::uint64_t now_us) {
  // bbr_reset_probe_bw_mode: start at a random phase other than the draining one.
  state_ = State::probe_bw;
  cycle_index_ = kCycleLength - 1 - next_random() % (kCycleLength - 1);
  cycle_index_ = (cycle_index_ + 1) % kCycleLength;
  cycle_stamp_us_ = now_us;
  phase_min_rtt_us_ = 0;
}

void Bbr::reset_mode(std::uint64_t now_us) {
  if (!full_bw_reached_)
    state_ = State::startup;
  else
    enter_probe_bw(now_us);
}

void Bbr::rescale(double factor) {
  auto scaled = [factor](std::uint32_t packets) {
    return static_cast<std::uint32_t>(static_cast<double>(packets) * factor + 0.5);
  };
  for (double& bw : bw_by_round_) bw *= factor;
  full_bw_ *= factor;
  pacing_rate_ *= factor;
  cwnd_ = std::max(scaled(cwnd_), kMinCwnd);
  prior_cwnd_ = scaled(prior_cwnd_);
  for (std::uint32_t& extra : extra_acked_) extra = scaled(extra);
}

}  // namespace peerport::udx
