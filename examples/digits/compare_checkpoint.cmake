# cmake -DPROGRAM=<digits_cpp or python> [-DSCRIPT=<digits.py>] -DWORK=<dir> -DREFERENCE=<dir> -DEPOCHS=<n>
#       -P compare_checkpoint.cmake
# Runs another language's digits program for EPOCHS epochs and requires each of its checkpoints to be byte
# for byte the C program's (REFERENCE, written by check_digits.cmake): the same calls in the same order
# draw the same batches and compute the same bits.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${PROGRAM} ${SCRIPT} --epochs ${EPOCHS} --out ${WORK}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${SCRIPT} exited with ${rc}:\n${err}")
endif()
foreach(e RANGE 1 ${EPOCHS})
  set(name digits-epoch-0${e}.safetensors)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/${name} ${REFERENCE}/${name}
                  RESULT_VARIABLE differ)
  if(NOT differ EQUAL 0)
    message(FATAL_ERROR "epoch ${e}: ${WORK}/${name} differs from the C program's ${REFERENCE}/${name}")
  endif()
endforeach()
message(STATUS "checkpoints of epochs 1..${EPOCHS} bitwise equal to the C program's")
