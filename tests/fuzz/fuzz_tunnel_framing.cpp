// Fuzzes what a peer's stream can feed a UDP tunnel: holesail's datagram framing (split at
// fuzzer-chosen points) and the service record a share publishes. Besides crashes, it checks
// the decoder never reports more bytes than it was fed, that re-framing the decoded datagrams
// gives back the consumed input, and that a parsed record re-encodes to one that parses the same.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_check.hpp"
#include "tunnel/framing.hpp"
#include "tunnel/holesail.hpp"

namespace {

using namespace peerport;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size the stream delivers in.
  const std::size_t chunk = 1 + data[0] % 64;
  ByteView in(data + 1, size - 1);
  tunnel::FrameDecoder dec;
  Bytes reframed;
  bool ok = true;
  for (std::size_t pos = 0; pos < in.size() && ok; pos += chunk) {
    ok = dec.feed(in.subspan(pos, std::min(chunk, in.size() - pos)), [&](ByteView d) {
      FUZZ_CHECK(d.size() <= tunnel::kMaxDatagram);
      auto f = tunnel::frame_datagram(d);
      reframed.insert(reframed.end(), f.begin(), f.end());
    });
  }
  if (ok) {
    FUZZ_CHECK(reframed.size() + dec.buffered() == in.size());
    FUZZ_CHECK(std::equal(reframed.begin(), reframed.end(), in.begin()));
  }

  auto record = tunnel::parse_service_record(in);
  if (record) {
    auto again = tunnel::parse_service_record(tunnel::encode_service_record(*record));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->host == record->host && again->port == record->port &&
               again->udp == record->udp);
  }
  return 0;
}
