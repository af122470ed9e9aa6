# The header-only C++ wrapper, compiled as strictly as a user's C++17 project would compile it.
tensor_add_test(test_cpp_wrapper SOURCES test_cpp_wrapper.cpp LABELS cpp)
target_compile_options(test_cpp_wrapper PRIVATE -Wall -Wextra -Werror -pedantic)
