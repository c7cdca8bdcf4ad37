# Linux: freedesktop integration (desktop entry, hicolor icons, AppStream metainfo), a man page,
# and the .deb and .tar.gz generators. Included from packaging/CMakeLists.txt.
include("${CMAKE_CURRENT_LIST_DIR}/../ReleaseDate.cmake")
find_program(WORKDECK_GZIP gzip REQUIRED)

install(FILES "${WORKDECK_RESOURCES}/${WORKDECK_APP_ID}.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${WORKDECK_RESOURCES}/${WORKDECK_APP_ID}.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(DIRECTORY "${WORKDECK_RESOURCES}/icons/hicolor" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons")

# The man page and the changelog are compressed as Debian policy asks: gzip -9, and -n so that no
# name or timestamp makes two builds differ.
workdeck_rfc2822_date(WORKDECK_RELEASE_DATE_RFC2822 "${WORKDECK_RELEASE_DATE}")
configure_file("${WORKDECK_RESOURCES}/workdeck.1.in" "${CMAKE_CURRENT_BINARY_DIR}/workdeck.1" @ONLY)
configure_file("${CMAKE_CURRENT_LIST_DIR}/changelog.in" "${CMAKE_CURRENT_BINARY_DIR}/changelog" @ONLY)
set(compressed)
foreach(file IN ITEMS workdeck.1 changelog)
    add_custom_command(
        OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${file}.gz"
        COMMAND "${WORKDECK_GZIP}" -9nc "${file}" > "${file}.gz"
        DEPENDS "${CMAKE_CURRENT_BINARY_DIR}/${file}"
        WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}"
        COMMENT "Compressing ${file}"
        VERBATIM)
    list(APPEND compressed "${CMAKE_CURRENT_BINARY_DIR}/${file}.gz")
endforeach()
add_custom_target(workdeck_docs ALL DEPENDS ${compressed})
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/workdeck.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

# Debian wants these under the package's own name, not GNUInstallDirs' DOCDIR (share/doc/Workdeck).
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/changelog.gz" "${CMAKE_CURRENT_LIST_DIR}/copyright"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/workdeck")

set(CPACK_GENERATOR "TGZ;DEB")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # workdeck_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps sees only the libraries the executable links. Qt loads two more at run time:
# the SQLite driver of QtSql (every database is SQLite) and the platform plugins (xcb, wayland,
# offscreen) without which no QGuiApplication starts.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
