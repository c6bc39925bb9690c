# Resident memory of an idle process (issue 19; docs/architecture.md, "Footprint"). An idle
# share touches little code, but the kernel maps file pages around each one it faults in (64 KiB
# windows), so what costs resident memory is how many separate code regions are touched: one per
# shared library loaded, and the spread of the code each one runs. On Linux with GCC or Clang:
# - unused sections of the static archives are dropped (--gc-sections) and libraries nothing
#   uses are not loaded (--as-needed);
# - PEERPORT_STATIC_DEPS links libsodium and libuv from their static archives (Debian's
#   libsodium-dev and libuv1-dev ship them), and peerport_lean_executable(target) links libstdc++
#   and libgcc statically into a target that loads no other C++ library (the CLI, not the
#   desktop app, whose Qt brings the shared libstdc++). That saves libstdc++, libm, libgcc_s,
#   libsodium and libuv being mapped whole: 1.8 MiB of an idle share's 5.6 MiB.
# - the CLI's text starts with the functions it runs, in a profiled order (hot-code layout), so
#   an idle share touches 9 windows of its code instead of all 26: every function gets its own
#   section (-ffunction-sections, for every target, so the order can place it) and the CLI is
#   linked by lld with --symbol-ordering-file (app/cli/hot-functions.txt, written by
#   `./dev.sh hot-order` from callgrind runs of an idle share, a busy share and connect, and a
#   node). The data path is in that profile too, so it stays together. 1 MiB of the idle share.
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
  add_compile_options(-ffunction-sections)
  include(CheckLinkerFlag)
  check_linker_flag(CXX -fuse-ld=lld PEERPORT_HAVE_LLD)
  if(NOT PEERPORT_HAVE_LLD)
    message(WARNING "ld.lld not found (Debian: lld): peerport-cli is linked without its hot-code "
                    "order, and an idle share holds about 1 MiB more code resident")
  endif()
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
# ORDER names a symbol ordering file (hot_order.py's output) to lay the target's text out by.
function(peerport_lean_executable target)
  cmake_parse_arguments(PARSE_ARGV 1 LEAN "" "ORDER" "")
  if(PEERPORT_LEAN_LINK AND LEAN_ORDER AND PEERPORT_HAVE_LLD)
    target_link_options(${target} PRIVATE -fuse-ld=lld LINKER:--symbol-ordering-file=${LEAN_ORDER}
                        LINKER:--no-warn-symbol-ordering)
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${LEAN_ORDER})
  endif()
  if(PEERPORT_LEAN_LINK)
    target_compile_options(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-Os>)  # Debug keeps -O0
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
    endif()
  endif()
endfunction()
