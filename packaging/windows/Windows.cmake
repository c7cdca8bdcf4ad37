# Windows: an NSIS installer (and a .zip of the same tree). windeployqt copies the Qt libraries
# and plugins the executable needs, the SQLite driver included, next to it; the non-Qt DLLs it
# links (OpenSSL's libcrypto, SQLite) are found by CMake's runtime dependency set that app/
# declares. Included from packaging/CMakeLists.txt; needs NSIS 3 on the PATH for cpack -G NSIS.
find_program(WORKDECK_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}" REQUIRED)

# Qt's own DLLs come from windeployqt; the rest are looked up next to the libraries CMake found.
set(search_dirs "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
foreach(library IN ITEMS "${OPENSSL_CRYPTO_LIBRARY}" "${SQLite3_LIBRARY}")
    get_filename_component(library_dir "${library}" DIRECTORY)
    list(APPEND search_dirs "${library_dir}" "${library_dir}/../bin")
endforeach()
install(RUNTIME_DEPENDENCY_SET workdeck_runtime
        DESTINATION "${CMAKE_INSTALL_BINDIR}"
        PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-" "^[Qq]t6"
        POST_EXCLUDE_REGEXES "[Ss]ystem32/"
        DIRECTORIES ${search_dirs})

# Runs at install time, after app/ has installed workdeck.exe, into whatever prefix is used:
# cmake --install's, or CPack's staging tree.
install(CODE "
    execute_process(
        COMMAND \"${WORKDECK_WINDEPLOYQT}\" --no-translations --no-system-d3d-compiler
                \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/workdeck.exe\"
        COMMAND_ERROR_IS_FATAL ANY)
")

set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_PACKAGE_EXECUTABLES "workdeck;Workdeck") # the Start menu entry
set(CPACK_NSIS_PACKAGE_NAME "Workdeck")
set(CPACK_NSIS_DISPLAY_NAME "Workdeck ${PROJECT_VERSION}")
set(CPACK_NSIS_MUI_ICON "${WORKDECK_RESOURCES}/icons/workdeck.ico")
set(CPACK_NSIS_MUI_UNIICON "${WORKDECK_RESOURCES}/icons/workdeck.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "${CMAKE_INSTALL_BINDIR}\\\\workdeck.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${CPACK_PACKAGE_CONTACT}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "${CMAKE_INSTALL_BINDIR}")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "workdeck.exe")
