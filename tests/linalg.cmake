# Linear algebra: tensor_matmul (C API, gradients), its BLAS layout rules (internal), and the differential
# test against numpy.matmul through ctypes (Debian's /usr/bin/python3 with python3-numpy).
tensor_add_test(test_matmul SOURCES test_matmul.cpp LABELS linalg)
tensor_add_test(test_matmul_internal SOURCES test_matmul_internal.cpp INTERNAL LABELS linalg)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_matmul_numpy
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_matmul_numpy.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_matmul_numpy PROPERTIES LABELS linalg)
endif()
