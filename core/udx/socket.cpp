// udx Socket and the stream registry (libudx src/udx.c: udx_socket_*, on_uv_udp_recv,
// process_packet's demultiplexing).
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

namespace {
constexpr std::size_t kRxBatch = 32;        // datagrams per recvmmsg
constexpr std::size_t kRxBufSize = 65536;   // one GRO-coalesced datagram at most
constexpr int kRxRounds = 16;               // recvmmsg calls per wakeup, for fairness
constexpr std::size_t kTxMaxSegments = 48;  // UDP GSO allows 64; 48 x 1172 B stays < 64 KiB
constexpr std::size_t kTxBufSize = 65536;
}  // namespace

// The fd and its poll handle live on the heap until libuv has closed the handle.
struct Socket::Fd {
  uv_poll_t poll;
  int fd = -1;
};

std::uint8_t* Udx::rx_area(std::size_t size) {
  if (rx_area_size_ < size) {
    rx_area_.reset(new std::uint8_t[size]);
    rx_area_size_ = size;
  }
  return rx_area_.get();
}

Socket::Socket(Udx& udx) : udx_(udx) {}

Socket::~Socket() {
  if (destroyed_) *destroyed_ = true;
  if (!fd_) return;
  fd_->poll.data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&fd_->poll), [](uv_handle_t* h) {
    auto* fd = reinterpret_cast<Fd*>(h);
    ::close(fd->fd);
    delete fd;
  });
}

Status Socket::bind(const Address& addr) {
  if (fd_) return make_error(Errc::invalid_value, "socket is already bound");
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return make_error(Errc::network_error, std::string("socket: ") + std::strerror(errno));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr.sa), sizeof addr.sa) != 0) {
    int e = errno;
    ::close(fd);
    return make_error(Errc::network_error,
                      "cannot bind UDP " + addr.to_string() + ": " + std::strerror(e));
  }
  // Big kernel buffers: a burst of a full congestion window must not be dropped locally.
  int size = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  int one = 1;
  gro_ = ::setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) == 0;
  fd_ = new Fd;
  fd_->fd = fd;
  uv_poll_init_socket(udx_.loop(), &fd_->poll, fd);
  fd_->poll.data = this;
  update_poll();
  return Ok{};
}

void Socket::update_poll() {
  int events = UV_READABLE | (tx_blocked_ ? UV_WRITABLE : 0);
  uv_poll_start(&fd_->poll, events, on_poll);
}

Address Socket::local_address() const {
  Address a;
  socklen_t len = sizeof a.sa;
  if (fd_) ::getsockname(fd_->fd, reinterpret_cast<sockaddr*>(&a.sa), &len);
  return a;
}

void Socket::on_poll(uv_poll_t* h, int status, int events) {
  auto* self = static_cast<Socket*>(h->data);
  if (!self || status < 0) return;
  // Callbacks below may destroy the socket (a stream that closes, a punch that won elsewhere).
  bool destroyed = false;
  self->destroyed_ = &destroyed;
  if (events & UV_WRITABLE) self->on_writable();
  if (!destroyed && (events & UV_READABLE)) self->on_readable(destroyed);
  if (!destroyed) self->destroyed_ = nullptr;
}

void Socket::on_readable(const bool& destroyed) {
  mmsghdr msgs[kRxBatch];
  iovec iovs[kRxBatch];
  sockaddr_in from[kRxBatch];
  alignas(cmsghdr) char ctrl[kRxBatch][CMSG_SPACE(sizeof(int))];
  std::uint8_t* rx = udx_.rx_area(kRxBatch * kRxBufSize);
  in_rx_ = true;
  for (int round = 0; round < kRxRounds; ++round) {
    for (std::size_t i = 0; i < kRxBatch; ++i) {
      iovs[i] = {rx + i * kRxBufSize, kRxBufSize};
      msgs[i].msg_hdr = {};
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = ctrl[i];
      msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
    }
    int n = ::recvmmsg(fd_->fd, msgs, kRxBatch, MSG_DONTWAIT, nullptr);
    ++stats_.rx_syscalls;
    if (n <= 0) break;
    for (int i = 0; i < n; ++i) {
      if (from[i].sin_family != AF_INET) continue;
      Address a;
      a.sa = from[i];
      std::size_t len = msgs[i].msg_len;
      std::size_t seg = len;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
          int v = 0;
          std::memcpy(&v, CMSG_DATA(c), sizeof v);
          if (v > 0) seg = static_cast<std::size_t>(v);
        }
      }
      // GRO hands several datagrams of one size (the last may be shorter) in one buffer.
      const std::uint8_t* base = rx + static_cast<std::size_t>(i) * kRxBufSize;
      for (std::size_t off = 0; off < len; off += seg) {
        receive(ByteView(base + off, std::min(seg, len - off)), a);
        if (destroyed) return;
        if (!fd_) {
          in_rx_ = false;
          return;
        }
      }
    }
    if (static_cast<std::size_t>(n) < kRxBatch) break;
  }
  in_rx_ = false;
  // One ack per stream for everything this wakeup delivered.
  auto acks = std::move(acks_);
  acks_.clear();
  for (std::uint32_t id : acks) {
    if (Stream* s = udx_.find(id)) s->send_ack();
  }
  flush();
}

void Socket::on_writable() {
  if (!flush_batch()) return;
  tx_blocked_ = false;
  update_poll();
  auto waiting = std::move(waiting_);
  waiting_.clear();
  Udx& udx = udx_;
  const bool* gone = destroyed_;  // a flushing stream may take this socket with it
  for (std::uint32_t id : waiting) {
    if (gone && *gone) return;
    if (Stream* s = udx.find(id)) s->flush();
  }
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
  if (s->relaying()) {
    s->relay_packet(*this, d, p->header, from);
    return;
  }
  s->on_packet(*this, *p, from);
}

Status Socket::send(ByteView datagram, const Address& to) {
  if (!fd_) return make_error(Errc::not_connected, "socket is not bound");
  ssize_t n = ::sendto(fd_->fd, datagram.data(), datagram.size(), MSG_DONTWAIT,
                       reinterpret_cast<const sockaddr*>(&to.sa), sizeof to.sa);
  ++stats_.tx_syscalls;
  if (n < 0) {
    ++stats_.send_errors;
    return make_error(Errc::network_error, std::string("UDP send failed: ") + std::strerror(errno));
  }
  ++stats_.packets_out;
  stats_.bytes_out += datagram.size();
  return Ok{};
}

Status Socket::send_ttl(ByteView datagram, const Address& to, int ttl) {
  if (!fd_) return make_error(Errc::not_connected, "socket is not bound");
  ::setsockopt(fd_->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  Status st = send(datagram, to);
  const int normal = 64;
  ::setsockopt(fd_->fd, IPPROTO_IP, IP_TTL, &normal, sizeof normal);
  return st;
}

void Socket::wait_writable(std::uint32_t stream_id) {
  if (std::find(waiting_.begin(), waiting_.end(), stream_id) == waiting_.end()) {
    waiting_.push_back(stream_id);
  }
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

bool Socket::send_packet(const Header& h, ByteView payload, const Address& to) {
  if (!fd_) return false;
  const std::size_t size = kHeaderSize + payload.size();
  if (tx_count_ > 0 && (!(to == tx_to_) || size > tx_seg_ || tx_closed_ ||
                        tx_count_ == kTxMaxSegments || tx_len_ + size > kTxBufSize)) {
    if (!flush_batch()) return false;
  }
  if (tx_blocked_) return false;
  if (!tx_) tx_.reset(new std::uint8_t[kTxBufSize]);
  if (tx_count_ == 0) {
    tx_to_ = to;
    tx_seg_ = size;
    tx_closed_ = false;
  }
  write_header(tx_.get() + tx_len_, h);
  if (!payload.empty())
    std::memcpy(tx_.get() + tx_len_ + kHeaderSize, payload.data(), payload.size());
  tx_len_ += size;
  ++tx_count_;
  if (size < tx_seg_) tx_closed_ = true;
  if (!in_rx_ && tx_count_ == kTxMaxSegments) flush_batch();
  return true;
}

void Socket::flush() {
  if (in_rx_ || tx_count_ == 0) return;
  flush_batch();
}

bool Socket::flush_batch() {
  if (tx_count_ == 0) return true;
  if (!fd_) return false;
  ssize_t rc = -1;
  if (gso_ && tx_count_ > 1) {
    iovec iov{tx_.get(), tx_len_};
    alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(std::uint16_t))] = {};
    msghdr m{};
    m.msg_name = &tx_to_.sa;
    m.msg_namelen = sizeof tx_to_.sa;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = ctrl;
    m.msg_controllen = sizeof ctrl;
    cmsghdr* c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
    auto seg = static_cast<std::uint16_t>(tx_seg_);
    std::memcpy(CMSG_DATA(c), &seg, sizeof seg);
    rc = ::sendmsg(fd_->fd, &m, MSG_DONTWAIT);
    ++stats_.tx_syscalls;
    if (rc < 0 &&
        (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT || errno == EOPNOTSUPP)) {
      gso_ = false;  // no GSO on this path or kernel: sendmmsg from now on
    }
  }
  if (!gso_ || tx_count_ == 1) {
    mmsghdr msgs[kTxMaxSegments];
    iovec iovs[kTxMaxSegments];
    std::size_t off = 0;
    for (std::size_t i = 0; i < tx_count_; ++i) {
      std::size_t len = std::min(tx_seg_, tx_len_ - off);
      iovs[i] = {tx_.get() + off, len};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &tx_to_.sa;
      msgs[i].msg_hdr.msg_namelen = sizeof tx_to_.sa;
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      off += len;
    }
    int n = ::sendmmsg(fd_->fd, msgs, static_cast<unsigned>(tx_count_), MSG_DONTWAIT);
    ++stats_.tx_syscalls;
    if (n > 0 && static_cast<std::size_t>(n) < tx_count_) {
      // Partly sent: keep the rest as the batch.
      std::size_t sent = 0;
      for (int i = 0; i < n; ++i) sent += iovs[i].iov_len;
      std::memmove(tx_.get(), tx_.get() + sent, tx_len_ - sent);
      stats_.packets_out += static_cast<std::size_t>(n);
      stats_.bytes_out += sent;
      tx_len_ -= sent;
      tx_count_ -= static_cast<std::size_t>(n);
      errno = EAGAIN;
      rc = -1;
    } else {
      rc = n < 0 ? -1 : 0;
    }
  }
  if (rc < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
      if (!tx_blocked_) {
        tx_blocked_ = true;
        update_poll();
      }
      return false;
    }
    // Unreachable destination and the like: the batch is lost; retransmission decides.
    ++stats_.send_errors;
  } else {
    stats_.packets_out += tx_count_;
    stats_.bytes_out += tx_len_;
  }
  tx_len_ = 0;
  tx_count_ = 0;
  return true;
}

}  // namespace peerport::udx
