#pragma once
// holesail's datagram framing on a reliable stream (@holesail/hyper-cmd-lib-net 358-line
// index.js, createUdpFramedProxy / pipeUdpFramedServer): each datagram travels as a 4-byte
// big-endian length followed by the datagram. Frames may be split or merged by the stream.

#include <cstddef>
#include <functional>

#include "common/bytes.hpp"

namespace peerport::tunnel {

// A UDP datagram is at most 65,507 bytes of payload; anything longer is a corrupt stream.
inline constexpr std::size_t kMaxDatagram = 65535;

Bytes frame_datagram(ByteView datagram);

class FrameDecoder {
 public:
  // Calls on_frame for every complete datagram in order. Returns false, and takes nothing
  // more, once a length over kMaxDatagram arrives: the stream cannot be resynchronised.
  bool feed(ByteView data, const std::function<void(ByteView)>& on_frame);
  std::size_t buffered() const { return buf_.size() - start_; }
  bool failed() const { return failed_; }

 private:
  Bytes buf_;
  std::size_t start_ = 0;
  bool failed_ = false;
};

}  // namespace peerport::tunnel
