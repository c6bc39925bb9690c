// udx Socket, the part both I/O paths share on the way in (libudx src/udx.c: process_packet's
// demultiplexing): whether a datagram is a stream's or the DHT's, and one ack per stream for
// each receive batch.
#include "udx/udx.hpp"

namespace peerport::udx {

void Socket::receive(ByteView d, const Address& from) {
  ++stats_.packets_in;
  stats_.bytes_in += d.size();
  if (!is_udx(d)) {
    ++stats_.non_udx_in;
    if (on_message_) on_message_(d, from);
    return;
  }
  auto p = parse(d);
  if (!p) {
    ++stats_.malformed;
    return;
  }
  Stream* s = udx_.find(p->header.id);
  if (!s) {
    // Not ours (or a stream that has closed): as libudx, the datagram goes to the DHT side.
    ++stats_.unknown_stream;
    if (on_message_) on_message_(d, from);
    return;
  }
  if (s->relaying()) {
    s->relay_packet(*this, d, p->header, from);
    return;
  }
  s->on_packet(*this, *p, from);
}

// One ack per stream for everything this wakeup delivered, then the replies leave together.
void Socket::end_rx_batch() {
  in_rx_ = false;
  auto acks = std::move(acks_);
  acks_.clear();
  for (std::uint32_t id : acks) {
    if (Stream* s = udx_.find(id)) s->send_ack();
  }
  flush();
}

void Socket::request_ack(std::uint32_t stream_id) {
  Stream* s = udx_.find(stream_id);
  if (!s) return;
  if (!in_rx_) {
    s->send_ack();
    return;
  }
  if (s->ack_queued_) return;
  s->ack_queued_ = true;
  acks_.push_back(stream_id);
}

}  // namespace peerport::udx
