# Configures the project as a library user would, with Catch2 hidden (CMAKE_DISABLE_FIND_PACKAGE_Catch2):
#   - the default (TENSOR_BUILD_TESTS=AUTO) must configure, saying that the tests are skipped;
#   - TENSOR_BUILD_TESTS=ON (tests asked for) must fail, naming Catch2.
# Arguments: -DSRC=<source dir> -DWORK=<scratch dir> -DGENERATOR=<generator>
set(common -S ${SRC} -G ${GENERATOR} -DTENSOR_CUDA=OFF -DTENSOR_BUILD_EXAMPLES=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Catch2=ON)

file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} ${common} -B ${WORK}/auto
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure without Catch2 failed (exit ${rc}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "Catch2 not found: the test suite is skipped")
  message(FATAL_ERROR "configure without Catch2 did not say that the tests are skipped:\n${out}")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} ${common} -B ${WORK}/on -DTENSOR_BUILD_TESTS=ON
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "TENSOR_BUILD_TESTS=ON without Catch2 configured although the tests cannot build")
endif()
string(REGEX REPLACE "[ \n]+" " " err_flat "${err}")  # CMake wraps the message
if(NOT err_flat MATCHES "TENSOR_BUILD_TESTS=ON asks for the test suite, which needs Catch2")
  message(FATAL_ERROR "TENSOR_BUILD_TESTS=ON without Catch2 failed without naming the cause:\n${err}")
endif()
file(REMOVE_RECURSE ${WORK})
message(STATUS "configure without Catch2: tests skipped by default, required when asked for")
