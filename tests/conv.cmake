# Convolutions (conv2d, conv_transpose2d; conv1d shares their kernels): a differential test against Debian's
# PyTorch through ctypes (forward, grads of input, weight and bias, shape errors; skipped without torch).
if(EXISTS /usr/bin/python3)
  add_test(NAME test_conv_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_conv_torch.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_conv_torch PROPERTIES LABELS conv SKIP_RETURN_CODE 77)
endif()
# Values against a direct convolution, hand-computed cases, grads, batch 0, bad and hostile input, the C++
# wrapper (Catch2); CUDA against the CPU, forward and grads (skips without a GPU); the Python binding's
# libtensor.nn.functional.conv1d / conv2d / conv_transpose2d against torch (non-contiguous input, batch 0/1,
# unbatched, groups, padding="same", error messages, grad_fn). The float64 gradchecks are rows of
# tests/test_gradcheck.cpp.
tensor_add_test(test_conv SOURCES test_conv.cpp LABELS conv)
# tensor_add_cuda_test is defined by cuda.cmake, which the glob includes after this file: defer the call.
cmake_language(DEFER CALL tensor_add_cuda_test test_cuda_conv SOURCES test_cuda_conv.cpp)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_conv_functional COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_conv_functional.py)
  set_tests_properties(test_conv_functional PROPERTIES LABELS conv SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
