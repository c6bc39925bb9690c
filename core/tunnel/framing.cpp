#include "tunnel/framing.hpp"

namespace peerport::tunnel {

Bytes frame_datagram(ByteView datagram) {
  Bytes out(4 + datagram.size());
  const auto n = static_cast<std::uint32_t>(datagram.size());
  out[0] = static_cast<std::uint8_t>(n >> 24);
  out[1] = static_cast<std::uint8_t>(n >> 16);
  out[2] = static_cast<std::uint8_t>(n >> 8);
  out[3] = static_cast<std::uint8_t>(n);
  std::copy(datagram.begin(), datagram.end(), out.begin() + 4);
  return out;
}

bool FrameDecoder::feed(ByteView data, const std::function<void(ByteView)>& on_frame) {
  if (failed_) return false;
  // Whole frames straight from the input when nothing is buffered: the common case of one
  // stream chunk carrying whole datagrams costs no copy.
  std::size_t pos = 0;
  if (buffered() == 0) {
    while (data.size() - pos >= 4) {
      const std::size_t n = (std::size_t{data[pos]} << 24) | (std::size_t{data[pos + 1]} << 16) |
                            (std::size_t{data[pos + 2]} << 8) | std::size_t{data[pos + 3]};
      if (n > kMaxDatagram) {
        failed_ = true;
        return false;
      }
      if (data.size() - pos - 4 < n) break;
      on_frame(data.subspan(pos + 4, n));
      pos += 4 + n;
    }
    buf_.clear();
    start_ = 0;
  }
  buf_.insert(buf_.end(), data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
  while (buffered() >= 4) {
    const std::uint8_t* p = buf_.data() + start_;
    const std::size_t n = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) |
                          (std::size_t{p[2]} << 8) | std::size_t{p[3]};
    if (n > kMaxDatagram) {
      failed_ = true;
      buf_.clear();
      start_ = 0;
      return false;
    }
    if (buffered() - 4 < n) break;
    on_frame(ByteView(p + 4, n));
    start_ += 4 + n;
  }
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > (64u << 10)) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  return true;
}

}  // namespace peerport::tunnel
