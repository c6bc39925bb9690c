// libFuzzer target: dht-rpc request and response decoding, and re-encoding what decodes.
#include <cstddef>
#include <cstdint>

#include "dht/messages.hpp"

using namespace peerport;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  if (auto r = dht::decode_request(in)) {
    auto again = dht::decode_request(dht::encode(*r));
    if (!again || again->command != r->command || again->tid != r->tid) __builtin_trap();
  }
  if (auto r = dht::decode_response(in)) {
    auto again = dht::decode_response(dht::encode(*r));
    if (!again || again->closer_nodes != r->closer_nodes) __builtin_trap();
  }
  return 0;
}
