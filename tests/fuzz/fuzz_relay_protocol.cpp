// Fuzzes what a peer can send a relay (or a relay its client) inside the encrypted connection:
// protomux frames, split into frames at fuzzer-chosen points, driving a mux with a blind-relay
// channel open, and every channel message decoded as PAIR / UNPAIR. Besides crashes, a decoded
// PAIR must re-encode to bytes that decode the same.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_check.hpp"
#include "relay/blind_relay.hpp"
#include "relay/protomux.hpp"

namespace {

using namespace peerport;

void check_pair(ByteView payload) {
  if (auto m = relay::decode_pair(payload)) {
    auto again = relay::decode_pair(relay::encode_pair(*m));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->initiator == m->initiator && again->token == m->token && again->id == m->id &&
               again->seq == m->seq);
  }
  (void)relay::decode_unpair(payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t sent = 0;
  relay::Mux mux([&](Bytes f) { sent += f.size(); });
  relay::Mux::ChannelCallbacks cb;
  cb.on_message = [](std::uint64_t, ByteView p) { check_pair(p); };
  const Bytes id(32, 0x11);
  mux.open("blind-relay", id, cb);
  // The first byte picks the frame size: each frame is one SecretStream message.
  const std::size_t frame = 1 + data[0] % 48;
  ByteView in(data + 1, size - 1);
  check_pair(in);
  while (!in.empty()) {
    const std::size_t n = std::min(frame, in.size());
    if (!mux.feed(in.first(n)).ok()) break;  // a protocol error ends the connection
    in = in.subspan(n);
  }
  return 0;
}
