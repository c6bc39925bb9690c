# Windows: an NSIS installer (cpack -G NSIS) with a start-menu entry, an uninstaller, an optional
# autostart and a firewall rule. Included from packaging/PeerPortPackaging.cmake; driven by
# packaging/windows/build.ps1, which installs the dependencies with vcpkg.

set(_win ${CMAKE_CURRENT_LIST_DIR})

if(PEERPORT_PACKAGE_GUI)
  # windeployqt copies the Qt DLLs and plugins the app needs next to it, in the staging tree
  # CPack installs into. vcpkg's Qt keeps it in tools/Qt6/bin (Qt6_DIR is share/Qt6), the Qt
  # installer's in bin (Qt6_DIR is lib/cmake/Qt6).
  find_program(PEERPORT_WINDEPLOYQT windeployqt windeployqt6
               HINTS ${Qt6_DIR}/../../tools/Qt6/bin ${Qt6_DIR}/../../../bin REQUIRED)
  install(CODE "
    execute_process(
      COMMAND \"${PEERPORT_WINDEPLOYQT}\" --release --no-translations --no-compiler-runtime
              \"\${CMAKE_INSTALL_PREFIX}/bin/peerport.exe\"
      COMMAND_ERROR_IS_FATAL ANY)
  ")
  # One start-menu shortcut, "PeerPort", to bin\peerport.exe (the CLI lives next to it).
  set(CPACK_PACKAGE_EXECUTABLES peerport "PeerPort")
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\peerport.exe")
endif()
# The MSVC runtime DLLs, so the installer works on a machine without Visual Studio.
set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION bin)
include(InstallRequiredSystemLibraries)

set(CPACK_GENERATOR NSIS)
if(CMAKE_CROSSCOMPILING)
  # ./dev.sh windows tests the installer under Debian's wine64, which runs no 32-bit programs;
  # Debian's NSIS has the 64-bit stubs (the Windows NSIS release ships only 32-bit ones). CPack
  # has no setting for NSIS's Target, so it rides on the line that sets the compressor.
  set(CPACK_NSIS_COMPRESSOR "lzma\n  Target amd64-unicode")
endif()
set(CPACK_PACKAGE_FILE_NAME "PeerPort-${PROJECT_VERSION}-windows-x64")
set(CPACK_NSIS_PACKAGE_NAME "PeerPort")
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
set(CPACK_NSIS_DISPLAY_NAME "PeerPort ${PROJECT_VERSION}")
set(CPACK_NSIS_URL_INFO_ABOUT ${PROJECT_HOMEPAGE_URL})
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)  # upgrades replace the old version
set(CPACK_NSIS_MODIFY_PATH ON)  # offers to put bin\ (peerport-cli) on PATH
set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
set(CPACK_NSIS_UNINSTALL_NAME "Uninstall PeerPort")
set(_ico ${PROJECT_SOURCE_DIR}/resources/windows/peerport.ico)
if(EXISTS ${_ico})
  set(CPACK_NSIS_MUI_ICON ${_ico})
  set(CPACK_NSIS_MUI_UNIICON ${_ico})
endif()
# Autostart question and firewall rule: NSIS script of our own, kept readable in .nsh files.
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "!include \"${_win}/install-extra.nsh\"")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "!include \"${_win}/uninstall-extra.nsh\"")
