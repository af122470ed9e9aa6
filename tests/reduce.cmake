# Reductions and their grads: Catch2 tests through the C API, internal tests of the
# reduction planner, and a differential test against NumPy through ctypes.
if(EXISTS /usr/bin/python3)
  add_test(NAME test_numpy_reduce
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_reduce_numpy.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_numpy_reduce PROPERTIES LABELS reduce)
endif()
tensor_add_test(test_reduce SOURCES test_reduce.cpp LABELS reduce)
tensor_add_test(test_reduce_grad SOURCES test_reduce_grad.cpp LABELS reduce autograd)
tensor_add_test(test_reduce_plan SOURCES test_reduce_plan.cpp INTERNAL LABELS reduce)
