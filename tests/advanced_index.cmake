# Advanced indexing (tensor_index, tensor_index_put_): the C++ suite with exact values, statuses and grads,
# a differential test against torch through the Python binding (tests/python/test_advanced_index_torch.py),
# gradcheck rows in tests/test_gradcheck.cpp and the CUDA-vs-CPU suite in tests/cuda.cmake.
tensor_add_test(test_advanced_index SOURCES test_advanced_index.cpp LABELS index)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_advanced_index_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_advanced_index_torch.py)
  set_tests_properties(test_advanced_index_torch PROPERTIES LABELS "index;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
