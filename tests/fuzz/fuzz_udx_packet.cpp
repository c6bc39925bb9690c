// libFuzzer target: the UDX packet parser and SACK decoder, and a stream fed arbitrary packets
// (a spoofed or corrupt datagram must be dropped or counted, never crash or read out of bounds).
#include <cstddef>
#include <cstdint>

#include "udx/packet.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  if (auto p = parse(in)) {
    if (p->header.type & kSack) (void)parse_sacks(p->payload);
  }
  // Drive a connected stream with a sequence of packets cut from the input: the first byte of
  // each piece is its length.
  static uv_loop_t* loop = [] {
    auto* l = new uv_loop_t;
    uv_loop_init(l);
    return l;
  }();
  // One socket for the whole run: binding one (and its receive area) per input cost most of
  // the time. The stream is new for every input, so no stream state carries over.
  static Udx udx(loop);
  static Socket& sock = *[] {
    auto* s = new Socket(udx);
    (void)s->bind(*Address::parse("127.0.0.1", 0));
    return s;
  }();
  {
    Stream::Callbacks cb;
    cb.on_data = [](ByteView) {};
    Stream s(udx, 1, std::move(cb));
    (void)s.connect(sock, 2, *Address::parse("127.0.0.1", 9));
    s.write(as_bytes("some data in flight so acks and sacks have something to act on"));
    std::size_t off = 0;
    while (off < size) {
      std::size_t n = std::min<std::size_t>(data[off], size - off - 1);
      ++off;
      Bytes pkt(kHeaderSize + n, 0);
      write_header(pkt.data(), {0, 0, 1, 0, 0, 0});
      // The fuzzer controls type, offset, rwnd, seq and ack and the payload.
      for (std::size_t i = 0; i < n && i < pkt.size() - 2; ++i) pkt[2 + i] = data[off + i];
      if (auto p = parse(pkt)) s.on_packet(sock, *p, *Address::parse("127.0.0.1", 9));
      off += n;
    }
  }
  uv_run(loop, UV_RUN_NOWAIT);
  return 0;
}
