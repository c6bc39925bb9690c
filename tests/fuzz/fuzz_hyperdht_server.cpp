// libFuzzer target: a share's Server::on_handshake and on_holepunch, what any stranger who knows
// the share's key reaches. The share believes it is behind a consistent NAT (its samples come
// from mirrors), so handshakes open holepunch slots. Byte 0 of the input picks what to send:
//  0: a PEER_HANDSHAKE whose value is the rest, raw;
//  1: a real Noise IK msg1 carrying the rest as its payload (what the noise layer protects is
//     fuzzed past it), mode and relayed peer address chosen by byte 1; the share's reply comes
//     back to the harness, which finishes the handshake and remembers the slot it was given;
//  2: a PEER_HOLEPUNCH whose value is the rest, raw;
//  3: a PEER_HOLEPUNCH to the remembered slot, its payload the rest sealed under that
//     handshake's holepunch secret, so the decoder and the punch logic behind the MAC run.
// Then the loop runs once, and the share's caps must hold (pending, slots, birthday sets, relay
// pairings). The share sends toward addresses the input names, so the whole target runs in a
// network namespace of its own with only loopback: nothing leaves the machine.
#include <net/if.h>
#include <sched.h>
#include <sodium.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "crypto/hash.hpp"
#include "crypto/noise.hpp"
#include "fuzz_check.hpp"
#include "hyperdht/server.hpp"
#include "relay/blind_relay.hpp"
#include "hyperdht/holepunch.hpp"

namespace {

using namespace peerport;
using namespace peerport::hyperdht;

void own_network() {
  if (unshare(CLONE_NEWNET) != 0) {
    std::fprintf(stderr,
                 "fuzz_hyperdht_server: needs root for a network namespace of its own "
                 "(it sends where the input says)\n");
    std::abort();
  }
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  FUZZ_CHECK(fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  FUZZ_CHECK(ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
  close(fd);
}

struct World {
  uv_loop_t loop;
  std::unique_ptr<udx::Udx> udx;
  std::unique_ptr<Dht> boot, other, share;
  std::unique_ptr<Server> server;
  std::vector<std::unique_ptr<udx::Socket>> mirrors;
  std::unique_ptr<udx::Socket> client;  // where the share's replies to us arrive
  crypto::KeyPair key = crypto::KeyPair::random();
  dht::NodeId target{};
  Server::Options caps;
  // The last handshake the share answered with a slot: its id and holepunch secret.
  std::optional<std::uint64_t> slot;
  crypto::Hash32 secret{};
  std::unique_ptr<crypto::NoiseHandshake> noise;

  // Runs the loop until `done`, at most 8 s (the fuzzer's per-input timeout is 10 s).
  void wait(const std::function<bool()>& done) {
    uv_timer_t tick;
    uv_timer_init(&loop, &tick);
    uv_timer_start(
        &tick, [](uv_timer_t*) {}, 10, 10);
    const std::uint64_t end = uv_now(&loop) + 8000;
    while (!done() && uv_now(&loop) < end) uv_run(&loop, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
    uv_run(&loop, UV_RUN_NOWAIT);
    FUZZ_CHECK(done());
  }

  void run(int rounds) {
    for (int i = 0; i < rounds; ++i) uv_run(&loop, UV_RUN_NOWAIT);
  }

  World() {
    own_network();
    FUZZ_CHECK(sodium_init() >= 0);
    uv_loop_init(&loop);
    udx = std::make_unique<udx::Udx>(&loop);
    dht::Node::Options o;
    o.bind = *udx::Address::parse("127.0.0.1", 0);
    o.ephemeral = false;  // it stores the share's announcement
    boot = std::make_unique<Dht>(*udx, o);
    FUZZ_CHECK(boot->start().ok());
    o.bootstrap = {boot->node().local_address()};
    o.ephemeral = true;
    other = std::make_unique<Dht>(*udx, o);
    share = std::make_unique<Dht>(*udx, o);
    FUZZ_CHECK(other->start().ok());
    FUZZ_CHECK(share->start().ok());
    wait([&] { return share->node().bootstrapped() && other->node().bootstrapped(); });
    target = crypto::blake2b_256(key.public_key);
    // Small caps, so the fuzzer reaches them.
    caps.max_pending = 8;
    caps.max_cached_replies = 16;
    caps.max_slots = 4;
    caps.max_birthday_sets = 1;
    caps.max_relay_pairings = 2;
    caps.pair_relay = peerport::relay::pairer();
    server = std::make_unique<Server>(*share, key, caps, [](std::unique_ptr<Connection>) {});
    bool up = false;
    server->listen([&](Status st) { up = st.ok(); });
    wait([&] { return up; });
    // How the world sees the share: one public address, so a consistent NAT (holepunch slots).
    for (int i = 0; i < 6; ++i) {
      auto m = std::make_unique<udx::Socket>(*udx);
      FUZZ_CHECK(m->bind(*udx::Address::parse("127.0.0.1", 0)).ok());
      udx::Socket* raw = m.get();
      m->on_message([raw](ByteView d, const udx::Address& from) {
        auto req = dht::decode_request(d);
        if (!req) return;
        dht::Response r;
        r.tid = req->tid;
        r.to = *dht::Address::parse("11.0.0.5", 4000);
        (void)raw->send(dht::encode(r), from);
      });
      share->node().request(dht::from_udx(m->local_address()), dht::kPing, true, std::nullopt,
                            std::nullopt, nullptr);
      mirrors.push_back(std::move(m));
    }
    run(50);
    client = std::make_unique<udx::Socket>(*udx);
    FUZZ_CHECK(client->bind(*udx::Address::parse("127.0.0.1", 0)).ok());
    client->on_message([this](ByteView d, const udx::Address&) { on_reply(d); });
  }

  void on_reply(ByteView d) {
    auto res = dht::decode_response(d);
    if (!res || !res->value || !noise || noise->complete() || noise->failed()) return;
    auto hs = decode_handshake(*res->value);
    if (!hs) return;
    auto payload = noise->recv(hs->noise);
    if (!payload) return;
    auto theirs = decode_noise_payload(*payload);
    if (!theirs || !theirs->holepunch) return;
    slot = theirs->holepunch->first;
    secret = crypto::blake2b_256(crypto::hyperdht_ns().peer_holepunch, noise->result().hash);
  }

  void send(std::uint64_t command, Bytes value, std::uint16_t tid) {
    dht::Request r;
    r.tid = tid;
    r.command = command;
    r.to = share->node().local_address();
    r.target = target;
    r.value = std::move(value);
    (void)client->send(dht::encode(r), dht::to_udx(share->node().local_address()));
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World w;
  if (size < 2) return 0;
  const std::uint8_t op = data[0] & 3;
  const std::uint8_t how = data[1];
  ByteView rest(data + 2, size - 2);
  const auto tid = static_cast<std::uint16_t>(how | size << 8);
  switch (op) {
    case 0:
      w.send(kPeerHandshake, Bytes(rest.begin(), rest.end()), tid);
      break;
    case 1: {
      w.noise = std::make_unique<crypto::NoiseHandshake>(
          crypto::NoisePattern::IK, true, crypto::KeyPair::random(),
          crypto::hyperdht_ns().peer_handshake, w.key.public_key);
      auto msg1 = w.noise->send(rest);
      FUZZ_CHECK(msg1.ok());
      Handshake hs{how & 1 ? kModeFromRelayForServer : kModeFromClient, *msg1, std::nullopt,
                   std::nullopt};
      // A relayed handshake names where the relay saw the client: public or private.
      if (how & 1) {
        hs.peer_address = how & 2 ? *dht::Address::parse("11.0.0.9", 5000 + (how >> 2))
                                  : *dht::Address::parse("127.0.0.1", 5000 + (how >> 2));
      }
      w.send(kPeerHandshake, encode(hs), tid);
      break;
    }
    case 2:
      w.send(kPeerHolepunch, Bytes(rest.begin(), rest.end()), tid);
      break;
    default: {
      if (!w.slot) break;
      Bytes sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + rest.size());
      randombytes_buf(sealed.data(), crypto_secretbox_NONCEBYTES);
      crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES, rest.data(), rest.size(),
                            sealed.data(), w.secret.data());
      Holepunch hp{kModeFromRelayForServer, *w.slot, std::move(sealed),
                   how & 1 ? *dht::Address::parse("11.0.0.9", 6000 + (how >> 1))
                           : *dht::Address::parse("127.0.0.1", 6000 + (how >> 1))};
      w.send(kPeerHolepunch, encode(hp), tid);
      break;
    }
  }
  w.run(3);
  const auto st = w.server->stats();
  FUZZ_CHECK(st.pending <= w.caps.max_pending);
  FUZZ_CHECK(st.cached_replies <= w.caps.max_cached_replies);
  FUZZ_CHECK(st.slots <= w.caps.max_slots);
  FUZZ_CHECK(st.birthday_sets <= w.caps.max_birthday_sets);
  FUZZ_CHECK(st.relay_pairings <= w.caps.max_relay_pairings);
  FUZZ_CHECK(st.random_probing <= static_cast<std::size_t>(limits::kMaxRandomProbingSlots));
  return 0;
}
