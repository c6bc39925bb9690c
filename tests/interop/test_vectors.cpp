// Checks core/encoding and core/crypto against golden vectors computed by the pinned npm
// reference (tests/interop/gen-vectors.js). The file comes from PEERPORT_VECTORS when set (the
// interop run regenerates it with node first), else the checked-in tests/vectors/reference.json.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "crypto/hash.hpp"
#include "crypto/key_text.hpp"
#include "crypto/noise.hpp"
#include "crypto/secret_stream.hpp"
#include "encoding/compact.hpp"
#include "hyperdht/messages.hpp"

using namespace peerport;
using nlohmann::json;

namespace {

const json& vectors() {
  static const json v = [] {
    const char* env = std::getenv("PEERPORT_VECTORS");
    std::string path = env && *env ? env : PEERPORT_SOURCE_DIR "/tests/vectors/reference.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open vectors file " + path);
    return json::parse(in);
  }();
  return v;
}

Bytes unhex(const json& j) {
  return *from_hex(j.get<std::string>());
}

template <std::size_t N>
FixedBytes<N> unhex_fixed(const json& j) {
  Bytes b = unhex(j);
  EXPECT_EQ(b.size(), N);
  FixedBytes<N> out{};
  std::copy_n(b.begin(), std::min(N, b.size()), out.begin());
  return out;
}

crypto::Seed seed_of(const json& j) {
  return *crypto::seed_from_hex(j.get<std::string>());
}

class Vectors : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::init().ok()); }
};

enc::Ipv4Address ipv4_of(const json& j) {
  return *enc::Ipv4Address::parse(j["host"].get<std::string>(), j["port"].get<std::uint16_t>());
}

}  // namespace

TEST_F(Vectors, CompactEncodingMatchesReferenceBothWays) {
  std::size_t checked = 0;
  for (const auto& v : vectors()["encoding"]) {
    const std::string type = v["type"];
    const Bytes want = unhex(v["hex"]);
    enc::Writer w;
    enc::Reader r(want);
    const json& val = v["value"];
    SCOPED_TRACE(type + " " + val.dump().substr(0, 60));
    if (type == "uint") {
      w.uint(val.get<std::uint64_t>());
      EXPECT_EQ(r.uint(), val.get<std::uint64_t>());
    } else if (type == "uint8") {
      w.uint8(val.get<std::uint8_t>());
      EXPECT_EQ(r.uint8(), val.get<std::uint8_t>());
    } else if (type == "uint16") {
      w.uint16(val.get<std::uint16_t>());
      EXPECT_EQ(r.uint16(), val.get<std::uint16_t>());
    } else if (type == "uint24") {
      w.uint24(val.get<std::uint32_t>());
      EXPECT_EQ(r.uint24(), val.get<std::uint32_t>());
    } else if (type == "uint32") {
      w.uint32(val.get<std::uint32_t>());
      EXPECT_EQ(r.uint32(), val.get<std::uint32_t>());
    } else if (type == "uint32be") {
      w.uint32be(val.get<std::uint32_t>());
      EXPECT_EQ(r.uint32be(), val.get<std::uint32_t>());
    } else if (type == "uint64") {
      w.uint64(val.get<std::uint64_t>());
      EXPECT_EQ(r.uint64(), val.get<std::uint64_t>());
    } else if (type == "bool") {
      w.boolean(val.get<bool>());
      EXPECT_EQ(r.boolean(), val.get<bool>());
    } else if (type == "buffer") {
      Bytes b = unhex(val);
      w.buffer(b);
      auto got = r.buffer();
      EXPECT_EQ(Bytes(got.begin(), got.end()), b);
    } else if (type == "string") {
      w.string(val.get<std::string>());
      EXPECT_EQ(r.string(), val.get<std::string>());
    } else if (type == "fixed32") {
      Bytes b = unhex(val);
      w.fixed(b);
      auto got = r.fixed<32>();
      EXPECT_TRUE(std::equal(got.begin(), got.end(), b.begin()));
    } else if (type == "ipv4Address") {
      w.ipv4(ipv4_of(val));
      EXPECT_EQ(r.ipv4(), ipv4_of(val));
    } else if (type == "uintArray") {
      w.uint(val.size());
      for (const auto& n : val) w.uint(n.get<std::uint64_t>());
      ASSERT_EQ(r.array_length(), val.size());
      for (const auto& n : val) EXPECT_EQ(r.uint(), n.get<std::uint64_t>());
    } else if (type == "ipv4Array") {
      w.uint(val.size());
      for (const auto& a : val) w.ipv4(ipv4_of(a));
      ASSERT_EQ(r.array_length(6), val.size());
      for (const auto& a : val) EXPECT_EQ(r.ipv4(), ipv4_of(a));
    } else {
      ADD_FAILURE() << "vector type this test does not know: " << type;
      continue;
    }
    EXPECT_EQ(to_hex(w.bytes()), v["hex"].get<std::string>());
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.at_end());
    ++checked;
  }
  EXPECT_GT(checked, 30u);
}

TEST_F(Vectors, KeyPairsFromSeedMatchHyperdht) {
  ASSERT_FALSE(vectors()["keyPairs"].empty());
  for (const auto& v : vectors()["keyPairs"]) {
    auto kp = crypto::KeyPair::from_seed(seed_of(v["seed"]));
    EXPECT_EQ(to_hex(kp.public_key), v["publicKey"].get<std::string>());
    EXPECT_EQ(to_hex(ByteView(kp.secret_key.data(), 64)), v["secretKey"].get<std::string>());
    EXPECT_EQ(crypto::z32_encode(kp.public_key), v["z32"].get<std::string>());
    EXPECT_EQ(crypto::hs_public_url(kp.public_key), v["url"].get<std::string>());
    for (const char* field : {"publicKey", "z32", "url"}) {
      auto parsed = crypto::parse_key(v[field].get<std::string>());
      ASSERT_TRUE(parsed.ok()) << parsed.error().message;
      EXPECT_EQ(parsed->public_key, kp.public_key);
      EXPECT_FALSE(parsed->key_pair.has_value());
    }
  }
}

TEST_F(Vectors, HolesailPrivateUrlsDeriveTheSameKeyPair) {
  ASSERT_FALSE(vectors()["holesail"].empty());
  for (const auto& v : vectors()["holesail"]) {
    auto parsed = crypto::parse_key(v["url"].get<std::string>());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->format, crypto::KeyFormat::holesail_private);
    EXPECT_EQ(to_hex(parsed->public_key), v["publicKey"].get<std::string>());
    ASSERT_TRUE(parsed->key_pair.has_value());
    EXPECT_EQ(to_hex(parsed->key_pair->seed().view()), v["seed"].get<std::string>());
    EXPECT_EQ(crypto::hs_private_url(parsed->secret), v["url"].get<std::string>());
  }
}

TEST_F(Vectors, NamespacesAndHashes) {
  const auto& ns = vectors()["namespaces"];
  const auto& d = crypto::hyperdht_ns();
  EXPECT_EQ(to_hex(d.announce), ns["hyperdht"]["ANNOUNCE"].get<std::string>());
  EXPECT_EQ(to_hex(d.unannounce), ns["hyperdht"]["UNANNOUNCE"].get<std::string>());
  EXPECT_EQ(to_hex(d.mutable_put), ns["hyperdht"]["MUTABLE_PUT"].get<std::string>());
  EXPECT_EQ(to_hex(d.peer_handshake), ns["hyperdht"]["PEER_HANDSHAKE"].get<std::string>());
  EXPECT_EQ(to_hex(d.peer_holepunch), ns["hyperdht"]["PEER_HOLEPUNCH"].get<std::string>());
  EXPECT_EQ(to_hex(d.plugin), ns["hyperdht"]["PLUGIN"].get<std::string>());
  const auto& s = crypto::secret_stream_ns();
  EXPECT_EQ(to_hex(s.initiator), ns["secretStream"]["INITIATOR"].get<std::string>());
  EXPECT_EQ(to_hex(s.responder), ns["secretStream"]["RESPONDER"].get<std::string>());
  EXPECT_EQ(to_hex(s.send), ns["secretStream"]["SEND"].get<std::string>());
  for (const auto& h : ns["blake2b256"]) {
    EXPECT_EQ(to_hex(crypto::blake2b_256(as_bytes(h["input"].get<std::string>()))),
              h["hex"].get<std::string>());
  }
}

// Replays each Noise transcript with the same static and ephemeral keys: every message must
// come out byte for byte as the reference wrote it, and the split keys and hash must agree.
TEST_F(Vectors, NoiseTranscriptsAreByteIdentical) {
  ASSERT_GE(vectors()["noise"].size(), 3u);
  for (const auto& v : vectors()["noise"]) {
    SCOPED_TRACE(v["pattern"].get<std::string>());
    const bool ik = v["pattern"] == "IK";
    auto pattern = ik ? crypto::NoisePattern::IK : crypto::NoisePattern::XX;
    auto is = crypto::KeyPair::from_seed(seed_of(v["initiatorSeed"]));
    auto rs = crypto::KeyPair::from_seed(seed_of(v["responderSeed"]));
    Bytes prologue = unhex(v["prologue"]);
    crypto::NoiseHandshake init(pattern, true, is, prologue,
                                ik ? std::optional(rs.public_key) : std::nullopt);
    crypto::NoiseHandshake resp(pattern, false, rs, prologue);
    init.set_ephemeral(crypto::KeyPair::from_seed(seed_of(v["initiatorEphemeralSeed"])));
    resp.set_ephemeral(crypto::KeyPair::from_seed(seed_of(v["responderEphemeralSeed"])));

    crypto::NoiseHandshake* from = &init;
    crypto::NoiseHandshake* to = &resp;
    for (const auto& m : v["messages"]) {
      auto sent = from->send(unhex(m["payload"]));
      ASSERT_TRUE(sent.ok()) << sent.error().message;
      EXPECT_EQ(to_hex(*sent), m["message"].get<std::string>());
      // And the reference's own message decrypts on our side.
      auto got = to->recv(unhex(m["message"]));
      ASSERT_TRUE(got.ok()) << got.error().message;
      EXPECT_EQ(to_hex(*got), m["payload"].get<std::string>());
      std::swap(from, to);
    }
    ASSERT_TRUE(init.complete());
    ASSERT_TRUE(resp.complete());
    const auto& r = init.result();
    EXPECT_EQ(to_hex(r.hash), v["hash"].get<std::string>());
    EXPECT_EQ(to_hex(r.tx.view()), v["initiatorTx"].get<std::string>());
    EXPECT_EQ(to_hex(r.rx.view()), v["initiatorRx"].get<std::string>());
    EXPECT_EQ(resp.result().tx, r.rx);
    EXPECT_EQ(resp.result().hash, r.hash);
    EXPECT_EQ(r.remote_public_key, rs.public_key);
    EXPECT_EQ(resp.result().remote_public_key, is.public_key);
    EXPECT_EQ(to_hex(crypto::secret_stream_id(r.hash, true)), v["initiatorId"].get<std::string>());
    EXPECT_EQ(to_hex(crypto::secret_stream_id(r.hash, false)), v["responderId"].get<std::string>());
    EXPECT_EQ(to_hex(crypto::blake2b_256(crypto::hyperdht_ns().peer_holepunch, r.hash)),
              v["holepunchSecret"].get<std::string>());
  }
}

// A JS secret stream's raw output after the first Noise vector's handshake: our responder-side
// decoder must accept its header and every message, fed whole and fed a byte at a time.
TEST_F(Vectors, SecretStreamDecodesReferenceFrames) {
  const auto& sv = vectors()["secretStream"];
  const auto& nv = vectors()["noise"][sv["fromNoiseVector"].get<int>()];
  crypto::HandshakeResult h;
  h.is_initiator = false;
  h.hash = unhex_fixed<64>(nv["hash"]);
  auto tx = unhex_fixed<32>(nv["initiatorRx"]);
  auto rx = unhex_fixed<32>(nv["initiatorTx"]);
  std::copy(tx.begin(), tx.end(), h.tx.data());
  std::copy(rx.begin(), rx.end(), h.rx.data());
  const Bytes raw = unhex(sv["raw"]);

  for (std::size_t chunk : {raw.size(), std::size_t{1}, std::size_t{1000}}) {
    SCOPED_TRACE(chunk);
    crypto::SecretStream ss(h);
    std::vector<std::string> got;
    for (std::size_t off = 0; off < raw.size(); off += chunk) {
      auto n = std::min(chunk, raw.size() - off);
      auto st =
          ss.feed(ByteView(raw).subspan(off, n), [&](ByteView m) { got.push_back(to_hex(m)); });
      ASSERT_TRUE(st.ok()) << st.error().message;
    }
    EXPECT_TRUE(ss.header_received());
    ASSERT_EQ(got.size(), sv["plaintexts"].size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i], sv["plaintexts"][i].get<std::string>());
    }
    EXPECT_EQ(ss.buffered(), 0u);
  }
}

// hyperdht's message encodings: each reference encoding decodes with our types and re-encodes
// to the same bytes, so every field and flag is read and written as the reference does.
TEST_F(Vectors, HyperdhtMessagesRoundTripByteIdentical) {
  std::size_t checked = 0;
  for (const auto& v : vectors()["hyperdht"]) {
    const std::string type = v["type"];
    const Bytes wire = unhex(v["hex"]);
    SCOPED_TRACE(type);
    std::optional<Bytes> again;
    if (type == "handshake") {
      if (auto m = hyperdht::decode_handshake(wire)) again = hyperdht::encode(*m);
    } else if (type == "holepunch") {
      if (auto m = hyperdht::decode_holepunch(wire)) again = hyperdht::encode(*m);
    } else if (type == "noisePayload") {
      if (auto m = hyperdht::decode_noise_payload(wire)) again = hyperdht::encode(*m);
    } else if (type == "holepunchPayload") {
      if (auto m = hyperdht::decode_holepunch_payload(wire)) again = hyperdht::encode(*m);
    } else if (type == "announce") {
      if (auto m = hyperdht::decode_announce(wire)) again = hyperdht::encode(*m);
    } else if (type == "mutablePutRequest") {
      if (auto m = hyperdht::decode_mutable_put(wire)) again = hyperdht::encode(*m);
    } else if (type == "mutableGetResponse") {
      if (auto m = hyperdht::decode_mutable_record(wire)) again = hyperdht::encode(*m);
    } else {
      ADD_FAILURE() << "vector type this test does not know: " << type;
      continue;
    }
    ASSERT_TRUE(again.has_value()) << "did not decode";
    EXPECT_EQ(to_hex(*again), v["hex"].get<std::string>());
    ++checked;
  }
  EXPECT_EQ(checked, 11u);
}
