#include "cli/session.hpp"

#include <cstdio>
#include <ctime>
#include <iostream>

#include "engine/nat.hpp"

namespace peerport::cli {

namespace {

const char* protocol_name(engine::Protocol p) {
  return p == engine::Protocol::udp ? "udp" : "tcp";
}

std::string human_rate(double bytes_per_s) {
  char buf[32];
  if (bytes_per_s >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1f MB/s", bytes_per_s / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1f kB/s", bytes_per_s / 1e3);
  return buf;
}

}  // namespace

void Printer::print(const nlohmann::json& j, const std::string& text) {
  std::lock_guard lock(mu_);
  if (json_)
    std::cout << j.dump() << std::endl;
  else
    std::cout << text << std::endl;
}

void Printer::finish(int code) {
  if (finished_.exchange(true)) return;
  exit_code_ = code;
}

void Printer::on_event(const engine::Event& ev) {
  if (hook) hook(ev);
  using namespace engine;
  if (auto* d = std::get_if<DhtStatus>(&ev)) {
    print({{"event", "dht"},
           {"bootstrapped", d->bootstrapped},
           {"nodes", d->nodes},
           {"publicAddress", d->public_address},
           {"nat", nat_type_name(d->nat)}},
          d->bootstrapped && d->nodes == 0 && d->nat == NatType::udp_blocked
              ? "DHT: no node answers; UDP looks blocked on this network"
          : d->bootstrapped && d->nodes == 0 && d->nat == NatType::offline
              ? "DHT: no node answers; offline"
          : d->bootstrapped
              ? "DHT: " + std::to_string(d->nodes) + " nodes known, NAT " +
                    std::string(nat_type_name(d->nat)) +
                    (d->public_address.empty() ? "" : ", seen as " + d->public_address)
              : "DHT: joining…");
  } else if (auto* s = std::get_if<ShareStarted>(&ev)) {
    const bool priv = !s->secret.empty();
    print(
        {{"event", "listening"},
         {"id", s->id},
         {"service", s->service},
         {"protocol", protocol_name(s->protocol)},
         {"publicKey", s->public_key},
         {"z32", s->z32},
         {"url", s->url},
         {"private", priv}},
        "Sharing " + s->service + " (" + protocol_name(s->protocol) + ")" + "\n  key (hex)  " +
            s->public_key + "\n  key (z32)  " + s->z32 + "\n  URL        " + s->url +
            "\nTell your friend to run:\n  peerport-cli connect " + (priv ? s->url : s->z32) +
            "\nor with holesail:\n  holesail " + s->url +
            (priv ? "" : "\nor with hypertele:\n  hypertele -p <local port> -s " + s->public_key));
  } else if (auto* c = std::get_if<ConnectStarted>(&ev)) {
    print({{"event", "listening"},
           {"id", c->id},
           {"host", c->host},
           {"port", c->port},
           {"protocol", protocol_name(c->protocol)},
           {"publicKey", c->public_key}},
          "Listening on " + c->host + ":" + std::to_string(c->port) + " (" +
              protocol_name(c->protocol) + ") for " + c->public_key.substr(0, 16) + "…");
  } else if (auto* p = std::get_if<PeerConnected>(&ev)) {
    const char* path = p->path == Path::direct ? "direct" : "relayed";
    print({{"event", "connection-opened"}, {"id", p->id}, {"peer", p->peer}, {"path", path}},
          "connection opened, peer " + p->peer.substr(0, 12) + "… (" + path + ")");
  } else if (auto* pc = std::get_if<PathChanged>(&ev)) {
    const char* path = pc->path == Path::direct ? "direct" : "relayed";
    print({{"event", "connection-path"}, {"id", pc->id}, {"peer", pc->peer}, {"path", path}},
          "connection to peer " + pc->peer.substr(0, 12) + "… is now " + path);
  } else if (auto* p2 = std::get_if<PeerDisconnected>(&ev)) {
    nlohmann::json j = {{"event", "connection-closed"}, {"id", p2->id}, {"peer", p2->peer}};
    if (p2->code) j["code"] = error_code_name(*p2->code);
    if (!p2->reason.empty()) j["reason"] = p2->reason;
    print(j, "connection closed, peer " + p2->peer.substr(0, 12) + "…" +
                 (p2->reason.empty() ? "" : ": " + p2->reason));
  } else if (auto* e = std::get_if<ErrorEvent>(&ev)) {
    print({{"event", "error"},
           {"id", e->id},
           {"code", error_code_name(e->code)},
           {"message", e->message},
           {"fatal", e->fatal},
           {"retrying", e->retrying}},
          "error: " + e->message);
    if (e->fatal) finish(1);
  } else if (auto* ps = std::get_if<PeerStateChanged>(&ev)) {
    const std::string state(peer_state_name(ps->state));
    print({{"event", "peer-state"}, {"id", ps->id}, {"state", state}}, "peer " + state);
  } else if (auto* rf = std::get_if<PeerRefused>(&ev)) {
    print({{"event", "refused"}, {"id", rf->id}, {"peer", rf->peer}},
          "refused peer " + rf->peer.substr(0, 12) + "… (not on the allow list)");
  } else if (auto* sv = std::get_if<ServiceState>(&ev)) {
    print({{"event", "service"}, {"id", sv->id}, {"up", sv->up}},
          sv->up ? "the shared service answers" : "the shared service is not answering");
  } else if (auto* st = std::get_if<Stopped>(&ev)) {
    print({{"event", "stopped"}, {"id", st->id}}, "stopped");
    finish(exit_code_);
  } else if (auto* t = std::get_if<Stats>(&ev)) {
    std::uint64_t active = 0, total = 0, over_limit = 0;
    for (auto& i : t->items) {
      active += i.active;
      total += i.connections;
      over_limit += i.refused_over_limit;
    }
    ++ticks_;
    nlohmann::json j = {{"event", "stats"},         {"bytesIn", t->bytes_in},
                        {"bytesOut", t->bytes_out}, {"rateIn", t->rate_in},
                        {"rateOut", t->rate_out},   {"active", active},
                        {"connections", total},     {"nodes", t->dht.nodes}};
    if (!t->items.empty() && t->items.front().rtt_ms > 0) j["rttMs"] = t->items.front().rtt_ms;
    if (over_limit > 0) j["refusedOverLimit"] = over_limit;
    // A share's clients with a tunnel open, each with what it moved: who is using the share.
    nlohmann::json peers = nlohmann::json::array();
    for (auto& i : t->items) {
      for (auto& peer : i.peers) {
        peers.push_back({{"id", i.id},
                         {"peer", peer.peer},
                         {"bytesIn", peer.bytes_in},
                         {"bytesOut", peer.bytes_out},
                         {"rateIn", peer.rate_in},
                         {"rateOut", peer.rate_out},
                         {"tunnels", peer.tunnels},
                         {"connectedMs", peer.connected_ms},
                         {"path", peer.path == Path::direct ? "direct" : "relayed"}});
      }
    }
    if (!peers.empty()) j["peers"] = std::move(peers);
    // Text mode stays quiet unless something flows, and then says so every 10 s.
    const bool busy = t->rate_in > 0 || t->rate_out > 0;
    if (json_) {
      print(j, "");
    } else if (busy && ticks_ % 10 == 0) {
      print(j, std::to_string(active) + " open, in " + human_rate(t->rate_in) + ", out " +
                   human_rate(t->rate_out));
    }
  }
}

StopWaiter::StopWaiter() {
  uv_loop_init(&loop_);
  for (uv_signal_t* h : {&sigint_, &sigterm_}) {
    uv_signal_init(&loop_, h);
    h->data = this;
  }
  // Started here, before the engine exists: a signal that comes early is kept, not lost.
  auto on_signal = [](uv_signal_t* h, int) {
    auto* self = static_cast<StopWaiter*>(h->data);
    self->signalled_ = true;
    uv_stop(&self->loop_);
  };
  uv_signal_start(&sigint_, on_signal, SIGINT);
  uv_signal_start(&sigterm_, on_signal, SIGTERM);  // never raised on Windows; harmless there
  uv_timer_init(&loop_, &poll_);
  poll_.data = this;
}

StopWaiter::~StopWaiter() {
  for (auto* h :
       {reinterpret_cast<uv_handle_t*>(&sigint_), reinterpret_cast<uv_handle_t*>(&sigterm_),
        reinterpret_cast<uv_handle_t*>(&poll_)}) {
    uv_close(h, nullptr);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

int StopWaiter::run_until_done(engine::Engine& engine, Printer& printer) {
  printer_ = &printer;
  // The printer is told to finish on the engine thread; a 100 ms look is prompt enough to end.
  uv_timer_start(
      &poll_,
      [](uv_timer_t* t) {
        auto* self = static_cast<StopWaiter*>(t->data);
        if (self->printer_->finished()) uv_stop(&self->loop_);
      },
      0, 100);
  if (!signalled_) uv_run(&loop_, UV_RUN_DEFAULT);
  uv_timer_stop(&poll_);
  // Unannounce and close within a bounded time, then the engine thread ends.
  engine.stop(std::chrono::milliseconds(2000));
  return printer.exit_code();
}

}  // namespace peerport::cli
