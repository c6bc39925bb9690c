// udx Socket and the stream registry (libudx src/udx.c: udx_socket_*, on_uv_udp_recv,
// process_packet's demultiplexing).
#include <arpa/inet.h>
#include <sodium.h>

#include <cstring>

#include "udx/udx.hpp"

namespace peerport::udx {

std::optional<Address> Address::parse(std::string_view host, std::uint16_t port) {
  Address a;
  a.sa.sin_family = AF_INET;
  a.sa.sin_port = htons(port);
  std::string h(host);
  if (inet_pton(AF_INET, h.c_str(), &a.sa.sin_addr) != 1) return std::nullopt;
  return a;
}

std::string Address::to_string() const {
  char buf[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &sa.sin_addr, buf, sizeof buf);
  return std::string(buf) + ":" + std::to_string(port());
}

std::uint32_t Udx::new_stream_id() const {
  while (true) {
    std::uint32_t id = randombytes_random();
    if (!streams_.contains(id)) return id;
  }
}

Stream* Udx::find(std::uint32_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second;
}

Socket::Socket(Udx& udx) : udx_(udx), recv_buf_(kMaxDatagram) {
  handle_ = new uv_udp_t;
  uv_udp_init(udx.loop(), handle_);
  handle_->data = this;
}

Socket::~Socket() {
  // The handle outlives us until libuv is done with it; it must not call back into us.
  handle_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(handle_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_udp_t*>(h); });
}

Status Socket::bind(const Address& addr) {
  int rc = uv_udp_bind(handle_, reinterpret_cast<const sockaddr*>(&addr.sa), 0);
  if (rc == 0) rc = uv_udp_recv_start(handle_, on_alloc, on_recv);
  if (rc != 0) {
    return make_error(Errc::network_error,
                      "cannot bind UDP " + addr.to_string() + ": " + uv_strerror(rc));
  }
  // Big kernel buffers: a burst of a full congestion window must not be dropped locally.
  int size = 4 << 20;
  uv_send_buffer_size(reinterpret_cast<uv_handle_t*>(handle_), &size);
  size = 4 << 20;
  uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(handle_), &size);
  return Ok{};
}

Address Socket::local_address() const {
  Address a;
  int len = sizeof a.sa;
  uv_udp_getsockname(handle_, reinterpret_cast<sockaddr*>(&a.sa), &len);
  return a;
}

void Socket::on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
  auto* self = static_cast<Socket*>(h->data);
  if (!self) {
    *buf = uv_buf_init(nullptr, 0);
    return;
  }
  *buf = uv_buf_init(reinterpret_cast<char*>(self->recv_buf_.data()),
                     static_cast<unsigned>(self->recv_buf_.size()));
}

void Socket::on_recv(uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr* addr,
                     unsigned) {
  auto* self = static_cast<Socket*>(h->data);
  if (!self || n <= 0 || !addr || addr->sa_family != AF_INET) return;
  Address from;
  std::memcpy(&from.sa, addr, sizeof from.sa);
  self->receive(ByteView(reinterpret_cast<const std::uint8_t*>(buf->base),
                         static_cast<std::size_t>(n)),
                from);
}

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
  s->on_packet(*this, *p, from);
}

Status Socket::send(ByteView datagram, const Address& to) {
  uv_buf_t b = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(datagram.data())),
                           static_cast<unsigned>(datagram.size()));
  int rc = uv_udp_try_send(handle_, &b, 1, reinterpret_cast<const sockaddr*>(&to.sa));
  if (rc < 0) {
    ++stats_.send_errors;
    return make_error(Errc::network_error, std::string("UDP send failed: ") + uv_strerror(rc));
  }
  ++stats_.packets_out;
  stats_.bytes_out += datagram.size();
  return Ok{};
}

bool Socket::send_packet(const std::uint8_t* header, ByteView payload, const Address& to) {
  uv_buf_t b[2] = {
      uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(header)), kHeaderSize),
      uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(payload.data())),
                  static_cast<unsigned>(payload.size()))};
  int rc = uv_udp_try_send(handle_, b, payload.empty() ? 1 : 2,
                           reinterpret_cast<const sockaddr*>(&to.sa));
  if (rc < 0) {
    ++stats_.send_errors;
    return false;
  }
  ++stats_.packets_out;
  stats_.bytes_out += kHeaderSize + payload.size();
  return true;
}

}  // namespace peerport::udx
