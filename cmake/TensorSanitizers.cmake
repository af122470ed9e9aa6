# TENSOR_SANITIZE=address -> AddressSanitizer + UndefinedBehaviorSanitizer; =thread -> ThreadSanitizer.
# Applied globally so that the library, tests and examples agree on instrumentation.
if(TENSOR_SANITIZE STREQUAL "address")
  # float-cast-overflow: GCC leaves it out of "undefined" (clang includes it); NaN or out-of-range
  # floating -> integer conversions are undefined behaviour all the same.
  add_compile_options(-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined,float-cast-overflow)
elseif(TENSOR_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT TENSOR_SANITIZE STREQUAL "")
  message(FATAL_ERROR "TENSOR_SANITIZE must be address, thread or empty (got '${TENSOR_SANITIZE}')")
endif()
if(TENSOR_COVERAGE)
  add_compile_options(--coverage -O0)
  add_link_options(--coverage)
endif()
