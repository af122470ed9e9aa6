# max_pool2d, avg_pool2d, adaptive_avg_pool2d, embedding and pad: exact values on small cases, the C++
# wrapper and bad input through the C API (Catch2); a differential test against Debian's PyTorch through
# the Python binding (random shapes, strides, paddings, dilations, ceil modes, ties and NaN, strided input,
# batch 0/1, every pad dtype, grads, grad_fn names, error messages; skipped without torch). The float64
# gradchecks are rows of tests/test_gradcheck.cpp; CUDA-vs-CPU is test_cuda_pool (skips without a GPU).
tensor_add_test(test_pool SOURCES test_pool.cpp LABELS nn)
tensor_add_cuda_test(test_cuda_pool SOURCES test_cuda_pool.cpp)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_pool_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_pool_torch.py)
  set_tests_properties(test_pool_torch PROPERTIES LABELS nn SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
