# What `cmake --install` puts under the prefix, and the Debian package of the same:
#
#   include/tars/servant/*.h, tup/*.h, util/*.h   the public headers (servant/internal/ is not)
#   include/tars/*.h                              the generated protocol headers (RequestF.h ...)
#   lib/libtars_{util,client,servant}.{a,so}      static unless -DBUILD_SHARED_LIBS=ON
#   lib/cmake/Tars/                               TarsConfig.cmake, the targets tars::util,
#                                                 tars::codec, tars::protocol, tars::client,
#                                                 tars::servant, tars::tars2cpp, tars_generate()
#                                                 and tars_package()
#   lib/pkgconfig/tars.pc                         for builds without CMake
#   bin/tars2cpp, tarsadmin, tarsregistry, tarsnode, tarsconfig, and the observability
#                                                 services tarsstat, tarsproperty, tarsnotify,
#                                                 tarslog, tarsquery, the package store tarspatch
#                                                 and the web console tarsweb
#   share/tars/web/                               the web console's page (tarsweb finds it there)
#   share/tars/protocol/*.tars                    the protocol's IDL files
#
# The include root is include/tars, so that user code includes "servant/Application.h" as
# TARS users write it, and /usr/include gains one folder only.
include(CMakePackageConfigHelpers)

set(TARS_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/tars)
set(TARS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Tars)

# Installed programs find the shared libraries beside them.
if(BUILD_SHARED_LIBS)
  file(RELATIVE_PATH _tars_bin_to_lib ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
  set_target_properties(tars2cpp PROPERTIES INSTALL_RPATH "$ORIGIN/${_tars_bin_to_lib}")
  # libtars_servant needs libtars_client and libtars_util beside it.
  set_target_properties(tars_util tars_client tars_servant PROPERTIES INSTALL_RPATH "$ORIGIN")
endif()

install(TARGETS tars_util tars_codec tars_protocol tars_client tars_servant tars2cpp
        EXPORT TarsTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${TARS_INSTALL_INCLUDEDIR})

# The framework programs (TARS_BUILD_FRAMEWORK).
foreach(_tars_program tarsadmin tarsregistry tarsnode tarsconfig tarsstat tarsproperty tarsnotify tarslog tarsquery
                      tarspatch tarsweb)
  if(TARGET ${_tars_program})
    install(TARGETS ${_tars_program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    if(BUILD_SHARED_LIBS)
      set_target_properties(${_tars_program} PROPERTIES INSTALL_RPATH "$ORIGIN/${_tars_bin_to_lib}")
    endif()
  endif()
endforeach()

if(TARGET tarsweb)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/framework/web/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/tars/web)
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/util/include/util DESTINATION ${TARS_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/servant/servant ${PROJECT_SOURCE_DIR}/servant/tup
        DESTINATION ${TARS_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
get_target_property(_tars_protocol_files tars_protocol TARS_GENERATED_HEADERS)
install(FILES ${_tars_protocol_files} DESTINATION ${TARS_INSTALL_INCLUDEDIR})
get_target_property(_tars_protocol_idl tars_protocol TARS_IDL_FILES)
install(FILES ${_tars_protocol_idl} DESTINATION ${CMAKE_INSTALL_DATADIR}/tars/protocol)  # TARS_INSTALL_PROTOCOLDIR

install(EXPORT TarsTargets NAMESPACE tars:: DESTINATION ${TARS_INSTALL_CMAKEDIR})
set(TARS_INSTALL_PROTOCOLDIR ${CMAKE_INSTALL_DATADIR}/tars/protocol)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TarsConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cmake/TarsConfig.cmake
                              INSTALL_DESTINATION ${TARS_INSTALL_CMAKEDIR}
                              PATH_VARS TARS_INSTALL_PROTOCOLDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/TarsConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/TarsConfig.cmake ${PROJECT_BINARY_DIR}/cmake/TarsConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/Tars2Cpp.cmake ${PROJECT_SOURCE_DIR}/cmake/TarsPackage.cmake
        DESTINATION ${TARS_INSTALL_CMAKEDIR})

# tars.pc. With static libraries their dependencies go in Requires and Libs, not the
# .private fields: a plain `pkg-config --libs tars` must link.
file(RELATIVE_PATH _tars_pc_to_prefix ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
set(TARS_PC_PREFIX "\${pcfiledir}/${_tars_pc_to_prefix}")
string(REGEX REPLACE "/$" "" TARS_PC_PREFIX "${TARS_PC_PREFIX}")
if(BUILD_SHARED_LIBS)
  set(TARS_PC_REQUIRES "nlohmann_json")
  set(TARS_PC_REQUIRES_PRIVATE "spdlog libssl libcrypto zlib")
else()
  set(TARS_PC_REQUIRES "nlohmann_json spdlog libssl libcrypto zlib")
  set(TARS_PC_REQUIRES_PRIVATE "")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/tars.pc.in ${PROJECT_BINARY_DIR}/tars.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tars.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The Debian package: `cpack -G DEB` in the build folder.
set(CPACK_PACKAGE_NAME "tars-cpp")
set(CPACK_PACKAGE_VENDOR "tars-cpp")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TARS RPC framework for C++20: libraries, headers, tars2cpp and framework services")
set(CPACK_PACKAGE_CONTACT "tars-cpp maintainers <tars-cpp@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
# What the programs link at run time, and what a program built against the package needs.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libspdlog-dev, libfmt-dev, nlohmann-json3-dev, libssl-dev, zlib1g-dev, libsqlite3-0")
if(TARS_MYSQL)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libmariadb3")
endif()
set(CPACK_GENERATOR "DEB")
include(CPack)
