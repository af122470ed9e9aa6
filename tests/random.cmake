# Random draws: the C++ suite (determinism, stream state, ranges, statistics with fixed seeds, dropout
# and its grad, error statuses), a check against torch through the Python binding
# (tests/python/test_random_torch.py), a dropout gradcheck row in tests/test_gradcheck.cpp, and the
# CUDA-vs-CPU bitwise suite in tests/cuda.cmake.
tensor_add_test(test_random SOURCES test_random.cpp LABELS random)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_random_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_random_torch.py)
  set_tests_properties(test_random_torch PROPERTIES LABELS "random;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
