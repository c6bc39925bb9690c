// core/udx against udx-native 1.21.3 (tests/interop/udx-peer.js) on loopback: 64 MiB each way
// with SHA-256 checked on both ends, clean close; then again with 2 % of the C++ side's
// outgoing packets dropped in-process (data and acks alike).
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "../support/subprocess.hpp"
#include "udx/udx.hpp"

using namespace peerport;
using namespace peerport::udx;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

class Lines {
 public:
  explicit Lines(test::Subprocess& p) : p_(p) {}
  std::optional<json> next(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto nl = buf_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return json::parse(line);
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto d = p_.read_some(4096, left);
      if (!d || d->empty()) return std::nullopt;
      buf_.append(d->begin(), d->end());
    }
  }

 private:
  test::Subprocess& p_;
  std::string buf_;
};

std::string hex_digest(crypto_hash_sha256_state& st) {
  std::uint8_t out[32];
  crypto_hash_sha256_final(&st, out);
  return to_hex(ByteView(out, 32));
}

void run_transfer(std::size_t bytes, double loss) {
  ASSERT_GE(sodium_init(), 0);
  test::Subprocess node({"node", "udx-peer.js"}, PEERPORT_SOURCE_DIR "/tests/interop");
  Lines lines(node);
  auto hello = lines.next(10s);
  ASSERT_TRUE(hello) << "udx-peer.js did not start (is node and udx-native installed?)";

  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    Udx udx(&loop);
    Socket sock(udx);
    ASSERT_TRUE(sock.bind(*Address::parse("127.0.0.1", 0)).ok());

    crypto_hash_sha256_state sent_st, recv_st;
    crypto_hash_sha256_init(&sent_st);
    crypto_hash_sha256_init(&recv_st);
    std::size_t received = 0, written = 0;
    std::optional<Status> closed;
    Bytes chunk(64 * 1024);
    std::unique_ptr<Stream> stream;
    std::function<void()> pump = [&] {
      while (written < bytes) {
        std::size_t n = std::min(chunk.size(), bytes - written);
        randombytes_buf(chunk.data(), n);
        crypto_hash_sha256_update(&sent_st, chunk.data(), n);
        written += n;
        if (!stream->write(ByteView(chunk).first(n))) return;
      }
      stream->end();
    };
    Stream::Callbacks cb;
    cb.on_data = [&](ByteView d) {
      crypto_hash_sha256_update(&recv_st, d.data(), d.size());
      received += d.size();
    };
    cb.on_drain = [&] { pump(); };
    cb.on_close = [&](const Status& s) {
      closed = s;
      uv_stop(&loop);
    };
    stream = std::make_unique<Stream>(udx, 7, std::move(cb));
    if (loss > 0) stream->set_loss(loss, 99);
    json cfg = {
        {"port", sock.local_address().port()}, {"id", 8}, {"remoteId", 7}, {"bytes", bytes}};
    std::string line = cfg.dump() + "\n";
    ASSERT_TRUE(node.write_all(reinterpret_cast<const std::uint8_t*>(line.data()), line.size()));
    auto ready = lines.next(10s);
    ASSERT_TRUE(ready && ready->value("ready", false));
    ASSERT_TRUE(stream->connect(sock, 8, *Address::parse("127.0.0.1", (*hello)["port"])).ok());

    uv_timer_t deadline;
    uv_timer_init(&loop, &deadline);
    uv_timer_start(
        &deadline, [](uv_timer_t* t) { uv_stop(t->loop); }, 90000, 0);
    auto t0 = std::chrono::steady_clock::now();
    pump();
    uv_run(&loop, UV_RUN_DEFAULT);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);

    ASSERT_TRUE(closed.has_value())
        << "not closed in time; received " << received << " of " << bytes;
    EXPECT_TRUE(closed->ok()) << closed->error().message;
    EXPECT_EQ(received, bytes);
    auto result = lines.next(20s);
    ASSERT_TRUE(result) << "udx-peer.js sent no result";
    EXPECT_EQ((*result)["recvBytes"].get<std::size_t>(), bytes);
    EXPECT_EQ((*result)["recvSha"].get<std::string>(), hex_digest(sent_st));
    EXPECT_EQ((*result)["sentSha"].get<std::string>(), hex_digest(recv_st));
    const auto& st = stream->stats();
    std::printf(
        "udx interop: %zu MiB each way in %.2f s, loss %.0f%%, retransmits %llu, "
        "rto fires %llu\n",
        bytes >> 20, secs, loss * 100, static_cast<unsigned long long>(st.retransmits),
        static_cast<unsigned long long>(st.rto_fires));
    if (loss > 0) {
      EXPECT_GT(st.retransmits, 0u);
    }
    stream.reset();
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  auto status = node.wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 0);
}

}  // namespace

TEST(UdxInterop, SixtyFourMiBEachWayWithUdxNative) {
  run_transfer(64u << 20, 0);
}

TEST(UdxInterop, SixtyFourMiBEachWayWithTwoPercentLoss) {
  run_transfer(64u << 20, 0.02);
}
