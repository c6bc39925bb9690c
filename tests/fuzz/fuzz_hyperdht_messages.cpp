// libFuzzer target: the hyperdht record decoders a storing node runs on every remote write.
#include <cstddef>
#include <cstdint>

#include "hyperdht/messages.hpp"

using namespace peerport;
using namespace peerport::hyperdht;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  if (auto a = decode_announce(in)) {
    auto again = decode_announce(encode(*a));
    if (!again || again->peer.has_value() != a->peer.has_value()) __builtin_trap();
  }
  if (auto m = decode_mutable_put(in)) {
    auto again = decode_mutable_put(encode(*m));
    if (!again || again->record.value != m->record.value) __builtin_trap();
  }
  if (auto r = decode_mutable_record(in)) (void)verify_mutable(*r, crypto::PublicKey{});
  (void)decode_lookup_reply(in);
  return 0;
}
