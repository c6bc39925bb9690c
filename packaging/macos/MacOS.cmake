# macOS: PeerPort.app with its Info.plist and icon, Qt deployed into it by macdeployqt, on a
# DragNDrop disk image (cpack -G DragNDrop). Included from packaging/PeerPortPackaging.cmake;
# driven by packaging/macos/build.sh, which installs the dependencies with Homebrew.

set(_mac ${CMAKE_CURRENT_LIST_DIR})

if(PEERPORT_PACKAGE_GUI)
  set_target_properties(peerport PROPERTIES
    OUTPUT_NAME PeerPort
    MACOSX_BUNDLE ON
    MACOSX_BUNDLE_INFO_PLIST ${_mac}/Info.plist.in
    MACOSX_BUNDLE_GUI_IDENTIFIER ${PEERPORT_APP_ID}
    MACOSX_BUNDLE_BUNDLE_NAME PeerPort
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_COPYRIGHT "The PeerPort contributors, GPL-3.0-or-later")
  # The icon, made from the SVG by build.sh (iconutil needs macOS), goes into Resources/.
  set(PEERPORT_MACOS_ICNS "" CACHE FILEPATH "PeerPort.icns for the app bundle")
  if(PEERPORT_MACOS_ICNS)
    target_sources(peerport PRIVATE ${PEERPORT_MACOS_ICNS})
    set_source_files_properties(${PEERPORT_MACOS_ICNS} TARGET_DIRECTORY peerport
                                PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    set_target_properties(peerport PROPERTIES MACOSX_BUNDLE_ICON_FILE PeerPort.icns)
  endif()
  # macdeployqt copies Qt's frameworks and plugins into the installed bundle and fixes their
  # load paths; the bundle is then self-contained.
  find_program(PEERPORT_MACDEPLOYQT macdeployqt HINTS ${Qt6_DIR}/../../../bin REQUIRED)
  install(CODE "
    execute_process(
      COMMAND \"${PEERPORT_MACDEPLOYQT}\" \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/PeerPort.app\" -verbose=1
      COMMAND_ERROR_IS_FATAL ANY)
  ")
endif()

set(CPACK_GENERATOR DragNDrop)
set(CPACK_PACKAGE_FILE_NAME "PeerPort-${PROJECT_VERSION}-macos-${CMAKE_SYSTEM_PROCESSOR}")
set(CPACK_DMG_VOLUME_NAME "PeerPort")
set(CPACK_DMG_FORMAT UDZO)
