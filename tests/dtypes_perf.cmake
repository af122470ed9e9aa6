# Issue 14 (dtypes) performance paths: the vectorised float32 <-> float16 / bfloat16 / uint8 conversions
# of the CPU copy kernel, and matmul on the half and small integer dtypes.
tensor_add_test(test_convert SOURCES test_convert.cpp INTERNAL LABELS dtypes)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_matmul_dtypes_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_matmul_dtypes_torch.py
                   $<TARGET_FILE:tensor>)
  set_tests_properties(test_matmul_dtypes_torch PROPERTIES LABELS dtypes)
endif()
tensor_add_test(test_gemm_bf16 SOURCES test_gemm_bf16.cpp INTERNAL LABELS dtypes)
# CUDA against the CPU for the same matmuls (skips without a GPU; tensor_add_cuda_test is in cuda.cmake).
tensor_add_cuda_test(test_cuda_matmul_dtypes SOURCES test_cuda_matmul_dtypes.cpp)
