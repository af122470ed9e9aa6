# batch_norm, layer_norm, group_norm: C API values against float64 formulas, running stats, the C++
# wrapper and bad input (Catch2); a differential test against Debian's PyTorch through the Python binding
# (random shapes, non-contiguous input, batch 1, running stats over several steps, eval mode, NULL
# weight/bias, grads and grad_fn names; skipped without torch). The float64 gradchecks are rows of
# tests/test_gradcheck.cpp; CUDA-vs-CPU is test_cuda_norm (skips without a GPU).
tensor_add_test(test_norm SOURCES test_norm.cpp LABELS nn)
tensor_add_cuda_test(test_cuda_norm SOURCES test_cuda_norm.cpp)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_norm_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_norm_torch.py)
  set_tests_properties(test_norm_torch PROPERTIES LABELS nn SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
