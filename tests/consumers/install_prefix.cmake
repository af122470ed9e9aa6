# cmake -DBUILD_DIR=<build> -DPREFIX=<dir> -P install_prefix.cmake
# Installs a build into a fresh prefix (the fixture of the consumer tests): removes what an earlier run
# left there first, so a file the install no longer produces cannot make a consumer pass.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} --prefix ${PREFIX} failed (${rc})")
endif()
foreach(f include/tensor/tensor.h include/tensor/tensor_dlpack.h)
  if(NOT EXISTS "${PREFIX}/${f}")
    message(FATAL_ERROR "the install lacks ${f}")
  endif()
endforeach()
