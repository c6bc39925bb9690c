// A C++ client connects by public key to a JS hyperdht 6.34 server on a loopback testnet: the
// Noise IK handshake relayed by the DHT, then a UDX stream wrapped in SecretStream. 64 MiB go
// to the JS echo server and come back, SHA-256 checked.
#include <gtest/gtest.h>
#include <sodium.h>

#include "../support/js_testnet.hpp"
#include "crypto/key_text.hpp"
#include "hyperdht/server.hpp"

using namespace peerport;
using peerport::test::JsTestnet;
using peerport::test::Loop;
using namespace std::chrono_literals;

namespace {

std::string sha256_hex(crypto_hash_sha256_state& st) {
  std::uint8_t out[32];
  crypto_hash_sha256_final(&st, out);
  return to_hex(ByteView(out, 32));
}

}  // namespace

TEST(ConnectInterop, CppClientToJsServerSixtyFourMiBEchoed) {
  ASSERT_TRUE(crypto::init().ok());
  JsTestnet js;
  auto boot_addr = js.ready(60s);
  ASSERT_TRUE(boot_addr) << "the JS testnet did not start";
  Loop l;
  {
    udx::Udx udx(&l.loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    hyperdht::Dht dht(udx, opts);
    ASSERT_TRUE(dht.start().ok());
    ASSERT_TRUE(l.run_until([&] { return dht.node().bootstrapped(); }, 30000));

    auto server = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, 'f')));
    auto started = l.call(js, {{"op", "echoServer"}, {"seed", std::string(64, 'f')}});
    ASSERT_TRUE(started && started->value("ok", false));

    const std::size_t total = 64u << 20;
    crypto_hash_sha256_state sent_st, recv_st;
    crypto_hash_sha256_init(&sent_st);
    crypto_hash_sha256_init(&recv_st);
    std::size_t sent = 0, received = 0;
    bool ended = false;
    std::optional<Status> closed;
    std::unique_ptr<hyperdht::Connection> conn;
    std::optional<Error> failed;
    Bytes chunk(64 * 1024);
    std::function<void()> pump = [&] {
      while (sent < total) {
        randombytes_buf(chunk.data(), chunk.size());
        crypto_hash_sha256_update(&sent_st, chunk.data(), chunk.size());
        sent += chunk.size();
        if (!conn->write(chunk)) return;
      }
      conn->end();
    };
    hyperdht::Connection::Callbacks cb;
    cb.on_data = [&](ByteView d) {
      crypto_hash_sha256_update(&recv_st, d.data(), d.size());
      received += d.size();
    };
    cb.on_end = [&] { ended = true; };
    cb.on_drain = [&] { pump(); };
    cb.on_close = [&](const Status& s) { closed = s; };
    const auto client = crypto::KeyPair::random();
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<double> connect_ms;
    hyperdht::Connection::connect(dht, client, server.public_key, std::move(cb),
                                  [&](Result<std::unique_ptr<hyperdht::Connection>> r) {
                                    if (!r) {
                                      failed = r.error();
                                      return;
                                    }
                                    connect_ms = std::chrono::duration<double, std::milli>(
                                                     std::chrono::steady_clock::now() - t0)
                                                     .count();
                                    conn = std::move(*r);
                                    pump();
                                  });
    ASSERT_TRUE(l.run_until([&] { return conn || failed; }, 30000)) << "connect did not finish";
    ASSERT_FALSE(failed) << failed->message;
    EXPECT_EQ(conn->remote_public_key(), server.public_key);
    ASSERT_TRUE(l.run_until([&] { return ended && closed.has_value(); }, 120000))
        << "echoed " << received << " of " << total;
    EXPECT_TRUE(closed->ok()) << closed->error().message;
    EXPECT_EQ(received, total);
    EXPECT_EQ(sha256_hex(recv_st), sha256_hex(sent_st));
    std::printf("connect to a JS server: %.1f ms; 64 MiB echoed\n", *connect_ms);
    conn.reset();
  }
  js.p.close_stdin();
  auto status = js.p.wait(30s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

namespace {

struct CppServerFixture {
  JsTestnet js;
  Loop l;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<hyperdht::Dht> dht;
  std::vector<std::unique_ptr<hyperdht::Connection>> conns;

  void start() {
    ASSERT_TRUE(crypto::init().ok());
    auto boot_addr = js.ready(60s);
    ASSERT_TRUE(boot_addr) << "the JS testnet did not start";
    udx = std::make_unique<udx::Udx>(&l.loop);
    dht::Node::Options opts;
    opts.bind = *udx::Address::parse("127.0.0.1", 0);
    opts.bootstrap = {*boot_addr};
    dht = std::make_unique<hyperdht::Dht>(*udx, opts);
    ASSERT_TRUE(dht->start().ok());
    ASSERT_TRUE(l.run_until([&] { return dht->node().bootstrapped(); }, 30000));
  }
  // An echo server, as the JS test server is.
  std::unique_ptr<hyperdht::Server> echo_server(const crypto::KeyPair& kp,
                                                hyperdht::Server::Options opts = {}) {
    auto srv = std::make_unique<hyperdht::Server>(
        *dht, kp, std::move(opts), [this](std::unique_ptr<hyperdht::Connection> c) {
          hyperdht::Connection* raw = c.get();
          hyperdht::Connection::Callbacks cb;
          cb.on_data = [raw](ByteView d) { raw->write(d); };
          cb.on_end = [raw] { raw->end(); };
          raw->set_callbacks(std::move(cb));
          conns.push_back(std::move(c));
        });
    std::optional<Status> listening;
    srv->listen([&](Status s) { listening = s; });
    EXPECT_TRUE(l.run_until([&] { return listening.has_value(); }, 30000));
    EXPECT_TRUE(listening && listening->ok());
    return srv;
  }
  ~CppServerFixture() {
    conns.clear();
    dht.reset();
    udx.reset();
    js.p.close_stdin();
    js.p.wait(30s);
  }
};

}  // namespace

TEST(ConnectInterop, JsClientToCppServerSixtyFourMiBEchoed) {
  CppServerFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  auto kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '7')));
  auto srv = f.echo_server(kp);
  auto r = f.l.call(
      f.js, {{"op", "connect"}, {"publicKey", to_hex(kp.public_key)}, {"bytes", 64u << 20}});
  ASSERT_TRUE(r) << "the JS client reported nothing";
  ASSERT_TRUE(r->value("ok", false)) << r->dump();
  EXPECT_EQ((*r)["received"].get<std::size_t>(), 64u << 20);
  EXPECT_TRUE((*r)["match"].get<bool>()) << "SHA-256 of the echo differs";
  EXPECT_EQ(f.conns.size(), 1u);
  std::printf("JS client to C++ server: first byte after %d ms, 64 MiB echoed in %d ms\n",
              (*r)["firstByteMs"].get<int>(), (*r)["ms"].get<int>());
}

TEST(ConnectInterop, FirewallRefusalLooksTheSameAsFromAJsServer) {
  CppServerFixture f;
  ASSERT_NO_FATAL_FAILURE(f.start());
  auto cpp_kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '8')));
  hyperdht::Server::Options refuse;
  refuse.firewall = [](const crypto::PublicKey&, const dht::Address&) { return false; };
  auto srv = f.echo_server(cpp_kp, refuse);
  auto from_cpp =
      f.l.call(f.js, {{"op", "connect"}, {"publicKey", to_hex(cpp_kp.public_key)}, {"bytes", 16}});
  ASSERT_TRUE(from_cpp);
  auto started = f.l.call(f.js, {{"op", "rejectingServer"}, {"seed", std::string(64, '9')}});
  ASSERT_TRUE(started && started->value("ok", false));
  auto js_kp = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '9')));
  auto from_js =
      f.l.call(f.js, {{"op", "connect"}, {"publicKey", to_hex(js_kp.public_key)}, {"bytes", 16}});
  ASSERT_TRUE(from_js);
  ASSERT_TRUE(from_js->contains("error")) << from_js->dump();
  EXPECT_EQ((*from_cpp)["error"], (*from_js)["error"])
      << from_cpp->dump() << " vs " << from_js->dump();
  EXPECT_GE(srv->refused(), 1u);
  EXPECT_TRUE(f.conns.empty());
}
