#include "crypto/secret_stream.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "crypto/hash.hpp"

namespace peerport::crypto {

namespace {
// The frame assembly buffer kept between frames: tunnels send frames of at most 64 KiB (plus
// the MAC), which it holds; a rarer larger frame's buffer is freed once processed.
constexpr std::size_t kKeptFrame = 128u << 10;
}  // namespace

FixedBytes<32> secret_stream_id(ByteView handshake_hash, bool initiator) {
  const auto& ns = secret_stream_ns();
  return blake2b_256(initiator ? ns.initiator : ns.responder, handshake_hash);
}

SecretStream::SecretStream(const HandshakeResult& h) : SecretStream(h, Options{}) {}

SecretStream::SecretStream(const HandshakeResult& h, Options options) : options_(options) {
  static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == 24);
  static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == 17);
  header_frame_[0] = kSecretStreamHeaderFrame - 3;
  auto id = secret_stream_id(h.hash, h.is_initiator);
  std::memcpy(header_frame_.data() + 3, id.data(), 32);
  crypto_secretstream_xchacha20poly1305_init_push(&push_, header_frame_.data() + 35, h.tx.data());
  expected_remote_id_ = secret_stream_id(h.hash, !h.is_initiator);
  rx_key_ = h.rx;
}

SecretStream::~SecretStream() {
  sodium_memzero(&push_, sizeof push_);
  sodium_memzero(&pull_, sizeof pull_);
  if (!frame_.empty()) sodium_memzero(frame_.data(), frame_.size());
  if (!plain_.empty()) sodium_memzero(plain_.data(), plain_.size());
}

Status SecretStream::encrypt(ByteView plaintext, Bytes& out) {
  const std::size_t body = plaintext.size() + crypto_secretstream_xchacha20poly1305_ABYTES;
  if (body > kSecretStreamMaxFrame) {
    return make_error(Errc::too_large, "message is too large for one secret-stream frame");
  }
  const std::size_t start = out.size();
  out.resize(start + 3 + body);
  out[start] = static_cast<std::uint8_t>(body);
  out[start + 1] = static_cast<std::uint8_t>(body >> 8);
  out[start + 2] = static_cast<std::uint8_t>(body >> 16);
  crypto_secretstream_xchacha20poly1305_push(&push_, out.data() + start + 3, nullptr,
                                             plaintext.data(), plaintext.size(), nullptr, 0,
                                             crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  return Ok{};
}

Bytes SecretStream::encrypt(ByteView plaintext) {
  Bytes out;
  out.reserve(plaintext.size() + kSecretStreamOverhead);
  (void)encrypt(plaintext, out);
  return out;
}

Status SecretStream::fail(Errc code, std::string why) {
  error_ = make_error(code, "secret-stream: " + why);
  frame_.clear();
  return *error_;
}

Status SecretStream::process_frame(ByteView frame, const MessageFn& on_message) {
  if (!header_received_) {
    if (frame.size() != 32 + crypto_secretstream_xchacha20poly1305_HEADERBYTES) {
      return fail(Errc::invalid_header, "invalid header message received");
    }
    if (sodium_memcmp(frame.data(), expected_remote_id_.data(), 32) != 0) {
      return fail(Errc::invalid_header, "invalid header received (stream id does not match)");
    }
    if (crypto_secretstream_xchacha20poly1305_init_pull(&pull_, frame.data() + 32,
                                                        rx_key_.data()) != 0) {
      return fail(Errc::invalid_header, "invalid header received");
    }
    header_received_ = true;
    return Ok{};
  }
  if (frame.size() < crypto_secretstream_xchacha20poly1305_ABYTES) {
    return fail(Errc::decrypt_failed, "invalid message received (shorter than its MAC)");
  }
  plain_.resize(frame.size() - crypto_secretstream_xchacha20poly1305_ABYTES);
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&pull_, plain_.data(), nullptr, &tag, frame.data(),
                                                 frame.size(), nullptr, 0) != 0) {
    return fail(Errc::decrypt_failed, "message failed authentication");
  }
  ++received_;
  if (plain_.empty() && options_.filter_empty) return Ok{};
  on_message(plain_);
  return Ok{};
}

Status SecretStream::feed(ByteView data, const MessageFn& on_message) {
  if (error_) return *error_;
  while (!data.empty()) {
    if (len_have_ < 3) {
      len_bytes_[len_have_++] = data[0];
      data = data.subspan(1);
      if (len_have_ < 3) continue;
      frame_len_ = std::size_t{len_bytes_[0]} | std::size_t{len_bytes_[1]} << 8 |
                   std::size_t{len_bytes_[2]} << 16;
      const std::size_t limit =
          header_received_ ? options_.max_message + crypto_secretstream_xchacha20poly1305_ABYTES
                           : 32 + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
      if (frame_len_ > limit) {
        return fail(header_received_ ? Errc::too_large : Errc::invalid_header,
                    "peer announced a " + std::to_string(frame_len_) +
                        "-byte frame, over the limit of " + std::to_string(limit));
      }
      frame_.clear();
      if (frame_len_ == 0) {
        len_have_ = 0;
        if (auto st = process_frame({}, on_message); !st) return st;
        continue;
      }
    }
    // Whole frame present in the input: decrypt in place of a copy.
    if (frame_.empty() && data.size() >= frame_len_) {
      auto st = process_frame(data.first(frame_len_), on_message);
      data = data.subspan(frame_len_);
      len_have_ = 0;
      if (!st) return st;
      continue;
    }
    // A frame split across deliveries is assembled in a buffer kept from frame to frame: a
    // fresh one grown packet by packet cost a 64 KiB allocation, its regrowths and its free per
    // tunnel frame, and each free of it could make malloc hand the pages back (madvise) only to
    // fault them in again, a third of a tunnel receiver's CPU. Reserved up to kKeptFrame only:
    // a peer announcing a 4 MiB frame gets no more memory than it sends.
    if (frame_.empty()) frame_.reserve(std::min(frame_len_, kKeptFrame));
    const std::size_t need = frame_len_ - frame_.size();
    const std::size_t n = std::min(need, data.size());
    frame_.insert(frame_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    data = data.subspan(n);
    if (frame_.size() == frame_len_) {
      auto st = process_frame(frame_, on_message);
      len_have_ = 0;
      if (!st) return st;
      frame_.clear();
      if (frame_.capacity() > kKeptFrame) Bytes().swap(frame_);
    }
  }
  return Ok{};
}

}  // namespace peerport::crypto
