# The ABI guard (scripts/abi_check.sh, docs/abi.md): this build's libtensor.so against the baseline in
# abi/libtensor.abi, and a self-test proving the guard fails on removed/changed functions and types.
# Needs abigail-tools; the comparison needs DWARF, so it is registered for Debug and RelWithDebInfo builds.
find_program(TENSOR_ABIDIFF abidiff)
find_program(TENSOR_ABIDW abidw)
if(NOT TENSOR_ABIDIFF OR NOT TENSOR_ABIDW)
  message(STATUS "libtensor: abigail-tools not found, the ABI checks are not registered (apt-get install abigail-tools)")
  return()
endif()
add_test(NAME abi_check_selftest COMMAND ${PROJECT_SOURCE_DIR}/scripts/abi_check.sh --self-test)
set_tests_properties(abi_check_selftest PROPERTIES LABELS abi)
if(CMAKE_BUILD_TYPE MATCHES "^(Debug|RelWithDebInfo)$")
  add_test(NAME abi_check COMMAND ${PROJECT_SOURCE_DIR}/scripts/abi_check.sh $<TARGET_FILE:tensor>)
  set_tests_properties(abi_check PROPERTIES LABELS abi)
endif()
