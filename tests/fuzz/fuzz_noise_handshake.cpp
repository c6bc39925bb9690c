// libFuzzer target: NoiseHandshake::recv, what an unauthenticated peer controls in every
// hyperdht handshake (msg1 reaches a server through any DHT node) and in every SecretStream XX
// handshake. Static keys and ephemerals are fixed so each input replays exactly.
//
// Byte 0 picks the pattern (IK or XX) and the mode; byte 1 a position, byte 2 a mask:
//  - raw: the rest of the input is the message, fed to a responder as msg1 and to an initiator
//    (after its own msg1) as msg2. Either may fail; neither may crash or read out of bounds.
//  - real: a real handshake carrying the input as payloads, with one byte of one message
//    XORed with the mask (mask 0: untouched). Untouched, both sides must finish with the
//    payloads intact and matching keys; touched, a message may fail but never pass with a
//    different payload, and a failed handshake stays failed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "crypto/noise.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace peerport;
using namespace peerport::crypto;

KeyPair key_pair(std::uint8_t fill) {
  Seed s;
  std::memset(s.data(), fill, s.size());
  return KeyPair::from_seed(s);
}

struct Keys {
  KeyPair initiator = key_pair(1);
  KeyPair responder = key_pair(2);
  KeyPair ie = key_pair(3);
  KeyPair re = key_pair(4);
};
const Keys& keys() {
  static const Keys k;
  return k;
}

const Bytes kPrologue = {'p', 'e', 'e', 'r', 'p', 'o', 'r', 't'};

std::unique_ptr<NoiseHandshake> make(NoisePattern p, bool initiator) {
  const Keys& k = keys();
  std::optional<PublicKey> rs;
  if (initiator && p == NoisePattern::IK) rs = k.responder.public_key;
  auto h = std::make_unique<NoiseHandshake>(p, initiator, initiator ? k.initiator : k.responder,
                                            kPrologue, rs);
  h->set_ephemeral(initiator ? k.ie : k.re);
  return h;
}

// Flips one byte of `m` (when it is this message's turn and the mask is not 0).
bool touch(Bytes& m, int which, int target, std::size_t pos, std::uint8_t mask) {
  if (which != target || mask == 0 || m.empty()) return false;
  m[pos % m.size()] ^= mask;
  return true;
}

void raw(NoisePattern p, ByteView msg) {
  auto r = make(p, false);
  auto got = r->recv(msg);
  if (!got) FUZZ_CHECK(!r->complete());
  auto i = make(p, true);
  FUZZ_CHECK(i->send().ok());
  auto back = i->recv(msg);
  if (!back) {
    FUZZ_CHECK(!i->complete());
    FUZZ_CHECK(!i->recv(msg).ok());  // failed stays failed
  }
}

void real(NoisePattern p, ByteView payload, std::size_t pos, std::uint8_t mask, int target) {
  auto i = make(p, true);
  auto r = make(p, false);
  bool touched = false;
  const int rounds = p == NoisePattern::IK ? 2 : 3;
  NoiseHandshake* from = i.get();
  NoiseHandshake* to = r.get();
  for (int n = 0; n < rounds; ++n) {
    auto m = from->send(payload);
    if (!m) return;  // a payload too large for one message
    Bytes wire = *m;
    touched |= touch(wire, n, target, pos, mask);
    auto got = to->recv(wire);
    if (!got) {
      FUZZ_CHECK(touched);
      FUZZ_CHECK(!to->complete());
      return;
    }
    // A changed message never passes the AEAD with a payload other than the one sent (XX's
    // first message carries its payload in the clear: there it may differ).
    if (!(p == NoisePattern::XX && n == 0))
      FUZZ_CHECK(Bytes(got->begin(), got->end()) == Bytes(payload.begin(), payload.end()));
    std::swap(from, to);
  }
  if (touched) return;
  FUZZ_CHECK(i->complete() && r->complete());
  FUZZ_CHECK(i->result().tx == r->result().rx);
  FUZZ_CHECK(i->result().rx == r->result().tx);
  FUZZ_CHECK(i->result().hash == r->result().hash);
  FUZZ_CHECK(r->remote_static() && *r->remote_static() == keys().initiator.public_key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = crypto::init().ok();
  FUZZ_CHECK(ready);
  if (size < 3) return 0;
  const std::uint8_t mode = data[0];
  const NoisePattern p = (mode & 1) ? NoisePattern::XX : NoisePattern::IK;
  ByteView rest(data + 3, size - 3);
  if (mode & 2) {
    real(p, rest, data[1], data[2], (mode >> 2) % 3);
  } else {
    raw(p, rest);
  }
  return 0;
}
