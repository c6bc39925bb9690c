# Linux: what the .deb and .rpm carry besides the binaries, and their metadata. Included from
# packaging/PeerPortPackaging.cmake. Paths are relative to the packages' prefix, /usr.

set(_linux ${CMAKE_CURRENT_LIST_DIR})
set(_man ${PROJECT_SOURCE_DIR}/packaging/man)
set(_out ${PROJECT_BINARY_DIR}/packaging)
set(_doc share/doc/${PEERPORT_PACKAGE_NAME})
set(_rpm_system_dirs)  # directories the system owns, which the .rpm must not claim (below)

# Documentation is installed gzipped (-n: no name or time stamp, so the bytes are reproducible),
# as Debian policy asks; the changelog says which version this is (Debian's format, which
# lintian checks for; RPM users read it as plain text).
string(TIMESTAMP PEERPORT_PACKAGE_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)  # SOURCE_DATE_EPOCH
configure_file(${_linux}/changelog.in ${_out}/changelog @ONLY)
set(_docs ${_man}/peerport-cli.1 ${_out}/changelog)
if(PEERPORT_PACKAGE_GUI)
  list(APPEND _docs ${_man}/peerport.1)
endif()
set(_gzipped)
foreach(in IN LISTS _docs)
  get_filename_component(name ${in} NAME)
  add_custom_command(OUTPUT ${_out}/${name}.gz
    COMMAND ${CMAKE_COMMAND} -E copy ${in} ${_out}/gz/${name}
    COMMAND gzip -9nf ${_out}/gz/${name}
    COMMAND ${CMAKE_COMMAND} -E rename ${_out}/gz/${name}.gz ${_out}/${name}.gz
    DEPENDS ${in}
    COMMENT "Compressing ${name}"
    VERBATIM)
  list(APPEND _gzipped ${_out}/${name}.gz)
endforeach()
add_custom_target(peerport_package_docs ALL DEPENDS ${_gzipped})
list(FILTER _gzipped INCLUDE REGEX "\\.1\\.gz$")
install(FILES ${_gzipped} DESTINATION share/man/man1)
install(FILES ${_out}/changelog.gz ${_linux}/copyright DESTINATION ${_doc})

# systemd: a hardened system unit for `peerport-cli node`, a user template for `share`.
install(FILES ${_linux}/peerport-node.service DESTINATION lib/systemd/system)
install(FILES ${_linux}/peerport-share@.service DESTINATION lib/systemd/user)

# The desktop app's integration files, under the names the freedesktop specs look for.
if(PEERPORT_PACKAGE_GUI)
  if(EXISTS ${PEERPORT_DESKTOP_FILE})
    install(FILES ${PEERPORT_DESKTOP_FILE} DESTINATION share/applications)
  endif()
  if(EXISTS ${PEERPORT_METAINFO_FILE})
    install(FILES ${PEERPORT_METAINFO_FILE} DESTINATION share/metainfo)
  endif()
  if(EXISTS ${PEERPORT_ICON_SVG})
    install(FILES ${PEERPORT_ICON_SVG} DESTINATION share/icons/hicolor/scalable/apps)
  endif()
  # Optional bitmaps for sizes where the SVG renders poorly: resources/icons/hicolor/NxN/apps/.
  if(IS_DIRECTORY ${_res}/icons/hicolor)
    install(DIRECTORY ${_res}/icons/hicolor DESTINATION share/icons FILES_MATCHING PATTERN "*.png")
    file(GLOB _sizes RELATIVE ${_res}/icons/hicolor ${_res}/icons/hicolor/*)
    foreach(size IN LISTS _sizes)
      list(APPEND _rpm_system_dirs /usr/share/icons/hicolor/${size} /usr/share/icons/hicolor/${size}/apps)
    endforeach()
  endif()
endif()

# .deb
set(CPACK_DEBIAN_PACKAGE_NAME ${PEERPORT_PACKAGE_NAME})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # peerport_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libc6, libsodium23, libuv1, ... with their versions
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
if(PEERPORT_PACKAGE_GUI)
  # Loaded at run time, so dpkg-shlibdeps cannot see them: the SVG icon plugin, the platform
  # plugins (libqt6gui6 only recommends them) and QtKeychain's Secret Service backend.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-qpa-plugins, libsecret-1-0")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring")
endif()

# .rpm (rpmbuild finds the shared-library requirements itself)
set(CPACK_RPM_PACKAGE_NAME ${PEERPORT_PACKAGE_NAME})
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)  # peerport-VERSION-1.ARCH.rpm
set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Internet")
set(CPACK_RPM_PACKAGE_URL ${PROJECT_HOMEPAGE_URL})
if(PEERPORT_PACKAGE_GUI)
  set(CPACK_RPM_PACKAGE_REQUIRES "qt6-qtsvg, libsecret")
  set(CPACK_RPM_PACKAGE_SUGGESTS "gnome-keyring")
endif()
list(APPEND _rpm_system_dirs
    /usr/lib/systemd /usr/lib/systemd/system /usr/lib/systemd/user
    /usr/share/man /usr/share/man/man1 /usr/share/applications /usr/share/metainfo
    /usr/share/icons /usr/share/icons/hicolor /usr/share/icons/hicolor/scalable
    /usr/share/icons/hicolor/scalable/apps)
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION ${_rpm_system_dirs})
