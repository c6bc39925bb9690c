#pragma once
// The Noise handshake as noise-handshake 4.2 with the noise-curve-ed 2.1 curve, which is what
// hyperdht 6 (lib/noise-wrap.js, pattern IK, prologue NS.PEER_HANDSHAKE) and
// @hyperswarm/secret-stream 6 (pattern XX, empty prologue) run:
//   protocol name  Noise_<IK|XX>_Ed25519_ChaChaPoly_BLAKE2b
//   DH             ed25519 points: the clamped SHA-512 scalar of the ed25519 seed times the
//                  peer's ed25519 public key (crypto_scalarmult_ed25519_noclamp), so the static
//                  Noise key is the peer's DHT identity itself
//   hash           BLAKE2b-512; HKDF over HMAC-BLAKE2b (128-byte blocks)
//   cipher         ChaCha20-Poly1305 IETF; nonce = 4 zero bytes + 32-bit LE counter + 4 zero
//                  bytes; associated data = the handshake hash h
// Split gives (k1, k2), the first 32 bytes of each HKDF output: the initiator sends with k1.

#include <optional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::crypto {

inline constexpr std::size_t kNoiseHashLen = 64;
inline constexpr std::size_t kNoiseMaxMessage = 65535;

enum class NoisePattern { IK, XX };

struct HandshakeResult {
  SecretBytes<32> tx;
  SecretBytes<32> rx;
  FixedBytes<kNoiseHashLen> hash{};
  PublicKey remote_public_key{};
  bool is_initiator = false;
};

class NoiseHandshake {
 public:
  // IK initiators must pass the responder's static key; XX and IK responders pass nullopt.
  NoiseHandshake(NoisePattern pattern, bool initiator, const KeyPair& static_key, ByteView prologue,
                 std::optional<PublicKey> remote_static = std::nullopt);
  ~NoiseHandshake();
  NoiseHandshake(const NoiseHandshake&) = delete;
  NoiseHandshake& operator=(const NoiseHandshake&) = delete;

  // For test vectors only: the ephemeral key the next send() uses instead of a random one.
  void set_ephemeral(const KeyPair& e) { e_ = e; }

  // Writes our next message with payload encrypted inside it.
  Result<Bytes> send(ByteView payload = {});
  // Reads the peer's next message; returns its payload.
  Result<Bytes> recv(ByteView message);

  bool complete() const { return complete_; }
  bool failed() const { return failed_; }
  bool is_initiator() const { return initiator_; }
  // The peer's static key once a message has revealed it (an IK responder: after msg1).
  const std::optional<PublicKey>& remote_static() const { return rs_; }
  // Valid once complete().
  const HandshakeResult& result() const { return result_; }

 private:
  enum class Token { e, s, ee, es, se, ss };

  void mix_hash(ByteView data);
  Status mix_key(const PublicKey& remote, const KeyPair& local);
  Bytes encrypt_and_hash(ByteView plaintext);
  Result<Bytes> decrypt_and_hash(ByteView ciphertext);
  Status dh_token(Token t);
  void finish();
  Error fail(std::string why);

  bool initiator_;
  KeyPair s_;
  std::optional<KeyPair> e_;
  std::optional<PublicKey> rs_;
  std::optional<PublicKey> re_;
  FixedBytes<kNoiseHashLen> h_{};
  SecretBytes<kNoiseHashLen> ck_;
  SecretBytes<32> k_;
  bool has_key_ = false;
  std::uint64_t n_ = 0;
  std::vector<std::vector<Token>> messages_;
  std::size_t next_ = 0;
  bool complete_ = false;
  bool failed_ = false;
  HandshakeResult result_;
};

}  // namespace peerport::crypto
