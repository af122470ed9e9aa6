# Indexing, scans and masks: the C++ suite (statuses, messages, in-place failure atomicity, grads), a
# differential test against NumPy and torch through the Python binding (tests/python/test_index_numpy.py),
# gradcheck rows in tests/test_gradcheck.cpp, and the CUDA-vs-CPU suite in tests/cuda.cmake.
tensor_add_test(test_index SOURCES test_index.cpp LABELS index)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_index_numpy COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_index_numpy.py)
  set_tests_properties(test_index_numpy PROPERTIES LABELS "index;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
