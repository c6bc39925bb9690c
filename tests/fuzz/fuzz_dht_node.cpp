// libFuzzer target: Node::handle_request and handle_response behind the decoder. Each input is
// a sequence of datagrams ([len][bytes]...) from a handful of sources, fed to a persistent node
// with the real socket bound on loopback (its replies go out to the sources, which do not
// exist). Besides crashes: the node's limits hold whatever arrives (delayed pings, NAT samples).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "dht/node.hpp"

using namespace peerport;

namespace {

struct World {
  uv_loop_t loop;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<dht::Node> node;
  World() {
    uv_loop_init(&loop);
    udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.ephemeral = false;
    o.max_delayed_pings = 64;
    node = std::make_unique<dht::Node>(*udx, o);
    if (!node->start().ok()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;  // one node for the run: state carried across inputs is part of the test
  ByteView in(data, size);
  while (in.size() >= 2) {
    const std::size_t len = in[0] | (in[1] & 0x07) << 8;  // up to 2047 bytes
    const std::uint8_t source = in[1] >> 3;
    in = in.subspan(2);
    const std::size_t n = std::min(len, in.size());
    dht::Address from =
        *dht::Address::parse("127.0.0.1", static_cast<std::uint16_t>(40000 + source));
    w.node->receive(in.first(n), from);
    in = in.subspan(n);
  }
  uv_run(&w.loop, UV_RUN_NOWAIT);
  if (w.node->pending_delayed_pings() > 64) std::abort();
  if (w.node->nat_samples().size() > limits::kNatSamples) std::abort();
  return 0;
}
