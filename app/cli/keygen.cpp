// peerport-cli keygen: make (or re-derive) an identity and show every way to write its key.
#include <sodium.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.hpp"
#include "cli/identity.hpp"
#include "crypto/key_text.hpp"
#include "platform/private_file.hpp"

namespace peerport::cli {

namespace {

struct KeygenOptions {
  std::string seed_hex;
  std::string seed_file;
  std::string key_file;
  bool private_share = false;
  bool json = false;
};

// The seed file is owner-only from the start (no window where others can read it) and an
// existing file is never overwritten: losing an identity is not undoable.
bool write_key_file(const std::string& path, const crypto::Seed& seed, std::string& err) {
  std::string text = to_hex(seed.view()) + "\n";
  Status st = platform::write_private_file(path, text);
  sodium_memzero(text.data(), text.size());
  if (!st) err = st.error().message;
  return st.ok();
}

int run_keygen(const KeygenOptions& o) {
  std::optional<crypto::KeyPair> kp;
  std::string secret;
  auto given = seed_from_options(o.seed_hex, o.seed_file);
  if (!given) {
    std::cerr << "peerport-cli keygen: " << given.error().message << "\n";
    return 2;
  }
  if (o.private_share) {
    if (*given) {
      std::cerr << "peerport-cli keygen: --private makes its own secret; drop --seed\n";
      return 2;
    }
    secret = crypto::new_holesail_secret();
    kp = crypto::holesail_key_pair(secret);
  } else if (*given) {
    kp = crypto::KeyPair::from_seed(**given);
  } else {
    kp = crypto::KeyPair::random();
  }

  if (!o.key_file.empty()) {
    std::string err;
    if (!write_key_file(o.key_file, kp->seed(), err)) {
      std::cerr << "peerport-cli keygen: cannot write the key file: " << err << "\n";
      return 1;
    }
  }
  // The seed is shown only when it exists nowhere else: freshly made and not saved to a file.
  const bool show_seed =
      o.key_file.empty() && o.seed_hex.empty() && o.seed_file.empty() && !o.private_share;

  const std::string hex = to_hex(kp->public_key);
  const std::string z32 = crypto::z32_encode(kp->public_key);
  const std::string url = crypto::hs_public_url(kp->public_key);
  if (o.json) {
    nlohmann::json j = {{"event", "keygen"}, {"publicKey", hex}, {"z32", z32}, {"url", url}};
    if (o.private_share) j["privateUrl"] = crypto::hs_private_url(secret);
    if (show_seed) j["seed"] = to_hex(kp->seed().view());
    if (!o.key_file.empty()) j["keyFile"] = o.key_file;
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "Public key (hex)  " << hex << "\n"
            << "Public key (z32)  " << z32 << "\n"
            << "holesail URL      " << url << "\n";
  if (o.private_share) {
    std::cout << "Private URL       " << crypto::hs_private_url(secret) << "\n"
              << "  Anyone with the private URL can connect, and can share as you: send it "
                 "only to people you trust.\n";
  }
  if (show_seed) {
    std::cout << "Seed (secret)     " << to_hex(kp->seed().view()) << "\n"
              << "  Keep the seed private; 'peerport-cli keygen --seed SEED' shows this key "
                 "again.\n";
  }
  if (!o.key_file.empty())
    std::cout << "Saved to          " << o.key_file << " (readable by you only)\n";
  return 0;
}

}  // namespace

Command add_keygen(CLI::App& root) {
  auto opts = std::make_shared<KeygenOptions>();
  auto* app = root.add_subcommand("keygen",
                                  "Make a key pair and print its public key as hex, "
                                  "z32 and hs:// URL");
  app->add_option("--seed", opts->seed_hex,
                  "Derive the key pair from this 32-byte seed (hex, or - to read it from stdin)");
  app->add_option("--seed-file", opts->seed_file,
                  "Read that seed (hex) from this file: it never shows in the process list");
  app->add_option("--key-file", opts->key_file,
                  "Save the seed to this new file (owner-only) instead of printing it");
  app->add_flag("--private", opts->private_share,
                "Make a private-share secret (holesail hs://s000 URL)");
  app->add_flag("--json", opts->json, "Print one JSON object instead of text");
  return {app, [opts] { return run_keygen(*opts); }};
}

}  // namespace peerport::cli
