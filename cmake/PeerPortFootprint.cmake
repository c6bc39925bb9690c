# Resident memory of an idle process (issue 19; docs/architecture.md, "Footprint"). An idle
# share touches little code, but the kernel maps file pages around each one it faults in (64 KiB
# windows), so what costs resident memory is how many separate code regions are touched: one per
# shared library loaded, and the spread of the code each one runs. On Linux with GCC or Clang:
# - unused sections of the static archives are dropped (--gc-sections) and libraries nothing
#   uses are not loaded (--as-needed). Our own code keeps one section per file: splitting it
#   per function (-ffunction-sections) saved no resident memory and moves the data path's code
#   about;
# - PEERPORT_STATIC_DEPS links libsodium and libuv from their static archives (Debian's
#   libsodium-dev and libuv1-dev ship them), and peerport_lean_executable(target) links libstdc++
#   and libgcc statically into a target that loads no other C++ library (the CLI, not the
#   desktop app, whose Qt brings the shared libstdc++). That saves libstdc++, libm, libgcc_s,
#   libsodium and libuv being mapped whole: 1.8 MiB of an idle share's 5.6 MiB.
# Sanitizer and fuzz builds keep the defaults; Windows and macOS builds are untouched.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang"
   AND NOT PEERPORT_SANITIZE AND NOT PEERPORT_FUZZ)
  set(PEERPORT_LEAN_DEFAULT ON)
else()
  set(PEERPORT_LEAN_DEFAULT OFF)
endif()
option(PEERPORT_LEAN_LINK "Drop unused code at link time and link the CLI's C++ runtime statically"
       ${PEERPORT_LEAN_DEFAULT})
option(PEERPORT_STATIC_DEPS "Link libsodium and libuv from their static archives"
       ${PEERPORT_LEAN_DEFAULT})

if(PEERPORT_LEAN_LINK)
  add_link_options(LINKER:-O1,--as-needed,--gc-sections)
endif()

if(PEERPORT_STATIC_DEPS)
  find_library(PEERPORT_SODIUM_ARCHIVE NAMES libsodium.a HINTS ${SODIUM_LIBRARY_DIRS} REQUIRED)
  pkg_check_modules(UV_STATIC REQUIRED libuv-static)
  find_library(PEERPORT_UV_ARCHIVE NAMES libuv_a.a libuv.a HINTS ${UV_STATIC_LIBRARY_DIRS} REQUIRED)
  # The imported targets keep their names and include paths; only what they link changes.
  set_property(TARGET PkgConfig::SODIUM PROPERTY INTERFACE_LINK_LIBRARIES ${PEERPORT_SODIUM_ARCHIVE})
  set_property(TARGET PkgConfig::UV PROPERTY INTERFACE_LINK_LIBRARIES ${PEERPORT_UV_ARCHIVE}
                                                                      ${CMAKE_DL_LIBS})
endif()

# For an executable that loads no other C++ library (the CLI, idle_footprint): libstdc++ and
# libgcc linked in, and its own sources (argument parsing and printing, run once at start and
# once a second: not the data path, which is in core) compiled for size.
function(peerport_lean_executable target)
  if(PEERPORT_LEAN_LINK)
    target_compile_options(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-Os>)  # Debug keeps -O0
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
    endif()
  endif()
endfunction()
