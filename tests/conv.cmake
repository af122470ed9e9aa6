# Convolutions (conv2d, conv_transpose2d; conv1d shares their kernels): a differential test against Debian's
# PyTorch through ctypes (forward, grads of input, weight and bias, shape errors; skipped without torch).
if(EXISTS /usr/bin/python3)
  add_test(NAME test_conv_torch
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_conv_torch.py $<TARGET_FILE:tensor>)
  set_tests_properties(test_conv_torch PROPERTIES LABELS conv SKIP_RETURN_CODE 77)
endif()
