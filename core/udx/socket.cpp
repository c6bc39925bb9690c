// udx Socket (libudx src/udx.c: udx_socket_*, on_uv_udp_recv, process_packet's
// demultiplexing).
//
// Two I/O paths, chosen at build time (PEERPORT_UDX_LINUX_BATCH, set by core/CMakeLists.txt):
// - Linux: a raw non-blocking fd under uv_poll_t, recvmmsg/sendmmsg and UDP GSO/GRO, so one
//   syscall moves a whole congestion window's burst (about 265 k packets/s per flow without
//   GSO on the reference machine, several times that with it).
// - Portable (Windows, macOS, and Linux with PEERPORT_PORTABLE_IO=ON): libuv's uv_udp_t, one
//   datagram per syscall. A receive batch ends in a uv_check_t, so acks are still coalesced
//   per wakeup as on the fast path.
// Each OS-specific piece sits under one #if with its portable twin in the #else beside it.
#include <uv.h>

#if PEERPORT_UDX_LINUX_BATCH
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>
#elif !defined(_WIN32)
#include <netinet/in.h>  // the don't-fragment options
#include <sys/socket.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/uv.hpp"
#include "udx/udx.hpp"

namespace peerport::udx {

namespace {
constexpr std::size_t kTxMaxSegments = 48;  // UDP GSO allows 64
constexpr std::size_t kTxBufSize = 65536;
// One UDP send (a GSO batch is one) carries at most 65535 bytes less the IP and UDP headers.
constexpr std::size_t kTxMaxBatchBytes = 65535 - 20 - 8;
constexpr std::size_t kRxBufSize = 65536;  // one GRO-coalesced datagram at most
// Big kernel buffers: a burst of a full congestion window must not be dropped locally.
constexpr int kSocketBufferBytes = 4 << 20;
constexpr int kDefaultTtl = 64;
}  // namespace

// The parts both paths share (socket_demux.cpp has what a received datagram is).

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

void Socket::wait_writable(std::uint32_t stream_id) {
  if (std::find(waiting_.begin(), waiting_.end(), stream_id) == waiting_.end()) {
    waiting_.push_back(stream_id);
  }
}

bool Socket::send_packet(const Header& h, ByteView payload, const Address& to,
                         std::size_t padding) {
  if (!io_) return false;
  const std::size_t size = kHeaderSize + padding + payload.size();
  if (tx_count_ > 0 && (padding > 0 || !(to == tx_to_) || size > tx_seg_ || tx_closed_ ||
                        tx_count_ == kTxMaxSegments || tx_len_ + size > kTxMaxBatchBytes)) {
    if (!flush_batch()) return false;
  }
  if (tx_blocked_) return false;
  // Allocated on the first stream packet: sockets that only punch or ask the DHT never need it.
  if (tx_.empty()) tx_.resize(kTxBufSize);
  if (tx_count_ == 0) {
    tx_to_ = to;
    tx_seg_ = size;
    tx_closed_ = false;
  }
  Header with_padding = h;
  with_padding.data_offset = static_cast<std::uint8_t>(padding);
  write_header(tx_.data() + tx_len_, with_padding);
  if (padding > 0) std::memset(tx_.data() + tx_len_ + kHeaderSize, 0, padding);
  if (!payload.empty())
    std::memcpy(tx_.data() + tx_len_ + kHeaderSize + padding, payload.data(), payload.size());
  tx_len_ += size;
  ++tx_count_;
  if (size < tx_seg_ || padding > 0) tx_closed_ = true;
  if (!in_rx_ && (padding > 0 || tx_count_ == kTxMaxSegments)) flush_batch();
  return true;
}

void Socket::flush() {
  if (in_rx_ || tx_count_ == 0) return;
  flush_batch();
}

#if PEERPORT_UDX_LINUX_BATCH
// ---- Linux: raw fd, recvmmsg/sendmmsg, UDP GSO/GRO --------------------------------------

namespace {
constexpr std::size_t kRxBatch = 32;  // datagrams per recvmmsg
constexpr int kRxRounds = 16;         // recvmmsg calls per wakeup, for fairness
}  // namespace

struct Socket::Io {
  static constexpr const char* kPath = "linux-batch";
  uvx::Handle<uv_poll_t> poll = uvx::make_handle<uv_poll_t>();
  int fd = -1;
  bool gro = false;  // the kernel coalesces received datagrams (UDP_GRO)
  bool gso = true;   // sends go as one GSO sendmsg per batch until the kernel refuses

  // libuv stops polling inside uv_close, so the fd may go at once.
  ~Io() {
    poll.reset();
    if (fd >= 0) ::close(fd);
  }
  static void release(Io* io) { delete io; }

  static void on_poll(uv_poll_t* h, int status, int events) {
    auto* self = static_cast<Socket*>(h->data);
    if (!self || status < 0) return;
    // Callbacks below may destroy the socket (a stream that closes, a punch that won
    // elsewhere): the destructor sets this flag, and nothing of the socket is touched after.
    bool destroyed = false;
    self->destroyed_ = &destroyed;
    if (events & UV_WRITABLE) self->on_writable();
    if (!destroyed && (events & UV_READABLE)) self->on_readable(destroyed);
    if (!destroyed) self->destroyed_ = nullptr;
  }
};

Status Socket::bind(const Address& addr) {
  if (io_) return make_error(Errc::invalid_value, "socket is already bound");
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return make_error(Errc::network_error, std::string("socket: ") + std::strerror(errno));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr.sa), sizeof addr.sa) != 0) {
    int e = errno;
    ::close(fd);
    return make_error(Errc::network_error,
                      "cannot bind UDP " + addr.to_string() + ": " + std::strerror(e));
  }
  int size = kSocketBufferBytes;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  int one = 1;
  const bool gro = ::setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one) == 0;
  io_ = new Io;
  io_->fd = fd;
  dont_fragment_ = set_dont_fragment(true);
  io_->gro = gro;
  uv_poll_init_socket(udx_.loop(), io_->poll.get(), fd);
  io_->poll->data = this;
  update_poll();
  return Ok{};
}

void Socket::update_poll() {
  int events = UV_READABLE | (tx_blocked_ ? UV_WRITABLE : 0);
  uv_poll_start(io_->poll.get(), events, Io::on_poll);
}

Address Socket::local_address() const {
  Address a;
  socklen_t len = sizeof a.sa;
  if (io_) ::getsockname(io_->fd, reinterpret_cast<sockaddr*>(&a.sa), &len);
  return a;
}

void Socket::on_readable(const bool& destroyed) {
  mmsghdr msgs[kRxBatch];
  iovec iovs[kRxBatch];
  sockaddr_in from[kRxBatch];
  alignas(cmsghdr) char ctrl[kRxBatch][CMSG_SPACE(sizeof(int))];
  // Shared by every socket on the loop (Udx::rx_area): nothing delivered outlives this call.
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
    int n = ::recvmmsg(io_->fd, msgs, kRxBatch, MSG_DONTWAIT, nullptr);
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
        if (!io_) {
          in_rx_ = false;
          return;
        }
      }
    }
    if (static_cast<std::size_t>(n) < kRxBatch) break;
  }
  end_rx_batch();
}

// Don't-fragment, and the kernel's path MTU estimate ignored: our probes find it (as libudx).
bool Socket::set_dont_fragment(bool on) {
  int v = on ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT;
  return ::setsockopt(io_->fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof v) == 0;
}

Status Socket::send_datagram(ByteView datagram, const Address& to) {
  if (!io_) return make_error(Errc::not_connected, "socket is not bound");
  ssize_t n = ::sendto(io_->fd, datagram.data(), datagram.size(), MSG_DONTWAIT,
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
  if (!io_) return make_error(Errc::not_connected, "socket is not bound");
  ::setsockopt(io_->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  Status st = send(datagram, to);
  const int normal = kDefaultTtl;
  ::setsockopt(io_->fd, IPPROTO_IP, IP_TTL, &normal, sizeof normal);
  return st;
}

bool Socket::flush_batch() {
  if (tx_count_ == 0) return true;
  if (!io_) return false;
  ssize_t rc = -1;
  if (io_->gso && tx_count_ > 1) {
    iovec iov{tx_.data(), tx_len_};
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
    rc = ::sendmsg(io_->fd, &m, MSG_DONTWAIT);
    ++stats_.tx_syscalls;
    if (rc < 0 &&
        (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT || errno == EOPNOTSUPP)) {
      io_->gso = false;  // no GSO on this path or kernel: sendmmsg from now on
    }
  }
  if (!io_->gso || tx_count_ == 1) {
    mmsghdr msgs[kTxMaxSegments];
    iovec iovs[kTxMaxSegments];
    std::size_t off = 0;
    for (std::size_t i = 0; i < tx_count_; ++i) {
      std::size_t len = std::min(tx_seg_, tx_len_ - off);
      iovs[i] = {tx_.data() + off, len};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &tx_to_.sa;
      msgs[i].msg_hdr.msg_namelen = sizeof tx_to_.sa;
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      off += len;
    }
    int n = ::sendmmsg(io_->fd, msgs, static_cast<unsigned>(tx_count_), MSG_DONTWAIT);
    ++stats_.tx_syscalls;
    if (n > 0 && static_cast<std::size_t>(n) < tx_count_) {
      // Partly sent: keep the rest as the batch.
      std::size_t sent = 0;
      for (int i = 0; i < n; ++i) sent += iovs[i].iov_len;
      std::memmove(tx_.data(), tx_.data() + sent, tx_len_ - sent);
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

#else
// ---- Portable: libuv's uv_udp_t (Windows, macOS, Linux with PEERPORT_PORTABLE_IO=ON) -------

struct Socket::Io {
  static constexpr const char* kPath = "portable";
  uv_udp_t udp;
  // Ends a receive batch: check handles run right after the loop's I/O callbacks, so the acks
  // and replies of everything one wakeup delivered leave together.
  uv_check_t batch_end;
  int open_handles = 0;  // freed when both handles are closed
  Socket* owner = nullptr;
  // The one datagram the kernel would not take at once. libuv sends it when the socket
  // drains; its completion is this path's "writable" (uv_udp_t has no writable event).
  uv_udp_send_t pending_req;
  Bytes pending;
  bool pending_active = false;

  // One receive area for every socket of the Udx (Udx::rx_area), as on the Linux path, so
  // hundreds of sockets cost no more than one: libuv asks for a buffer, fills it and calls
  // on_recv before it asks again, on Windows too (its zero-byte reads), and every socket of a
  // Udx runs on one thread. The area outlives a socket destroyed inside its own callback.
  static void on_alloc(uv_handle_t* h, std::size_t, uv_buf_t* buf) {
    auto* io = static_cast<Io*>(h->data);
    std::uint8_t* area = io->owner ? io->owner->udx_.rx_area(kRxBufSize) : nullptr;
    buf->base = reinterpret_cast<char*>(area);
    buf->len = static_cast<decltype(buf->len)>(area ? kRxBufSize : 0);
  }

  static void on_recv(uv_udp_t* h, ssize_t n, const uv_buf_t* buf, const sockaddr* addr,
                      unsigned flags) {
    auto* io = static_cast<Io*>(h->data);
    Socket* self = io->owner;
    // n == 0 without an address is libuv saying the socket is drained; errors (an ICMP
    // unreachable on Windows, say) are not the end of a UDP socket.
    if (!self || n < 0 || addr == nullptr || addr->sa_family != AF_INET) return;
    ++self->stats_.rx_syscalls;
    if (flags & UV_UDP_PARTIAL) {  // larger than any UDX or DHT datagram: cut, so dropped
      ++self->stats_.malformed;
      return;
    }
    if (!self->in_rx_) {
      self->in_rx_ = true;
      uv_check_start(&io->batch_end, on_batch_end);
    }
    Address a;
    std::memcpy(&a.sa, addr, sizeof a.sa);
    self->receive(
        ByteView(reinterpret_cast<const std::uint8_t*>(buf->base), static_cast<std::size_t>(n)), a);
  }

  static void on_batch_end(uv_check_t* h) {
    auto* io = static_cast<Io*>(h->data);
    uv_check_stop(h);
    if (io->owner) io->owner->end_rx_batch();
  }

  static void on_sent(uv_udp_send_t* req, int status) {
    auto* io = static_cast<Io*>(req->data);
    io->pending_active = false;
    Socket* self = io->owner;
    if (!self) return;
    if (status < 0) ++self->stats_.send_errors;
    self->on_writable();
  }

  // Not a uvx::Handle each: a send still pending completes (cancelled) only as the udp handle
  // closes, and its request and bytes live here, so the Io goes once both handles have closed.
  static void release(Io* io) {
    io->owner = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&io->udp), on_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&io->batch_end), on_closed);
  }

  static void on_closed(uv_handle_t* h) {
    auto* io = static_cast<Io*>(h->data);
    if (--io->open_handles == 0) delete io;
  }
};

// The don't-fragment bit, each OS its own way (Socket::dont_fragment says why it matters).
bool Socket::set_dont_fragment(bool on) {
  uv_os_fd_t fd;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(&io_->udp), &fd) != 0) return false;
#if defined(_WIN32)
  DWORD v = on ? 1 : 0;
  return ::setsockopt(reinterpret_cast<SOCKET>(fd), IPPROTO_IP, IP_DONTFRAGMENT,
                      reinterpret_cast<const char*>(&v), sizeof v) == 0;
#elif defined(IP_MTU_DISCOVER) && defined(IP_PMTUDISC_PROBE)
  int v = on ? IP_PMTUDISC_PROBE : IP_PMTUDISC_DONT;
  return ::setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof v) == 0;
#elif defined(IP_DONTFRAG)
  int v = on ? 1 : 0;
  return ::setsockopt(fd, IPPROTO_IP, IP_DONTFRAG, &v, sizeof v) == 0;
#else
  (void)fd;
  (void)on;
  return false;  // no probes: packets stay at the base size
#endif
}

Status Socket::bind(const Address& addr) {
  if (io_) return make_error(Errc::invalid_value, "socket is already bound");
  auto* io = new Io;
  io->owner = this;
  uv_udp_init(udx_.loop(), &io->udp);
  uv_check_init(udx_.loop(), &io->batch_end);
  io->udp.data = io;
  io->batch_end.data = io;
  io->pending_req.data = io;
  io->open_handles = 2;
  io_ = io;
  int rc = uv_udp_bind(&io->udp, reinterpret_cast<const sockaddr*>(&addr.sa), 0);
  if (rc == 0) {
    int size = kSocketBufferBytes;
    uv_send_buffer_size(reinterpret_cast<uv_handle_t*>(&io->udp), &size);
    size = kSocketBufferBytes;
    uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(&io->udp), &size);
    rc = uv_udp_recv_start(&io->udp, Io::on_alloc, Io::on_recv);
  }
  if (rc == 0) dont_fragment_ = set_dont_fragment(true);
  if (rc != 0) {
    Io::release(io);
    io_ = nullptr;
    return make_error(Errc::network_error,
                      "cannot bind UDP " + addr.to_string() + ": " + uv_strerror(rc));
  }
  return Ok{};
}

void Socket::update_poll() {}  // nothing to arm: the pending send's callback says "writable"

Address Socket::local_address() const {
  Address a;
  int len = sizeof a.sa;
  if (io_) uv_udp_getsockname(&io_->udp, reinterpret_cast<sockaddr*>(&a.sa), &len);
  return a;
}

void Socket::on_readable(const bool&) {}  // libuv calls Io::on_recv per datagram instead

Status Socket::send_datagram(ByteView datagram, const Address& to) {
  if (!io_) return make_error(Errc::not_connected, "socket is not bound");
  uv_buf_t b = uv_buf_init(const_cast<char*>(reinterpret_cast<const char*>(datagram.data())),
                           static_cast<unsigned>(datagram.size()));
  int rc = uv_udp_try_send(&io_->udp, &b, 1, reinterpret_cast<const sockaddr*>(&to.sa));
  ++stats_.tx_syscalls;
  if (rc < 0) {
    ++stats_.send_errors;
    return make_error(Errc::network_error, std::string("UDP send failed: ") + uv_strerror(rc));
  }
  ++stats_.packets_out;
  stats_.bytes_out += datagram.size();
  return Ok{};
}

Status Socket::send_ttl(ByteView datagram, const Address& to, int ttl) {
  if (!io_) return make_error(Errc::not_connected, "socket is not bound");
  uv_udp_set_ttl(&io_->udp, ttl);
  Status st = send(datagram, to);
  uv_udp_set_ttl(&io_->udp, kDefaultTtl);
  return st;
}

bool Socket::flush_batch() {
  if (tx_count_ == 0) return true;
  if (!io_ || io_->pending_active) return false;
  std::size_t off = 0;
  std::size_t sent = 0;
  bool blocked = false;
  while (sent < tx_count_) {
    const std::size_t len = std::min(tx_seg_, tx_len_ - off);
    uv_buf_t b = uv_buf_init(reinterpret_cast<char*>(tx_.data() + off), static_cast<unsigned>(len));
    const auto* to = reinterpret_cast<const sockaddr*>(&tx_to_.sa);
    int rc = uv_udp_try_send(&io_->udp, &b, 1, to);
    ++stats_.tx_syscalls;
    if (rc == UV_EAGAIN || rc == UV_ENOBUFS) {
      // The kernel buffer is full: libuv keeps this one datagram and sends it when it drains.
      io_->pending.assign(tx_.data() + off, tx_.data() + off + len);
      uv_buf_t pb =
          uv_buf_init(reinterpret_cast<char*>(io_->pending.data()), static_cast<unsigned>(len));
      rc = uv_udp_send(&io_->pending_req, &io_->udp, &pb, 1, to, Io::on_sent);
      if (rc == 0) {
        io_->pending_active = true;
        blocked = true;
      }
    }
    if (rc < 0) {
      ++stats_.send_errors;  // unreachable and the like: lost; retransmission decides
    } else {
      ++stats_.packets_out;
      stats_.bytes_out += len;
    }
    off += len;
    ++sent;
    if (blocked) break;
  }
  std::memmove(tx_.data(), tx_.data() + off, tx_len_ - off);
  tx_len_ -= off;
  tx_count_ -= sent;
  if (blocked) tx_blocked_ = true;
  return !blocked;
}

#endif

// ---- Both paths ------------------------------------------------------------------------

Status Socket::send(ByteView datagram, const Address& to) {
  // Don't-fragment is for stream packets, whose size the MTU search picks. A DHT message above
  // a stream's base packet may be larger than the path (a reply with a stored value): routers
  // may fragment it, as they did before the search, rather than the send failing.
  const bool fragmentable = dont_fragment_ && datagram.size() > Stream::kMaxPayload + kHeaderSize;
  if (fragmentable) set_dont_fragment(false);
  Status st = send_datagram(datagram, to);
  if (fragmentable) set_dont_fragment(true);
  return st;
}

const char* Socket::io_path() {
  return Io::kPath;
}

Socket::Socket(Udx& udx) : udx_(udx) {}

Socket::~Socket() {
  if (destroyed_) *destroyed_ = true;
  if (io_) Io::release(io_);
}

}  // namespace peerport::udx
