# Installation (GNUInstallDirs layout): the shared library with its SONAME links, the public headers, a
# relocatable CMake package (find_package(tensor CONFIG) -> tensor::tensor, with a version file) and a
# pkg-config file. Components: "Runtime" (libtensor.so.MAJOR and the real file) and "Development"
# (the libtensor.so link, headers, CMake and pkg-config files), which map onto libtensor0 / libtensor-dev.
include(CMakePackageConfigHelpers)

set(TENSOR_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/tensor CACHE STRING
    "Where the CMake package files go, relative to the prefix")

install(TARGETS tensor EXPORT tensorTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Runtime NAMELINK_COMPONENT Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Runtime
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(DIRECTORY include/tensor DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT Development
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

install(EXPORT tensorTargets NAMESPACE tensor:: DESTINATION ${TENSOR_INSTALL_CMAKEDIR} COMPONENT Development)

# The config file records whether the CUDA backend was built, so consumers can tell without probing.
set(TENSOR_PACKAGE_WITH_CUDA ${TENSOR_WITH_CUDA})
if(NOT TENSOR_PACKAGE_WITH_CUDA)
  set(TENSOR_PACKAGE_WITH_CUDA OFF)
endif()
configure_package_config_file(cmake/tensorConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/tensorConfig.cmake
  INSTALL_DESTINATION ${TENSOR_INSTALL_CMAKEDIR})
# The ABI is kept within a major version (docs/abi.md), so any 0.x satisfies a request for 0.1.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/tensorConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tensorConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/tensorConfigVersion.cmake
  DESTINATION ${TENSOR_INSTALL_CMAKEDIR} COMPONENT Development)

# pkg-config: absolute paths (as distributions expect), taken from the prefix actually installed to, so
# `cmake --install build --prefix X` writes a tensor.pc that points into X. Everything but the prefix is
# substituted now; the prefix at install time.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TENSOR_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(TENSOR_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TENSOR_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TENSOR_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(TENSOR_PC_PREFIX "@TENSOR_PC_PREFIX@")  # left for the install-time pass below
configure_file(cmake/tensor.pc.in ${CMAKE_CURRENT_BINARY_DIR}/tensor.pc.stage @ONLY)
install(CODE "
  set(TENSOR_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_CURRENT_BINARY_DIR}/tensor.pc.stage\" \"${CMAKE_CURRENT_BINARY_DIR}/tensor.pc\" @ONLY)
" COMPONENT Development)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tensor.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT Development)
