// udx: addresses and the Udx instance's stream registry and receive area (libudx src/udx.c:
// udx_init, the stream id allocation in udx_stream_init).
#include "udx/udx.hpp"

#include <sodium.h>
#include <uv.h>

namespace peerport::udx {

std::optional<Address> Address::parse(std::string_view host, std::uint16_t port) {
  Address a;
  a.sa.sin_family = AF_INET;
  a.sa.sin_port = htons(port);
  std::string h(host);
  if (uv_inet_pton(AF_INET, h.c_str(), &a.sa.sin_addr) != 0) return std::nullopt;
  return a;
}

std::string Address::to_string() const {
  char buf[64] = {};
  uv_inet_ntop(AF_INET, &sa.sin_addr, buf, sizeof buf);
  return std::string(buf) + ":" + std::to_string(port());
}

std::uint32_t Udx::new_stream_id() const {
  while (true) {
    std::uint32_t id = randombytes_random();
    if (!streams_.contains(id)) return id;
  }
}

Stream* Udx::find(std::uint32_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second;
}

std::uint8_t* Udx::rx_area(std::size_t size) {
  if (rx_area_size_ < size) {
    rx_area_.reset(new std::uint8_t[size]);
    rx_area_size_ = size;
  }
  return rx_area_.get();
}

}  // namespace peerport::udx
