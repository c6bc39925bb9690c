// libFuzzer target: the hyperdht decoders a storing node runs on every remote write, and those of
// the connect path. Whatever decodes must survive a round trip whole: re-encoded and decoded
// again it is the same message, field for field, and encoding that gives the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_check.hpp"
#include "hyperdht/messages.hpp"

using namespace peerport;
using namespace peerport::hyperdht;

namespace {

// `expected` is what decoding the encoding of `m` must give: `m` itself, but for fields the
// encoder writes its own way.
template <typename Message, typename Decode>
void round_trip(const Message& m, Decode decode, const Message& expected) {
  const Bytes once = encode(m);
  auto again = decode(once);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == expected);
  FUZZ_CHECK(encode(*again) == once);
}

template <typename Message, typename Decode>
void round_trip(const Message& m, Decode decode) {
  round_trip(m, decode, m);
}

// udxInfo and relayThroughInfo carry a version we read but, like hyperdht's messages.js, always
// write as 1: the version of those records we speak.
NoisePayload as_we_send_it(NoisePayload p) {
  if (p.udx) p.udx->version = 1;
  if (p.relay_through) p.relay_through->version = 1;
  return p;
}

void lookup_round_trip(const std::vector<Peer>& peers) {
  std::vector<Bytes> raw;
  for (const auto& p : peers) {
    enc::Writer w;
    encode(w, p);
    raw.push_back(std::move(w).take());
  }
  auto again = decode_lookup_reply(encode_lookup_reply(raw, 0));
  FUZZ_CHECK(again && *again == peers);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView in(data, size);
  if (auto a = decode_announce(in)) round_trip(*a, decode_announce);
  if (auto m = decode_mutable_put(in)) round_trip(*m, decode_mutable_put);
  if (auto r = decode_mutable_record(in)) {
    round_trip(*r, decode_mutable_record);
    (void)verify_mutable(*r, crypto::PublicKey{});
  }
  if (auto peers = decode_lookup_reply(in)) lookup_round_trip(*peers);
  if (auto h = decode_handshake(in)) round_trip(*h, decode_handshake);
  if (auto h = decode_holepunch(in)) round_trip(*h, decode_holepunch);
  if (auto p = decode_noise_payload(in)) {
    if (p->version == 1) {
      round_trip(*p, decode_noise_payload, as_we_send_it(*p));
    } else {
      // Another version decodes to that version alone, so the caller can refuse it.
      FUZZ_CHECK(*p == NoisePayload{.version = p->version});
    }
  }
  if (auto p = decode_holepunch_payload(in)) round_trip(*p, decode_holepunch_payload);
  return 0;
}
