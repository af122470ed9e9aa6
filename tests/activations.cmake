# gelu, softplus, leaky_relu, elu, clamp and linear: C API values, the C++ wrapper and bad input (Catch2),
# and a differential test against Debian's PyTorch through the Python binding (forward in both floating
# dtypes, non-contiguous inputs, broadcast bounds, NaN, grads and grad_fn names; skipped when torch is
# missing). The float64 gradchecks are rows of tests/test_gradcheck.cpp; CUDA-vs-CPU is test_cuda_activations.
tensor_add_test(test_activations SOURCES test_activations.cpp LABELS nn)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_activations_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_activations_torch.py)
  set_tests_properties(test_activations_torch PROPERTIES LABELS nn SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
