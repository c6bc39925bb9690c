// libFuzzer target: Dht::on_request, the storage and router handlers behind the decoders. The
// input chooses the command, the target, whether the request carries the node's own valid token
// (a fuzzer cannot guess one, and without it no store handler runs), the source and the value.
// Besides crashes: the storage limits hold (bytes in all and per source, value size), and the
// node refuses as oversized exactly the datagrams longer than libudx would deliver.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "hyperdht/dht.hpp"

using namespace peerport;

namespace {

hyperdht::Limits small_limits() {
  hyperdht::Limits l;
  l.max_bytes = 5 * 64 * 1024;
  l.max_bytes_per_ip = 32 * 1024;
  l.stores_per_ip_per_minute = 1u << 30;
  return l;
}

struct World {
  uv_loop_t loop;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> dht;
  World() {
    uv_loop_init(&loop);
    udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.ephemeral = false;
    dht = std::make_unique<hyperdht::Dht>(*udx, o, small_limits());
    if (!dht->start().ok()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;
  if (size < 3) return 0;
  ByteView in(data, size);
  dht::Request r;
  r.tid = static_cast<std::uint16_t>(in[0] | in[1] << 8);
  const std::uint8_t flags = in[2];
  in = in.subspan(3);
  r.command = flags & 0x0f;  // hyperdht's commands are 0..10
  const dht::Address from =
      *dht::Address::parse("127.0.0.1", static_cast<std::uint16_t>(40000 + (flags >> 6)));
  r.to = w.dht->node().local_address();
  if (flags & 0x10 && in.size() >= 32) {
    dht::NodeId t;
    std::copy(in.begin(), in.begin() + 32, t.begin());
    r.target = t;
    in = in.subspan(32);
  }
  if (flags & 0x20) r.token = w.dht->node().token_for(from, 1);
  r.value = Bytes(in.begin(), in.end());
  const Bytes d = dht::encode(r);
  const std::uint64_t oversized = w.dht->node().stats().oversized;
  w.dht->node().receive(d, from);
  if ((w.dht->node().stats().oversized > oversized) != (d.size() > limits::kMaxDatagram)) {
    std::abort();
  }
  uv_run(&w.loop, UV_RUN_NOWAIT);
  const auto l = small_limits();
  if (w.dht->stored_bytes() > l.max_bytes) std::abort();
  if (w.dht->stored_bytes_from(from) > l.max_bytes_per_ip) std::abort();
  return 0;
}
