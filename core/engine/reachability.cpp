#include "engine/reachability.hpp"

#include <cstring>

namespace peerport::engine {

// One TCP connect. Its handle outlives the probe when the probe goes first: the connect
// callback (UV_ECANCELED after uv_close) and the close callback free it.
struct ReachabilityProbe::Try {
  uv_tcp_t tcp{};
  uv_connect_t req{};
  ReachabilityProbe* owner = nullptr;
  bool closing = false;

  void close() {
    if (closing) return;
    closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp),
             [](uv_handle_t* h) { delete static_cast<Try*>(h->data); });
  }
};

std::shared_ptr<ReachabilityProbe> ReachabilityProbe::start(uv_loop_t* loop,
                                                            const std::vector<dht::Address>& hosts,
                                                            std::function<void(bool)> done) {
  std::shared_ptr<ReachabilityProbe> p(new ReachabilityProbe());
  p->done_ = std::move(done);
  p->timer_ = std::make_unique<uvx::Timer>(loop);
  for (const auto& h : hosts) {
    for (std::uint16_t port : {h.port, static_cast<std::uint16_t>(443)}) {
      auto* t = new Try;
      t->owner = p.get();
      uv_tcp_init(loop, &t->tcp);
      t->tcp.data = t;
      t->req.data = t;
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_port = htons(port);
      std::memcpy(&sa.sin_addr, h.host.data(), 4);
      const int rc = uv_tcp_connect(&t->req, &t->tcp, reinterpret_cast<const sockaddr*>(&sa),
                                    [](uv_connect_t* r, int status) {
                                      auto* me = static_cast<Try*>(r->data);
                                      ReachabilityProbe* owner = me->owner;
                                      me->owner = nullptr;
                                      me->close();
                                      if (!owner || status == UV_ECANCELED) return;
                                      // Accepted, or refused by the host itself: it is there.
                                      const bool there = status == 0 || status == UV_ECONNREFUSED;
                                      for (auto*& x : owner->tries_) {
                                        if (x == me) x = nullptr;
                                      }
                                      --owner->pending_;
                                      if (there)
                                        owner->finish(true);
                                      else if (owner->pending_ == 0)
                                        owner->finish(false);
                                    });
      if (rc != 0) {
        t->owner = nullptr;
        t->close();
        continue;
      }
      p->tries_.push_back(t);
      ++p->pending_;
    }
  }
  // Nothing could even be tried (no route at all): offline, reported from the loop.
  ReachabilityProbe* raw = p.get();
  p->timer_->start(p->pending_ == 0 ? 0 : kReachabilityTimeoutMs, [raw] { raw->finish(false); });
  return p;
}

void ReachabilityProbe::finish(bool reachable) {
  auto done = std::move(done_);
  done_ = nullptr;
  cancel();
  if (done) done(reachable);
}

void ReachabilityProbe::cancel() {
  for (auto* t : tries_) {
    if (!t) continue;
    t->owner = nullptr;
    t->close();
  }
  tries_.clear();
  pending_ = 0;
  done_ = nullptr;
  timer_.reset();
}

ReachabilityProbe::~ReachabilityProbe() {
  cancel();
}

}  // namespace peerport::engine
