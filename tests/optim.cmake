# Optimizers and clip_grad_norm_: the C API suite (option checks, state, resume, ownership, duplicates) and
# a differential test against torch.optim / torch.nn.utils.clip_grad_norm_ through the Python binding
# (tests/python/test_optim_torch.py); CUDA vs CPU in tests/cuda.cmake (test_cuda_optim).
tensor_add_test(test_optim SOURCES test_optim.cpp LABELS optim)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_optim_torch COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_optim_torch.py)
  set_tests_properties(test_optim_torch PROPERTIES LABELS "optim;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
tensor_add_test(test_cpp_optim SOURCES test_cpp_optim.cpp LABELS "optim;cpp")
target_compile_options(test_cpp_optim PRIVATE -Wall -Wextra -Werror -pedantic)
