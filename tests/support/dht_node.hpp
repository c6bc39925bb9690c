#pragma once
// A persistent DHT node on loopback, on its own thread and loop: the bootstrap (and storage)
// node that in-process engine tests join. Real sockets, real protocol; nothing mocked.
#include <uv.h>

#include <atomic>
#include <future>
#include <thread>

#include "hyperdht/dht.hpp"

namespace peerport::test {

class DhtNode {
 public:
  // port 0: any free one. A given port brings a node back where an earlier one was.
  explicit DhtNode(std::uint16_t port = 0) {
    // Shared: set_value may still run on the thread after the constructor has its answer.
    auto ready = std::make_shared<std::promise<dht::Address>>();
    auto fut = ready->get_future();
    thread_ = std::thread([this, ready, port] {
      uv_loop_init(&loop_);
      uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
        auto* self = static_cast<DhtNode*>(a->data);
        self->dht_.reset();
        self->udx_.reset();
        uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
      });
      stop_.data = this;
      udx_ = std::make_unique<udx::Udx>(&loop_);
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", port);
      o.ephemeral = false;
      dht_ = std::make_unique<hyperdht::Dht>(*udx_, o);
      (void)dht_->start();
      ready->set_value(dht_->node().local_address());
      uv_run(&loop_, UV_RUN_DEFAULT);
      uv_loop_close(&loop_);
    });
    address_ = fut.get();
  }
  ~DhtNode() {
    uv_async_send(&stop_);
    thread_.join();
  }
  const dht::Address& address() const { return address_; }

 private:
  uv_loop_t loop_{};
  uv_async_t stop_{};
  std::unique_ptr<udx::Udx> udx_;
  std::unique_ptr<hyperdht::Dht> dht_;
  dht::Address address_;
  std::thread thread_;
};

}  // namespace peerport::test
