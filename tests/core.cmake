# Core: dtype promotion, shapes, the iteration engine (internal), and the C API's foundation groups.
tensor_add_test(test_core_internal SOURCES test_core_internal.cpp INTERNAL LABELS core)
# float16/bfloat16 rounding and the conversions between all dtypes, against independent references.
tensor_add_test(test_half SOURCES test_half.cpp INTERNAL LABELS core)
# The CPU's float16/bfloat16 elementwise and sum kernels (Note [half rows]) against float32 + one rounding.
tensor_add_test(test_half_rows SOURCES test_half_rows.cpp INTERNAL LABELS core)
# The vectorised float32 exp against double-precision exp over the whole float range.
tensor_add_test(test_vec_math SOURCES test_vec_math.cpp INTERNAL LABELS core)
tensor_add_test(test_creation SOURCES test_creation.cpp LABELS core)
tensor_add_test(test_views SOURCES test_views.cpp LABELS core)
tensor_add_test(test_elementwise SOURCES test_elementwise.cpp LABELS core)
# The edge semantics of the math and logical ops (signs, rounding, NaN, integer division by zero, grads).
tensor_add_test(test_elementwise_math SOURCES test_elementwise_math.cpp LABELS core)
# Every op of the elementwise tables against its definition, generated from core/op_kinds.h.
tensor_add_test(test_op_table SOURCES test_op_table.cpp LABELS core)
tensor_add_test(test_errors SOURCES test_errors.cpp LABELS core)
tensor_add_test(test_autograd SOURCES test_autograd.cpp test_gradcheck.cpp LABELS autograd)

# A plain C99 consumer of the header and the .so, compiled as strict C.
add_executable(test_c_consumer c_consumer.c)
target_link_libraries(test_c_consumer PRIVATE tensor)
target_compile_options(test_c_consumer PRIVATE -std=c99 -pedantic -Wall -Wextra -Werror)
set_target_properties(test_c_consumer PROPERTIES C_STANDARD 99 C_EXTENSIONS OFF)
add_test(NAME test_c_consumer COMMAND test_c_consumer)

# Only tensor_* symbols leave the .so.
add_test(NAME test_exported_symbols
         COMMAND ${CMAKE_COMMAND} -DLIB=$<TARGET_FILE:tensor> -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_exports.cmake)

# Differential tests against NumPy through ctypes (Debian's /usr/bin/python3 with python3-numpy).
if(EXISTS /usr/bin/python3)
  add_test(NAME test_numpy_elementwise
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/python/test_elementwise_numpy.py $<TARGET_FILE:tensor>)
endif()

# The Python binding's copy of the op tables (bindings/python/libtensor/_op_table.py) is generated from
# the C++ definitions; this fails, with the command that regenerates it, when the committed copy lags.
add_executable(op_table_dump op_table_dump.cpp)
target_include_directories(op_table_dump PRIVATE ${PROJECT_SOURCE_DIR}/src)
tensor_set_warnings(op_table_dump)
add_test(NAME test_op_table_generated
         COMMAND ${CMAKE_COMMAND} -DDUMP=$<TARGET_FILE:op_table_dump>
                 -DCOMMITTED=${PROJECT_SOURCE_DIR}/bindings/python/libtensor/_op_table.py
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_op_table.cmake)
set_tests_properties(test_op_table_generated PROPERTIES LABELS core)

# A library user or packager configures without Catch2: the test suite is skipped unless asked for.
add_test(NAME configure_without_catch2
         COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR} -DWORK=${CMAKE_BINARY_DIR}/configure-without-catch2
                 -DGENERATOR=${CMAKE_GENERATOR} -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/check_optional_catch2.cmake)
set_tests_properties(configure_without_catch2 PROPERTIES LABELS packaging TIMEOUT 300)
