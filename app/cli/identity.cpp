#include "cli/identity.hpp"

#include <sodium.h>

#include <fstream>
#include <iostream>

#include "platform/paths.hpp"
#include "platform/private_file.hpp"

namespace peerport::cli {

std::string default_identity_path() {
#ifdef _WIN32
  return platform::config_dir() + "\\identity";
#else
  return platform::config_dir() + "/identity";
#endif
}

Result<crypto::KeyPair> load_or_create_identity(const std::string& path) {
  std::ifstream in(platform::to_path(path));
  if (in) {
    std::string hex;
    in >> hex;
    auto seed = crypto::seed_from_hex(hex);
    sodium_memzero(hex.data(), hex.size());
    if (!seed) {
      return make_error(Errc::invalid_key,
                        "identity file " + path + " does not hold a 64-hex-character seed");
    }
    return crypto::KeyPair::from_seed(*seed);
  }
  platform::make_private_parent_dirs(path);
  crypto::Seed seed = crypto::random_seed();
  std::string text = to_hex(seed.view()) + "\n";
  Status st = platform::write_private_file(path, text);
  sodium_memzero(text.data(), text.size());
  if (!st) {
    return make_error(st.error().code, "cannot create identity file: " + st.error().message);
  }
  return crypto::KeyPair::from_seed(seed);
}

Result<std::optional<crypto::Seed>> seed_from_options(const std::string& seed,
                                                      const std::string& seed_file) {
  if (!seed.empty() && !seed_file.empty())
    return make_error(Errc::invalid_value, "give --seed or --seed-file, not both");
  if (seed.empty() && seed_file.empty()) return std::optional<crypto::Seed>{};
  std::string hex;
  std::string where = "--seed";
  if (!seed_file.empty()) {
    std::ifstream in(seed_file);
    if (!in) return make_error(Errc::invalid_value, "cannot read seed file " + seed_file);
    in >> hex;
    where = "seed file " + seed_file;
  } else if (seed == "-") {
    std::cin >> hex;
    where = "the seed on stdin";
  } else {
    hex = seed;
  }
  auto parsed = crypto::seed_from_hex(hex);
  sodium_memzero(hex.data(), hex.size());
  if (!parsed)
    return make_error(Errc::invalid_key, where + " must be 64 hex characters (32 bytes)");
  return std::optional<crypto::Seed>(std::move(*parsed));
}

}  // namespace peerport::cli
