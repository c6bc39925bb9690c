// The client's holepunch (hyperdht 6.34 lib/connect.js probeRound/roundPunch,
// lib/holepuncher.js), on the DHT's own socket: with one socket per node its NAT mapping is the
// one the DHT nodes sampled.
//
//   open our mapping: 0x00 to the server with TTL 5
//   round 0 (probe):  PEER_HOLEPUNCH via the server's relay {punching: false, addresses,
//                     remoteAddress: server}; a consistent server "fast mode" pings us back
//   round 1 (punch):  {punching: true, token, remoteToken}; both sides send 0x00 every second
//                     (to random ports of the server's host when it is behind a random NAT)
//   the first 0x00 that arrives from the server: connect the stream to its source
#include "common/limits.hpp"
#include "common/trace.hpp"
#include "hyperdht/connect_attempt.hpp"
#include "hyperdht/holepunch.hpp"

namespace peerport::hyperdht {

namespace {
// Budgets in kPunchTickMs ticks: 15 s, and 30 s when either side's NAT randomizes. Birthday
// punching is a race of 50 random probes a second against 256 mappings: about 5 s on average,
// and 15 s would miss about one time in twenty. hyperdht probes for 35 s, so when either side
// randomizes we wait 30 s (one miss in about 400).
constexpr int kPunchTicks = 150;
constexpr int kRandomPunchTicks = 300;
}  // namespace

class Connection::Holepuncher : public std::enable_shared_from_this<Connection::Holepuncher> {
 public:
  enum class State { probing, punching, done };

  static void start(const std::shared_ptr<Attempt>& attempt, const dht::Address& relay,
                    const dht::Address& server, const NoisePayload& theirs);

 private:
  void on_tick();
  void send_round(bool punching);
  void on_round_reply(bool punching, const dht::Reply* r);
  void open_birthday_sockets();
  void keep_birthday_mappings();
  void send_punch(const dht::Address& to, int ttl);
  // The one exit: a path to `from` (on a birthday socket if given), or an error. Either way the
  // session stops listening; the timer's next tick lets it go.
  void finish(Result<dht::Address> result, std::unique_ptr<udx::Socket> socket = nullptr);
  bool randomizing() const {
    return our_firewall_ >= kFirewallRandom || their_firewall_ >= kFirewallRandom;
  }

  std::shared_ptr<Attempt> p_;
  State state_ = State::probing;
  RelayInfo relay_;
  dht::Address server_;
  std::uint64_t id_ = 0;
  std::unique_ptr<SecurePayload> secure_;
  std::uint64_t round_ = 0;
  std::uint64_t our_firewall_ = kFirewallUnknown;
  std::uint64_t their_firewall_ = kFirewallUnknown;
  std::vector<dht::Address> their_addresses_;
  std::optional<FixedBytes<32>> their_token_;
  std::uint64_t listener_ = 0;
  std::vector<std::unique_ptr<udx::Socket>> birthday_;  // when our NAT randomizes
  dht::Address birthday_toward_;
  std::size_t keepalive_next_ = 0;  // the birthday socket whose turn it is
  std::unique_ptr<uvx::Timer> timer_;
  int ticks_ = 0;
  int random_ticks_ = 0;  // ticks of random probing done
  int probes_ = 0;
  uvx::Lifetime::Token dht_alive_;

 public:
  ~Holepuncher() {
    if (state_ != State::done && !dht_alive_.expired()) p_->dht->remove_punch_listener(listener_);
  }
};

void Connection::Attempt::start_punch(const dht::Address& relay, const dht::Address& server,
                                      const NoisePayload& theirs) {
  Holepuncher::start(shared_from_this(), relay, server, theirs);
}

void Connection::Holepuncher::start(const std::shared_ptr<Attempt>& p, const dht::Address& relay,
                                    const dht::Address& server, const NoisePayload& theirs) {
  auto h = std::make_shared<Holepuncher>();
  h->p_ = p;
  h->server_ = server;
  h->id_ = theirs.holepunch->first;
  // pickServerRelay: the relay our handshake went through if it is one of the server's.
  h->relay_ = theirs.holepunch->second.front();
  for (const auto& r : theirs.holepunch->second) {
    if (r.relay_address == relay) h->relay_ = r;
  }
  h->secure_ = std::make_unique<SecurePayload>(p->noise->result().hash);
  h->dht_alive_ = p->dht->lifetime();
  p->punch_path = Attempt::Path::running;
  h->our_firewall_ = firewall_from_samples(p->dht->node().nat_samples());
  std::weak_ptr<Holepuncher> weak = h;
  h->listener_ = p->dht->add_punch_listener([weak](const dht::Address& from) {
    auto self = weak.lock();
    if (!self || self->state_ == State::done) return;
    // Any punch from the server's host means its NAT now lets us through from there.
    if (!(from.host == self->server_.host)) {
      bool known = false;
      for (const auto& a : self->their_addresses_) known = known || a.host == from.host;
      if (!known) return;
    }
    PP_TRACE("punch: 0x00 from %s on the DHT socket", from.to_string().c_str());
    self->finish(from);
  });
  // The Dht holds the session until its timer lets it go, or takes it along if it goes first.
  p->dht->hold(h);
  h->timer_ = std::make_unique<uvx::Timer>(p->dht->node().socket().udx().clock());
  h->send_punch(server, kSessionTtl);
  h->send_round(false);
  Holepuncher* raw = h.get();
  h->timer_->start(
      kPunchTickMs, [raw] { raw->on_tick(); }, kPunchTickMs);
}

void Connection::Holepuncher::finish(Result<dht::Address> result,
                                     std::unique_ptr<udx::Socket> socket) {
  if (state_ == State::done) return;
  state_ = State::done;
  if (!dht_alive_.expired()) p_->dht->remove_punch_listener(listener_);
  auto keep = shared_from_this();
  if (result) {
    p_->punch_path = Attempt::Path::done;
    p_->complete(*result, std::move(socket));
  } else {
    p_->punch_failed(result.error());
  }
}

void Connection::Holepuncher::on_tick() {
  ++ticks_;
  const int budget = randomizing() ? kRandomPunchTicks : kPunchTicks;
  if (state_ != State::done && ticks_ > budget) {
    PP_TRACE("punch: budget of %d s spent", budget / 10);
    finish(make_error(Errc::holepunch_aborted,
                      "holepunching did not connect in " + std::to_string(budget / 10) + " s"));
  }
  if (state_ == State::done) {
    p_->dht->release(this);  // may be the last reference: nothing after this
    return;
  }
  if (state_ != State::punching) return;
  keep_birthday_mappings();
  if (their_firewall_ == kFirewallRandom && our_firewall_ != kFirewallRandom) {
    // Random ports of the server's host, as _randomProbes (it opened many mappings).
    const int n = random_probes_this_tick(random_ticks_);
    for (int i = 0; i < n; ++i) send_punch(random_port_of(server_), 64);
  } else if (ticks_ % 10 == 0) {
    send_punch(server_, 64);
    for (const auto& a : their_addresses_) send_punch(a, 64);
  }
}

// _keepAliveRandomNat: every mapping stays open while the server's probes look for one. The
// first pass keeps the short TTL; later ones reach the server's router, so a probe of its that
// was lost on the way still leaves a path our packet can take.
void Connection::Holepuncher::keep_birthday_mappings() {
  if (birthday_.empty()) return;
  for (int i = 0; i < kBirthdayKeepAlivePerTick; ++i) {
    const std::size_t n = keepalive_next_++;
    auto& sock = birthday_[n % birthday_.size()];
    if (!sock) continue;
    const std::uint8_t byte = kPunch;
    (void)sock->send_ttl(ByteView(&byte, 1), dht::to_udx(birthday_toward_),
                         n < birthday_.size() ? kSessionTtl : 64);
  }
}

void Connection::Holepuncher::send_punch(const dht::Address& to, int ttl) {
  const std::uint8_t byte = kPunch;
  (void)p_->dht->node().socket().send_ttl(ByteView(&byte, 1), dht::to_udx(to), ttl);
}

void Connection::Holepuncher::send_round(bool punching) {
  HolepunchPayload mine;
  mine.firewall = our_firewall_;
  mine.round = round_++;
  mine.punching = punching;
  if (auto a = p_->dht->node().sampled_address()) mine.addresses = std::vector<dht::Address>{*a};
  mine.remote_address = server_;
  if (punching) {
    mine.token = secure_->token(server_);
    mine.remote_token = their_token_;
  }
  Holepunch msg{kModeFromClient, id_, secure_->encrypt(mine), relay_.peer_address};
  std::weak_ptr<Holepuncher> weak = shared_from_this();
  p_->dht->node().request(
      relay_.relay_address, kPeerHolepunch, false, p_->target, encode(msg),
      [weak, punching](const dht::Reply* r) {
        if (auto self = weak.lock(); self && self->state_ != State::done)
          self->on_round_reply(punching, r);
      },
      std::nullopt, false, kRelayedRequestMinTimeoutMs);
}

void Connection::Holepuncher::on_round_reply(bool punching, const dht::Reply* r) {
  if (!r || !(r->from == relay_.relay_address)) {
    if (!punching)
      finish(make_error(Errc::holepunch_probe_timeout, "the server's relay did not answer"));
    return;
  }
  auto hp = r->response.value ? decode_holepunch(*r->response.value) : std::nullopt;
  if (!hp || hp->mode != kModeReply) {
    finish(make_error(Errc::bad_holepunch_reply, "bad holepunch reply"));
    return;
  }
  auto theirs = secure_->decrypt(hp->payload);
  PP_TRACE("punch: round reply (punching %d): their firewall %llu, ours %llu, %zu addresses",
           punching, theirs ? static_cast<unsigned long long>(theirs->firewall) : 0ULL,
           static_cast<unsigned long long>(our_firewall_),
           theirs && theirs->addresses ? theirs->addresses->size() : 0);
  if (!theirs) {
    finish(make_error(Errc::holepunch_invalid, "holepunch reply failed to decrypt"));
    return;
  }
  if (theirs->error != 0) {
    finish(make_error(Errc::remote_aborted, "the server stopped holepunching"));
    return;
  }
  their_firewall_ = theirs->firewall;
  if (theirs->addresses) {
    their_addresses_ = *theirs->addresses;
    if (their_addresses_.size() > limits::kMaxPunchAddresses) {
      their_addresses_.resize(limits::kMaxPunchAddresses);
    }
  }
  if (theirs->token) their_token_ = theirs->token;
  if (punching) {
    if (!theirs->punching)
      finish(make_error(Errc::remote_not_holepunching, "the server is not holepunching"));
    return;
  }
  if (their_firewall_ == kFirewallUnknown && probes_++ < 2) {
    send_round(false);  // its NAT analysis was not done yet: ask again
    return;
  }
  if (their_firewall_ >= kFirewallRandom && our_firewall_ >= kFirewallRandom) {
    finish(make_error(Errc::holepunch_double_randomized_nats,
                      "both peers are behind randomizing NATs"));
    return;
  }
  state_ = State::punching;
  if (our_firewall_ >= kFirewallRandom && birthday_.empty()) open_birthday_sockets();
  PP_TRACE("punch: punching round%s", birthday_.empty() ? "" : " with birthday sockets");
  send_round(true);
}

// Our NAT gives every destination a new port: many sockets toward the server, one of which its
// random probes will find (holepuncher.js _openBirthdaySockets).
void Connection::Holepuncher::open_birthday_sockets() {
  std::weak_ptr<Holepuncher> weak = shared_from_this();
  // Toward the address the server says it punches from: a hyperdht server punches from a pool
  // socket of its own, whose probes only get through mappings made toward it.
  birthday_toward_ = their_addresses_.empty() ? server_ : their_addresses_.front();
  birthday_ = hyperdht::open_birthday_sockets(
      p_->dht->node().socket().udx(), birthday_toward_,
      [weak](udx::Socket& sock, const dht::Address& from) {
        auto me = weak.lock();
        if (!me || me->state_ == State::done || !(from.host == me->server_.host)) return;
        std::unique_ptr<udx::Socket> won;
        for (auto& s : me->birthday_) {
          if (s.get() == &sock) won = std::move(s);
        }
        if (!won) return;
        PP_TRACE("punch: 0x00 from %s on a birthday socket", from.to_string().c_str());
        me->finish(from, std::move(won));
      });
}

}  // namespace peerport::hyperdht
