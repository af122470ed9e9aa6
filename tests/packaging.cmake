# Packaging: install the built library into a scratch prefix, then build and run the out-of-tree C and
# C++ consumers (tests/consumers) against it, once through find_package(tensor CONFIG) and once through
# pkg-config. This is what a user of an installed libtensor does; nothing here sees the build tree.
# Not under sanitizers: the consumers are plain programs, which cannot load an instrumented libtensor.so
# without the sanitizer runtime preloaded; what they check does not depend on instrumentation.
if(TENSOR_SANITIZE)
  return()
endif()

set(TENSOR_TEST_PREFIX ${CMAKE_BINARY_DIR}/packaging/prefix)
set(TENSOR_CONSUMERS ${CMAKE_CURRENT_SOURCE_DIR}/consumers)

add_test(NAME packaging_install
         COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DPREFIX=${TENSOR_TEST_PREFIX}
                 -P ${TENSOR_CONSUMERS}/install_prefix.cmake)
set_tests_properties(packaging_install PROPERTIES FIXTURES_SETUP tensor_installed LABELS packaging)

foreach(mode cmake pkgconfig)
  foreach(lang c cxx)
    set(name packaging_consumer_${lang}_${mode})
    add_test(NAME ${name}
             COMMAND sh ${TENSOR_CONSUMERS}/run_consumer.sh ${mode} ${lang} ${TENSOR_TEST_PREFIX}
                     ${CMAKE_BINARY_DIR}/packaging/${lang}_${mode})
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED tensor_installed LABELS packaging
      ENVIRONMENT "CC=${CMAKE_C_COMPILER};CXX=${CMAKE_CXX_COMPILER};CMAKE=${CMAKE_COMMAND};CMAKE_GENERATOR=${CMAKE_GENERATOR}")
  endforeach()
endforeach()
