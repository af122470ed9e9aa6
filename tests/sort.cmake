# Sorting (sort, argsort, topk): the C++ suite (exact values, stability, NaN, ties, dtypes, 0-d/empty,
# statuses, grads), a differential test against torch through the Python binding
# (tests/python/test_sort_torch.py), gradcheck rows in tests/test_gradcheck.cpp, and the CUDA-vs-CPU suite
# (test_cuda_sort in tests/cuda.cmake).
tensor_add_test(test_sort SOURCES test_sort.cpp LABELS sort)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_sort_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_sort_torch.py)
  set_tests_properties(test_sort_torch PROPERTIES LABELS "sort;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
