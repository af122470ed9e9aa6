# cmake -DPROGRAM=<exe> -DEXPECTED=<file> [-DARGS=<arg>] -P compare_output.cmake
# Runs PROGRAM and fails unless its output equals EXPECTED, ignoring lines that start with "[time]"
# (timings differ from run to run).
execute_process(COMMAND ${PROGRAM} ${ARGS} OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${rc}:\n${errors}")
endif()
file(READ ${EXPECTED} expected)
foreach(var actual expected)
  string(REGEX REPLACE "\\[time\\][^\n]*\n?" "" ${var} "${${var}}")
endforeach()
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output of ${PROGRAM} differs from ${EXPECTED}\n--- expected ---\n${expected}\n--- actual ---\n${actual}")
endif()
message(STATUS "output matches ${EXPECTED}")
