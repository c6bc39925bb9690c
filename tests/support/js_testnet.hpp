#pragma once
// The JS side of the DHT interop tests (tests/interop/dht-testnet.js in serve mode) and a libuv
// loop that keeps running while the test waits on it: our node must answer while JS works.
#include <uv.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "dht/messages.hpp"
#include "subprocess.hpp"

namespace peerport::test {

using namespace std::chrono_literals;
using nlohmann::json;

struct JsTestnet {
  Subprocess p{{"node", "dht-testnet.js", "serve"}, PEERPORT_SOURCE_DIR "/tests/interop"};
  std::string buf;

  std::optional<json> line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto nl = buf.find('\n');
      if (nl != std::string::npos) {
        auto j = json::parse(buf.substr(0, nl), nullptr, false);
        buf.erase(0, nl + 1);
        if (!j.is_discarded()) return j;
        continue;
      }
      auto left = std::max(std::chrono::milliseconds(0),
                           std::chrono::duration_cast<std::chrono::milliseconds>(
                               deadline - std::chrono::steady_clock::now()));
      // One read is always tried, so a zero timeout is a poll.
      auto d = p.read_some(4096, left);
      if (!d || d->empty()) return std::nullopt;
      buf.append(d->begin(), d->end());
    }
  }
  // Waits for the testnet's first line and returns its bootstrap address.
  std::optional<dht::Address> ready(std::chrono::milliseconds timeout) {
    auto hello = line(timeout);
    if (!hello || !hello->contains("bootstrap")) return std::nullopt;
    const std::string boot = (*hello)["bootstrap"];
    const auto colon = boot.rfind(':');
    return dht::Address::parse(boot.substr(0, colon),
                               static_cast<std::uint16_t>(std::stoi(boot.substr(colon + 1))));
  }
  void send(const json& op) {
    std::string s = op.dump() + "\n";
    // A failed write shows up as the answer that never comes; callers assert on that.
    (void)p.write_all(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  }
};

struct Loop {
  uv_loop_t loop;
  uv_timer_t deadline;
  Loop() {
    uv_loop_init(&loop);
    uv_timer_init(&loop, &deadline);
  }
  // Runs until done() is true or the time is up; true if done.
  bool run_until(const std::function<bool()>& done, std::uint64_t ms) {
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, ms, 0);
    uv_idle_t idle;
    uv_idle_init(&loop, &idle);
    struct Ctx {
      const std::function<bool()>* done;
    } ctx{&done};
    idle.data = &ctx;
    uv_idle_start(&idle, [](uv_idle_t* h) {
      if ((*static_cast<Ctx*>(h->data)->done)()) uv_stop(h->loop);
    });
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&idle), nullptr);
    uv_run(&loop, UV_RUN_NOWAIT);
    return done();
  }
  // Sends an op to the JS side and keeps our loop (and so our DHT node) running until the
  // answer arrives: the JS operation may well be asking our node.
  std::optional<json> call(JsTestnet& js, const json& op) {
    js.send(op);
    std::optional<json> out;
    run_until(
        [&] {
          if (!out) out = js.line(0ms);
          return out.has_value();
        },
        60000);
    return out;
  }
  ~Loop() {
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

}  // namespace peerport::test
