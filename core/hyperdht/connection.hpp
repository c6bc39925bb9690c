#pragma once
// An end-to-end encrypted connection to a peer found by its public key: a UDX stream on the
// DHT's own socket, wrapped in SecretStream with the keys of the Noise IK handshake that went
// through the DHT (hyperdht 6.34 lib/connect.js, the direct path of docs/hyperdht-connect-notes.md
// section 4.2).
//
// Flow: find_peer(hash(key)) -> the node holding the server's announcement relays our
// PEER_HANDSHAKE (Noise msg1 with our UDX stream id) -> the reply carries msg2 and the server's
// address and stream id -> connect the UDX stream there -> SecretStream header, then data.
// Not yet: PEER_HOLEPUNCH rounds for peers behind NATs, and the server side.

#include <functional>
#include <memory>

#include "crypto/secret_stream.hpp"
#include "hyperdht/dht.hpp"
#include "udx/udx.hpp"

namespace peerport::hyperdht {

class Connection {
 public:
  struct Callbacks {
    std::function<void(ByteView)> on_data;
    std::function<void()> on_end;
    std::function<void()> on_drain;
    std::function<void(const Status&)> on_close;
  };
  using ConnectDone = std::function<void(Result<std::unique_ptr<Connection>>)>;

  // Connects to the server with public key `remote`, as `local` (the Noise static key).
  static void connect(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& remote,
                      Callbacks callbacks, ConnectDone done);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool write(ByteView data);  // false: wait for on_drain
  void end();
  void destroy();
  const crypto::PublicKey& remote_public_key() const { return remote_; }
  const udx::Stream& stream() const { return *stream_; }

 private:
  Connection() = default;
  struct Pending;

  crypto::PublicKey remote_{};
  Callbacks cb_;
  std::unique_ptr<udx::Stream> stream_;
  std::unique_ptr<crypto::SecretStream> secret_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace peerport::hyperdht
