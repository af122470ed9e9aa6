# Installation of libtensor_dist, beside libtensor's (cmake/TensorInstall.cmake): components
# "DistRuntime" (libtensor_dist.so.MAJOR, the real file) and "DistDevelopment" (the .so link, the header,
# the CMake component tensor::dist through find_package(tensor COMPONENTS dist), and tensor-dist.pc),
# which map onto the Debian packages libtensor-dist0 / libtensor-dist-dev.
install(TARGETS tensor_dist EXPORT tensorDistTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT DistRuntime NAMELINK_COMPONENT DistDevelopment
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/include/tensor/tensor_dist.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tensor COMPONENT DistDevelopment)
install(EXPORT tensorDistTargets NAMESPACE tensor:: DESTINATION ${TENSOR_INSTALL_CMAKEDIR}
  COMPONENT DistDevelopment)

set(TENSOR_PC_PREFIX "@TENSOR_PC_PREFIX@")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/tensor-dist.pc.in ${CMAKE_CURRENT_BINARY_DIR}/tensor-dist.pc.stage @ONLY)
install(CODE "
  set(TENSOR_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_CURRENT_BINARY_DIR}/tensor-dist.pc.stage\" \"${CMAKE_CURRENT_BINARY_DIR}/tensor-dist.pc\" @ONLY)
" COMPONENT DistDevelopment)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tensor-dist.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT DistDevelopment)
