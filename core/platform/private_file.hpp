#pragma once
// Files only their owner may read: key seeds and identities. One implementation per OS family:
//   private_file_posix.cpp    mode 0600 (folders 0700), set at creation, so there is no moment
//                             when the file is readable by others
//   private_file_windows.cpp  a protected DACL (inheriting nothing from the folder) whose one
//                             entry grants the current user full access, set at CreateFileW
// Paths are UTF-8 everywhere (converted to UTF-16 on Windows).
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace peerport::platform {

// Creates `path` holding `contents`, owner-only from the first instant, and flushes it to disk.
// An existing file is never overwritten (losing a key is not undoable): that is an error.
Status write_private_file(const std::string& path, std::string_view contents);
// Creates the missing folders above `path`, owner-only; existing ones are left as they are.
void make_private_parent_dirs(const std::string& path);
// True when `path` exists and nobody but its owner (the current user) can read or write it.
bool is_private_file(const std::string& path);

}  // namespace peerport::platform
