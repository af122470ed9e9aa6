# Tensor files (safetensors, .npy, .npz): the C suite (round trips, zero-copy loads, atomic saves, hostile
# files) and the exchange with NumPy and a Python writer/reader of the safetensors spec.
tensor_add_test(test_files SOURCES test_files.cpp LABELS files)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_files_numpy COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_files_numpy.py)
  set_tests_properties(test_files_numpy PROPERTIES LABELS "files;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()

# The file readers' fuzz target (scripts/fuzz.sh builds fuzz_* targets with clang; FUZZ_TARGET=fuzz_files)
# and its replay of the seed corpus in every build.
add_executable(fuzz_files_replay fuzz/fuzz_files.cpp fuzz/replay_main.cpp)
target_link_libraries(fuzz_files_replay PRIVATE tensor)
tensor_set_warnings(fuzz_files_replay)
add_test(NAME fuzz_files_replay COMMAND fuzz_files_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_files)
set_tests_properties(fuzz_files_replay PROPERTIES LABELS "files;hardening;fuzz")
if(TENSOR_FUZZ)
  add_executable(fuzz_files fuzz/fuzz_files.cpp)
  target_compile_options(fuzz_files PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_files PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_files PRIVATE tensor_internal)
  tensor_set_warnings(fuzz_files)
endif()

tensor_add_test(test_cpp_files SOURCES test_cpp_files.cpp LABELS "files;cpp")
target_compile_options(test_cpp_files PRIVATE -Wall -Wextra -Werror -pedantic)

# CUDA tensors saved through the host (skips without a GPU; tensor_add_cuda_test is in tests/cuda.cmake).
tensor_add_cuda_test(test_cuda_files SOURCES test_cuda_files.cpp)
