// The XDG base directory convention (Linux, the BSDs).
#include <cstdlib>

#include "platform/paths.hpp"

namespace peerport::platform {

std::string config_dir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/peerport";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/peerport";
  return "./peerport";
}

}  // namespace peerport::platform
