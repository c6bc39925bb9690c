// peerport-cli: the PeerPort engine without a GUI.
#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/commands.hpp"
#include "common/fd_limit.hpp"
#include "crypto/keys.hpp"

int main(int argc, char** argv) {
  // Tunnels hold descriptors: start from what the OS allows, not the session's 1024.
  peerport::raise_fd_limit();
  CLI::App app{"PeerPort: share a local port with a friend, peer to peer, over HyperDHT.",
               "peerport-cli"};
  app.set_version_flag("-V,--version", std::string("peerport-cli ") + PEERPORT_VERSION);
  // Not require_subcommand(1): CLI11 would then report a missing command before an unknown
  // option, and the unknown option is the more useful message.
  app.require_subcommand(0, 1);
  app.footer("Run 'peerport-cli COMMAND --help' for a command's options.");

  std::vector<peerport::cli::Command> commands;
  commands.push_back(peerport::cli::add_keygen(app));
  commands.push_back(peerport::cli::add_node(app));
  commands.push_back(peerport::cli::add_share(app));
  commands.push_back(peerport::cli::add_connect(app));
  commands.push_back(peerport::cli::add_nat(app));
  commands.push_back(peerport::cli::add_demo(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 2, as getopt-style tools do; the message names the bad option.
    std::cerr << "peerport-cli: " << e.what() << "\n"
              << "Run 'peerport-cli --help' for usage.\n";
    return 2;
  }

  if (auto st = peerport::crypto::init(); !st) {
    std::cerr << "peerport-cli: " << st.error().message << "\n";
    return 1;
  }
  for (auto& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  std::cerr << "peerport-cli: no command given\n" << app.help();
  return 2;
}
