#pragma once
// How PeerPort connects to a peer: directly where possible (direct, LAN, holepunch), through a
// blind relay where not. A first attempt goes without a relay; if holepunching cannot work
// (both NATs randomize) or does not finish, the same connect runs again offering a relay,
// which both peers pair at while punching continues in the background. A peer once found to
// need a relay gets the relay offered at once for the next ten minutes.
//
// Relays come from the configured list first, else from the DHT: relays announce themselves
// under relay_topic(), and a lookup's answer is kept for a minute.
#include <map>
#include <memory>
#include <vector>

#include "common/uv.hpp"
#include "hyperdht/connection.hpp"

namespace peerport::relay {

class Connector {
 public:
  struct Options {
    std::vector<crypto::PublicKey> relays;  // configured, tried before discovered ones
    bool discover = true;                   // look relays up on the DHT
    bool force_relay = false;               // always through a relay (diagnostics)
  };

  Connector(hyperdht::Dht& dht, Options options);
  ~Connector();
  Connector(const Connector&) = delete;
  Connector& operator=(const Connector&) = delete;

  void connect(const crypto::KeyPair& local, const crypto::PublicKey& remote,
               hyperdht::Connection::Callbacks callbacks, hyperdht::Connection::ConnectDone done);

  // Whether a failed direct attempt is worth a relayed one: holepunching failed or gave up.
  static bool relay_would_help(const Error& e);

 private:
  // A relay that is neither end of the connection; nullopt if none is configured or found.
  void pick_relay(const crypto::KeyPair& local, const crypto::PublicKey& remote,
                  std::function<void(std::optional<crypto::PublicKey>)> done);
  void connect_relayed(const crypto::KeyPair& local, const crypto::PublicKey& remote,
                       hyperdht::Connection::Callbacks callbacks,
                       hyperdht::Connection::ConnectDone done, std::string first_error);

  hyperdht::Dht& dht_;
  Options options_;
  std::vector<crypto::PublicKey> discovered_;
  std::uint64_t discovered_at_ = 0;
  bool discovered_once_ = false;
  // peer hex -> when punching failed and why (the why goes into a later failure's message)
  std::map<std::string, std::pair<std::uint64_t, std::string>> needs_relay_;
  uvx::Lifetime alive_;
};

}  // namespace peerport::relay
