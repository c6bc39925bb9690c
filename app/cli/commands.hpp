#pragma once
#include <CLI/CLI.hpp>

namespace peerport::cli {

// Each subcommand registers its options on the app and returns the function that runs it.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_keygen(CLI::App& root);
Command add_node(CLI::App& root);
Command add_share(CLI::App& root);
Command add_connect(CLI::App& root);
Command add_demo(CLI::App& root);
Command add_nat(CLI::App& root);
// PEERPORT_BOOTSTRAP, else the public HyperDHT bootstrap nodes.
std::string default_bootstrap();

}  // namespace peerport::cli
