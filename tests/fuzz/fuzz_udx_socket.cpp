// libFuzzer target: what a UDX socket does with datagrams off the wire (Linux path): recvmmsg,
// splitting of GRO-coalesced buffers, the demultiplexing between the DHT side, streams and
// relaying streams, and a blind relay's packet rewriting. Real loopback sockets: the fuzzer's
// datagrams are sent with UDP_SEGMENT (GSO), so a receiver with UDP_GRO gets them coalesced as
// from a real peer's burst and must cut them exactly where the sender did.
//
// Per input: byte 0 sets the segment size; then records of two bytes, each one send:
//   h: bits 0-1 the stream id written into every segment (0: leave the bytes as they are),
//      bit 2 a valid UDX magic/version, bits 3-6 the segment count - 1;
//   t: how much shorter the last segment is.
// The segments' bytes come from the input, cycled. Checks: the socket counts every datagram
// and byte sent (no segment lost, merged or invented), and every packet the relay passes on
// reaches the far end whole, with only the stream id rewritten (bytes 4..7).
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz_check.hpp"
#include "udx/packet.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;

namespace {

constexpr std::uint32_t kPlainId = 1;  // a connected stream
constexpr std::uint32_t kRelayA = 2;   // relays to B; its peer is the sender
constexpr std::uint32_t kRelayB = 3;   // relays to A; its peer is the sink
constexpr std::uint32_t kSinkRemoteId = 9;
// At most 8 sends of 16 segments: under a default-sized receive buffer, so none is dropped.
constexpr std::size_t kMaxRecords = 8;

// A plain non-blocking UDP socket on 127.0.0.1: the hostile peer, or the relay's far end.
struct Raw {
  int fd = -1;
  Address addr;
  Raw() {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int big = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    addr = *Address::parse("127.0.0.1", 0);
    ::bind(fd, reinterpret_cast<const sockaddr*>(&addr.sa), sizeof addr.sa);
    socklen_t len = sizeof addr.sa;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr.sa), &len);
  }
  template <typename F>
  void drain(F&& each) {
    std::uint8_t buf[65536];
    for (;;) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0) return;
      each(ByteView(buf, static_cast<std::size_t>(n)));
    }
  }
};

// One send of `bytes` cut into segments of `seg` (UDP GSO); segment by segment if the kernel
// will not take it whole.
void send_segments(Raw& from, const Address& to, const Bytes& bytes, std::size_t seg) {
  iovec iov{const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
  msghdr m{};
  m.msg_name = const_cast<sockaddr_in*>(&to.sa);
  m.msg_namelen = sizeof to.sa;
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(std::uint16_t))] = {};
  if (bytes.size() > seg) {
    m.msg_control = ctrl;
    m.msg_controllen = sizeof ctrl;
    cmsghdr* c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
    const auto s = static_cast<std::uint16_t>(seg);
    std::memcpy(CMSG_DATA(c), &s, sizeof s);
  }
  if (::sendmsg(from.fd, &m, 0) == static_cast<ssize_t>(bytes.size())) return;
  for (std::size_t off = 0; off < bytes.size(); off += seg) {
    const std::size_t n = std::min(seg, bytes.size() - off);
    FUZZ_CHECK(::sendto(from.fd, bytes.data() + off, n, 0,
                        reinterpret_cast<const sockaddr*>(&to.sa),
                        sizeof to.sa) == static_cast<ssize_t>(n));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static uv_loop_t* loop = [] {
    auto* l = new uv_loop_t;
    uv_loop_init(l);
    return l;
  }();
  static Raw peer;
  static Raw sink;
  if (size < 3) return 0;
  const std::size_t seg = 20 + static_cast<std::size_t>(data[0]) * 4;  // 20..1040 bytes
  // One socket for the whole run (binding one per input cost most of the time); the streams
  // are new for every input, so no state carries over but the socket's own.
  static Udx udx(loop);
  static Socket& sock = *[] {
    Socket* s = new Socket(udx);
    FUZZ_CHECK(s->bind(*Address::parse("127.0.0.1", 0)).ok());
    return s;
  }();
  {
    const Address here = sock.local_address();
    const SocketStats before = sock.stats();
    std::size_t dht_side = 0;
    sock.on_message([&](ByteView, const Address&) { ++dht_side; });

    Stream::Callbacks plain_cb;
    plain_cb.on_data = [](ByteView) {};
    Stream plain(udx, kPlainId, std::move(plain_cb));
    (void)plain.connect(sock, 5, peer.addr);
    Stream relay_a(udx, kRelayA, {});
    Stream relay_b(udx, kRelayB, {});
    (void)relay_a.connect(sock, 7, peer.addr);
    (void)relay_b.connect(sock, kSinkRemoteId, sink.addr);
    FUZZ_CHECK(relay_a.relay_to(relay_b).ok());
    FUZZ_CHECK(relay_b.relay_to(relay_a).ok());

    std::size_t expect_packets = 0, expect_bytes = 0, cursor = 1;
    for (std::size_t r = 0; r < kMaxRecords && cursor + 2 <= size; ++r) {
      const std::uint8_t h = data[cursor];
      const std::uint8_t t = data[cursor + 1];
      cursor += 2;
      const std::size_t count = 1 + ((h >> 3) & 15);
      const std::size_t total = count * seg - (t % seg);
      Bytes bytes(total);
      for (std::size_t i = 0; i < total; ++i) bytes[i] = data[(cursor + i) % size];
      for (std::size_t off = 0; off < total; off += seg) {
        const std::size_t n = std::min(seg, total - off);
        if ((h & 4) && n >= 2) {
          bytes[off] = kMagic;
          bytes[off + 1] = kVersion;
        }
        if ((h & 3) && n >= 8) {
          const std::uint32_t id = h & 3;        // kPlainId, kRelayA or kRelayB
          std::memcpy(&bytes[off + 4], &id, 4);  // little-endian, as UDX
        }
        ++expect_packets;
        expect_bytes += n;
      }
      send_segments(peer, here, bytes, seg);
    }

    std::size_t relayed_seen = 0;
    auto check_sink = [&](ByteView d) {
      ++relayed_seen;
      FUZZ_CHECK(d.size() >= kHeaderSize && d[0] == kMagic && d[1] == kVersion);
      std::uint32_t id = 0;
      std::memcpy(&id, d.data() + 4, 4);
      FUZZ_CHECK(id == kSinkRemoteId);
    };
    auto got = [&] { return sock.stats().packets_in - before.packets_in; };
    for (int i = 0; i < 200 && got() < expect_packets; ++i) {
      uv_run(loop, UV_RUN_NOWAIT);
      peer.drain([](ByteView) {});
      sink.drain(check_sink);
    }
    FUZZ_CHECK(got() == expect_packets);
    FUZZ_CHECK(sock.stats().bytes_in - before.bytes_in == expect_bytes);
    sink.drain(check_sink);
    FUZZ_CHECK(relayed_seen == relay_a.stats().relayed_packets);
    FUZZ_CHECK(dht_side <= expect_packets);
    sock.on_message(nullptr);
  }
  uv_run(loop, UV_RUN_NOWAIT);
  peer.drain([](ByteView) {});
  sink.drain([](ByteView) {});
  return 0;
}
