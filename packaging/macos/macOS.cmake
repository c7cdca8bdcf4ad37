# macOS: a drag-and-drop disk image holding Workdeck.app (app/ makes the executable a bundle with
# the .icns) and a link to /Applications. macdeployqt copies Qt's frameworks and plugins, the
# SQLite driver included, and any other non-system library (OpenSSL, SQLite from Homebrew) into
# the bundle. Included from packaging/CMakeLists.txt.
find_program(WORKDECK_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" REQUIRED)

# Runs at install time, after app/ has installed the bundle, into whatever prefix is used:
# cmake --install's, or CPack's staging tree.
install(CODE "
    execute_process(
        COMMAND \"${WORKDECK_MACDEPLOYQT}\" \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/Workdeck.app\" -always-overwrite
        COMMAND_ERROR_IS_FATAL ANY)
")

set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "Workdeck")
set(CPACK_DMG_FORMAT "UDBZ")
set(CPACK_PACKAGE_ICON "${WORKDECK_RESOURCES}/icons/workdeck.icns")
set(CPACK_PACKAGE_FILE_NAME "Workdeck-${PROJECT_VERSION}-macOS")
