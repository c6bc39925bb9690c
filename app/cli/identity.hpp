#pragma once
// The CLI's persistent identity: a seed in an owner-only file (0600; an owner-only ACL on
// Windows) in the OS's config folder (core/platform; the GUI keeps it in the OS keychain).
#include <string>

#include "common/result.hpp"
#include "crypto/keys.hpp"

namespace peerport::cli {

std::string default_identity_path();
// Loads the key pair from `path`, creating the file (owner-only) with a new seed if it is
// missing. A file that is not 64 hex characters is an error naming the file.
Result<crypto::KeyPair> load_or_create_identity(const std::string& path);
// The seed a --seed / --seed-file pair names: hex on the command line, "-" for a line on stdin,
// or a file holding the hex (so the seed never shows in the process list). nullopt if neither
// option was given; an error naming the problem for a bad or unreadable seed.
Result<std::optional<crypto::Seed>> seed_from_options(const std::string& seed,
                                                      const std::string& seed_file);

}  // namespace peerport::cli
