// peerport-cli demo: the whole product offline in one process. An in-process testnet of three
// DHT nodes on loopback, a tiny HTTP service, Alice sharing it by key, Bob connecting to the
// key, and a page fetched through the encrypted tunnel. Prints each step with its timing.
#include <uv.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.hpp"
#include "crypto/key_text.hpp"
#include "tunnel/tcp.hpp"

namespace peerport::cli {

namespace {

constexpr std::string_view kPage = "Hello from PeerPort: this page came through the tunnel.\n";

// The local service Alice shares: answers every connection with one small HTTP response.
struct HttpService {
  uv_tcp_t listener;
  std::uint16_t port = 0;

  bool start(uv_loop_t* loop) {
    uv_tcp_init(loop, &listener);
    auto addr = *udx::Address::parse("127.0.0.1", 0);
    if (uv_tcp_bind(&listener, reinterpret_cast<const sockaddr*>(&addr.sa), 0) != 0) return false;
    if (uv_listen(reinterpret_cast<uv_stream_t*>(&listener), 16, on_connection) != 0) return false;
    sockaddr_in b{};
    int len = sizeof b;
    uv_tcp_getsockname(&listener, reinterpret_cast<sockaddr*>(&b), &len);
    port = ntohs(b.sin_port);
    return true;
  }

  // One visitor's connection: its request read, the page written, then closed (the handle
  // goes with the visitor).
  struct Visitor {
    uvx::Handle<uv_tcp_t> tcp = uvx::make_handle<uv_tcp_t>();
    uv_write_t write{};
  };

  static void on_connection(uv_stream_t* server, int status) {
    if (status < 0) return;
    auto visitor = std::make_unique<Visitor>();
    uv_tcp_init(server->loop, visitor->tcp.get());
    auto* stream = reinterpret_cast<uv_stream_t*>(visitor->tcp.get());
    if (uv_accept(server, stream) != 0) return;
    stream->data = visitor.release();  // freed when its answer is written or it goes away
    // Answer once the request has arrived (any bytes will do for a demo).
    uv_read_start(
        stream,
        [](uv_handle_t*, std::size_t, uv_buf_t* b) {
          static char buf[4096];
          *b = uv_buf_init(buf, sizeof buf);
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
          auto* v = static_cast<Visitor*>(s->data);
          uv_read_stop(s);
          if (n <= 0) {
            delete v;
            return;
          }
          static const std::string response =
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
              std::to_string(kPage.size()) + "\r\nConnection: close\r\n\r\n" + std::string(kPage);
          uv_buf_t b = uv_buf_init(const_cast<char*>(response.data()),
                                   static_cast<unsigned>(response.size()));
          v->write.data = v;
          const int rc = uv_write(&v->write, s, &b, 1, [](uv_write_t* req, int) {
            delete static_cast<Visitor*>(req->data);
          });
          if (rc != 0) delete v;
        });
  }
};

// Bob's browser: one GET through the tunnel, the whole answer collected.
struct Fetch {
  uv_tcp_t tcp;
  uv_connect_t connect_req;
  uv_write_t write_req;
  std::string response;
  bool done = false;
  std::function<void()> on_done;
  char buf[8192];

  void start(uv_loop_t* loop, std::uint16_t port) {
    uv_tcp_init(loop, &tcp);
    tcp.data = this;
    auto addr = *udx::Address::parse("127.0.0.1", port);
    connect_req.data = this;
    uv_tcp_connect(&connect_req, &tcp, reinterpret_cast<const sockaddr*>(&addr.sa),
                   [](uv_connect_t* r, int status) {
                     auto* self = static_cast<Fetch*>(r->data);
                     if (status < 0) return self->finish();
                     static const char req[] = "GET / HTTP/1.1\r\nHost: demo\r\n\r\n";
                     uv_buf_t b = uv_buf_init(const_cast<char*>(req), sizeof req - 1);
                     uv_write(&self->write_req, reinterpret_cast<uv_stream_t*>(&self->tcp), &b, 1,
                              [](uv_write_t*, int) {});
                     uv_read_start(
                         reinterpret_cast<uv_stream_t*>(&self->tcp),
                         [](uv_handle_t* h, std::size_t, uv_buf_t* out) {
                           auto* f = static_cast<Fetch*>(h->data);
                           *out = uv_buf_init(f->buf, sizeof f->buf);
                         },
                         [](uv_stream_t* s, ssize_t n, const uv_buf_t* in) {
                           auto* f = static_cast<Fetch*>(s->data);
                           if (n > 0)
                             f->response.append(in->base, static_cast<std::size_t>(n));
                           else if (n < 0)
                             f->finish();
                         });
                   });
  }
  void finish() {
    if (done) return;
    done = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), nullptr);
    if (on_done) on_done();
  }
};

int run_demo(bool json) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  auto ms = [&] { return std::chrono::duration<double, std::milli>(clock::now() - t0).count(); };
  auto step = [&](const std::string& event, nlohmann::json extra, const std::string& text) {
    if (json) {
      extra["event"] = event;
      extra["ms"] = ms();
      std::cout << extra.dump() << std::endl;
    } else {
      std::printf("[%7.1f ms] %s\n", ms(), text.c_str());
      std::fflush(stdout);
    }
  };
  uv_loop_t loop;
  uv_loop_init(&loop);
  int rc = 1;
  {
    udx::Udx udx(&loop);
    // Three DHT nodes on loopback: the first starts the network, the others join it.
    std::vector<std::unique_ptr<hyperdht::Dht>> nodes;
    std::vector<dht::Address> boot;
    for (int i = 0; i < 3; ++i) {
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", 0);
      o.ephemeral = false;
      o.bootstrap = boot;
      nodes.push_back(std::make_unique<hyperdht::Dht>(udx, o));
      if (!nodes.back()->start().ok()) return 1;
      if (i == 0) boot.push_back(nodes[0]->node().local_address());
    }
    HttpService http;
    if (!http.start(&loop)) return 1;
    auto make_peer = [&] {
      dht::Node::Options o;
      o.bind = *udx::Address::parse("127.0.0.1", 0);
      o.bootstrap = boot;
      auto d = std::make_unique<hyperdht::Dht>(udx, o);
      (void)d->start();
      return d;
    };
    auto alice_dht = make_peer();
    auto bob_dht = make_peer();
    step("testnet", {{"nodes", 3}}, "in-process testnet: 3 DHT nodes on 127.0.0.1");
    step("service", {{"port", http.port}},
         "Alice's web service on 127.0.0.1:" + std::to_string(http.port));

    const auto alice = crypto::KeyPair::random();
    const auto bob = crypto::KeyPair::random();
    tunnel::TcpShare::Options so;
    so.port = http.port;
    tunnel::TcpShare share(*alice_dht, alice, so, nullptr);
    std::unique_ptr<tunnel::TcpConnect> connect;
    Fetch fetch;
    uv_timer_t deadline;
    uv_timer_init(&loop, &deadline);
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 30000, 0);

    fetch.on_done = [&] { uv_stop(&loop); };
    int ready = 0;
    auto on_ready = [&] {
      if (++ready < 2) return;
      share.start([&](Status st) {
        if (!st) {
          step("error", {{"message", st.error().message}}, "share failed: " + st.error().message);
          uv_stop(&loop);
          return;
        }
        const std::string z32 = crypto::z32_encode(alice.public_key);
        step("shared", {{"key", z32}}, "Alice shares it; her key: " + z32);
        connect = std::make_unique<tunnel::TcpConnect>(*bob_dht, bob, alice.public_key,
                                                       tunnel::TcpConnect::Options{}, nullptr);
        if (auto cs = connect->start(); !cs) {
          step("error", {{"message", cs.error().message}}, cs.error().message);
          uv_stop(&loop);
          return;
        }
        step("connected", {{"port", connect->port()}},
             "Bob pastes the key; Alice's service is on his 127.0.0.1:" +
                 std::to_string(connect->port()));
        fetch.start(&loop, connect->port());
      });
    };
    alice_dht->node().on_bootstrapped(on_ready);
    bob_dht->node().on_bootstrapped(on_ready);
    uv_run(&loop, UV_RUN_DEFAULT);

    const bool ok = fetch.response.find("200 OK") != std::string::npos &&
                    fetch.response.find(kPage) != std::string::npos;
    if (ok) {
      step("fetched", {{"bytes", fetch.response.size()}, {"path", "direct"}},
           "Bob fetched the page through the encrypted tunnel (direct path, " +
               std::to_string(fetch.response.size()) +
               " bytes): " + std::string(kPage.substr(0, kPage.size() - 1)));
      rc = 0;
    } else {
      step("error", {{"message", "the page did not arrive within 30 s"}},
           "demo failed: the page did not arrive within 30 s");
    }
    if (!fetch.done) uv_close(reinterpret_cast<uv_handle_t*>(&fetch.tcp), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&http.listener), nullptr);
    connect.reset();
  }
  // Let every handle finish closing before the loop goes.
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return rc;
}

}  // namespace

Command add_demo(CLI::App& root) {
  auto json = std::make_shared<bool>(false);
  auto* app = root.add_subcommand(
      "demo", "Run PeerPort end to end offline: testnet, share, connect, fetch a page");
  app->add_flag("--json", *json, "Print events as JSON lines");
  return {app, [json] { return run_demo(*json); }};
}

}  // namespace peerport::cli
