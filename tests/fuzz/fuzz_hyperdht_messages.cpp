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
  if (auto h = decode_handshake(in)) {
    if (!decode_handshake(encode(*h))) __builtin_trap();
  }
  if (auto h = decode_holepunch(in)) {
    if (!decode_holepunch(encode(*h))) __builtin_trap();
  }
  if (auto p = decode_noise_payload(in); p && p->version == 1) {
    if (!decode_noise_payload(encode(*p))) __builtin_trap();
  }
  if (auto p = decode_holepunch_payload(in)) {
    if (!decode_holepunch_payload(encode(*p))) __builtin_trap();
  }
  return 0;
}
