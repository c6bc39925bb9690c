// Keys, their text forms and the hashes around them. Expected values were computed with the
// reference packages in tests/interop (z32 1.1, hyperdht 6, hypercore-crypto, holesail 2.4), so
// these tests pin PeerPort to what the other tools print and parse.

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <random>
#include <string>

#include "crypto/hash.hpp"
#include "crypto/key_text.hpp"
#include "crypto/keys.hpp"

#include "../support/crypto_fixtures.hpp"

namespace peerport::crypto {
namespace {

using namespace ::peerport::crypto::test_support;


PublicKey key_from_hex(std::string_view hex) {
  auto raw = from_hex(hex);
  PublicKey k{};
  if (raw && raw->size() == k.size()) std::copy(raw->begin(), raw->end(), k.begin());
  return k;
}

Bytes random_bytes(std::mt19937& rng, std::size_t n) {
  Bytes out(n);
  std::uniform_int_distribution<int> dist(0, 255);
  for (auto& b : out) b = static_cast<std::uint8_t>(dist(rng));
  return out;
}

// The RFC 8032 test 1 key, and its z32 form from `z32.encode` in node.
constexpr std::string_view kRfcSeedHex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kRfcPublicHex =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kRfcPublicZ32 = "47pjoycnsrfmxikm95jh13y88e8qnhzu5kungjpxyepgt7a8krpy";

// A holesail private share: HyperDHT.keyPair(sha256(secret)).publicKey, from node.
constexpr std::string_view kHolesailSecret =
    "4f6b2c0e1a9d8e7f6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";
constexpr std::string_view kHolesailPublicHex =
    "974929ca3ee091a931f2a8e6237039667ab30d79d16e7e9180b9c4d91b204db8";

void expect_key_error(std::string_view input) {
  SCOPED_TRACE("input \"" + std::string(input) + "\"");
  auto r = parse_key(input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_key);
  EXPECT_NE(r.error().message.find(kAcceptedKeyFormats), std::string::npos) << r.error().message;
}

// ---------------------------------------------------------------------------------------------
// init and key pairs

TEST(CryptoInit, SucceedsAndIsRepeatable) {
  auto first = init();
  EXPECT_TRUE(first.ok()) << (first.ok() ? "" : first.error().message);
  EXPECT_TRUE(init().ok());
}

TEST(KeyPair, FromSeedMatchesRfc8032) {
  auto seed = seed_from_hex(kRfcSeedHex);
  ASSERT_TRUE(seed.has_value());
  KeyPair kp = KeyPair::from_seed(*seed);
  EXPECT_EQ(to_hex(kp.public_key), kRfcPublicHex);
}

TEST(KeyPair, FromSeedIsDeterministic) {
  const Seed seed = seed_of(0x17);
  KeyPair a = KeyPair::from_seed(seed);
  KeyPair b = KeyPair::from_seed(seed);
  EXPECT_EQ(a.public_key, b.public_key);
  EXPECT_TRUE(a.secret_key == b.secret_key);

  KeyPair other = KeyPair::from_seed(seed_of(0x18));
  EXPECT_NE(a.public_key, other.public_key);
}

TEST(KeyPair, SecretKeyIsSeedThenPublicKey) {
  // libsodium's 64-byte form, which hyperdht also uses; noise-curve-ed reads the seed from it.
  const Seed seed = seed_of(0x5c);
  KeyPair kp = KeyPair::from_seed(seed);
  EXPECT_TRUE(kp.seed() == seed);
  EXPECT_EQ(std::memcmp(kp.secret_key.data(), seed.data(), kSeedBytes), 0);
  EXPECT_EQ(std::memcmp(kp.secret_key.data() + kSeedBytes, kp.public_key.data(), kPublicKeyBytes),
            0);
}

TEST(KeyPair, RandomDiffersAndItsSeedRegeneratesIt) {
  KeyPair a = KeyPair::random();
  KeyPair b = KeyPair::random();
  EXPECT_NE(a.public_key, b.public_key);
  KeyPair again = KeyPair::from_seed(a.seed());
  EXPECT_EQ(again.public_key, a.public_key);
  EXPECT_TRUE(again.secret_key == a.secret_key);
}

TEST(Seed, RandomSeedsDiffer) {
  EXPECT_FALSE(random_seed() == random_seed());
}

TEST(Seed, FromHex) {
  auto s = seed_from_hex(kRfcSeedHex);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(to_hex(s->view()), kRfcSeedHex);

  std::string upper(kRfcSeedHex);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto u = seed_from_hex(upper);
  ASSERT_TRUE(u.has_value());
  EXPECT_TRUE(*u == *s);

  EXPECT_FALSE(seed_from_hex("").has_value());
  EXPECT_FALSE(seed_from_hex(kRfcSeedHex.substr(0, 62)).has_value());
  EXPECT_FALSE(seed_from_hex(std::string(kRfcSeedHex) + "00").has_value());
  EXPECT_FALSE(seed_from_hex(std::string(kRfcSeedHex.substr(0, 63)) + "g").has_value());
  EXPECT_FALSE(seed_from_hex(kRfcSeedHex.substr(0, 63)).has_value());
}

// ---------------------------------------------------------------------------------------------
// z32

TEST(Z32, KnownKeys) {
  EXPECT_EQ(z32_encode(PublicKey{}), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
  EXPECT_EQ(z32_encode(key_from_hex(kRfcPublicHex)), kRfcPublicZ32);
  auto back = z32_decode(kRfcPublicZ32);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(to_hex(*back), kRfcPublicHex);
}

TEST(Z32, MatchesReferenceAtOddLengths) {
  // Bytes (i * 37 + 11) & 255, encoded with z32 1.1 in node.
  Bytes input(40);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i * 37 + 11);
  const std::pair<std::size_t, std::string_view> cases[] = {
      {0, ""},
      {1, "bc"},
      {2, "bcay"},
      {3, "bcafk"},
      {4, "bcafk6o"},
      {5, "bcafk6w9"},
      {7, "bcafk6w9auwo"},
      {13, "bcafk6w9auwohc4axstcq"},
      {32, "bcafk6w9auwohc4axstcx5ytg3pabjqk7hkd1zwdidg9rf3hcgdy"},
      {33, "bcafk6w9auwohc4axstcx5ytg3pabjqk7hkd1zwdidg9rf3hcgdks"},
      {40, "bcafk6w9auwohc4axstcx5ytg3pabjqk7hkd1zwdidg9rf3hcgdkzw8ide9sjnpq"},
  };
  for (const auto& [n, want] : cases) {
    SCOPED_TRACE(n);
    ByteView v(input.data(), n);
    EXPECT_EQ(z32_encode(v), want);
    auto back = z32_decode(want);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, Bytes(v.begin(), v.end()));
  }
}

TEST(Z32, RoundTripsEveryLengthUpTo40) {
  std::mt19937 rng(20240611);
  for (std::size_t n = 0; n <= 40; ++n) {
    for (int rep = 0; rep < 8; ++rep) {
      SCOPED_TRACE("length " + std::to_string(n));
      Bytes in = random_bytes(rng, n);
      std::string text = z32_encode(in);
      EXPECT_EQ(text.size(), (n * 8 + 4) / 5);
      auto back = z32_decode(text);
      ASSERT_TRUE(back.has_value()) << text;
      EXPECT_EQ(*back, in);
    }
  }
}

TEST(Z32, DecodeAcceptsUpperCase) {
  std::string upper(kRfcPublicZ32);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto back = z32_decode(upper);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(to_hex(*back), kRfcPublicHex);
}

TEST(Z32, DecodeRejectsCharactersOutsideTheAlphabet) {
  // z-base-32 leaves out 0, 2, l and v; anything else non-alphanumeric is wrong too.
  for (char bad : {'0', '2', 'l', 'v', 'L', 'V', ' ', '-', '=', '\0', '\xff'}) {
    SCOPED_TRACE(static_cast<int>(bad));
    std::string text(kRfcPublicZ32);
    text[10] = bad;
    EXPECT_FALSE(z32_decode(text).has_value());
  }
}

TEST(Z32, DecodeRejectsNonZeroTrailingBits) {
  // 32 bytes take 52 characters and leave 4 spare bits: the last character must be 'y' (0) or
  // 'o' (16). Any other last character is a typo, not a different key.
  std::string text(kRfcPublicZ32);
  ASSERT_EQ(text.back(), 'y');
  text.back() = 'o';
  EXPECT_TRUE(z32_decode(text).has_value());
  for (char last : {'b', 'n', 'x', 't', '9'}) {
    SCOPED_TRACE(last);
    text.back() = last;
    EXPECT_FALSE(z32_decode(text).has_value());
  }
  // One byte is two characters with 2 spare bits: "bc" is canonical, "bn" (c + 2) is not.
  EXPECT_TRUE(z32_decode("bc").has_value());
  EXPECT_FALSE(z32_decode("bn").has_value());
}

// ---------------------------------------------------------------------------------------------
// parse_key: accepted forms

TEST(ParseKey, Hex) {
  auto r = parse_key(kRfcPublicHex);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, KeyFormat::hex);
  EXPECT_EQ(to_hex(r->public_key), kRfcPublicHex);
  EXPECT_FALSE(r->key_pair.has_value());
  EXPECT_TRUE(r->secret.empty());
}

TEST(ParseKey, HexUpperAndMixedCase) {
  std::string upper(kRfcPublicHex);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = parse_key(upper);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(to_hex(r->public_key), kRfcPublicHex);

  std::string mixed(kRfcPublicHex);
  for (std::size_t i = 0; i < mixed.size(); i += 2) {
    mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
  }
  auto m = parse_key(mixed);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(to_hex(m->public_key), kRfcPublicHex);
}

TEST(ParseKey, Z32) {
  auto r = parse_key(kRfcPublicZ32);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, KeyFormat::z32);
  EXPECT_EQ(to_hex(r->public_key), kRfcPublicHex);
  EXPECT_FALSE(r->key_pair.has_value());
}

TEST(ParseKey, HolesailPublicUrl) {
  auto r = parse_key("hs://0000" + std::string(kRfcPublicZ32));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, KeyFormat::holesail_public);
  EXPECT_EQ(to_hex(r->public_key), kRfcPublicHex);
  EXPECT_FALSE(r->key_pair.has_value());

  EXPECT_EQ(hs_public_url(key_from_hex(kRfcPublicHex)), "hs://0000" + std::string(kRfcPublicZ32));
}

TEST(ParseKey, HolesailPrivateUrl) {
  const std::string url = "hs://s000" + std::string(kHolesailSecret);
  auto r = parse_key(url);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->format, KeyFormat::holesail_private);
  EXPECT_EQ(r->secret, kHolesailSecret);
  EXPECT_EQ(to_hex(r->public_key), kHolesailPublicHex);
  ASSERT_TRUE(r->key_pair.has_value());
  EXPECT_EQ(r->key_pair->public_key, r->public_key);

  KeyPair from_secret = holesail_key_pair(kHolesailSecret);
  EXPECT_EQ(from_secret.public_key, r->public_key);
  EXPECT_TRUE(from_secret.secret_key == r->key_pair->secret_key);

  // The documented derivation, spelled out: the seed is SHA-256 of the secret's text.
  Hash32 digest = sha256(as_bytes(kHolesailSecret));
  Seed seed;
  std::memcpy(seed.data(), digest.data(), seed.size());
  EXPECT_EQ(KeyPair::from_seed(seed).public_key, r->public_key);

  EXPECT_EQ(hs_private_url(kHolesailSecret), url);
}

TEST(ParseKey, NewHolesailSecretRoundTrips) {
  const std::string a = new_holesail_secret();
  const std::string b = new_holesail_secret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_TRUE(from_hex(a).has_value());
  EXPECT_NE(a, b);
  auto r = parse_key(hs_private_url(a));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->secret, a);
  EXPECT_EQ(r->public_key, holesail_key_pair(a).public_key);
}

TEST(ParseKey, TrimsSurroundingWhitespace) {
  for (std::string wrapped : {"  " + std::string(kRfcPublicHex), std::string(kRfcPublicHex) + "\n",
                              "\t" + std::string(kRfcPublicZ32) + " \r\n",
                              " hs://0000" + std::string(kRfcPublicZ32) + "\t"}) {
    SCOPED_TRACE(wrapped);
    auto r = parse_key(wrapped);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(to_hex(r->public_key), kRfcPublicHex);
  }
  // The secret itself must not keep the whitespace, or the derived key changes.
  auto p = parse_key("  hs://s000" + std::string(kHolesailSecret) + "\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->secret, kHolesailSecret);
  EXPECT_EQ(to_hex(p->public_key), kHolesailPublicHex);
}

// ---------------------------------------------------------------------------------------------
// parse_key: rejected forms

TEST(ParseKey, RejectsEmptyAndBlank) {
  expect_key_error("");
  expect_key_error("   \t\n");
}

TEST(ParseKey, RejectsWrongHexLengths) {
  expect_key_error(kRfcPublicHex.substr(0, 63));
  expect_key_error(std::string(kRfcPublicHex) + "a");
  expect_key_error(kRfcPublicHex.substr(0, 62));
}

TEST(ParseKey, RejectsWrongZ32Lengths) {
  expect_key_error(kRfcPublicZ32.substr(0, 51));
  expect_key_error(std::string(kRfcPublicZ32) + "y");
}

TEST(ParseKey, RejectsBadCharacters) {
  std::string hex(kRfcPublicHex);
  hex[5] = 'g';
  expect_key_error(hex);
  std::string z(kRfcPublicZ32);
  z[5] = 'l';
  expect_key_error(z);
  z = std::string(kRfcPublicZ32);
  z[51] = '!';
  expect_key_error(z);
  expect_key_error(std::string(52, '0'));
}

TEST(ParseKey, BadCharacterErrorSaysWhere) {
  std::string z(kRfcPublicZ32);
  z[5] = 'l';
  auto r = parse_key(z);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'l'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("position 6"), std::string::npos) << r.error().message;
}

TEST(ParseKey, RejectsZ32WithNonZeroTrailingBits) {
  std::string z(kRfcPublicZ32);
  z.back() = 'b';
  expect_key_error(z);
  expect_key_error("hs://0000" + z);
}

TEST(ParseKey, RejectsIncompleteHolesailUrls) {
  expect_key_error("hs://");
  expect_key_error("hs://000");
  expect_key_error("hs://0000");
  expect_key_error("hs://s000");
  expect_key_error("hs://0000" + std::string(kRfcPublicZ32.substr(0, 51)));
  expect_key_error("hs://0000" + std::string(kRfcPublicZ32) + "y");
}

TEST(ParseKey, ErrorsCarryTheAcceptedFormats) {
  // The same check as expect_key_error, spelled out once against the constant's actual words so
  // a change to kAcceptedKeyFormats that empties it would still fail here.
  auto r = parse_key("nonsense");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_key);
  EXPECT_NE(r.error().message.find("64 hex characters"), std::string::npos);
  EXPECT_NE(r.error().message.find("hs://s000"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// hashes and namespaces

TEST(Hash, KnownAnswers) {
  EXPECT_EQ(to_hex(blake2b_256(as_bytes("abc"))),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(to_hex(blake2b_256({as_bytes("ab"), as_bytes("c")})),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(to_hex(blake2b_256(as_bytes("abc"), as_bytes("key-key-key-key-"))),
            "ddd2823d29b1cefcfa85cbe0bc1e1c9f992c78cbafbbd1a1cf8e16476402ac0e");
  EXPECT_EQ(to_hex(blake2b_512({as_bytes("abc")})),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Namespace, HyperdhtMatchesReference) {
  // hyperdht/lib/constants.js NS, printed by node.
  const auto& ns = hyperdht_ns();
  EXPECT_EQ(to_hex(ns.peer_handshake),
            "14d6d4b49214ab1033ed204976caa258bae9e1e8543b9ad1fd996a910b0c4e3a");
  EXPECT_EQ(to_hex(ns.announce),
            "36386adddf9f6fd60db83a6f42fc159d1146aa8644037664230aaa1f0179d497");
  EXPECT_EQ(to_hex(ns.unannounce),
            "ded293cd93fb395e756ecf5fff426529e72c36eacc22e5ed944d9099a2561e32");
  EXPECT_EQ(to_hex(ns.mutable_put),
            "668e823edd5ce7f5338d68bf1161f4a3c28ce437ee2ab49efd30d99366039b1e");
  EXPECT_EQ(to_hex(ns.peer_holepunch),
            "f1191cd5e67b10b54a507033280ed1ff0e12278268d5679c8f93d417210d168b");
  EXPECT_EQ(to_hex(ns.plugin), "6b8a2a8623f28c6c02a1e22abe515ce31cafd9af61d4b69970639aa7eb96a8d5");
}

TEST(Namespace, SecretStreamMatchesReference) {
  // hypercore-crypto namespace('hyperswarm/secret-stream', 3), printed by node.
  const auto& ns = secret_stream_ns();
  EXPECT_EQ(to_hex(ns.initiator),
            "a931a0155b5c09e6d28628236af83c4b8a6af9af60986edeede9dc5d63192bf7");
  EXPECT_EQ(to_hex(ns.responder),
            "742c9d833d430af4c48a8705e91631eecf295442bbca18996e597097723b1061");
  EXPECT_EQ(to_hex(ns.send), "aab97d097471f56651b0460ffc8aaa7d3342f7377597d60b925a1dac689adcbf");
}

TEST(Namespace, MakeNamespaceFollowsTheIdsGiven) {
  auto v = make_namespace("hyperswarm/secret-stream", {2, 0});
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], secret_stream_ns().send);
  EXPECT_EQ(v[1], secret_stream_ns().initiator);
  EXPECT_TRUE(make_namespace("anything", {}).empty());

  // Entry i is H(H(name) || byte(id)).
  Hash32 ns = blake2b_256(as_bytes("hyperswarm/dht"));
  const std::uint8_t id = 0;
  EXPECT_EQ(blake2b_256({ByteView(ns), ByteView(&id, 1)}), hyperdht_ns().peer_handshake);
}

}  // namespace
}  // namespace peerport::crypto

TEST(KeyText, PeerportLinks) {
  using namespace peerport::crypto;
  auto kp = KeyPair::from_seed(*seed_from_hex(std::string(64, 'a')));
  auto r = parse_key(peerport_url(kp.public_key) + "/");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->public_key, kp.public_key);
  auto hex = parse_key("PeerPort://" + peerport::to_hex(kp.public_key));
  ASSERT_TRUE(hex) << hex.error().message;
  EXPECT_EQ(hex->public_key, kp.public_key);
  auto priv = parse_key(peerport_private_url("some-secret"));
  ASSERT_TRUE(priv) << priv.error().message;
  ASSERT_TRUE(priv->key_pair.has_value());
  EXPECT_EQ(priv->public_key, holesail_key_pair("some-secret").public_key);
  EXPECT_FALSE(parse_key("peerport://"));
  EXPECT_FALSE(parse_key("peerport://not-a-key"));
}
