# Hardening: allocation-failure injection, the thread stress test, and the C API fuzz harness.
# scripts/ci_hardening.sh runs all of it under the sanitizers; scripts/fuzz.sh runs long fuzz campaigns.

# Walks an allocation failure through representative programs (needs the internal injection hook).
tensor_add_test(test_alloc_failure SOURCES test_alloc_failure.cpp alloc_injection.cpp INTERNAL LABELS hardening)
# 8 threads sharing, retaining and freeing handles; the TSan build runs it.
tensor_add_test(test_threads SOURCES test_threads.cpp LABELS hardening threads)

# Hostile inputs and call sequences from an adversarial probe (shapes, ranks, DLPack, in-place overlap,
# backward and thread-count races); the TSan build runs its threaded cases.
tensor_add_test(test_hostile SOURCES test_hostile.cpp LABELS hardening threads)

# Focused tests of what the fuzzer, the sanitizers and failure injection found.
tensor_add_test(test_regressions SOURCES test_regressions.cpp LABELS hardening)
# Fuzzer finding: out-of-range enum values from C callers (a C test: C++ cannot form them without UB).
add_executable(test_enum_args test_enum_args.c)
target_link_libraries(test_enum_args PRIVATE tensor)
target_compile_options(test_enum_args PRIVATE -std=c99 -pedantic -Wall -Wextra -Werror)
add_test(NAME test_enum_args COMMAND test_enum_args)
set_tests_properties(test_enum_args PROPERTIES LABELS hardening)

set(TENSOR_FUZZ_SOURCES
  fuzz/fuzz_capi.cpp fuzz/fuzz_ops_create.cpp fuzz/fuzz_ops_shape.cpp fuzz/fuzz_ops_elementwise.cpp
  fuzz/fuzz_ops_reduce.cpp fuzz/fuzz_ops_misc.cpp fuzz/fuzz_ops_index.cpp fuzz/fuzz_ops_advanced_index.cpp
  fuzz/fuzz_ops_random.cpp
  fuzz/fuzz_enums.c fuzz/fuzz_ops_sort.cpp fuzz/fuzz_ops_conv.cpp
  fuzz/fuzz_ops_norm.cpp fuzz/fuzz_ops_pool.cpp)

# Every build replays the seed corpus (and the regression inputs in it) through the harness against the
# shared library, so a fixed finding stays fixed without libFuzzer.
add_executable(fuzz_capi_replay ${TENSOR_FUZZ_SOURCES} fuzz/replay_main.cpp)
target_include_directories(fuzz_capi_replay PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(fuzz_capi_replay PRIVATE tensor)
tensor_set_warnings(fuzz_capi_replay)
add_test(NAME fuzz_corpus_replay COMMAND fuzz_capi_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus)
set_tests_properties(fuzz_corpus_replay PROPERTIES LABELS "hardening;fuzz")

# The libFuzzer binary: clang only (configure with CC=clang-14 CXX=clang++-14 -DTENSOR_FUZZ=ON
# -DTENSOR_SANITIZE=address; scripts/fuzz.sh does). The library's objects get coverage instrumentation
# (fuzzer-no-link); the harness links the static twin so the whole program is one instrumented binary.
option(TENSOR_FUZZ "Build the libFuzzer harness tests/fuzz (clang only)" OFF)
if(TENSOR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TENSOR_FUZZ needs clang (e.g. CC=clang-14 CXX=clang++-14); got ${CMAKE_CXX_COMPILER_ID}")
  endif()
  foreach(layer IN LISTS TENSOR_LAYERS)
    target_compile_options(tensor_layer_${layer} PRIVATE -fsanitize=fuzzer-no-link)
  endforeach()
  add_executable(fuzz_capi ${TENSOR_FUZZ_SOURCES})
  target_include_directories(fuzz_capi PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(fuzz_capi PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_capi PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_capi PRIVATE tensor_internal)
  tensor_set_warnings(fuzz_capi)
endif()
