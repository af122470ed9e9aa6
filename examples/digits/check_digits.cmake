# cmake -DPROGRAM=<digits> -DWORK=<dir> -DEPOCHS=<n> -DRESUME_EPOCH=<k> -DMIN_ACCURACY=<a> -P check_digits.cmake
#
# The digits example's test: a fresh run of EPOCHS epochs (writing the test-set predictions) whose final
# test accuracy must reach MIN_ACCURACY, then a second run resumed from the first one's epoch-RESUME_EPOCH
# checkpoint, whose last checkpoint must be byte for byte the first run's: the same weights, optimizer
# state, epoch and random stream state, bitwise. Its checkpoints and predictions stay in WORK for the
# tests that compare the C++ and Python programs and NumPy with it.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_digits label)
  execute_process(COMMAND ${PROGRAM} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "${label}:\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${label}: ${PROGRAM} exited with ${rc}:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run_digits("full run" --epochs ${EPOCHS} --out ${WORK}/full --predictions ${WORK}/predictions.npz)
if(NOT out MATCHES "final test accuracy: ([0-9.]+)")
  message(FATAL_ERROR "no 'final test accuracy' line in the output")
endif()
set(accuracy ${CMAKE_MATCH_1})
if(accuracy LESS MIN_ACCURACY OR accuracy GREATER 1)
  message(FATAL_ERROR "test accuracy ${accuracy} after ${EPOCHS} epochs is outside [${MIN_ACCURACY}, 1]")
endif()
string(REGEX MATCHALL "epoch +[0-9]+ " epochs_printed "${out}")
list(LENGTH epochs_printed n)
if(NOT n EQUAL EPOCHS)
  message(FATAL_ERROR "expected ${EPOCHS} epoch lines, got ${n}")
endif()

set(resume_file ${WORK}/full/digits-epoch-0${RESUME_EPOCH}.safetensors)
run_digits("resumed run" --epochs ${EPOCHS} --out ${WORK}/resumed --resume ${resume_file})
if(NOT out MATCHES "resumed from [^\n]* at epoch ${RESUME_EPOCH} ")
  message(FATAL_ERROR "the resumed run did not report resuming at epoch ${RESUME_EPOCH}")
endif()
if(EXISTS ${WORK}/resumed/digits-epoch-0${RESUME_EPOCH}.safetensors)
  message(FATAL_ERROR "the resumed run trained epoch ${RESUME_EPOCH} again")
endif()
foreach(e RANGE ${RESUME_EPOCH} ${EPOCHS})
  if(e GREATER RESUME_EPOCH)
    set(name digits-epoch-0${e}.safetensors)
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/full/${name} ${WORK}/resumed/${name}
                    RESULT_VARIABLE differ)
    if(NOT differ EQUAL 0)
      message(FATAL_ERROR "epoch ${e}: the resumed run's checkpoint differs from the uninterrupted run's")
    endif()
  endif()
endforeach()
message(STATUS "accuracy ${accuracy}; resumed run bitwise equal to the uninterrupted one at epochs ${RESUME_EPOCH}+1..${EPOCHS}")
