#pragma once
// What a connection needs from a blind relay, as an interface: hyperdht's relayThrough pairs
// both peers at a relay, and the stream moves there. core/relay implements it (relay::pairer());
// whoever builds a connection or a server injects it through ConnectOptions or Server::Options,
// so hyperdht never depends on the relay's protocol code (the layers stay acyclic).

#include <functional>
#include <memory>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "crypto/keys.hpp"
#include "udx/udx.hpp"

namespace peerport::hyperdht {

class Dht;

// The 32 bytes both peers send the relay so it knows they belong together.
using RelayToken = FixedBytes<32>;
RelayToken random_relay_token();

// Keeps the pairing's connection to the relay open; the relayed stream ends when it goes.
class RelayLink {
 public:
  virtual ~RelayLink() = default;
};

struct RelayPairing {
  std::unique_ptr<RelayLink> link;
  std::uint32_t remote_id = 0;    // the relay's stream for us: our stream connects to it
  udx::Socket* socket = nullptr;  // the socket our connection to the relay runs on
  udx::Address address;           // the relay's address on it
};

// Pairs our stream `stream_id` at `relay` under `token`, as the initiator (the client) or not.
using PairAtRelay =
    std::function<void(Dht& dht, const crypto::KeyPair& local, const crypto::PublicKey& relay,
                       bool initiator, const RelayToken& token, std::uint32_t stream_id,
                       std::function<void(Result<RelayPairing>)> done)>;

}  // namespace peerport::hyperdht
