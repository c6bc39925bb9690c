#include "tunnel/holesail.hpp"

#include <nlohmann/json.hpp>

namespace peerport::tunnel {

Bytes encode_service_record(const ServiceRecord& r) {
  // Key order as holesail writes it, so an unchanged service gives identical bytes.
  nlohmann::ordered_json j;
  j["host"] = r.host;
  j["udp"] = r.udp;
  j["port"] = r.port;
  const std::string s = j.dump();
  return Bytes(s.begin(), s.end());
}

Result<ServiceRecord> parse_service_record(ByteView bytes) {
  auto j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(Errc::invalid_value, "the share's record is not a JSON object");
  }
  ServiceRecord r;
  if (auto h = j.find("host"); h != j.end() && h->is_string()) r.host = h->get<std::string>();
  if (auto u = j.find("udp"); u != j.end()) r.udp = u->is_boolean() ? u->get<bool>() : false;
  if (auto p = j.find("port"); p != j.end()) {
    // holesail writes the port as given on its command line: a number, sometimes a string.
    long long v = -1;
    if (p->is_number_integer()) {
      v = p->get<long long>();
    } else if (p->is_string()) {
      const auto s = p->get<std::string>();
      if (!s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos) {
        v = std::stoll(s);
      }
    }
    if (v < 0 || v > 65535) {
      return make_error(Errc::invalid_value, "the share's record has no valid port");
    }
    r.port = static_cast<std::uint16_t>(v);
  }
  return r;
}

}  // namespace peerport::tunnel
