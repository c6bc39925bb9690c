# Cross-compiling for 64-bit Windows with Debian's MinGW-w64 (./dev.sh windows). The libraries
# built for it (libuv, libsodium, GoogleTest) and copies of the header-only ones live under
# PEERPORT_WINDOWS_PREFIX; nothing of the host's /usr is searched.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

# The posix thread model: GCC 12's std::thread and std::mutex, which the engine uses, need it.
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PEERPORT_WINDOWS_PREFIX)
if(NOT PEERPORT_WINDOWS_PREFIX AND DEFINED ENV{PEERPORT_WINDOWS_PREFIX})
  set(PEERPORT_WINDOWS_PREFIX $ENV{PEERPORT_WINDOWS_PREFIX})
endif()
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 ${PEERPORT_WINDOWS_PREFIX})
set(CMAKE_PREFIX_PATH ${PEERPORT_WINDOWS_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config reads only the Windows libraries' .pc files.
set(ENV{PKG_CONFIG_LIBDIR} ${PEERPORT_WINDOWS_PREFIX}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Self-contained executables: no libstdc++, libgcc or winpthread DLL to ship next to them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
