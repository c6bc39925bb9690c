#pragma once
// Where the CLI keeps its files, by each OS's convention (the desktop app asks Qt's
// QStandardPaths instead). One implementation per OS:
//   paths_xdg.cpp      Linux and other Unix: $XDG_CONFIG_HOME/peerport, else ~/.config/peerport
//   paths_macos.cpp    ~/Library/Application Support/PeerPort
//   paths_windows.cpp  %APPDATA%\PeerPort (the roaming profile: an identity follows its user)
// Paths are UTF-8.
#include <filesystem>
#include <string>

namespace peerport::platform {

// The folder for the CLI's identity and settings; "." when the environment names no home.
std::string config_dir();
// A UTF-8 path as the OS wants it (UTF-16 on Windows), for std::fstream and std::filesystem.
inline std::filesystem::path to_path(const std::string& utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

}  // namespace peerport::platform
