// Windows: %APPDATA%, read as UTF-16 so that a user name outside the ANSI code page survives.
#include <windows.h>

#include <cstdlib>

#include "platform/paths.hpp"

namespace peerport::platform {

namespace {
std::string narrow(const wchar_t* w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, nullptr, 0, nullptr, nullptr);
  if (n <= 1) return {};
  std::string s(static_cast<std::size_t>(n - 1), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, -1, s.data(), n, nullptr, nullptr);
  return s;
}
}  // namespace

std::string config_dir() {
  if (const wchar_t* a = _wgetenv(L"APPDATA"); a && *a) return narrow(a) + "\\PeerPort";
  if (const wchar_t* p = _wgetenv(L"USERPROFILE"); p && *p) {
    return narrow(p) + "\\AppData\\Roaming\\PeerPort";
  }
  return ".\\PeerPort";
}

}  // namespace peerport::platform
