#pragma once
// BBR congestion control for core/udx (the model of libudx src/udx_bbr.c, itself Linux's
// tcp_bbr.c; draft-cardwell-iccrg-bbr-congestion-control-00 and
// draft-cheng-iccrg-delivery-rate-estimation). docs/udx-notes.md says why and where it stops.
//
// BBR builds a model of the path from what is delivered, not from what is lost: the bottleneck
// bandwidth (the maximum delivery rate over the last 10 rounds) and the round-trip propagation
// time (the minimum RTT over the last 10 s). It paces at gain x bandwidth and caps what is in
// flight at gain x bandwidth x min RTT, cycling through
//
//   Startup    pacing/cwnd gain 2/ln2 until the bandwidth stops growing by 25 % for 3 rounds
//   Drain      pacing gain ln2/2 until in flight <= one BDP (empties the queue Startup built)
//   ProbeBW    pacing gains 1.25, 0.75, then 1 x 6, one min RTT each, cwnd gain 2
//   ProbeRTT   every 10 s without a new min RTT: in flight 4 packets for 200 ms and a round
//
// A random loss is not a signal here (it only takes the lost packets off the window), which is
// the point: loss-based control collapses at 1 % random loss.
//
// Pure: no clock, no I/O. The stream passes times in microseconds and counts in packets, so the
// whole state machine is tested deterministically (tests/unit/test_bbr.cpp).
#include <array>
#include <cstdint>

namespace peerport::udx {

class Bbr {
 public:
  enum class State : std::uint8_t {
    startup,
    drain,
    probe_bw,
    probe_rtt,
  };

  // Stamped on a packet each time it is sent; what the rate sample of its ack is measured from.
  struct SendState {
    std::uint64_t delivered = 0;      // packets delivered when it left
    std::uint64_t delivered_us = 0;   // when the last of those was delivered
    std::uint64_t first_sent_us = 0;  // send time of the packet that started this flight
    std::uint64_t sent_us = 0;        // its own send time
    bool app_limited = false;         // the sender had nothing to send then
  };

  static constexpr std::uint32_t kInitialCwnd = 10;     // packets, as libudx and RFC 6928
  static constexpr std::uint32_t kMinCwnd = 4;          // bbr_cwnd_min_target
  static constexpr std::uint32_t kBwWindowRounds = 10;  // bandwidth max filter length
  static constexpr std::uint64_t kMinRttWindowUs = 10'000'000;
  static constexpr std::uint64_t kProbeRttUs = 200'000;  // time held at the ProbeRTT window
  // ProbeRTT's window in BDPs, as BBR v2 (v1: kMinCwnd). Half a BDP in flight empties our queue
  // as surely and keeps half the rate: v1's 4 packets for 200 ms and a round cost a 250 ms path
  // about 4.5 % of its time.
  static constexpr double kProbeRttCwndGain = 0.5;
  static constexpr double kHighGain = 2.88539;  // 2 / ln 2
  static constexpr double kDrainGain = 1 / kHighGain;
  static constexpr double kCwndGain = 2.0;
  static constexpr double kPacingMargin = 0.99;  // pace 1 % under the estimate: drains queues
  static constexpr std::uint32_t kCycleLength = 8;
  // ProbeBW's drain phase (gain 0.75) lasts until a packet crosses with at most a quarter of
  // the min RTT queued, up to this many min RTTs: at 0.75 that drains a whole BDP, the most a
  // 2-BDP window can queue. v1 drains for one min RTT only (docs/udx-notes.md 9.12).
  static constexpr std::uint32_t kMaxDrainRounds = 4;
  static constexpr std::uint32_t kExtraAckedRounds = 5;  // ack aggregation filter length
  static constexpr std::uint64_t kExtraAckedMaxUs = 100'000;
  // The RTT the window is sized with is at least this. Below it (loopback, a LAN) the measured
  // RTT is mostly scheduling noise, and the pacer's 1 ms timer cannot space packets that finely
  // anyway (the stream does not pace there); a window of 2 x bw x min RTT would then be a few
  // packets and stall the sender whenever a process is descheduled.
  static constexpr std::uint64_t kMinRttFloorUs = 1000;

  // seed picks the first ProbeBW phase (libudx and Linux start at a random one so that flows
  // sharing a bottleneck do not probe in lockstep).
  explicit Bbr(std::uint64_t seed = 1);

  // A packet is about to leave with `in_flight` packets (sacked and lost ones excluded) already
  // out; returns what to stamp on it.
  SendState on_send(std::uint64_t now_us, std::uint32_t in_flight);
  // One packet newly delivered (cumulatively acked or SACKed for the first time).
  // `retransmitted`: its RTT is ambiguous (Karn) and not sampled.
  void on_delivered(const SendState& sent, std::uint64_t now_us, bool retransmitted);
  // The end of one ack: `lost` packets were newly marked lost by it, `in_flight` is what is out
  // now, `in_recovery` whether the stream is repairing a loss. Runs the model; the new cwnd()
  // and pacing_rate() take effect for the sends that follow.
  void on_ack(std::uint64_t now_us, std::uint32_t lost, std::uint32_t in_flight, bool in_recovery);
  // The sender ran out of data with room in the window: samples until that flight is delivered
  // measure the application, not the path, and must not lower the bandwidth estimate.
  void on_app_limited(std::uint32_t in_flight);
  // `n` packets taken off the window as lost turned out to have arrived (the stream found
  // their retransmissions spurious): the window they cost comes back.
  void undo_loss(std::uint32_t n);
  // The retransmission timer fired: everything out is presumed lost.
  void on_rto();
  // Packets changed size (the path MTU search): what the model holds in packets is multiplied
  // by `factor` (old size / new size), so it keeps meaning as many bytes.
  void rescale(double factor);

  std::uint32_t cwnd() const { return cwnd_; }
  // Packets per second; 0 until there is an RTT (the initial window leaves unpaced).
  double pacing_rate() const { return pacing_rate_; }
  State state() const { return state_; }
  double bandwidth() const;  // packets per second, the max filter
  std::uint64_t min_rtt_us() const { return min_rtt_us_; }
  bool full_bw_reached() const { return full_bw_reached_; }
  std::uint64_t delivered() const { return delivered_; }
  double pacing_gain() const { return pacing_gain_; }
  std::uint64_t rounds() const { return round_count_; }

 private:
  // The sample built over one ack from its newest delivered packet.
  struct RateSample {
    bool valid = false;
    std::uint64_t prior_delivered = 0;
    std::uint64_t prior_us = 0;
    std::uint64_t send_elapsed_us = 0;
    std::uint64_t ack_elapsed_us = 0;
    bool app_limited = false;
    std::uint64_t rtt_us = 0;  // 0: none in this ack
    std::uint32_t acked = 0;
  };

  double bdp(double bw, double gain) const;
  std::uint32_t inflight_target(double bw, double gain) const;
  std::uint32_t probe_rtt_cwnd() const;
  void update_bw(const RateSample& rs, double sample_bw);
  void update_ack_aggregation(const RateSample& rs, std::uint64_t now_us);
  void update_cycle_phase(const RateSample& rs, std::uint64_t now_us, std::uint32_t lost,
                          std::uint32_t prior_in_flight);
  void check_full_bw_reached(const RateSample& rs);
  void check_drain(std::uint64_t now_us, std::uint32_t in_flight);
  void update_min_rtt(const RateSample& rs, std::uint64_t now_us, std::uint32_t in_flight);
  void update_gains();
  void set_pacing_rate(double bw, double gain);
  void set_cwnd(std::uint32_t acked, std::uint32_t lost, bool in_recovery);
  void enter_probe_bw(std::uint64_t now_us);
  void reset_mode(std::uint64_t now_us);
  void save_cwnd();
  std::uint32_t next_random();

  // Delivery-rate estimation state (the draft's C.delivered, C.delivered_time, ...).
  std::uint64_t delivered_ = 0;
  std::uint64_t delivered_us_ = 0;
  std::uint64_t first_sent_us_ = 0;
  std::uint64_t app_limited_until_ = 0;  // 0: not app limited
  RateSample rs_;

  // The model.
  State state_ = State::startup;
  std::uint32_t cwnd_ = kInitialCwnd;
  std::uint32_t prior_cwnd_ = 0;
  double pacing_rate_ = 0;
  double pacing_gain_ = kHighGain;
  double cwnd_gain_ = kHighGain;
  std::array<double, kBwWindowRounds> bw_by_round_{};  // max sample of each of the last rounds
  std::array<std::uint64_t, kBwWindowRounds> bw_round_{};
  std::uint64_t round_count_ = 0;
  std::uint64_t next_round_delivered_ = 0;
  bool round_start_ = false;
  std::uint64_t min_rtt_us_ = 0;  // 0: no sample yet
  std::uint64_t min_rtt_stamp_us_ = 0;
  std::uint64_t probe_rtt_done_us_ = 0;
  bool probe_rtt_round_done_ = false;
  bool idle_restart_ = false;
  bool full_bw_reached_ = false;
  double full_bw_ = 0;
  std::uint32_t full_bw_count_ = 0;
  std::uint32_t cycle_index_ = 0;
  std::uint64_t cycle_stamp_us_ = 0;
  std::uint64_t phase_min_rtt_us_ = 0;  // the lowest RTT sample of this drain phase; 0: none
  bool prev_in_recovery_ = false;
  // Ack aggregation (bbr_update_ack_aggregation): packets acked beyond what the bandwidth
  // explains, kept as the max over two windows of kExtraAckedRounds rounds.
  std::array<std::uint32_t, 2> extra_acked_{};
  std::uint32_t extra_acked_index_ = 0;
  std::uint32_t extra_acked_rounds_ = 0;
  std::uint64_t ack_epoch_us_ = 0;
  std::uint64_t ack_epoch_acked_ = 0;
  std::uint64_t rng_;
};

}  // namespace peerport::udx
