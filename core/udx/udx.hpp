#pragma once
// core/udx: reliable, congestion-controlled streams over one UDP socket, wire-compatible with
// libudx as udx-native 1.21.3 bundles it (docs/udx-notes.md). Single-threaded: everything runs
// on the engine's libuv loop.
//
//   Udx      the registry of streams by id (libudx's udx_t); ids are per Udx, not per socket
//   Socket   one UDP socket; UDX packets go to their stream, everything else to on_message (the
//            DHT shares the socket, as hyperdht does). Two I/O paths, picked at build time
//            (socket.cpp): Linux batches syscalls (recvmmsg/sendmmsg, GSO/GRO) on a raw fd; every
//            other OS, and Linux with PEERPORT_PORTABLE_IO=ON, goes through libuv's uv_udp_t.
//   Stream   one reliable byte stream plus unordered messages
//
// Flow of a stream packet: Socket::receive -> parse -> Udx::find(id) -> Stream::on_packet ->
// (data: reorder, deliver, ack) (ack/SACK: free acked packets, RTT, cwnd, loss -> retransmit).

#include <uv.h>  // sockaddr_in, ntohs: from the POSIX headers or winsock2.h

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "common/uv.hpp"
#include "udx/bbr.hpp"
#include "udx/packet.hpp"

namespace peerport::udx {

class Socket;
class Stream;

struct Address {
  sockaddr_in sa{};
  static std::optional<Address> parse(std::string_view host, std::uint16_t port);
  std::string to_string() const;
  std::uint16_t port() const { return ntohs(sa.sin_port); }
  bool operator==(const Address& o) const {
    return sa.sin_addr.s_addr == o.sa.sin_addr.s_addr && sa.sin_port == o.sa.sin_port;
  }
};

// Counters of what arrived and what was dropped, for stats and for tests to assert on.
struct SocketStats {
  std::uint64_t packets_in = 0;
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  std::uint64_t non_udx_in = 0;      // handed to on_message
  std::uint64_t malformed = 0;       // looked like UDX, failed to parse: dropped
  std::uint64_t unknown_stream = 0;  // valid UDX for no stream of ours: to on_message
  std::uint64_t firewalled = 0;      // for an unconnected stream that refused it
  std::uint64_t send_errors = 0;
  std::uint64_t rx_syscalls = 0;
  std::uint64_t tx_syscalls = 0;
};

class Udx {
 public:
  explicit Udx(uv_loop_t* loop) : clock_(loop) {}
  // On a test's clock (common/clock.hpp): every stream timer, and the DHT, holepunch and relay
  // timers of what runs on this Udx, follow it.
  explicit Udx(const Clock& clock) : clock_(clock) {}
  ~Udx() { *alive_ = false; }
  Udx(const Udx&) = delete;
  Udx& operator=(const Udx&) = delete;

  uv_loop_t* loop() const { return clock_.loop(); }
  const Clock& clock() const { return clock_; }
  // One receive area for every socket on this loop: a socket drains its queue inside one
  // callback and nothing it delivers outlives that callback, so sockets never need their own.
  // Birthday punching opens hundreds of sockets; each with its own 2 MiB would cost 512 MiB.
  // Left uninitialised: pages become resident only once a datagram that large is read.
  std::uint8_t* rx_area(std::size_t size);
  // A random id not in use, as hyperdht picks stream ids.
  std::uint32_t new_stream_id() const;
  Stream* find(std::uint32_t id) const;

  // What all streams on this Udx may hold for their readers together: out-of-order data and
  // data a paused reader has not taken. Each stream may hold kMaxHeld, so without this 256
  // streams (a share's limit) could be made to hold 3 GiB by peers that never fill a hole.
  // Past it, data that would have to be kept is dropped unacked and counted (`out_of_window`);
  // the sender retries it, so only speed is lost.
  static constexpr std::size_t kMaxHeldInAll = 256u << 20;
  void set_max_held_in_all(std::size_t bytes) { max_held_in_all_ = bytes; }
  std::size_t held_in_all() const { return held_in_all_; }

 private:
  friend class Stream;
  Clock clock_;
  std::size_t max_held_in_all_ = kMaxHeldInAll;
  std::size_t held_in_all_ = 0;
  std::unique_ptr<std::uint8_t[]> rx_area_;
  std::size_t rx_area_size_ = 0;
  std::unordered_map<std::uint32_t, Stream*> streams_;
  // A stream freed after its Udx (at shutdown, from a deferred delete) must not touch it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

class Socket {
 public:
  using MessageFn = std::function<void(ByteView, const Address&)>;

  explicit Socket(Udx& udx);
  ~Socket();  // closes the socket; safe at any time
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  Status bind(const Address& addr);
  Address local_address() const;
  void on_message(MessageFn fn) { on_message_ = std::move(fn); }
  // A raw datagram (DHT traffic, holepunch probes), sent at once. One above a stream's base
  // packet size leaves without don't-fragment: the path may be smaller.
  Status send(ByteView datagram, const Address& to);
  // One datagram with this IP TTL (holepunch's openSession uses a short one), then back to 64.
  Status send_ttl(ByteView datagram, const Address& to, int ttl);
  const SocketStats& stats() const { return stats_; }
  Udx& udx() const { return udx_; }
  // "linux-batch" or "portable" (uv_udp_t): which I/O path this build uses, for stats and benches.
  static const char* io_path();

  // The stream send path. Packets are gathered into one batch per destination and leave
  // together (Linux: one syscall, UDP GSO where the kernel has it, else sendmmsg; portable path:
  // one uv_udp_try_send per packet): when the batch is full, when the
  // event that produced them ends, or on flush(). False if the kernel buffer is full; the caller
  // registers with wait_writable and its stream is flushed again once the socket can send.
  // `padding` zero bytes go between the header and the payload (its data_offset): a path MTU
  // probe. A probe leaves in a batch of its own, so a path that cannot carry it loses it alone.
  bool send_packet(const Header& h, ByteView payload, const Address& to, std::size_t padding = 0);
  void flush();
  // Whether this socket sets the don't-fragment bit on what it sends. Path MTU probes need it:
  // a probe that routers fragmented would arrive and pass for a larger MTU, and every packet
  // after it would travel in fragments.
  bool dont_fragment() const { return dont_fragment_; }
  bool blocked() const { return tx_blocked_; }
  void wait_writable(std::uint32_t stream_id);
  // Acks are coalesced: one per stream per receive batch, not one per packet.
  void request_ack(std::uint32_t stream_id);

 private:
  // The OS socket and its libuv handles (Linux: the fd under a uv_poll_t; portable: a uv_udp_t
  // and the uv_check_t that ends a receive batch); the handles outlive the Socket until libuv
  // has closed them.
  struct Io;
  friend struct Io;
  void on_readable(const bool& destroyed);
  void on_writable();
  void receive(ByteView datagram, const Address& from);
  void end_rx_batch();
  bool flush_batch();
  void update_poll();
  Status send_datagram(ByteView datagram, const Address& to);
  bool set_dont_fragment(bool on);

  Udx& udx_;
  Io* io_ = nullptr;
  MessageFn on_message_;
  SocketStats stats_;
  bool in_rx_ = false;
  // Set while a poll event is handled: a callback may destroy this socket, and the handler
  // must then stop without touching a member.
  bool* destroyed_ = nullptr;
  // Transmit batch: packets of one size (the last may be shorter) to one address.
  Bytes tx_;  // empty until the first stream packet
  std::size_t tx_len_ = 0;
  std::size_t tx_seg_ = 0;
  std::size_t tx_count_ = 0;
  bool tx_closed_ = false;  // a short packet ended the batch
  Address tx_to_;
  bool tx_blocked_ = false;
  bool dont_fragment_ = false;
  std::vector<std::uint32_t> waiting_;
  std::vector<std::uint32_t> acks_;
};

struct StreamStats {
  std::uint64_t bytes_sent = 0;        // payload bytes, first transmissions
  std::uint64_t bytes_received = 0;    // payload bytes delivered in order
  std::uint64_t packets_received = 0;  // any packet of the peer's taken in (data, ack, heartbeat)
  std::uint64_t packets_sent = 0;
  std::uint64_t retransmits = 0;
  std::uint64_t rto_fires = 0;
  // Retransmissions whose original arrived after all (acked sooner after the resend than half
  // the path's min RTT): reordering or delay taken for loss.
  std::uint64_t spurious_retransmits = 0;
  std::uint64_t tail_loss_probes = 0;
  // Packets sent before the peer's first packet arrived, resent when it did (resend_unanswered).
  std::uint64_t first_contact_resends = 0;
  // Why sending stopped with data waiting, counted per occasion: the congestion window, the
  // peer's receive window, the pacer, the kernel's socket buffer.
  std::uint64_t cwnd_limited = 0;
  std::uint64_t rwnd_limited = 0;
  std::uint64_t pacing_limited = 0;
  std::uint64_t socket_limited = 0;
  std::uint64_t heartbeats_sent = 0;
  std::uint64_t duplicates = 0;     // data we already had
  std::uint64_t out_of_window = 0;  // data too far ahead: dropped
  std::uint64_t bad_acks = 0;       // acks for data never sent, invalid SACKs
  // Path MTU search: probes sent, probes lost (resent at the size that works, not taken for
  // congestion), and the payload per packet it reached.
  std::uint64_t mtu_probes = 0;
  std::uint64_t mtu_probes_lost = 0;
  std::uint32_t max_payload = 0;
  std::uint32_t srtt_ms = 0;
  std::uint32_t rto_ms = 0;
  std::uint32_t cwnd = 0;       // packets
  std::uint64_t bandwidth = 0;  // BBR's bottleneck estimate, bytes per second
  std::uint32_t min_rtt_us = 0;
  // Relay streams only: packets passed on unread, and those dropped over the rate limit or
  // because the other end of the link had not shown itself yet.
  std::uint64_t relayed_packets = 0;
  std::uint64_t relayed_bytes = 0;
  std::uint64_t relay_dropped = 0;
};

class Stream {
 public:
  struct Callbacks {
    std::function<void(ByteView)> on_data;
    std::function<void()> on_end;    // the peer finished writing
    std::function<void()> on_drain;  // write() may be called again
    std::function<void(ByteView)> on_message;
    // The stream is done: ok (both ends finished, all acked), or the error that ended it.
    // Called once; the Stream may be deleted from inside it.
    std::function<void(const Status&)> on_close;
    // For packets reaching a stream that is not connected (yet): return true to accept them
    // (hyperdht connects the stream from here). Default: drop, as udx-native's firewallAll.
    std::function<bool(Socket&, const Address&)> on_firewall;
    // Relay streams: each datagram as it is passed on (ciphertext: what the relay can see).
    std::function<void(ByteView)> on_relayed;
  };

  // Bytes written but not yet sent above which write() says to wait; on_drain comes below
  // half of it. Sent, unacked data does not count: it is bounded by the congestion window and
  // the peer's receive window, and counting it stalled the writer whenever a loss held more
  // than half of this unacked (a 100 ms x 100 Mbit/s path has 1.25 MB in flight, and twice
  // that while a hole is repaired).
  static constexpr std::size_t kHighWaterMark = 4u << 20;
  // libudx's default maximum payload for IPv4 at its 1200-byte MTU: where every stream starts,
  // a packet size every path is taken to carry.
  static constexpr std::size_t kMaxPayload = 1152;
  // The path MTU search (RFC 8899's datagram PLPMTUD, wire-compatible with libudx's): once the
  // first RTT is measured, one full data packet at a time is padded (its data_offset) to a
  // larger size; its ack makes that size the stream's payload per packet, its loss (two of one
  // size) bounds the search, which then bisects. A loss of a probe is not congestion: the
  // packet is resent unpadded. Up to a 1500-byte IPv4 packet, Ethernet's: hypertele's streams
  // reach it, and at 1152 bytes a full link carried 1 % less of our payload than of theirs.
  static constexpr std::size_t kMaxPathPayload = 1500 - 20 - 8 - kHeaderSize;  // 1452
  static constexpr std::size_t kMaxProbePadding = 255;  // data_offset is one byte
  static constexpr std::size_t kPmtuStep = 32;          // smaller gains are not searched for
  // Lost probes of one size before it is taken for too large: 3 % random loss takes two in a
  // row one time in a thousand.
  static constexpr std::uint32_t kPmtuProbeAttempts = 2;
  // The window we advertise: what a paused reader may leave waiting (libudx: 4 MiB, less what
  // waits for its reader). The sender keeps its unacked, un-SACKed data within it, so it must
  // cover the path's BDP plus BBR's probing and a repair in progress: at 250 ms x 100 Mbit/s
  // (3.1 MB in flight) with 1 % loss, 4 MiB held the sender at 0.78-0.87 of the link and 6 MiB
  // reached 0.96-0.97 (docs/udx-notes.md 9.10).
  static constexpr std::uint32_t kReceiveWindow = 6u << 20;
  // Every SACK leads with the runs of this many latest out-of-order arrivals (as RFC 2018 asks
  // of TCP), then the lowest runs. With more runs than one ack carries, the lowest kMaxSacks
  // alone hid what arrived above them until the holes below filled, and the sender then saw it
  // all delivered at once (docs/udx-notes.md 9.10). Six, not one: a receive batch can open
  // several runs, and an ack can be lost.
  static constexpr std::size_t kRecentSacks = 6;
  // All a stream holds for its reader: data waiting to be read plus data above a hole. Out-of-
  // order data does not shrink the window until the two together near this (libudx does not
  // count it at all): a hole takes more than an RTT to fill, and counting what arrived above it
  // in the window stopped the sender for most of that time (250 ms x 100 Mbit/s with 0.1-3 %
  // loss: 0.55-0.69 of hypertele's rate). Past it, data is dropped unacked (`out_of_window`).
  static constexpr std::size_t kMaxHeld = 2 * static_cast<std::size_t>(kReceiveWindow);
  // How far past the next expected packet data is taken, in packets: bounds the out-of-order
  // map's entries whatever their size (kMaxHeld bounds their bytes; 16384 x 1152 B covers it).
  static constexpr std::uint32_t kMaxAheadPackets = 16384;

  Stream(Udx& udx, std::uint32_t local_id, Callbacks callbacks);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  std::uint32_t id() const { return local_id_; }
  Status connect(Socket& socket, std::uint32_t remote_id, const Address& remote);
  // Move the stream to another socket / address / remote id without breaking it (hole punch
  // upgrade, relay switch). Unacked packets are resent to the new path.
  Status change_remote(Socket& socket, std::uint32_t remote_id, const Address& remote);

  // Queues data; false when what is unsent is over kHighWaterMark (wait for on_drain).
  bool write(ByteView data);
  // The same, taking the buffer over instead of copying it (a tunnel's sealed frames: one copy
  // less per byte sent).
  bool write(Bytes&& data);
  void end();                             // graceful: sends END after all data
  void destroy();                         // abortive: one DESTROY packet, closes at once
  Status send_message(ByteView message);  // unreliable, one datagram

  // Receive-side backpressure: while paused, data is kept (and the advertised window shrinks)
  // instead of delivered; past the window the peer is made to wait.
  void pause_reading();
  void resume_reading();
  bool reading_paused() const { return paused_; }

  bool connected() const { return socket_ != nullptr; }
  Socket* socket() const { return socket_; }
  Udx& udx() const { return udx_; }
  std::size_t buffered() const { return queued_bytes_ + inflight_bytes_; }
  std::size_t max_payload() const { return max_payload_; }  // what the MTU search reached
  const StreamStats& stats() const;
  const Address& remote_address() const { return remote_; }

  // Called by Socket for packets with our id.
  void on_packet(Socket& from_socket, const Packet& p, const Address& from);

  // Send a HEARTBEAT whenever nothing was sent for this long (0: off, the default), so NAT
  // bindings stay open on an idle tunnel; as libudx's udx_stream_set_keepalive.
  void set_keepalive(std::uint32_t ms);

  // The remote address given to connect() is a guess (a server connecting back to where the
  // relay saw its client): the first packet that arrives from the peer corrects it.
  // The first packet from the peer moves the stream to its source, and to the socket it came
  // in on (a holepunch may win on another socket of ours than the one we connected on).
  void adopt_first_source() { adopt_source_ = true; }
  bool adopting() const { return adopt_source_; }  // no packet from the peer yet
  void stop_adopting() { adopt_source_ = false; }
  // Called for a packet from anywhere but the connected socket and address, before it is
  // processed: a relayed stream moves to a direct path the peer's packets arrive on.
  void watch_source(std::function<void(Socket&, const Address&)> fn) {
    source_watch_ = std::move(fn);
  }
  // Called once, with the first packet from the peer that the stream accepts, before that
  // packet is processed (a server hands a connection over only once its client is there).
  void on_first_packet(std::function<void()> fn) { first_packet_ = std::move(fn); }

  // Blind relaying (blind-relay's relayTo, libudx udx_stream_relay_to): every packet for this
  // stream goes on unread to `destination`'s peer, only the stream id rewritten; nothing here
  // is decrypted, reordered or acked, the two ends run one UDX stream through us. For good:
  // once the partner is gone, packets are dropped.
  Status relay_to(Stream& destination);
  bool relaying() const { return relay_; }
  // Bytes per second this stream may pass on (a token bucket of one second); over it packets
  // are dropped and counted, and the ends' congestion control backs off. 0: unlimited.
  void set_relay_rate(std::uint64_t bytes_per_second) { relay_rate_ = bytes_per_second; }
  // Called by Socket for packets of a relaying stream.
  void relay_packet(Socket& from_socket, ByteView datagram, const Header& h, const Address& from);

  // Test hook: drop this fraction of outgoing packets, from a seeded generator, so loss and
  // retransmission are tested repeatably on a real socket (libudx has UDX_DEBUG_FORCE_* for this).
  void set_loss(double fraction, std::uint64_t seed);
  // Test hook: drop outgoing packets whose payload and padding exceed this, as a path with a
  // smaller MTU would (libudx: UDX_DEBUG_FORCE_DROP_PROBES). 0: off.
  void set_path_payload_for_test(std::size_t bytes) { path_payload_for_test_ = bytes; }

 private:
  struct OutPacket {
    std::uint32_t seq = 0;
    std::uint8_t type = 0;
    Bytes payload;
    std::uint64_t sent_at = 0;
    Bbr::SendState rate;  // delivery-rate stamp of its last transmission
    std::uint32_t transmissions = 0;
    bool sacked = false;
    bool lost = false;         // waiting for retransmission
    bool probe = false;        // its last transmission was a tail loss probe
    std::uint8_t padding = 0;  // an MTU probe's, for as long as it is neither acked nor lost
  };

  void process_ack(const Packet& p);
  void process_data(const Packet& p);
  void deliver_in_order();
  bool deliver(ByteView data);  // false if the stream is gone or closed
  void maybe_end();
  void send_ack();
  friend class Socket;
  bool ack_queued_ = false;
  void flush();  // send what cwnd and the peer's window allow
  bool transmit(OutPacket& pkt);
  void make_packet();
  void pad_for_mtu_probe(OutPacket& pkt);
  // Called wherever a packet is marked lost: a probe goes back to the size that works. `sent`:
  // it left (a loss counts against its size), or the socket refused it (it does not).
  void mtu_probe_lost(OutPacket& pkt, bool sent = true);
  void mtu_probe_acked(const OutPacket& pkt);
  void reset_mtu_search();
  void set_max_payload(std::size_t size);  // with BBR's packet-counted model rescaled
  void update_rtt(std::uint32_t sample_ms);
  void on_delivered(const OutPacket& pkt, std::uint64_t t_us);
  void trace_state();  // PEERPORT_TRACE: the sender's state, once a second
  std::uint32_t window() const;
  void unregister();
  void arm_rto();
  bool pace(std::size_t bytes);  // false: over the pacing rate, the pace timer resumes us
  void rto_fired();
  void process_sacks(const Packet& p, std::uint64_t t_us);
  void add_ooo_run(std::uint32_t seq);
  std::map<std::uint32_t, std::uint32_t>::const_iterator ooo_run_of(std::uint32_t seq) const;
  std::uint32_t detect_losses(std::uint64_t t_us);  // RACK; packets newly marked lost
  std::uint64_t reo_wnd_us() const;
  void loss_timer_fired();
  void schedule_probe();
  void send_probe();
  bool send_now(OutPacket& pkt);  // transmit() less the pacer
  double packet_bytes() const { return static_cast<double>(max_payload_ + kHeaderSize); }
  std::uint32_t pipe() const {  // packets out: neither SACKed nor waiting to be resent
    return static_cast<std::uint32_t>(inflight_.size() - sacked_count_ - lost_count_);
  }
  std::uint64_t now_us() const;
  void maybe_close();
  void close(Status status);
  void maybe_drain();
  void resend_unanswered();
  std::uint64_t now() const;
  bool drop_for_test(const OutPacket& pkt);

  Udx& udx_;
  std::weak_ptr<bool> udx_alive_;
  std::uint32_t local_id_;
  Callbacks cb_;
  Socket* socket_ = nullptr;
  std::uint32_t remote_id_ = 0;
  Address remote_;
  uvx::Timer timer_;  // the RTO
  uvx::Timer pace_timer_;
  uvx::Timer keepalive_timer_;
  // RACK's reordering timer, or the tail loss probe's (loss_timer_tlp_): never both.
  uvx::Timer loss_timer_;
  bool loss_timer_tlp_ = false;
  std::uint32_t keepalive_ms_ = 0;
  double pace_tokens_ = 0;
  std::uint64_t pace_last_ = 0;
  std::vector<Bytes> payload_pool_;  // acked payload buffers, reused: no malloc per packet
  bool closed_ = false;

  // Sending.
  std::uint32_t seq_ = 0;           // next new seq
  std::uint32_t remote_acked_ = 0;  // everything below is acked
  std::deque<OutPacket> inflight_;  // seq remote_acked_ .. seq_-1
  std::deque<Bytes> queue_;         // written, not yet packetised
  std::size_t queue_head_off_ = 0;
  std::size_t queued_bytes_ = 0;
  std::size_t inflight_bytes_ = 0;
  bool end_queued_ = false;
  bool end_sent_ = false;
  bool need_drain_ = false;
  bool ack_needed_ = false;
  bool adopt_source_ = false;
  std::size_t sacked_count_ = 0;
  std::size_t sacked_bytes_ = 0;  // the peer holds these out of order: not in its window
  std::shared_ptr<bool> alive_;
  std::uint32_t send_rwnd_ = kReceiveWindow;
  Bbr bbr_;
  bool in_recovery_ = false;
  std::uint32_t recovery_end_ = 0;
  std::uint32_t rto_ms_ = 1000;
  std::uint32_t srtt_ms_ = 0;
  std::uint32_t rttvar_ms_ = 0;
  std::uint32_t rto_strikes_ = 0;
  std::size_t lost_count_ = 0;
  std::uint64_t trace_next_ms_ = 0;
  // RACK (RFC 8985): the most recently sent packet known delivered, its RTT, the highest
  // sequence delivered, whether reordering was seen, and the reordering window multiplier.
  bool rack_valid_ = false;
  std::uint64_t rack_sent_us_ = 0;
  std::uint32_t rack_seq_ = 0;
  std::uint64_t rack_rtt_us_ = 0;
  bool rack_fack_valid_ = false;
  std::uint32_t rack_fack_ = 0;
  bool reordering_seen_ = false;
  std::uint32_t reo_wnd_mult_ = 1;
  std::uint32_t reo_wnd_persist_ = 0;
  bool reo_wnd_round_valid_ = false;
  std::uint32_t reo_wnd_round_ = 0;  // the multiplier grows again once this is acked
  std::uint32_t spurious_undo_ = 0;  // spurious losses found in this ack: their window returns
  bool tlp_in_flight_ = false;
  // The path MTU search (kMaxPathPayload): the payload per packet confirmed, the largest not
  // yet ruled out, the size of the probe in flight (0: none), its size's losses so far.
  std::size_t max_payload_ = kMaxPayload;
  std::size_t pmtu_high_ = kMaxPathPayload;
  std::size_t pmtu_trying_ = 0;
  std::uint32_t pmtu_fails_ = 0;
  bool pmtu_bisect_ = false;  // a size failed: halve the gap from now on
  bool pmtu_done_ = false;

  // Receiving.
  std::uint32_t ack_ = 0;                                        // next seq we expect
  std::map<std::uint32_t, std::pair<std::uint8_t, Bytes>> ooo_;  // out of order, by seq
  std::size_t ooo_bytes_ = 0;
  // The same out-of-order data as runs of consecutive seqs, start -> end (exclusive): the SACK
  // ranges, kept as packets arrive so an ack costs O(kMaxSacks log n), not a walk of ooo_.
  std::map<std::uint32_t, std::uint32_t> ooo_runs_;
  // The latest out-of-order arrivals, newest first, each in a different run.
  std::array<std::uint32_t, kRecentSacks> recent_ooo_{};
  std::size_t recent_ooo_count_ = 0;
  bool remote_ended_ = false;
  bool end_delivered_ = false;
  bool paused_ = false;
  std::deque<Bytes> held_;  // in order, not yet delivered: the reader is paused
  std::size_t held_bytes_ = 0;

  mutable StreamStats stats_;
  std::function<void(Socket&, const Address&)> source_watch_;
  std::function<void()> first_packet_;
  bool relay_ = false;
  Stream* relay_to_ = nullptr;      // the stream our packets go out through
  Stream* relay_source_ = nullptr;  // the stream whose packets go out through us
  std::uint64_t relay_rate_ = 0;
  double relay_tokens_ = 0;
  std::uint64_t relay_last_ = 0;
  double loss_ = 0;
  std::uint64_t rng_ = 0;
  std::size_t path_payload_for_test_ = 0;
};

}  // namespace peerport::udx
