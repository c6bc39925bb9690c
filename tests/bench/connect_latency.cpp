// Benchmark (not a test): time from connect() to the first echoed byte on a local HyperDHT
// testnet (10 JS nodes on loopback), PeerPort's C++ client against the JS hyperdht 6.34
// client, same run, both connecting to the same JS echo server. Prints each side's median of
// N and the ratio.   connect_latency [N, default 10]
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "../support/js_testnet.hpp"
#include "crypto/key_text.hpp"
#include "hyperdht/server.hpp"
#include "targets.hpp"

using namespace peerport;
using peerport::test::JsTestnet;
using peerport::test::Loop;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10;
  if (!crypto::init().ok()) return 1;
  JsTestnet js;
  auto boot_addr = js.ready(std::chrono::seconds(60));
  if (!boot_addr) {
    std::fprintf(stderr, "the JS testnet did not start\n");
    return 1;
  }
  Loop l;
  std::vector<double> cpp_ms, js_ms;
  {
    udx::Udx udx(&l.loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    hyperdht::Dht dht(udx, opts);
    if (!dht.start().ok() || !l.run_until([&] { return dht.node().bootstrapped(); }, 30000)) {
      std::fprintf(stderr, "C++ node did not bootstrap\n");
      return 1;
    }
    auto server = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '5')));
    auto started = l.call(js, {{"op", "echoServer"}, {"seed", std::string(64, '5')}});
    if (!started) return 1;
    for (int i = 0; i < n; ++i) {
      // C++: connect, send one byte, wait for its echo.
      std::unique_ptr<hyperdht::Connection> conn;
      bool got = false, failed = false;
      hyperdht::Connection::Callbacks cb;
      cb.on_data = [&](ByteView) { got = true; };
      const auto t0 = std::chrono::steady_clock::now();
      hyperdht::Connection::connect(dht, crypto::KeyPair::random(), server.public_key, cb,
                                    [&](Result<std::unique_ptr<hyperdht::Connection>> r) {
                                      if (!r) {
                                        failed = true;
                                        return;
                                      }
                                      conn = std::move(*r);
                                      const std::uint8_t one = 1;
                                      conn->write(ByteView(&one, 1));
                                    });
      l.run_until([&] { return got || failed; }, 30000);
      if (got) {
        cpp_ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
      }
      if (conn) conn->destroy();
      l.run_until([] { return false; }, 20);
      // JS: the same, from the testnet's JS client node.
      auto r =
          l.call(js, {{"op", "connect"}, {"publicKey", to_hex(server.public_key)}, {"bytes", 1}});
      if (r && r->value("ok", false)) js_ms.push_back((*r)["firstByteMs"].get<double>());
    }
  }
  js.p.close_stdin();
  js.p.wait(std::chrono::seconds(30));
  const double c = median(cpp_ms), j = median(js_ms);
  std::printf("connect_latency: connect() to first echoed byte, local testnet, %d runs each\n", n);
  std::printf("  PeerPort C++ client  median %7.1f ms  (%zu ok)\n", c, cpp_ms.size());
  std::printf("  hyperdht JS client   median %7.1f ms  (%zu ok)\n", j, js_ms.size());
  bench::Targets targets("connect_latency");
  targets.at_most("first_byte_vs_js", j > 0 ? c / j : 0.0, 1.0);
  targets.complete("every_connect", cpp_ms.size() == static_cast<std::size_t>(n) &&
                                        js_ms.size() == static_cast<std::size_t>(n));
  return targets.exit_code();
}
