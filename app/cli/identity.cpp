#include "cli/identity.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace peerport::cli {

std::string default_identity_path() {
  std::string base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = std::string(h) + "/.config";
  } else {
    base = ".";
  }
  return base + "/peerport/identity";
}

namespace {
void make_parent_dirs(const std::string& path) {
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/') ::mkdir(path.substr(0, i).c_str(), 0700);
  }
}
}  // namespace

Result<crypto::KeyPair> load_or_create_identity(const std::string& path) {
  std::ifstream in(path);
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
  make_parent_dirs(path);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(Errc::invalid_value,
                      "cannot create identity file " + path + ": " + std::strerror(errno));
  }
  crypto::Seed seed = crypto::random_seed();
  std::string text = to_hex(seed.view()) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!ok) return make_error(Errc::invalid_value, "cannot write identity file " + path);
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
  if (!parsed) return make_error(Errc::invalid_key, where + " must be 64 hex characters (32 bytes)");
  return std::optional<crypto::Seed>(std::move(*parsed));
}

}  // namespace peerport::cli
