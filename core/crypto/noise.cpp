#include "crypto/noise.hpp"

#include <sodium.h>

#include <cstring>
#include <string>

namespace peerport::crypto {

namespace {

constexpr std::size_t kBlockLen = 128;
constexpr std::size_t kMacLen = 16;

using Digest = SecretBytes<kNoiseHashLen>;

// HMAC-BLAKE2b as noise-handshake's hmac.js: keys longer than the block are hashed first.
void hmac_blake2b(Digest& out, ByteView key, std::initializer_list<ByteView> parts) {
  SecretBytes<kBlockLen> k;
  if (key.size() > kBlockLen) {
    crypto_generichash(k.data(), kNoiseHashLen, key.data(), key.size(), nullptr, 0);
  } else {
    std::memcpy(k.data(), key.data(), key.size());
  }
  SecretBytes<kBlockLen> ipad, opad;
  for (std::size_t i = 0; i < kBlockLen; ++i) {
    ipad[i] = k[i] ^ 0x36;
    opad[i] = k[i] ^ 0x5c;
  }
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kNoiseHashLen);
  crypto_generichash_update(&st, ipad.data(), kBlockLen);
  for (auto p : parts) crypto_generichash_update(&st, p.data(), p.size());
  Digest inner;
  crypto_generichash_final(&st, inner.data(), kNoiseHashLen);
  crypto_generichash_init(&st, nullptr, 0, kNoiseHashLen);
  crypto_generichash_update(&st, opad.data(), kBlockLen);
  crypto_generichash_update(&st, inner.data(), kNoiseHashLen);
  crypto_generichash_final(&st, out.data(), kNoiseHashLen);
  sodium_memzero(&st, sizeof st);
}

// HKDF (RFC 5869) with two outputs and empty info, as noise-handshake's hkdf.js.
void hkdf2(const Digest& salt, ByteView ikm, Digest& out1, Digest& out2) {
  Digest prk;
  hmac_blake2b(prk, salt.view(), {ikm});
  const std::uint8_t one = 1, two = 2;
  hmac_blake2b(out1, prk.view(), {ByteView(&one, 1)});
  hmac_blake2b(out2, prk.view(), {out1.view(), ByteView(&two, 1)});
}

// noise-curve-ed's dh(): the ed25519 seed expanded and clamped as ed25519 signing does, then a
// plain scalar multiplication with the peer's ed25519 point.
bool dh_ed25519(SecretBytes<32>& out, const PublicKey& remote, const KeyPair& local) {
  SecretBytes<64> h;
  crypto_hash_sha512(h.data(), local.secret_key.data(), 32);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  return crypto_scalarmult_ed25519_noclamp(out.data(), h.data(), remote.data()) == 0;
}

void make_nonce(std::uint8_t nonce[12], std::uint64_t n) {
  std::memset(nonce, 0, 12);
  // noise-handshake writes only 32 bits of the counter (DataView.setUint32 at offset 4).
  auto c = static_cast<std::uint32_t>(n);
  for (int i = 0; i < 4; ++i) nonce[4 + i] = static_cast<std::uint8_t>(c >> (8 * i));
}

}  // namespace

NoiseHandshake::NoiseHandshake(NoisePattern pattern, bool initiator, const KeyPair& static_key,
                               ByteView prologue, std::optional<PublicKey> remote_static)
    : initiator_(initiator), s_(static_key) {
  using T = Token;
  std::string name;
  if (pattern == NoisePattern::IK) {
    name = "Noise_IK_Ed25519_ChaChaPoly_BLAKE2b";
    messages_ = {{T::e, T::es, T::s, T::ss}, {T::e, T::ee, T::se}};
  } else {
    name = "Noise_XX_Ed25519_ChaChaPoly_BLAKE2b";
    messages_ = {{T::e}, {T::e, T::ee, T::s, T::es}, {T::s, T::se}};
  }
  // The name fits in HASHLEN, so h starts as the zero-padded name.
  std::memcpy(h_.data(), name.data(), name.size());
  std::memcpy(ck_.data(), h_.data(), kNoiseHashLen);
  mix_hash(prologue);
  if (pattern == NoisePattern::IK) {
    // Pre-message: the responder's static key, known to the initiator in advance.
    if (initiator) {
      rs_ = remote_static;
      if (rs_)
        mix_hash(*rs_);
      else
        failed_ = true;
    } else {
      mix_hash(s_.public_key);
    }
  }
}

NoiseHandshake::~NoiseHandshake() {
  sodium_memzero(h_.data(), h_.size());
}

void NoiseHandshake::mix_hash(ByteView data) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kNoiseHashLen);
  crypto_generichash_update(&st, h_.data(), h_.size());
  crypto_generichash_update(&st, data.data(), data.size());
  crypto_generichash_final(&st, h_.data(), kNoiseHashLen);
}

Status NoiseHandshake::mix_key(const PublicKey& remote, const KeyPair& local) {
  SecretBytes<32> shared;
  if (!dh_ed25519(shared, remote, local)) return fail("invalid peer key");
  Digest ck, temp_k;
  hkdf2(ck_, shared.view(), ck, temp_k);
  ck_ = ck;
  std::memcpy(k_.data(), temp_k.data(), 32);
  has_key_ = true;
  n_ = 0;
  return Ok{};
}

Bytes NoiseHandshake::encrypt_and_hash(ByteView plaintext) {
  Bytes out;
  if (!has_key_) {
    out.assign(plaintext.begin(), plaintext.end());
  } else {
    out.resize(plaintext.size() + kMacLen);
    std::uint8_t nonce[12];
    make_nonce(nonce, n_++);
    unsigned long long clen = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &clen, plaintext.data(), plaintext.size(),
                                              h_.data(), h_.size(), nullptr, nonce, k_.data());
  }
  mix_hash(out);
  return out;
}

Result<Bytes> NoiseHandshake::decrypt_and_hash(ByteView ciphertext) {
  Bytes out;
  if (!has_key_) {
    out.assign(ciphertext.begin(), ciphertext.end());
  } else {
    if (ciphertext.size() < kMacLen) return fail("message too short");
    out.resize(ciphertext.size() - kMacLen);
    std::uint8_t nonce[12];
    make_nonce(nonce, n_++);
    unsigned long long plen = 0;
    if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &plen, nullptr, ciphertext.data(),
                                                  ciphertext.size(), h_.data(), h_.size(), nonce,
                                                  k_.data()) != 0) {
      return fail("authentication failed (wrong key or corrupted message)");
    }
  }
  mix_hash(ciphertext);
  return out;
}

Status NoiseHandshake::dh_token(Token t) {
  // Which of our keys meets which of theirs, per noise-handshake's keyPattern().
  bool local_static = false, remote_static = false;
  switch (t) {
    case Token::ee:
      break;
    case Token::es:
      local_static = !initiator_;
      remote_static = initiator_;
      break;
    case Token::se:
      local_static = initiator_;
      remote_static = !initiator_;
      break;
    case Token::ss:
      local_static = remote_static = true;
      break;
    default:
      break;
  }
  const std::optional<PublicKey>& remote = remote_static ? rs_ : re_;
  const std::optional<KeyPair>& local_e = e_;
  if (!remote || (!local_static && !local_e)) return fail("missing key");
  return mix_key(*remote, local_static ? s_ : *local_e);
}

Error NoiseHandshake::fail(std::string why) {
  failed_ = true;
  return make_error(Errc::handshake_failed, "Noise handshake failed: " + why);
}

void NoiseHandshake::finish() {
  Digest k1, k2;
  hkdf2(ck_, {}, k1, k2);
  std::memcpy(result_.tx.data(), (initiator_ ? k1 : k2).data(), 32);
  std::memcpy(result_.rx.data(), (initiator_ ? k2 : k1).data(), 32);
  result_.hash = h_;
  result_.remote_public_key = *rs_;
  result_.is_initiator = initiator_;
  complete_ = true;
  // Nothing of the handshake's own secrets outlives it.
  ck_ = Digest{};
  k_ = SecretBytes<32>{};
  e_.reset();
}

Result<Bytes> NoiseHandshake::send(ByteView payload) {
  if (failed_) return make_error(Errc::handshake_failed, "Noise handshake already failed");
  // A finished handshake stays usable: a stray call is an error, not a failure of the session.
  if (complete_) return make_error(Errc::handshake_failed, "Noise handshake already complete");
  // Messages alternate, the initiator first. The reference does not check turns; a peer that
  // sends out of turn would otherwise get 32 arbitrary bytes taken as a key.
  if ((next_ % 2 == 0) != initiator_) return fail("not our turn to send");
  Bytes out;
  for (Token t : messages_[next_]) {
    if (t == Token::e) {
      if (!e_) e_ = KeyPair::random();
      mix_hash(e_->public_key);
      out.insert(out.end(), e_->public_key.begin(), e_->public_key.end());
    } else if (t == Token::s) {
      auto c = encrypt_and_hash(s_.public_key);
      out.insert(out.end(), c.begin(), c.end());
    } else if (auto st = dh_token(t); !st) {
      return st.error();
    }
  }
  auto c = encrypt_and_hash(payload);
  out.insert(out.end(), c.begin(), c.end());
  if (out.size() > kNoiseMaxMessage) return fail("message too large");
  if (++next_ == messages_.size()) finish();
  return out;
}

Result<Bytes> NoiseHandshake::recv(ByteView message) {
  if (failed_) return make_error(Errc::handshake_failed, "Noise handshake already failed");
  if (complete_) return make_error(Errc::handshake_failed, "Noise handshake already complete");
  if ((next_ % 2 == 0) == initiator_) return fail("not our turn to receive");
  if (message.size() > kNoiseMaxMessage) return fail("message too large");
  std::size_t pos = 0;
  auto take = [&](std::size_t n) -> std::optional<ByteView> {
    if (message.size() - pos < n) return std::nullopt;
    ByteView v = message.subspan(pos, n);
    pos += n;
    return v;
  };
  for (Token t : messages_[next_]) {
    if (t == Token::e) {
      auto v = take(32);
      if (!v) return fail("message truncated");
      PublicKey re{};
      std::copy(v->begin(), v->end(), re.begin());
      re_ = re;
      mix_hash(re);
    } else if (t == Token::s) {
      auto v = take(has_key_ ? 32 + kMacLen : 32);
      if (!v) return fail("message truncated");
      auto plain = decrypt_and_hash(*v);
      if (!plain) return plain.error();
      PublicKey rs{};
      std::copy(plain->begin(), plain->end(), rs.begin());
      rs_ = rs;
    } else if (auto st = dh_token(t); !st) {
      return st.error();
    }
  }
  auto payload = decrypt_and_hash(message.subspan(pos));
  if (!payload) return payload.error();
  if (++next_ == messages_.size()) finish();
  return payload;
}

}  // namespace peerport::crypto
