// core/platform: owner-only key files, the per-OS config folder, and which UDP I/O path this
// build uses. Runs on Linux and, cross-built, under Wine (./dev.sh windows).
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "platform/paths.hpp"
#include "platform/private_file.hpp"
#include "udx/udx.hpp"

#ifdef _WIN32
#include <windows.h>
#endif

namespace fs = std::filesystem;
using namespace peerport;

namespace {

// A fresh folder under the system temp dir, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("peerport-platform-" + std::to_string(randombytes_random()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& rel) const { return (path / rel).string(); }
};

// Wine (./dev.sh windows) accepts a security descriptor at CreateFileW but does not keep it for
// files on a Unix file system, so reading the ACL back proves nothing there; real Windows does.
bool acl_is_kept() {
#ifdef _WIN32
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  return !(ntdll && GetProcAddress(ntdll, "wine_get_version"));
#else
  return true;
#endif
}

std::string read_all(const std::string& p) {
  std::ifstream in(platform::to_path(p), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(PrivateFile, CreatedOwnerOnlyWithItsContents) {
  ASSERT_GE(sodium_init(), 0);
  TempDir dir;
  const std::string p = dir.file("seed");
  ASSERT_TRUE(platform::write_private_file(p, "secret\n").ok());
  EXPECT_EQ(read_all(p), "secret\n");
  if (!acl_is_kept()) GTEST_SKIP() << "Wine keeps no file ACLs: checked on Windows only";
  EXPECT_TRUE(platform::is_private_file(p));
}

TEST(PrivateFile, NeverOverwritesAnExistingFile) {
  ASSERT_GE(sodium_init(), 0);
  TempDir dir;
  const std::string p = dir.file("seed");
  ASSERT_TRUE(platform::write_private_file(p, "first").ok());
  Status again = platform::write_private_file(p, "second");
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(read_all(p), "first");
}

TEST(PrivateFile, AnOrdinaryFileIsNotPrivate) {
  ASSERT_GE(sodium_init(), 0);
  TempDir dir;
  const std::string p = dir.file("plain");
  std::ofstream(platform::to_path(p)) << "x";
#ifndef _WIN32
  fs::permissions(p, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
#endif
  // On Windows a file made the ordinary way inherits its folder's entries (users, SYSTEM...).
  EXPECT_FALSE(platform::is_private_file(p));
  EXPECT_FALSE(platform::is_private_file(dir.file("missing")));
}

TEST(PrivateFile, ParentFoldersAreMadeAndTheFileLandsInThem) {
  ASSERT_GE(sodium_init(), 0);
  TempDir dir;
  const std::string p = dir.file("a/b/identity");
  platform::make_private_parent_dirs(p);
  EXPECT_TRUE(fs::is_directory(dir.path / "a" / "b"));
  ASSERT_TRUE(platform::write_private_file(p, "seed").ok());
  if (!acl_is_kept()) GTEST_SKIP() << "Wine keeps no file ACLs: checked on Windows only";
  EXPECT_TRUE(platform::is_private_file(p));
#ifndef _WIN32
  const auto perms = fs::status(dir.path / "a").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
#endif
}

TEST(Paths, ConfigDirFollowsThePlatformConvention) {
  const std::string dir = platform::config_dir();
#if defined(_WIN32)
  const char* appdata = std::getenv("APPDATA");
  ASSERT_NE(appdata, nullptr);
  EXPECT_EQ(dir, std::string(appdata) + "\\PeerPort");
#elif defined(__APPLE__)
  EXPECT_EQ(dir, std::string(std::getenv("HOME")) + "/Library/Application Support/PeerPort");
#else
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const std::string old_xdg = xdg ? xdg : "";
  const std::string old_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(platform::config_dir(), "/tmp/xdg-test/peerport");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(platform::config_dir(), "/home/someone/.config/peerport");
  setenv("HOME", old_home.c_str(), 1);
  if (xdg) setenv("XDG_CONFIG_HOME", old_xdg.c_str(), 1);
  (void)dir;
#endif
}

TEST(SocketIo, TheBuildUsesTheExpectedPath) {
  EXPECT_STREQ(udx::Socket::io_path(), PEERPORT_EXPECTED_IO_PATH);
}
