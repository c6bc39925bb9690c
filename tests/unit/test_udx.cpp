// core/udx between two C++ endpoints over real UDP sockets on loopback, with and without loss
// injected in-process (Stream::set_loss drops outgoing packets before they reach the socket).
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <set>

#if defined(__linux__)
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>
#endif

#include "../support/run_until.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;

namespace {

Bytes pattern(std::size_t n, std::uint32_t salt) {
  Bytes b(n);
  std::uint32_t x = salt * 2654435761u + 1;
  for (auto& v : b) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v = static_cast<std::uint8_t>(x);
  }
  return b;
}

// One side of a transfer: writes `out` with backpressure, ends, and collects what arrives.
struct Endpoint {
  std::unique_ptr<Stream> stream;
  Bytes out;
  std::size_t written = 0;
  Bytes in;
  bool ended = false;
  std::optional<Status> closed;

  void pump() {
    while (written < out.size()) {
      std::size_t n = std::min<std::size_t>(64 * 1024, out.size() - written);
      bool more = stream->write(ByteView(out).subspan(written, n));
      written += n;
      if (!more) return;  // resumes from on_drain
    }
    stream->end();
  }
};

struct Pair {
  uv_loop_t loop;
  std::unique_ptr<Udx> udx;
  std::unique_ptr<Socket> sa, sb;
  Endpoint a, b;
  uv_timer_t deadline;
  bool timed_out = false;

  explicit Pair(std::size_t bytes_ab, std::size_t bytes_ba, double loss = 0) {
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
    deadline.data = this;
    udx = std::make_unique<Udx>(&loop);
    sa = std::make_unique<Socket>(*udx);
    sb = std::make_unique<Socket>(*udx);
    auto lo = *Address::parse("127.0.0.1", 0);
    EXPECT_TRUE(sa->bind(lo).ok());
    EXPECT_TRUE(sb->bind(lo).ok());
    a.out = pattern(bytes_ab, 1);
    b.out = pattern(bytes_ba, 2);
    wire(a, 1);
    wire(b, 2);
    EXPECT_TRUE(a.stream->connect(*sa, 2, sb->local_address()).ok());
    EXPECT_TRUE(b.stream->connect(*sb, 1, sa->local_address()).ok());
    if (loss > 0) {
      a.stream->set_loss(loss, 11);
      b.stream->set_loss(loss, 22);
    }
  }

  void wire(Endpoint& e, std::uint32_t id) {
    Stream::Callbacks cb;
    cb.on_data = [&e](ByteView d) { e.in.insert(e.in.end(), d.begin(), d.end()); };
    cb.on_end = [&e] { e.ended = true; };
    cb.on_drain = [&e] { e.pump(); };
    cb.on_close = [this, &e](const Status& s) {
      e.closed = s;
      if (a.closed && b.closed) uv_stop(&loop);
    };
    e.stream = std::make_unique<Stream>(*udx, id, std::move(cb));
  }

  void run(std::uint64_t timeout_ms, bool start = true) {
    // The loop's clock is cached: it still reads the time before the set-up (48 MiB of pattern
    // takes over a second under ASan on a loaded machine), and the first flight's RTO, armed
    // from that stale time, would be due before a single ack could be read.
    uv_update_time(&loop);
    uv_timer_start(
        &deadline,
        [](uv_timer_t* t) {
          auto* self = static_cast<Pair*>(t->data);
          self->timed_out = true;
          uv_stop(&self->loop);
        },
        timeout_ms, 0);
    if (start) {
      a.pump();
      b.pump();
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_timer_stop(&deadline);
  }

  ~Pair() {
    a.stream.reset();
    b.stream.reset();
    sa.reset();
    sb.reset();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

void expect_transfer(Pair& p) {
  ASSERT_FALSE(p.timed_out) << "a got " << p.a.in.size() << "/" << p.b.out.size() << ", b got "
                            << p.b.in.size() << "/" << p.a.out.size();
  ASSERT_TRUE(p.a.closed && p.b.closed);
  EXPECT_TRUE(p.a.closed->ok()) << p.a.closed->error().message;
  EXPECT_TRUE(p.b.closed->ok()) << p.b.closed->error().message;
  EXPECT_TRUE(p.a.ended);
  EXPECT_TRUE(p.b.ended);
  EXPECT_TRUE(p.b.in == p.a.out) << "b received " << p.b.in.size() << " of " << p.a.out.size();
  EXPECT_TRUE(p.a.in == p.b.out) << "a received " << p.a.in.size() << " of " << p.b.out.size();
}

}  // namespace

TEST(UdxPacket, HeaderRoundTripAndRejects) {
  std::uint8_t buf[kHeaderSize + 4];
  write_header(buf, {kData | kEnd, 0, 0x01020304, 4u << 20, 0xfffffffe, 7});
  buf[20] = 'a';
  buf[21] = 'b';
  buf[22] = 'c';
  buf[23] = 'd';
  auto p = parse(ByteView(buf, sizeof buf));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->header.id, 0x01020304u);
  EXPECT_EQ(p->header.seq, 0xfffffffeu);
  EXPECT_EQ(p->header.ack, 7u);
  EXPECT_EQ(p->payload.size(), 4u);
  EXPECT_EQ(buf[4], 0x04);  // little-endian on the wire
  // Truncated, wrong magic, wrong version, unknown flag, data offset past the end.
  EXPECT_FALSE(parse(ByteView(buf, kHeaderSize - 1)));
  buf[0] = 0xfe;
  EXPECT_FALSE(parse(ByteView(buf, sizeof buf)));
  buf[0] = kMagic;
  buf[1] = 2;
  EXPECT_FALSE(parse(ByteView(buf, sizeof buf)));
  buf[1] = kVersion;
  buf[2] = 0x40;
  EXPECT_FALSE(parse(ByteView(buf, sizeof buf)));
  buf[2] = kData;
  buf[3] = 5;
  EXPECT_FALSE(parse(ByteView(buf, sizeof buf)));
  buf[3] = 2;  // MTU-probe padding is skipped
  ASSERT_TRUE(parse(ByteView(buf, sizeof buf)));
  EXPECT_EQ(parse(ByteView(buf, sizeof buf))->payload.size(), 2u);
}

TEST(UdxPacket, SackBlocksAreCappedAndPartialBlocksIgnored) {
  Bytes area(8 * 60 + 3, 0);
  area[0] = 5;
  area[4] = 9;
  auto s = parse_sacks(area);
  EXPECT_EQ(s.size(), kMaxSacks);
  EXPECT_EQ(s[0], (SackBlock{5, 9}));
  EXPECT_TRUE(parse_sacks(Bytes(7, 1)).empty());
  EXPECT_TRUE(seq_lt(0xffffffffu, 0u));  // serial arithmetic across the wrap
}

TEST(UdxStream, TransfersBothWaysAndClosesCleanly) {
  Pair p(8 << 20, 8 << 20);
  p.run(30000);
  expect_transfer(p);
  EXPECT_EQ(p.a.stream->stats().bytes_received, 8u << 20);
}

TEST(UdxStream, RecoversFromTwoPercentLoss) {
  Pair p(4 << 20, 4 << 20, 0.02);
  p.run(60000);
  expect_transfer(p);
  EXPECT_GT(p.a.stream->stats().retransmits, 0u);
  EXPECT_GT(p.b.stream->stats().retransmits, 0u);
}

TEST(UdxStream, SurvivesHeavyLoss) {
  Pair p(1 << 20, 256 << 10, 0.1);
  p.run(60000);
  expect_transfer(p);
}

// The path MTU search takes the stream from libudx's 1200-byte packets to Ethernet's 1500 in two
// probes (a probe's padding is at most 255 bytes), and data crosses intact at every size.
TEST(UdxStream, PathMtuSearchReachesEthernetSizedPackets) {
  Pair p(8 << 20, 1 << 20);
  p.run(30000);
  expect_transfer(p);
  const StreamStats& a = p.a.stream->stats();
  EXPECT_EQ(p.a.stream->max_payload(), Stream::kMaxPathPayload);
  EXPECT_EQ(a.max_payload, Stream::kMaxPathPayload);
  EXPECT_EQ(a.mtu_probes, 2u);
  EXPECT_EQ(a.mtu_probes_lost, 0u);
  // 8 MiB at 1452 bytes a packet, not 1152: a fifth fewer packets.
  EXPECT_LT(a.packets_sent, (8u << 20) / Stream::kMaxPayload * 9 / 10);
}

// A path that carries less than 1500 bytes loses the probes above its MTU: each size is tried
// kPmtuProbeAttempts times, then the search bisects and settles within kPmtuStep below the
// path's size. The lost probes are resent unpadded and not taken for congestion: no RTO, no
// data lost, and never a packet above what the path carries once the search is over.
TEST(UdxStream, PathMtuSearchSettlesBelowASmallerPath) {
  constexpr std::size_t kPath = 1300;
  Pair p(48 << 20, 0);
  p.a.stream->set_path_payload_for_test(kPath);
  p.run(30000);
  expect_transfer(p);
  const StreamStats& a = p.a.stream->stats();
  EXPECT_LE(p.a.stream->max_payload(), kPath);
  EXPECT_GT(p.a.stream->max_payload() + Stream::kPmtuStep, kPath);
  // 1407 and 1343 and 1311 each fail twice; 1279 is confirmed.
  EXPECT_EQ(a.mtu_probes_lost, 3 * Stream::kPmtuProbeAttempts);
  EXPECT_EQ(a.mtu_probes, a.mtu_probes_lost + 1);
  EXPECT_EQ(a.rto_fires, 0u);
}

// On a path that carries nothing above the base size every probe is lost, and that is all that
// is lost: the probes are resent unpadded, and nothing else is resent.
TEST(UdxStream, LostMtuProbesAreNotCongestion) {
  Pair p(48 << 20, 0);
  p.a.stream->set_path_payload_for_test(Stream::kMaxPayload);
  p.run(30000);
  expect_transfer(p);
  const StreamStats& a = p.a.stream->stats();
  EXPECT_EQ(p.a.stream->max_payload(), Stream::kMaxPayload);
  // Every size from 1407 down to 1184 fails twice; nothing else was resent but the first
  // flight (both ends opened at once) and the tail loss probe at the end. At most: a packet
  // marked for resending may be acked before it goes (under ASan, 19 of 33).
  EXPECT_EQ(a.mtu_probes_lost, 4 * Stream::kPmtuProbeAttempts);
  EXPECT_EQ(a.mtu_probes, a.mtu_probes_lost);
  EXPECT_LE(a.retransmits, a.mtu_probes_lost + a.first_contact_resends + a.tail_loss_probes);
  EXPECT_EQ(a.rto_fires, 0u);
}

TEST(UdxStream, WriteReportsBackpressure) {
  Pair p(0, 0);
  // More than the initial window over the mark: what is left unsent is still over it.
  Bytes big(Stream::kHighWaterMark + (64 << 10));
  // Not running the loop: nothing can be acked, so the buffer only grows.
  EXPECT_FALSE(p.a.stream->write(big));
  EXPECT_GE(p.a.stream->buffered(), Stream::kHighWaterMark);
}

TEST(UdxStream, DestroyResetsThePeer) {
  Pair p(0, 0);
  p.a.stream->destroy();
  p.run(5000);
  ASSERT_TRUE(p.b.closed.has_value());
  EXPECT_EQ(p.b.closed->error().code, Errc::connection_reset);
  EXPECT_EQ(p.a.closed->error().code, Errc::destroyed);
}

TEST(UdxStream, ChangeRemoteMovesToANewSocketMidTransfer) {
  Pair p(4 << 20, 0);
  Socket sc(*p.udx);
  ASSERT_TRUE(sc.bind(*Address::parse("127.0.0.1", 0)).ok());
  // b starts talking from a new socket; a keeps sending to b's old address until b's packets
  // (from any address: libudx checks only the id) ... so move a too, as a hole punch does.
  // The move comes once a quarter of the data has arrived, so it lands mid-transfer however
  // fast the machine is (a 20 ms timer lost the race to a transfer that finished first).
  uv_check_t when;
  uv_check_init(&p.loop, &when);
  struct Ctx {
    Pair* p;
    Socket* sc;
  } ctx{&p, &sc};
  when.data = &ctx;
  uv_check_start(&when, [](uv_check_t* h) {
    auto* c = static_cast<Ctx*>(h->data);
    if (c->p->b.in.size() < (1u << 20)) return;
    uv_check_stop(h);
    EXPECT_TRUE(c->p->b.stream->change_remote(*c->sc, 1, c->p->sa->local_address()).ok());
    EXPECT_TRUE(c->p->a.stream->change_remote(*c->p->sa, 2, c->sc->local_address()).ok());
  });
  p.run(30000);
  uv_close(reinterpret_cast<uv_handle_t*>(&when), nullptr);
  expect_transfer(p);
  EXPECT_GT(sc.stats().packets_in, 0u);
}

TEST(UdxSocket, NonUdxAndUnknownStreamDatagramsGoToOnMessage) {
  Pair p(0, 0);
  int got = 0;
  p.sb->on_message([&](ByteView d, const Address&) {
    ++got;
    if (got == 2) uv_stop(&p.loop);
    EXPECT_FALSE(d.empty());
  });
  const std::uint8_t junk[] = {1, 2, 3};
  ASSERT_TRUE(p.sa->send(junk, p.sb->local_address()).ok());
  std::uint8_t h[kHeaderSize];
  write_header(h, {kData, 0, 999, 0, 0, 0});
  ASSERT_TRUE(p.sa->send(ByteView(h, kHeaderSize), p.sb->local_address()).ok());
  p.run(3000, false);
  EXPECT_EQ(got, 2);
  EXPECT_EQ(p.sb->stats().non_udx_in, 1u);
  EXPECT_EQ(p.sb->stats().unknown_stream, 1u);
}

#if defined(__linux__)
// Moves this process into a network namespace of its own whose loopback is up with the given
// MTU, as a link smaller than loopback's 64 KiB; false if that is not allowed (not root).
bool own_loopback_with_mtu(int mtu) {
  if (::unshare(CLONE_NEWNET) != 0) return false;
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  ifr.ifr_mtu = mtu;
  bool ok = ::ioctl(fd, SIOCSIFMTU, &ifr) == 0;
  ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  ::close(fd);
  return ok;
}

// Runs in a child process (the namespace is the child's alone): a DHT-sized datagram larger
// than a 1400-byte link leaves in fragments and arrives, and don't-fragment is back for the
// stream after it, whose MTU probes above the link fail locally and settle below it.
[[noreturn]] void large_datagram_over_a_small_link() {
  constexpr int kMtu = 1400;
  if (!own_loopback_with_mtu(kMtu)) {
    std::fprintf(stderr, "cannot make a network namespace with a small loopback (needs root)\n");
    std::_Exit(2);
  }
  Pair p(8 << 20, 0);
  const Bytes big(3000, 'x');  // not a udx packet: it goes to on_message, as DHT traffic does
  std::size_t got = 0;
  p.sb->on_message([&](ByteView d, const Address&) {
    // Stream packets that arrive after the stream has closed come here too (as in libudx).
    if (d.size() == big.size() && std::equal(d.begin(), d.end(), big.begin())) got = d.size();
  });
  const bool sent = p.sa->send(big, p.sb->local_address()).ok();
  p.run(30000);
  const std::size_t path = kMtu - 28 - kHeaderSize;  // IP and UDP headers, then udx's
  const std::size_t settled = p.a.stream->max_payload();
  std::fprintf(stderr, "sent %d, arrived %zu bytes, stream settled at %zu (path %zu), in %zu\n",
               sent, got, settled, path, p.b.in.size());
  const bool ok = sent && got == big.size() && p.b.in == p.a.out && settled <= path &&
                  settled + Stream::kPmtuStep > path;
  std::_Exit(ok ? 0 : 1);
}
#endif

// Don't-fragment is set for the MTU search, and only stream packets need it: a DHT message
// above the base packet size (a reply with a stored value) must still cross a smaller path.
TEST(UdxSocket, LargeDhtMessageCrossesASmallerPathInFragments) {
#if defined(__linux__)
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(large_datagram_over_a_small_link(), ::testing::ExitedWithCode(0), "arrived 3000");
#else
  GTEST_SKIP() << "network namespaces are Linux's";
#endif
}

// Resident memory of this process in KiB (VmRSS), or 0 where /proc is missing.
std::size_t rss_kib() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  std::size_t kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "VmRSS: %zu kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib;
}

// Birthday punching opens 256 sockets at once, and a hostile handshake can ask for it: each one
// that has received and sent a datagram must stay small (the receive area is shared per loop).
TEST(UdxSocket, HundredsOfSocketsStayCheap) {
  Pair p(0, 0);
  const std::size_t before = rss_kib();
  std::vector<std::unique_ptr<Socket>> many;
  int got = 0;
  for (int i = 0; i < 256; ++i) {
    auto s = std::make_unique<Socket>(*p.udx);
    ASSERT_TRUE(s->bind(*Address::parse("127.0.0.1", 0)).ok());
    s->on_message([&](ByteView, const Address&) { ++got; });
    const std::uint8_t punch = 0;
    ASSERT_TRUE(p.sa->send(ByteView(&punch, 1), s->local_address()).ok());
    many.push_back(std::move(s));
  }
  peerport::test::run_until(
      &p.loop, &p.deadline, [&] { return got == 256; }, 5000);
  EXPECT_EQ(got, 256);
  const std::size_t grown = rss_kib() - before;
  // 2 MiB each (the old per-socket buffers) would be 512 MiB; one shared area is 2 MiB.
  EXPECT_LT(grown, 16u * 1024) << "256 sockets grew RSS by " << grown << " KiB";
}

// A socket destroyed by the callback of a datagram it delivered (a punch that won on another
// socket, a connection pruning its spares) must stop reading without touching itself; ASan
// reports the use after free this guards against.
TEST(UdxSocket, DestroyedInsideItsOwnCallback) {
  Pair p(0, 0);
  auto victim = std::make_unique<Socket>(*p.udx);
  ASSERT_TRUE(victim->bind(*Address::parse("127.0.0.1", 0)).ok());
  int got = 0;
  victim->on_message([&](ByteView, const Address&) {
    ++got;
    victim.reset();
  });
  const std::uint8_t punch = 0;
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(p.sa->send(ByteView(&punch, 1), victim->local_address()).ok());
  peerport::test::run_until(
      &p.loop, &p.deadline, [&] { return got > 0; }, 3000);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(victim, nullptr);
}

TEST(UdxStream, HalfCloseKeepsTheOtherDirectionOpen) {
  Pair p(0, 2 << 20);  // a ends at once; b keeps sending to it
  p.run(30000);
  expect_transfer(p);
}

TEST(UdxStream, UnorderedMessagesArrive) {
  Pair p(0, 0);
  std::vector<std::string> got;
  Stream::Callbacks cb;
  // Replace b with a stream that records messages (same id, so a's packets reach it).
  p.b.stream.reset();
  cb.on_message = [&](ByteView m) {
    got.emplace_back(m.begin(), m.end());
    if (got.size() == 2) uv_stop(&p.loop);
  };
  auto b = std::make_unique<Stream>(*p.udx, 2, std::move(cb));
  ASSERT_TRUE(b->connect(*p.sb, 1, p.sa->local_address()).ok());
  ASSERT_TRUE(p.a.stream->send_message(as_bytes("ping")).ok());
  ASSERT_TRUE(p.a.stream->send_message(as_bytes("pong")).ok());
  EXPECT_EQ(p.a.stream->send_message(Bytes(3000)).error().code, Errc::too_large);
  p.run(3000, false);
  EXPECT_EQ(got, (std::vector<std::string>{"ping", "pong"}));
}

// A raw socket stands in for the peer, so the test controls exactly what the stream receives.
struct RawPeer {
  Pair& p;
  Socket raw;
  std::vector<Packet> seen;
  std::vector<Bytes> storage;
  explicit RawPeer(Pair& pair) : p(pair), raw(*pair.udx) {
    EXPECT_TRUE(raw.bind(*Address::parse("127.0.0.1", 0)).ok());
    raw.on_message([this](ByteView d, const Address&) {
      storage.emplace_back(d.begin(), d.end());
      if (auto pk = parse(storage.back())) seen.push_back(*pk);
    });
    p.b.stream.reset();  // the raw socket plays b (id 2)
    EXPECT_TRUE(p.a.stream->change_remote(*p.sa, 2, raw.local_address()).ok());
  }
  void send(const Header& h, ByteView payload = {}) {
    Bytes d(kHeaderSize + payload.size());
    write_header(d.data(), h);
    std::copy(payload.begin(), payload.end(), d.begin() + kHeaderSize);
    ASSERT_TRUE(raw.send(d, p.sa->local_address()).ok());
  }
  void spin(int ms) {
    uv_timer_start(
        &p.deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, ms, 0);
    uv_run(&p.loop, UV_RUN_DEFAULT);
  }
  // Waits for what the test expects instead of a fixed window, so a loaded machine only makes
  // it slower; `ms` bounds the wait.
  bool spin_until(const std::function<bool()>& done, std::uint64_t ms = 5000) {
    return peerport::test::run_until(&p.loop, &p.deadline, done, ms);
  }
  std::size_t count(std::uint8_t type) const {
    std::size_t n = 0;
    for (const auto& pk : seen) n += (pk.header.type & type) ? 1 : 0;
    return n;
  }
};

TEST(UdxStream, HeartbeatIsAnsweredWithAnAck) {
  Pair p(0, 0);
  RawPeer peer(p);
  peer.send({kHeartbeat, 0, 1, 1 << 20, 0, 0});
  ASSERT_TRUE(peer.spin_until([&] { return !peer.seen.empty(); }));
  EXPECT_EQ(peer.seen.back().header.type & (kData | kEnd), 0);
  EXPECT_EQ(peer.seen.back().header.id, 2u);
}

TEST(UdxStream, KeepaliveSendsHeartbeatsWhileIdle) {
  Pair p(0, 0);
  RawPeer peer(p);
  p.a.stream->set_keepalive(20);
  // Nothing but heartbeats crosses an idle stream, and they keep coming.
  ASSERT_TRUE(peer.spin_until([&] { return peer.count(kHeartbeat) >= 3; }));
  EXPECT_EQ(peer.count(kHeartbeat), peer.seen.size());
  EXPECT_EQ(p.a.stream->stats().heartbeats_sent, peer.count(kHeartbeat));
}

TEST(UdxStream, RespectsThePeersReceiveWindow) {
  Pair p(0, 0);
  RawPeer peer(p);
  // The peer opens with a window of two packets' worth: no more than that may be unacked.
  peer.send({0, 0, 1, 2 * 1172, 0, 0});
  peer.spin(20);
  p.a.stream->write(Bytes(100 * 1024, 7));
  auto sent = [&] {
    std::set<std::uint32_t> seqs;  // retransmissions (an RTO on a slow machine) count once
    for (const auto& pk : peer.seen) {
      if (pk.header.type & kData) seqs.insert(pk.header.seq);
    }
    return seqs.size();
  };
  ASSERT_TRUE(peer.spin_until([&] { return sent() >= 2; }));
  peer.spin(100);
  EXPECT_EQ(sent(), 2u);  // exactly the window, however long it waits for an ack
}

TEST(UdxStream, HostilePacketsAreDroppedAndCountedAndTheStreamCarriesOn) {
  Pair p(2 << 20, 2 << 20);
  Socket evil(*p.udx);
  ASSERT_TRUE(evil.bind(*Address::parse("127.0.0.1", 0)).ok());
  auto inject = [&](const Header& h, ByteView payload = {}) {
    Bytes d(kHeaderSize + payload.size());
    write_header(d.data(), h);
    std::copy(payload.begin(), payload.end(), d.begin() + kHeaderSize);
    (void)evil.send(d, p.sb->local_address());
  };
  const std::uint8_t junk[5] = {0xff, 0x01, 0x01, 0x00, 0x00};
  (void)evil.send(ByteView(junk, sizeof junk), p.sb->local_address());  // truncated
  Bytes bad(kHeaderSize + 4, 0);
  write_header(bad.data(), {0x40, 0, 2, 0, 0, 0});  // undefined flag
  (void)evil.send(bad, p.sb->local_address());
  inject({0, 0, 2, 1 << 20, 0, 0x00100000});                             // acks data never sent
  inject({kData, 0, 2, 1 << 20, 0x40000000, 0}, as_bytes("far ahead"));  // out of window
  Bytes sacks(16);
  sacks[0] = 0xff;
  sacks[1] = 0xff;
  sacks[2] = 0xff;
  sacks[3] = 0x7f;  // nonsense SACK range
  inject({kSack, 0, 2, 1 << 20, 0, 0}, sacks);
  p.run(30000);
  expect_transfer(p);
  EXPECT_GE(p.sb->stats().malformed, 1u);
  const auto& st = p.b.stream->stats();
  EXPECT_GE(st.bad_acks, 1u);
  EXPECT_GE(st.out_of_window, 1u);
}

TEST(UdxStream, PausedReaderPushesBackOnTheWriter) {
  Pair p(16 << 20, 0);
  p.b.stream->pause_reading();
  uv_timer_t t;
  uv_timer_init(&p.loop, &t);
  struct Ctx {
    Pair* p;
    std::size_t written_while_paused = 0;
  } ctx{&p};
  t.data = &ctx;
  // After 300 ms of a paused reader: nothing delivered, what b keeps is within its window, and
  // the writer has been told to stop (it wrote far less than its 16 MiB).
  uv_timer_start(
      &t,
      [](uv_timer_t* h) {
        auto* c = static_cast<Ctx*>(h->data);
        c->written_while_paused = c->p->a.written;
        EXPECT_EQ(c->p->b.in.size(), 0u);
        c->p->b.stream->resume_reading();
      },
      300, 0);
  p.run(30000);
  uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
  EXPECT_LT(ctx.written_while_paused, 16u << 20);
  EXPECT_LE(ctx.written_while_paused, Stream::kReceiveWindow + Stream::kHighWaterMark + (1 << 20));
  expect_transfer(p);
}

// A share connects its stream to where the relay saw the client, a guess; the client's first
// packet may come from elsewhere (a birthday socket). What was sent to the guess must follow at
// once: waiting for the RTO left the first byte seconds late after a random-NAT punch.
TEST(UdxStream, AdoptedSourceGetsWhatWasInFlightWithoutAnRto) {
  Pair p(0, 0);
  Socket guess(*p.udx);  // swallows whatever reaches it
  ASSERT_TRUE(guess.bind(*Address::parse("127.0.0.1", 0)).ok());
  ASSERT_TRUE(p.a.stream->change_remote(*p.sa, 2, guess.local_address()).ok());
  p.a.stream->adopt_first_source();
  const std::string hello = "hello";
  ASSERT_TRUE(p.a.stream->write(
      ByteView(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size())));
  const std::string x = "x";
  ASSERT_TRUE(
      p.b.stream->write(ByteView(reinterpret_cast<const std::uint8_t*>(x.data()), x.size())));
  uv_timer_t poll;
  uv_timer_init(&p.loop, &poll);
  poll.data = &p;
  uv_timer_start(
      &poll,
      [](uv_timer_t* t) {
        auto* pp = static_cast<Pair*>(t->data);
        if (pp->b.in.size() >= 5) uv_stop(&pp->loop);
      },
      2, 2);
  p.run(5000, false);
  uv_close(reinterpret_cast<uv_handle_t*>(&poll), nullptr);
  ASSERT_FALSE(p.timed_out) << "b got " << p.b.in.size() << " bytes";
  EXPECT_EQ(std::string(p.b.in.begin(), p.b.in.end()), hello);
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u) << "the data waited for a retransmission timeout";
  EXPECT_GT(guess.stats().packets_in, 0u);  // it really went to the guess first
}

// Loss detection and tail loss probes (RACK-TLP, RFC 8985), driven by a raw peer that acks
// what it likes after a 50 ms "RTT". The checks made right after the stream processed an ack
// are exact (nothing timing-dependent decides them); the timed ones only wait for an event and
// check that the retransmission timer (>= 200 ms) was not what caused it.
namespace {

Bytes sack_area(std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> ranges) {
  Bytes b;
  for (auto [start, end] : ranges) {
    for (std::uint32_t v : {start, end}) {
      for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
  }
  return b;
}

std::size_t times_sent(const RawPeer& peer, std::uint32_t seq) {
  std::size_t n = 0;
  for (const auto& pk : peer.seen) n += (pk.header.type & kData) && pk.header.seq == seq;
  return n;
}

// Ten packets (0..9) leave at once; 50 ms later the peer acks packet 0.
void ten_packets_then_rtt(Pair& p, RawPeer& peer) {
  peer.send({0, 0, 1, 1 << 20, 0, 0});
  peer.spin(20);
  p.a.stream->write(Bytes(10 * Stream::kMaxPayload, 7));
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 9) == 1; }));
  peer.spin(50);
}

// Sends the packets and returns once the stream has processed them all.
void deliver(Pair& p, RawPeer& peer, std::initializer_list<std::pair<Header, Bytes>> packets) {
  const std::uint64_t before = p.a.stream->stats().packets_received;
  for (const auto& [h, payload] : packets) peer.send(h, payload);
  ASSERT_TRUE(peer.spin_until(
      [&] { return p.a.stream->stats().packets_received >= before + packets.size(); }));
}

// Sends data packets [from, to) and returns once the stream has processed them all. In steps of
// 64, so the kernel's receive buffer never drops one of them.
void deliver_data(Pair& p, RawPeer& peer, std::uint32_t from, std::uint32_t to,
                  const Bytes& payload) {
  const std::uint64_t before = p.a.stream->stats().packets_received;
  auto received = [&](std::uint64_t n) {
    return peer.spin_until([&] { return p.a.stream->stats().packets_received >= before + n; });
  };
  for (std::uint32_t seq = from; seq < to; ++seq) {
    peer.send({kData, 0, 1, 1 << 20, seq, 0}, payload);
    if ((seq - from + 1) % 64 == 0) {
      ASSERT_TRUE(received(seq - from + 1));
    }
  }
  ASSERT_TRUE(received(to - from));
}

}  // namespace

TEST(UdxStream, RackWaitsAReorderingWindowBeforeResendingAHole) {
  Pair p(0, 0);
  RawPeer peer(p);
  ten_packets_then_rtt(p, peer);
  // 0 arrived; 2 arrived before 1. One packet overtaken is what reordering looks like: the
  // three-SACK rule would wait for the RTO, resending at once would be spurious half the time.
  deliver(p, peer,
          {{{0, 0, 1, 1 << 20, 0, 1}, {}}, {{kSack, 0, 1, 1 << 20, 0, 1}, sack_area({{2, 3}})}});
  EXPECT_EQ(p.a.stream->stats().retransmits, 0u) << "resent inside the reordering window";
  // A quarter of the min RTT later, RACK's timer finds 1 lost; 3..9 left after 2 and wait.
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 1) == 2; }, 2000));
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u);
  for (std::uint32_t s = 3; s < 10; ++s) EXPECT_EQ(times_sent(peer, s), 1u) << "seq " << s;
}

TEST(UdxStream, SpuriousRetransmissionWidensTheReorderingWindow) {
  Pair p(0, 0);
  RawPeer peer(p);
  ten_packets_then_rtt(p, peer);
  deliver(p, peer,
          {{{0, 0, 1, 1 << 20, 0, 1}, {}}, {{kSack, 0, 1, 1 << 20, 0, 1}, sack_area({{2, 3}})}});
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 1) == 2; }, 2000));
  // The original 1 arrives at once after its resend: far sooner than the path's RTT, so the
  // resend was spurious (the peer has no DSACK to say so).
  deliver(p, peer, {{{0, 0, 1, 1 << 20, 0, 3}, {}}});
  EXPECT_EQ(p.a.stream->stats().spurious_retransmits, 1u);
  // Still repairing, 5 overtakes 3 and 4. Without reordering seen that is a loss at once
  // (RFC 8985's zero window in recovery); after the spurious one it waits half a min RTT.
  deliver(p, peer, {{{kSack, 0, 1, 1 << 20, 0, 3}, sack_area({{5, 6}})}});
  EXPECT_EQ(p.a.stream->stats().retransmits, 1u) << "3 and 4 resent inside the widened window";
  ASSERT_TRUE(
      peer.spin_until([&] { return times_sent(peer, 3) == 2 && times_sent(peer, 4) == 2; }, 2000));
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u);
}

// A server answering an open client sends before the client's packets have opened the client's
// NAT toward it, and the NAT drops those first packets. When the peer's first packet arrives
// acking none of ours, they go again at once, not a retransmission timeout later.
TEST(UdxStream, WhatWentOutBeforeThePeersFirstPacketIsResentWhenItArrives) {
  Pair p(0, 0);
  RawPeer peer(p);
  p.a.stream->write(Bytes(100, 7));
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 0) == 1; }));
  deliver(p, peer, {{{0, 0, 1, 1 << 20, 0, 0}, {}}});  // its first packet: acks nothing
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 0) == 2; }, 1000));
  EXPECT_EQ(p.a.stream->stats().first_contact_resends, 1u);
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u);
  // Once only: later packets acking nothing are RACK's business, not this.
  deliver(p, peer, {{{0, 0, 1, 1 << 20, 0, 0}, {}}});
  EXPECT_EQ(p.a.stream->stats().first_contact_resends, 1u);
}

// A first packet that acks what we sent shows the path works: nothing is resent.
TEST(UdxStream, APeersFirstPacketThatAcksOursResendsNothing) {
  Pair p(0, 0);
  RawPeer peer(p);
  p.a.stream->write(Bytes(100, 7));
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 0) == 1; }));
  deliver(p, peer, {{{0, 0, 1, 1 << 20, 0, 1}, {}}});
  peer.spin(20);
  EXPECT_EQ(times_sent(peer, 0), 1u);
  EXPECT_EQ(p.a.stream->stats().first_contact_resends, 0u);
}

// With more runs of out-of-order data than one ack carries, the run of the latest arrival goes
// first: reporting only the lowest kMaxSacks hid what arrived above them until the holes below
// filled, and the sender then saw it all delivered at once (a burst that inflated BBR's rate
// estimate to three times the link).
TEST(UdxStream, SacksLeadWithTheRunOfTheLatestArrival) {
  Pair p(0, 0);
  RawPeer peer(p);
  const Bytes payload(100, 1);
  auto data = [](std::uint32_t seq) { return Header{kData, 0, 1, 1 << 20, seq, 0}; };
  auto last_sacks = [&] {
    for (auto it = peer.seen.rbegin(); it != peer.seen.rend(); ++it) {
      if (it->header.type & kSack) return parse_sacks(it->payload);
    }
    return std::vector<SackBlock>{};
  };
  // Seq 0 never comes: 60 runs of one packet, 1, 3, ..., 119.
  constexpr std::uint32_t kRuns = kMaxSacks + 10;
  for (std::uint32_t i = 0; i < kRuns; ++i) peer.send(data(2 * i + 1), payload);
  ASSERT_TRUE(peer.spin_until([&] { return p.a.stream->stats().packets_received >= kRuns; }));
  auto acked_past = [&](std::size_t before) {
    return peer.spin_until([&] {
      for (std::size_t i = before; i < peer.seen.size(); ++i) {
        if (peer.seen[i].header.type & kSack) return true;
      }
      return false;
    });
  };

  // A new run above the 50 lowest.
  std::size_t before = peer.seen.size();
  peer.send(data(2 * kRuns + 1), payload);
  ASSERT_TRUE(acked_past(before));
  auto sacks = last_sacks();
  ASSERT_EQ(sacks.size(), kMaxSacks);
  // The latest arrivals' runs, newest first, then the lowest runs, whose holes come first.
  constexpr std::uint32_t kTop = 2 * kRuns + 1;
  const std::uint32_t recent = Stream::kRecentSacks;
  for (std::uint32_t i = 0; i < recent; ++i) {
    EXPECT_EQ(sacks[i], (SackBlock{kTop - 2 * i, kTop - 2 * i + 1})) << i;
  }
  EXPECT_EQ(sacks[recent], (SackBlock{1, 2}));

  // Seq 4 joins runs 3 and 5: the merged run leads, the earlier arrivals' runs follow, and
  // none of them is repeated among the lowest.
  before = peer.seen.size();
  peer.send(data(4), payload);
  ASSERT_TRUE(acked_past(before));
  sacks = last_sacks();
  ASSERT_EQ(sacks.size(), kMaxSacks);
  EXPECT_EQ(sacks[0], (SackBlock{3, 6}));
  EXPECT_EQ(sacks[1], (SackBlock{kTop, kTop + 1}));
  EXPECT_EQ(sacks[recent], (SackBlock{1, 2}));
  EXPECT_EQ(sacks[recent + 1], (SackBlock{7, 8}));
  std::set<std::uint32_t> starts;
  for (const auto& b : sacks) EXPECT_TRUE(starts.insert(b.start).second) << b.start;

  // Seqs 0 and 2 fill the first holes: 0..5 are delivered, and no SACK names them again.
  before = peer.seen.size();
  peer.send(data(0), payload);
  peer.send(data(2), payload);
  ASSERT_TRUE(peer.spin_until(
      [&] { return peer.seen.size() > before && peer.seen.back().header.ack == 6; }));
  for (const auto& b : last_sacks()) EXPECT_GE(b.start, 7u);
}

// Data above a hole does not shrink the window the sender sees until kMaxHeld is near; past
// kMaxHeld, and past kMaxAheadPackets, a peer's data is dropped unacked and counted, and what
// was kept is delivered whole once the hole fills.
TEST(UdxStream, OutOfOrderDataIsBoundedByMaxHeld) {
  Pair p(0, 0);
  RawPeer peer(p);
  const Bytes payload(Stream::kMaxPayload, 3);
  auto send = [&](std::uint32_t from, std::uint32_t to) {
    deliver_data(p, peer, from, to, payload);
    peer.spin(5);  // the ack goes out once the batch is processed
  };
  auto last_rwnd = [&] {
    for (auto it = peer.seen.rbegin(); it != peer.seen.rend(); ++it) {
      if (it->header.id == 2) return it->header.rwnd;
    }
    return 0u;
  };

  // Seq 0 is the hole. 1,000 packets above it leave the window whole.
  send(1, 1001);
  EXPECT_EQ(last_rwnd(), Stream::kReceiveWindow);
  EXPECT_EQ(p.a.stream->stats().out_of_window, 0u);

  // Up to kMaxHeld and 500 packets past it: those 500 are dropped, and the window is shut.
  const std::uint32_t kept = static_cast<std::uint32_t>(Stream::kMaxHeld / Stream::kMaxPayload);
  send(1001, kept + 501);
  EXPECT_EQ(p.a.stream->stats().out_of_window, 500u);
  EXPECT_LT(last_rwnd(), Stream::kMaxPayload);
  // Past kMaxAheadPackets even a tiny packet is dropped.
  deliver(p, peer, {{{kData, 0, 1, 1 << 20, Stream::kMaxAheadPackets + 1, 0}, Bytes(1, 1)}});
  EXPECT_EQ(p.a.stream->stats().out_of_window, 501u);

  // The hole fills: everything kept arrives, in order, and the window opens again.
  send(0, 1);
  ASSERT_TRUE(peer.spin_until([&] { return p.a.in.size() == (kept + 1) * Stream::kMaxPayload; }));
  peer.spin(5);
  EXPECT_EQ(last_rwnd(), Stream::kReceiveWindow);
}

// All streams of a Udx together hold at most its budget (Udx::kMaxHeldInAll; 2 MiB here), and
// the count returns to zero once the data is delivered.
TEST(UdxStream, WhatAllStreamsHoldIsBoundedByTheUdxBudget) {
  Pair p(0, 0);
  RawPeer peer(p);
  constexpr std::size_t kBudget = 2u << 20;
  p.udx->set_max_held_in_all(kBudget);
  const Bytes payload(Stream::kMaxPayload, 5);
  constexpr std::uint32_t kSent = 2000;
  deliver_data(p, peer, 1, kSent + 1, payload);
  const std::uint32_t kept = kBudget / Stream::kMaxPayload;
  EXPECT_EQ(p.udx->held_in_all(), kept * Stream::kMaxPayload);
  EXPECT_EQ(p.a.stream->stats().out_of_window, kSent - kept);

  peer.send({kData, 0, 1, 1 << 20, 0, 0}, payload);
  ASSERT_TRUE(peer.spin_until([&] { return p.a.in.size() == (kept + 1) * Stream::kMaxPayload; }));
  EXPECT_EQ(p.udx->held_in_all(), 0u);
}

TEST(UdxStream, TailLossProbeFindsALostTailBeforeTheRto) {
  Pair p(0, 0);
  RawPeer peer(p);
  ten_packets_then_rtt(p, peer);
  // 0..7 arrived, 8 and 9 (the tail) were lost: no later packet exists to reveal them.
  deliver(p, peer, {{{0, 0, 1, 1 << 20, 0, 8}, {}}});
  // Two RTTs on, the last packet goes again as a probe: one packet, no RTO.
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 9) == 2; }, 2000));
  EXPECT_EQ(p.a.stream->stats().tail_loss_probes, 1u);
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u);
  EXPECT_EQ(times_sent(peer, 8), 1u);
  // Its SACK, an RTT later, shows 8 missing: RACK resends it at once.
  peer.spin(60);
  deliver(p, peer, {{{kSack, 0, 1, 1 << 20, 0, 8}, sack_area({{9, 10}})}});
  ASSERT_TRUE(peer.spin_until([&] { return times_sent(peer, 8) == 2; }, 2000));
  EXPECT_EQ(p.a.stream->stats().rto_fires, 0u);
  EXPECT_EQ(p.a.stream->stats().tail_loss_probes, 1u);
}
