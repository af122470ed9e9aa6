# cmake -DPROGRAM=<train> -DSTEPS=<n> -DMAX_RATIO=<r> -P check_train.cmake
# Runs the training example and fails unless its final loss is below MAX_RATIO times its initial loss.
execute_process(COMMAND ${PROGRAM} ${STEPS} OUTPUT_VARIABLE out ERROR_VARIABLE errors RESULT_VARIABLE rc)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}:\n${errors}")
endif()
if(NOT out MATCHES "final/initial loss: ([0-9.]+)")
  message(FATAL_ERROR "no 'final/initial loss' line in the output")
endif()
if(NOT CMAKE_MATCH_1 LESS MAX_RATIO)
  message(FATAL_ERROR "the loss fell only to ${CMAKE_MATCH_1} of its initial value (expected < ${MAX_RATIO})")
endif()
