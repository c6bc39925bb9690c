#pragma once
// The CLI's persistent identity: a seed in a 0600 file in the XDG config dir (the GUI keeps it
// in the OS keychain instead).
#include <string>

#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::cli {

std::string default_identity_path();
// Loads the key pair from `path`, creating the file (mode 0600) with a new seed if it is
// missing. A file that is not 64 hex characters is an error naming the file.
Result<crypto::KeyPair> load_or_create_identity(const std::string& path);

}  // namespace peerport::cli
