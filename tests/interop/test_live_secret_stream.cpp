// A live Noise handshake and secret stream between PeerPort's C++ code and a node process running
// @hyperswarm/secret-stream (tests/interop/live-peer.js), over the child's stdin/stdout. Both
// patterns the reference uses, both roles.
#include <gtest/gtest.h>

#include <chrono>

#include "../support/subprocess.hpp"
#include "crypto/key_text.hpp"
#include "crypto/noise.hpp"
#include "crypto/secret_stream.hpp"

using namespace peerport;
using namespace std::chrono_literals;

namespace {

struct Case {
  const char* name;
  crypto::NoisePattern pattern;
  bool cpp_initiator;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class Framed {
 public:
  explicit Framed(test::Subprocess& p) : p_(p) {}

  void send_frame(const Bytes& m) {
    Bytes f = {static_cast<std::uint8_t>(m.size()), static_cast<std::uint8_t>(m.size() >> 8),
               static_cast<std::uint8_t>(m.size() >> 16)};
    f.insert(f.end(), m.begin(), m.end());
    ASSERT_TRUE(p_.write_all(f.data(), f.size()));
  }

  // One uint24-framed handshake message, within the deadline.
  std::optional<Bytes> recv_frame(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      if (buf_.size() >= 3) {
        std::size_t len = buf_[0] | buf_[1] << 8 | buf_[2] << 16;
        if (buf_.size() >= 3 + len) {
          Bytes m(buf_.begin() + 3, buf_.begin() + 3 + static_cast<std::ptrdiff_t>(len));
          buf_.erase(buf_.begin(), buf_.begin() + 3 + static_cast<std::ptrdiff_t>(len));
          return m;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    auto d = p_.read_some(1 << 16, left);
    if (!d || d->empty()) {
      eof_ = d.has_value();
      return false;
    }
    buf_.insert(buf_.end(), d->begin(), d->end());
    return true;
  }

  Bytes take_buffered() { return std::exchange(buf_, {}); }
  bool eof() const { return eof_; }

 private:
  test::Subprocess& p_;
  Bytes buf_;
  bool eof_ = false;
};

Bytes big_pattern(std::size_t n, unsigned mul) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * mul) & 255);
  return b;
}

std::string str(ByteView v) {
  return std::string(v.begin(), v.end());
}

class LiveSecretStream : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(LiveSecretStream, HandshakeAndMessagesBothWays) {
  ASSERT_TRUE(crypto::init().ok());
  const Case c = GetParam();
  auto ours = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '1')));
  auto theirs = crypto::KeyPair::from_seed(*crypto::seed_from_hex(std::string(64, '2')));

  test::Subprocess node({"node", "live-peer.js", c.cpp_initiator ? "responder" : "initiator",
                         c.pattern == crypto::NoisePattern::IK ? "IK" : "XX",
                         to_hex(theirs.seed().view()), to_hex(ours.public_key)},
                        PEERPORT_SOURCE_DIR "/tests/interop");
  Framed io(node);
  const auto deadline = std::chrono::steady_clock::now() + 20s;

  // secret-stream's own handshake runs with an empty prologue.
  crypto::NoiseHandshake hs(c.pattern, c.cpp_initiator, ours, {},
                            c.cpp_initiator && c.pattern == crypto::NoisePattern::IK
                                ? std::optional(theirs.public_key)
                                : std::nullopt);
  bool our_turn = c.cpp_initiator;
  while (!hs.complete()) {
    if (our_turn) {
      auto m = hs.send();
      ASSERT_TRUE(m.ok()) << m.error().message;
      io.send_frame(*m);
    } else {
      auto m = io.recv_frame(deadline);
      ASSERT_TRUE(m.has_value()) << "node sent no handshake message (eof=" << io.eof() << ")";
      auto payload = hs.recv(*m);
      ASSERT_TRUE(payload.ok()) << payload.error().message;
    }
    our_turn = !our_turn;
  }
  EXPECT_EQ(hs.result().remote_public_key, theirs.public_key);

  crypto::SecretStream ss(hs.result());
  ASSERT_TRUE(node.write_all(ss.header_frame().data(), ss.header_frame().size()));
  const Bytes big = big_pattern(300000, 13);
  for (int i = 0; i < 5; ++i) {
    Bytes f = ss.encrypt(as_bytes("cpp-" + std::to_string(i)));
    ASSERT_TRUE(node.write_all(f.data(), f.size()));
  }
  Bytes f = ss.encrypt(big);
  ASSERT_TRUE(node.write_all(f.data(), f.size()));

  std::vector<Bytes> got;
  auto on_message = [&](ByteView m) { got.emplace_back(m.begin(), m.end()); };
  ASSERT_TRUE(ss.feed(io.take_buffered(), on_message).ok());
  while (got.size() < 12 && io.fill(deadline)) {
    auto st = ss.feed(io.take_buffered(), on_message);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }
  ASSERT_EQ(got.size(), 12u) << "messages from node before the deadline";

  // The reference's own messages, in order, interleaved with echoes of ours.
  std::vector<std::string> own, echoes;
  Bytes their_big, our_big_echo;
  for (const auto& m : got) {
    std::string s = str(m);
    if (s.rfind("echo:", 0) == 0) {
      if (m.size() > 1000)
        our_big_echo.assign(m.begin() + 5, m.end());
      else
        echoes.push_back(s.substr(5));
    } else if (m.size() > 1000) {
      their_big = m;
    } else {
      own.push_back(s);
    }
  }
  EXPECT_EQ(own, (std::vector<std::string>{"js-0", "js-1", "js-2", "js-3", "js-4"}));
  EXPECT_EQ(echoes, (std::vector<std::string>{"cpp-0", "cpp-1", "cpp-2", "cpp-3", "cpp-4"}));
  EXPECT_EQ(their_big, big_pattern(200000, 7));
  EXPECT_EQ(our_big_echo, big);

  Bytes bye = ss.encrypt(as_bytes("bye"));
  ASSERT_TRUE(node.write_all(bye.data(), bye.size()));
  got.clear();
  while (got.empty() && io.fill(deadline)) {
    ASSERT_TRUE(ss.feed(io.take_buffered(), on_message).ok());
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0]), "bye-ack");
  node.close_stdin();
  auto status = node.wait(10s);
  ASSERT_TRUE(status.has_value()) << "node did not exit";
  EXPECT_EQ(*status, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Reference, LiveSecretStream,
    ::testing::Values(Case{"XX_cpp_initiator", crypto::NoisePattern::XX, true},
                      Case{"XX_node_initiator", crypto::NoisePattern::XX, false},
                      Case{"IK_cpp_initiator", crypto::NoisePattern::IK, true},
                      Case{"IK_node_initiator", crypto::NoisePattern::IK, false}),
    [](const auto& param_info) { return std::string(param_info.param.name); });
