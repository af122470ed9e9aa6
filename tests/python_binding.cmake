# The Python binding (bindings/python): its unittest modules run against this build's libtensor.so.
# Debian's /usr/bin/python3 with python3-numpy is the reference interpreter (the first python3 on PATH may
# lack NumPy); override with -DTENSOR_PYTHON=/path/to/python3.
if(EXISTS /usr/bin/python3)
  set(_tensor_python_default /usr/bin/python3)
else()
  set(_tensor_python_default "${Python3_EXECUTABLE}")
endif()
set(TENSOR_PYTHON "${_tensor_python_default}" CACHE FILEPATH "Python with NumPy for the binding's tests")

set(_tensor_python_ok FALSE)
if(TENSOR_PYTHON)
  execute_process(COMMAND ${TENSOR_PYTHON} -c "import numpy" RESULT_VARIABLE _numpy_rc OUTPUT_QUIET ERROR_QUIET)
  if(_numpy_rc EQUAL 0)
    set(_tensor_python_ok TRUE)
  endif()
endif()

if(NOT _tensor_python_ok)
  message(WARNING "libtensor: no Python with NumPy at '${TENSOR_PYTHON}' (apt-get install python3-numpy): "
                  "the Python binding tests are not registered")
else()
  set(_binding_dir ${PROJECT_SOURCE_DIR}/bindings/python)
  foreach(module test_tensor test_dlpack test_autograd test_notebook)
    add_test(NAME python_${module} COMMAND ${TENSOR_PYTHON} -m unittest -v tests.${module}
             WORKING_DIRECTORY ${_binding_dir})
    set_tests_properties(python_${module} PROPERTIES LABELS python TIMEOUT 900
      ENVIRONMENT "LIBTENSOR_PATH=$<TARGET_FILE:tensor>;PYTHONPATH=${_binding_dir};PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endif()
