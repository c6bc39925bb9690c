# Installers from the install rules, all made by CPack: .deb and .rpm on Linux, NSIS on Windows,
# a DragNDrop .dmg on macOS. Included last from the top CMakeLists.txt, when every target exists:
# the desktop app's files ship only when the target `peerport` does (PEERPORT_GUI=ON), so the
# same rules make a CLI-only package today. In a build directory: `cpack -G DEB` (or RPM, NSIS,
# DragNDrop); packaging/README.md says what each platform needs.
#
# Named PeerPortPackaging.cmake, not CPackConfig.cmake, because CPack writes a file of that name
# into the build directory and the two are easily confused.

set(PEERPORT_PACKAGE_NAME peerport)
set(PEERPORT_APP_ID io.github.peerport.PeerPort)  # desktop file, metainfo, icon, bundle id
set(PEERPORT_PACKAGE_CONTACT "PeerPort maintainers <maintainers@peerport.invalid>"
    CACHE STRING "Maintainer named in the packages, as 'Name <email>'")

# The desktop app's files, from resources/ (packaging/README.md lists the expected names).
set(PEERPORT_PACKAGE_GUI OFF)
if(TARGET peerport)
  set(PEERPORT_PACKAGE_GUI ON)
endif()
set(_res ${PROJECT_SOURCE_DIR}/resources)
set(PEERPORT_DESKTOP_FILE ${_res}/linux/${PEERPORT_APP_ID}.desktop)
set(PEERPORT_METAINFO_FILE ${_res}/linux/${PEERPORT_APP_ID}.metainfo.xml)
set(PEERPORT_ICON_SVG ${_res}/icons/${PEERPORT_APP_ID}.svg)
if(PEERPORT_PACKAGE_GUI)
  foreach(f PEERPORT_DESKTOP_FILE PEERPORT_METAINFO_FILE PEERPORT_ICON_SVG)
    if(NOT EXISTS ${${f}})
      # A warning, not an error, while the desktop app is young; the packaging test fails on a
      # GUI package without its desktop file and metainfo.
      message(WARNING "PEERPORT_GUI=ON but ${${f}} is missing: the package will lack it")
    endif()
  endforeach()
endif()

# What every generator shares.
set(CPACK_PACKAGE_NAME ${PEERPORT_PACKAGE_NAME})
set(CPACK_PACKAGE_VENDOR "The PeerPort contributors")
set(CPACK_PACKAGE_CONTACT ${PEERPORT_PACKAGE_CONTACT})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${PROJECT_DESCRIPTION})
# Wrapped by hand: the .deb keeps these lines as they are, and lintian wants them under 80.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "Alice shares a local TCP port and gets a key; Bob pastes the key and reaches"
  "Alice's service on a port of his own. Peers find each other by public key on"
  "the HyperDHT network and connect directly over UDP, with no server in the"
  "middle and no port forwarding; every connection is end-to-end encrypted"
  "(Noise IK and libsodium secretstream). PeerPort is wire-compatible with"
  "hyperdht, hypertele and holesail."
  ""
  "This package holds peerport-cli, its manual page and systemd units for a"
  "background share (user) and a DHT node (system), and, when built with it,"
  "the desktop app.")
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_INSTALL_DIRECTORY "PeerPort")
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)  # values reach the generators exactly as written here
set(CPACK_SOURCE_IGNORE_FILES "/\\.git(/|$)" "/build[^/]*/" "/node_modules/")

if(UNIX AND NOT APPLE)
  include(${CMAKE_CURRENT_LIST_DIR}/linux/Linux.cmake)
elseif(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/windows/Windows.cmake)
elseif(APPLE)
  include(${CMAKE_CURRENT_LIST_DIR}/macos/MacOS.cmake)
endif()

include(CPack)
