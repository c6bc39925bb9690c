// libFuzzer target: dht-rpc request and response decoding. Whatever decodes must survive a
// round trip whole: re-encoded and decoded again it is the same message, field for field, and
// encoding that gives the same bytes (so what we forward or answer is what we read).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "dht/messages.hpp"
#include "fuzz_check.hpp"

using namespace peerport;

namespace {

template <typename Message, typename Decode>
void round_trip(const Message& m, Decode decode) {
  const Bytes once = dht::encode(m);
  auto again = decode(once);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == m);
  FUZZ_CHECK(dht::encode(*again) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  if (auto r = dht::decode_request(in)) round_trip(*r, dht::decode_request);
  if (auto r = dht::decode_response(in)) round_trip(*r, dht::decode_response);
  return 0;
}
