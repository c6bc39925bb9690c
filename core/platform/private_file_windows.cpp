// Owner-only files on Windows: POSIX modes mean nothing to NTFS, so the file gets a protected
// DACL (no entries inherited from its folder) with a single entry: full access for the current
// user. It is given to CreateFileW, so the file never exists with the folder's wider access.
// clang-format off: aclapi.h needs windows.h before it, and sorting would swap them.
#include <aclapi.h>
#include <windows.h>
// clang-format on

#include <memory>
#include <vector>

#include "platform/private_file.hpp"

namespace peerport::platform {

namespace {

std::wstring widen(const std::string& s) {
  if (s.empty()) return {};
  int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

std::string last_error_text() {
  const DWORD code = GetLastError();
  char buf[256] = {};
  FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code, 0, buf,
                 sizeof buf, nullptr);
  std::string text(buf);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text.empty() ? "Windows error " + std::to_string(code) : text;
}

// The current user's SID, in a buffer that outlives the token query.
std::vector<unsigned char> current_user_sid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  DWORD len = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &len);
  std::vector<unsigned char> info(len);
  std::vector<unsigned char> sid;
  if (len > 0 && GetTokenInformation(token, TokenUser, info.data(), len, &len)) {
    auto* user = reinterpret_cast<TOKEN_USER*>(info.data());
    const DWORD sid_len = GetLengthSid(user->User.Sid);
    sid.resize(sid_len);
    CopySid(sid_len, sid.data(), user->User.Sid);
  }
  CloseHandle(token);
  return sid;
}

// A security descriptor granting `sid` everything and nobody else anything.
struct OwnerOnly {
  std::vector<unsigned char> sid;
  std::vector<unsigned char> acl;
  SECURITY_DESCRIPTOR sd{};
  SECURITY_ATTRIBUTES sa{};

  bool init(DWORD inherit_flags) {
    sid = current_user_sid();
    if (sid.empty()) return false;
    const DWORD acl_len = static_cast<DWORD>(sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) +
                                             GetLengthSid(sid.data()) - sizeof(DWORD));
    acl.resize(acl_len);
    auto* a = reinterpret_cast<ACL*>(acl.data());
    if (!InitializeAcl(a, acl_len, ACL_REVISION) ||
        !AddAccessAllowedAceEx(a, ACL_REVISION, inherit_flags, GENERIC_ALL, sid.data()) ||
        !InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION) ||
        !SetSecurityDescriptorDacl(&sd, TRUE, a, FALSE) ||
        !SetSecurityDescriptorControl(&sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED)) {
      return false;
    }
    sa.nLength = sizeof sa;
    sa.lpSecurityDescriptor = &sd;
    sa.bInheritHandle = FALSE;
    return true;
  }
};

}  // namespace

Status write_private_file(const std::string& path, std::string_view contents) {
  OwnerOnly owner;
  if (!owner.init(0)) {
    return make_error(Errc::invalid_value, "cannot make an owner-only access list for " + path +
                                               ": " + last_error_text());
  }
  HANDLE f = CreateFileW(widen(path).c_str(), GENERIC_WRITE, 0, &owner.sa, CREATE_NEW,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (f == INVALID_HANDLE_VALUE) {
    return make_error(Errc::invalid_value, "cannot create " + path + ": " + last_error_text());
  }
  DWORD written = 0;
  bool ok = WriteFile(f, contents.data(), static_cast<DWORD>(contents.size()), &written, nullptr) &&
            written == contents.size();
  ok = FlushFileBuffers(f) && ok;
  CloseHandle(f);
  if (!ok) return make_error(Errc::invalid_value, "cannot write " + path);
  return Ok{};
}

void make_private_parent_dirs(const std::string& path) {
  OwnerOnly owner;
  // Folders pass their one entry on to what is created inside them.
  const bool have_acl = owner.init(OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE);
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (path[i] != '/' && path[i] != '\\') continue;
    if (path[i - 1] == ':') continue;  // "C:\" is a drive, not a folder to make
    CreateDirectoryW(widen(path.substr(0, i)).c_str(), have_acl ? &owner.sa : nullptr);
  }
}

bool is_private_file(const std::string& path) {
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetNamedSecurityInfoW(widen(path).c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                            nullptr, &dacl, nullptr, &sd) != ERROR_SUCCESS) {
    return false;
  }
  std::unique_ptr<void, decltype(&LocalFree)> free_sd(sd, &LocalFree);
  // A null DACL grants everyone everything. Entries inherited from the folder show up in the
  // DACL read back, so checking every entry is enough (whether it is marked protected is not).
  if (!dacl) return false;
  const auto sid = current_user_sid();
  if (sid.empty()) return false;
  for (DWORD i = 0; i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) return false;
    auto* header = static_cast<ACE_HEADER*>(ace);
    if (header->AceType == ACCESS_DENIED_ACE_TYPE) continue;  // denying is never a leak
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) return false;
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
    if (!EqualSid(reinterpret_cast<PSID>(&allowed->SidStart),
                  const_cast<unsigned char*>(sid.data()))) {
      return false;
    }
  }
  return true;
}

}  // namespace peerport::platform
