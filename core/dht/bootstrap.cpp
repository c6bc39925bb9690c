#include "dht/bootstrap.hpp"

#include <uv.h>

#include <charconv>
#include <cstring>

namespace peerport::dht {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

Result<Address> resolve(std::string_view host, std::uint16_t port) {
  if (auto a = Address::parse(host, port)) return *a;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  std::string h(host);
  // Through libuv (synchronously: no callback) on a loop of its own: that also starts Winsock
  // on Windows, where this may run before any engine loop exists.
  uv_loop_t loop;
  uv_loop_init(&loop);
  uv_getaddrinfo_t req;
  const int rc = uv_getaddrinfo(&loop, &req, nullptr, h.c_str(), nullptr, &hints);
  addrinfo* res = rc == 0 ? req.addrinfo : nullptr;
  Result<Address> out =
      make_error(Errc::invalid_value, "cannot resolve bootstrap host '" + h + "'");
  if (res) {
    Address a;
    a.port = port;
    std::memcpy(a.host.data(), &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, 4);
    out = a;
  }
  uv_freeaddrinfo(res);
  uv_loop_close(&loop);
  return out;
}

}  // namespace

Result<std::vector<Address>> parse_bootstrap(std::string_view list) {
  std::vector<Address> out;
  list = trim(list);
  if (list == "none" || list.empty()) return out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.empty()) continue;
    std::string_view ip_hint;
    if (auto at = item.find('@'); at != std::string_view::npos) {
      ip_hint = item.substr(0, at);
      item = item.substr(at + 1);
    }
    auto colon = item.rfind(':');
    unsigned port = 0;
    if (colon == std::string_view::npos ||
        std::from_chars(item.data() + colon + 1, item.data() + item.size(), port).ec !=
            std::errc() ||
        port == 0 || port > 65535) {
      return make_error(Errc::invalid_value,
                        "bootstrap node '" + std::string(item) + "' is not host:port (or 'none')");
    }
    auto p = static_cast<std::uint16_t>(port);
    if (!ip_hint.empty()) {
      if (auto a = Address::parse(ip_hint, p)) {
        out.push_back(*a);
        continue;
      }
    }
    auto a = resolve(item.substr(0, colon), p);
    if (!a) return a.error();
    out.push_back(*a);
  }
  return out;
}

}  // namespace peerport::dht
