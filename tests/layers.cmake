# The layer rule of cmake/TensorLayers.cmake (Note [layers]) is a build rule, so it is tested as one:
# each probe is compiled with exactly the include path of a layer, by building its target from ctest.
# An upward or sideways include must fail with "No such file or directory" naming the header; the
# control (a downward include) must build, so the failures are not from a broken probe setup.
function(tensor_layer_probe layer probe expect_failure)
  add_library(layer_probe_${probe} OBJECT EXCLUDE_FROM_ALL layers/${probe}.cpp)
  tensor_compile_as_layer(layer_probe_${probe} ${layer})
  add_test(NAME layer_${probe}
           COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target layer_probe_${probe})
  if(expect_failure)
    file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/layers/${probe}.cpp include_line REGEX "^#include")
    string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" header "${include_line}")
    set_tests_properties(layer_${probe} PROPERTIES PASS_REGULAR_EXPRESSION "${header}: No such file or directory"
                                                   LABELS layers RESOURCE_LOCK build_tree)
  else()
    # Two builds in one tree at once would share ninja's log: the probes take turns.
    set_tests_properties(layer_${probe} PROPERTIES LABELS layers RESOURCE_LOCK build_tree)
  endif()
endfunction()

tensor_layer_probe(autograd autograd_includes_ops TRUE)
tensor_layer_probe(core core_includes_autograd TRUE)
tensor_layer_probe(cpu cpu_includes_ops TRUE)
tensor_layer_probe(cuda cuda_includes_cpu TRUE)
tensor_layer_probe(ops ops_includes_capi TRUE)
tensor_layer_probe(ops ops_includes_autograd FALSE)
tensor_layer_probe(io io_includes_ops TRUE)
tensor_layer_probe(capi capi_includes_io FALSE)
