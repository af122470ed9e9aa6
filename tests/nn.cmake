# Softmax, log_softmax, logsumexp and the losses: a differential test against Debian's PyTorch through
# ctypes (forward, grads, grad_fn names, error statuses; skipped when torch is missing). The float64 gradchecks are rows
# of tests/test_gradcheck.cpp.
if(EXISTS /usr/bin/python3)
  add_test(NAME test_nn_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_nn_torch.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_nn_torch PROPERTIES LABELS nn SKIP_RETURN_CODE 77)
endif()
