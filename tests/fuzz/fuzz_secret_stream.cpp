// Fuzzes the SecretStream decoder. The keys come from one real XX handshake with fixed seeds and
// ephemerals, and libsodium's random source is replaced by a counter reset per input, so every
// input replays exactly (the secretstream header is otherwise random).
//
// Per input, byte 0 sets the chunk size (1..256) the rest is fed in:
//  1. raw: the peer's real header frame, then the input as if it came off the wire; the decoder
//     may reject it but must not crash, must stay failed once failed, and must never buffer
//     more than one frame of max_message;
//  2. round trip: the input cut into messages, encrypted by the real peer and fed in those
//     chunks, must come out as the same messages.

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "crypto/noise.hpp"
#include "crypto/secret_stream.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace peerport;
using namespace peerport::crypto;

// A deterministic stand-in for randombytes: fuzzing needs replayable runs, not secrecy.
std::uint64_t g_counter = 0;

void fixed_buf(void* const buf, const size_t size) {
  auto* p = static_cast<std::uint8_t*>(buf);
  for (size_t i = 0; i < size; ++i) {
    g_counter = g_counter * 6364136223846793005ULL + 1442695040888963407ULL;
    p[i] = static_cast<std::uint8_t>(g_counter >> 56);
  }
}
uint32_t fixed_random() {
  uint32_t v;
  fixed_buf(&v, sizeof v);
  return v;
}
const char* fixed_name() {
  return "peerport-fuzz-fixed";
}

randombytes_implementation g_fixed_random = {
    fixed_name, fixed_random, nullptr, nullptr, fixed_buf, nullptr,
};

KeyPair key_pair(std::uint8_t fill) {
  Seed s;
  std::memset(s.data(), fill, s.size());
  return KeyPair::from_seed(s);
}

struct Keys {
  HandshakeResult initiator;
  HandshakeResult responder;
};

Keys make_keys() {
  NoiseHandshake i(NoisePattern::XX, true, key_pair(1), ByteView{});
  NoiseHandshake r(NoisePattern::XX, false, key_pair(2), ByteView{});
  i.set_ephemeral(key_pair(3));
  r.set_ephemeral(key_pair(4));
  auto m0 = i.send();
  FUZZ_CHECK(m0.ok() && r.recv(*m0).ok());
  auto m1 = r.send();
  FUZZ_CHECK(m1.ok() && i.recv(*m1).ok());
  auto m2 = i.send();
  FUZZ_CHECK(m2.ok() && r.recv(*m2).ok());
  FUZZ_CHECK(i.complete() && r.complete());
  return {i.result(), r.result()};
}

const Keys& keys() {
  static const Keys k = make_keys();
  return k;
}

constexpr std::size_t kMaxMessage = 4096;

void feed_chunks(SecretStream& s, ByteView data, std::size_t chunk,
                 const SecretStream::MessageFn& fn, bool check_latch) {
  bool failed = false;
  Error first;
  for (std::size_t pos = 0; pos < data.size(); pos += chunk) {
    auto st = s.feed(data.subspan(pos, std::min(chunk, data.size() - pos)), fn);
    // Holding more than one frame's worth would let a peer make us buffer without limit.
    FUZZ_CHECK(s.buffered() <= kMaxMessage + crypto_secretstream_xchacha20poly1305_ABYTES);
    if (!check_latch) continue;
    if (failed) {
      FUZZ_CHECK(!st.ok() && st.error().code == first.code);
    } else if (!st.ok()) {
      failed = true;
      first = st.error();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Must precede sodium_init(), which init() calls.
  randombytes_set_implementation(&g_fixed_random);
  if (!init().ok()) std::abort();
  (void)keys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  g_counter = 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  ByteView input(data + 1, size - 1);
  SecretStream::Options opts;
  opts.max_message = kMaxMessage;

  // 1. Arbitrary bytes after a genuine header.
  {
    SecretStream peer(keys().initiator);
    SecretStream s(keys().responder, opts);
    std::size_t delivered = 0;
    auto fn = [&](ByteView m) {
      FUZZ_CHECK(m.size() <= kMaxMessage);
      ++delivered;
    };
    auto st = s.feed(peer.header_frame(), fn);
    FUZZ_CHECK(st.ok() && s.header_received());
    feed_chunks(s, input, chunk, fn, true);
    FUZZ_CHECK(delivered == s.messages_received());
  }

  // 2. The input as messages: each is a length byte and up to that many following bytes.
  {
    std::vector<Bytes> sent;
    for (std::size_t pos = 0; pos < input.size();) {
      const std::size_t n = std::min<std::size_t>(input[pos] * 16u, input.size() - pos - 1);
      sent.emplace_back(input.begin() + static_cast<std::ptrdiff_t>(pos + 1),
                        input.begin() + static_cast<std::ptrdiff_t>(pos + 1 + n));
      pos += 1 + n;
    }
    SecretStream peer(keys().initiator);
    Bytes wire(peer.header_frame().begin(), peer.header_frame().end());
    for (const auto& m : sent) FUZZ_CHECK(peer.encrypt(m, wire).ok());

    SecretStream s(keys().responder, opts);
    std::vector<Bytes> got;
    feed_chunks(
        s, wire, chunk, [&](ByteView m) { got.emplace_back(m.begin(), m.end()); }, false);
    FUZZ_CHECK(got == sent);
    FUZZ_CHECK(s.buffered() == 0);
  }
  return 0;
}
