# CUDA backend tests. test_cuda_errors runs everywhere (with no GPU it pins the TENSOR_ERR_DEVICE
# behaviour); the others need a GPU and exit with code 77 ("CUDA not available: skipping") without one,
# which ctest reports as skipped, never failed. They run ops on CUDA and compare with the CPU result or a
# reference computed on the host from the same inputs. scripts/gpu_check.sh runs them on a GPU machine.
tensor_add_test(test_cuda_errors SOURCES test_cuda_errors.cpp LABELS cuda)

# tensor_add_cuda_test(<name> SOURCES <files...> [INTERNAL]): a Catch2 executable with its own main
# (test_cuda_main.cpp) that skips when no GPU is usable.
function(tensor_add_cuda_test name)
  cmake_parse_arguments(T "INTERNAL" "" "SOURCES" ${ARGN})
  add_executable(${name} ${T_SOURCES} ${CMAKE_CURRENT_SOURCE_DIR}/test_cuda_main.cpp)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/src)
  if(T_INTERNAL)
    target_link_libraries(${name} PRIVATE tensor_internal Catch2::Catch2)
  else()
    target_link_libraries(${name} PRIVATE tensor Catch2::Catch2)
  endif()
  tensor_set_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "cuda;gpu" SKIP_RETURN_CODE 77)
endfunction()

tensor_add_cuda_test(test_cuda_elementwise SOURCES test_cuda_elementwise.cpp)
tensor_add_cuda_test(test_cuda_creation SOURCES test_cuda_creation.cpp)
tensor_add_cuda_test(test_cuda_ops SOURCES test_cuda_ops.cpp)
tensor_add_cuda_test(test_cuda_nn SOURCES test_cuda_nn.cpp)
tensor_add_cuda_test(test_cuda_index SOURCES test_cuda_index.cpp)
tensor_add_cuda_test(test_cuda_advanced_index SOURCES test_cuda_advanced_index.cpp)
tensor_add_cuda_test(test_cuda_activations SOURCES test_cuda_activations.cpp)
tensor_add_cuda_test(test_cuda_sort SOURCES test_cuda_sort.cpp)
tensor_add_cuda_test(test_cuda_reduce SOURCES test_cuda_reduce.cpp INTERNAL)
tensor_add_cuda_test(test_cuda_matmul SOURCES test_cuda_matmul.cpp INTERNAL)
if(TENSOR_WITH_CUDA)  # reads the caching allocator's counters
  tensor_add_cuda_test(test_cuda_memory SOURCES test_cuda_memory.cpp INTERNAL)
endif()
# Last: it faults a kernel on purpose, which leaves the CUDA context of its process unusable.
tensor_add_cuda_test(test_cuda_async_error SOURCES test_cuda_async_error.cpp INTERNAL)

# The GPU benchmark program (bench/gpu/bench_gpu.c, a C99 consumer of the C API), built beside the CUDA
# tests so that one build directory holds everything scripts/gpu_check.sh runs.
if(TENSOR_WITH_CUDA)
  add_executable(bench_gpu ${PROJECT_SOURCE_DIR}/bench/gpu/bench_gpu.c)
  target_link_libraries(bench_gpu PRIVATE tensor)
  set_target_properties(bench_gpu PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_compile_options(bench_gpu PRIVATE -Wall -Wextra -pedantic $<$<BOOL:${TENSOR_WERROR}>:-Werror>)
  # The CUDA runtime's own launch cost, the floor under the tiny-op row of the table.
  add_executable(bench_launch_floor ${PROJECT_SOURCE_DIR}/bench/gpu/launch_floor.cu)
  target_link_libraries(bench_launch_floor PRIVATE CUDA::cudart_static)
  set_target_properties(bench_launch_floor PROPERTIES CUDA_STANDARD 17 RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()
# Tuning runs of the column reduction's kernel shape (internal API, 8 kernel shapes: opt-in, so
# that CI does not compile them).
option(TENSOR_BUILD_GPU_TUNING "Build bench_tune_reduce (needs the CUDA backend)" OFF)
if(TENSOR_WITH_CUDA AND TENSOR_BUILD_GPU_TUNING)
  add_executable(bench_tune_reduce ${PROJECT_SOURCE_DIR}/bench/gpu/tune_reduce.cu)
  target_link_libraries(bench_tune_reduce PRIVATE tensor_internal)
  tensor_configure_cuda_target(bench_tune_reduce)
  set_target_properties(bench_tune_reduce PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()

# The launch planners replayed on the CPU (no GPU needed; runs in CI): built with the backend only.
if(TENSOR_WITH_CUDA)
  tensor_add_test(test_cuda_plans SOURCES test_cuda_plans.cpp INTERNAL LABELS cuda)
endif()
tensor_add_cuda_test(test_cuda_optim SOURCES test_cuda_optim.cpp)
tensor_add_cuda_test(test_cuda_random SOURCES test_cuda_random.cpp)
# The storage dtypes (issue 14) on CUDA against the CPU: conversions, fill, one op per family, half matmul.
tensor_add_cuda_test(test_cuda_dtypes SOURCES test_cuda_dtypes.cpp)
# The CUDA conversion's host+device code (cuda/convert_wide.h) against the CPU's cast_value, on the host:
# runs in every build, with or without a GPU or the CUDA toolkit.
tensor_add_test(test_cuda_convert_wide SOURCES test_cuda_convert_wide.cpp INTERNAL LABELS cuda)
target_include_directories(test_cuda_convert_wide PRIVATE ${PROJECT_SOURCE_DIR})
