# Issue 14's dtypes (float16, bfloat16, uint8, int8, int16) at the edges of the library: printing against
# PyTorch's repr (tests/format_dtypes_cases.py -> .inc), tensor_item, and through the Python binding the
# dtype objects, NumPy/DLPack/file interop, the promotion table and every conversion against torch.
tensor_add_test(test_format_dtypes SOURCES test_format_dtypes.cpp LABELS "format;dtypes")
tensor_add_test(test_format_dtypes_internal SOURCES test_format_dtypes_internal.cpp INTERNAL LABELS "format;dtypes")
if(EXISTS /usr/bin/python3)
  foreach(module convert promotion interop)
    add_test(NAME test_dtypes_binding_${module}
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_dtypes_binding_${module}.py)
    set_tests_properties(test_dtypes_binding_${module} PROPERTIES LABELS "dtypes;python" SKIP_RETURN_CODE 77
      TIMEOUT 900
      ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endif()
# The C++ wrapper's dtypes (kFloat16 ... kInt16, Half / BFloat16, dtype_of), compiled as a user's project would.
tensor_add_test(test_cpp_dtypes SOURCES test_cpp_dtypes.cpp LABELS "cpp;dtypes")
target_compile_options(test_cpp_dtypes PRIVATE -Wall -Wextra -Werror -pedantic)
# The same printing cases from CUDA tensors (skips without a GPU; tensor_add_cuda_test is in tests/cuda.cmake).
tensor_add_cuda_test(test_cuda_format_dtypes SOURCES test_cuda_format_dtypes.cpp)
