# Issue 14, every op family on the storage dtypes (float16, bfloat16, uint8, int8, int16): every op of the
# C API on each of them against Debian's PyTorch 1.13 through ctypes (tests/python/test_dtypes_ops_torch.py:
# bit-exact where torch computes the same way, tolerances for reductions and transcendentals, refusals as
# TENSOR_ERR_DTYPE naming the dtype, half grads against torch's and our float32 grads; skipped without
# torch), and the Catch2 suite of the error cases and hand-checked values (tests/test_dtypes_ops.cpp).
if(EXISTS /usr/bin/python3)
  add_test(NAME test_dtypes_ops_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_dtypes_ops_torch.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_dtypes_ops_torch PROPERTIES LABELS "dtypes;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
endif()
tensor_add_test(test_dtypes_ops SOURCES test_dtypes_ops.cpp LABELS dtypes)
tensor_add_test(test_dtypes_ops_internal SOURCES test_dtypes_ops_internal.cpp INTERNAL LABELS dtypes)
