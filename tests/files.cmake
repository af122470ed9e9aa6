# Tensor files (safetensors, .npy, .npz): the C suite (round trips, zero-copy loads, atomic saves, hostile
# files) and the exchange with NumPy and a Python writer/reader of the safetensors spec.
tensor_add_test(test_files SOURCES test_files.cpp LABELS files)
if(EXISTS /usr/bin/python3)
  add_test(NAME test_files_numpy COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_files_numpy.py)
  set_tests_properties(test_files_numpy PROPERTIES LABELS "files;python" SKIP_RETURN_CODE 77
    ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${PROJECT_SOURCE_DIR}/bindings/python;PYTHONDONTWRITEBYTECODE=1")
endif()
