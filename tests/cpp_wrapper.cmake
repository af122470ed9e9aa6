# The header-only C++ wrapper, compiled as strictly as a user's C++17 project would compile it.
tensor_add_test(test_cpp_wrapper SOURCES test_cpp_wrapper.cpp LABELS cpp)
target_compile_options(test_cpp_wrapper PRIVATE -Wall -Wextra -Werror -pedantic)
# Every row of the op tables has its C++ methods and free functions (a compile-time check).
tensor_add_test(test_cpp_wrapper_ops SOURCES test_cpp_wrapper_ops.cpp LABELS cpp)
target_compile_options(test_cpp_wrapper_ops PRIVATE -Wall -Wextra -Werror -pedantic)
