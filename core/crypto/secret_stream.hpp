#pragma once
// The framing and encryption of @hyperswarm/secret-stream 6.9, as a transport-agnostic
// encoder/decoder: bytes in from any reliable stream (UDX, a pipe, a test buffer), messages out.
//
// Every frame on the wire is a 3-byte little-endian length and that many bytes. After the Noise
// handshake each side first sends one header frame of 56 bytes: its stream id (32 bytes,
// BLAKE2b-256 keyed by the handshake hash over NS_INITIATOR or NS_RESPONDER) followed by the
// crypto_secretstream_xchacha20poly1305 header (24 bytes) of its sending direction, keyed with
// the Noise split key. The receiver checks that the id is the one the peer's role must produce,
// which binds the stream to this handshake. Every later frame is one secretstream message with
// TAG_MESSAGE: 1 encrypted tag byte + ciphertext + 16-byte MAC (17 bytes of overhead).

#include <functional>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/noise.hpp"

namespace peerport::crypto {

inline constexpr std::size_t kSecretStreamHeaderFrame = 3 + 32 + 24;
inline constexpr std::size_t kSecretStreamOverhead = 3 + 17;  // length prefix + ABYTES
// Largest frame body the reference writes (MAX_ATOMIC_WRITE, 2^24 - 1).
inline constexpr std::size_t kSecretStreamMaxFrame = (1u << 24) - 1;

// The id a side with the given role puts in its header (secret-stream's streamId()).
FixedBytes<32> secret_stream_id(ByteView handshake_hash, bool initiator);

class SecretStream {
 public:
  struct Options {
    // The largest message this side accepts; a peer announcing a bigger frame is an error. The
    // decoder never buffers more than one frame of this size.
    std::size_t max_message = 4u << 20;
    // Drop empty messages (keep-alives), as the reference does once keep-alive is on.
    bool filter_empty = false;
  };

  explicit SecretStream(const HandshakeResult& handshake);
  SecretStream(const HandshakeResult& handshake, Options options);
  ~SecretStream();
  SecretStream(const SecretStream&) = delete;
  SecretStream& operator=(const SecretStream&) = delete;

  // The header frame; send it before any message.
  const FixedBytes<kSecretStreamHeaderFrame>& header_frame() const { return header_frame_; }

  // Appends the frame for one message to out. Messages larger than kSecretStreamMaxFrame - 17
  // are refused, as the reference refuses them.
  Status encrypt(ByteView plaintext, Bytes& out);
  Bytes encrypt(ByteView plaintext);

  // Feeds received bytes; calls on_message for each complete message, in order. Any error
  // (bad header, id mismatch, forged or reordered frame, oversized frame) is final: the stream
  // is dead and every later call fails with the same error.
  using MessageFn = std::function<void(ByteView)>;
  Status feed(ByteView data, const MessageFn& on_message);

  bool header_received() const { return header_received_; }
  std::uint64_t messages_received() const { return received_; }
  std::size_t buffered() const { return frame_.size(); }

 private:
  Status process_frame(ByteView frame, const MessageFn& on_message);
  Status fail(Errc code, std::string why);

  Options options_;
  FixedBytes<32> expected_remote_id_{};
  FixedBytes<kSecretStreamHeaderFrame> header_frame_{};
  crypto_secretstream_xchacha20poly1305_state push_{};
  crypto_secretstream_xchacha20poly1305_state pull_{};
  SecretBytes<32> rx_key_;
  bool header_received_ = false;
  std::optional<Error> error_;
  // Frame assembly: the 3 length bytes, then the body.
  std::uint8_t len_bytes_[3] = {};
  std::size_t len_have_ = 0;
  std::size_t frame_len_ = 0;
  Bytes frame_;
  Bytes plain_;
  std::uint64_t received_ = 0;
};

}  // namespace peerport::crypto
