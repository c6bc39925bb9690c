// macOS keeps per-user application files in ~/Library/Application Support/<App>.
#include <cstdlib>

#include "platform/paths.hpp"

namespace peerport::platform {

std::string config_dir() {
  if (const char* h = std::getenv("HOME"); h && *h) {
    return std::string(h) + "/Library/Application Support/PeerPort";
  }
  return "./PeerPort";
}

}  // namespace peerport::platform
