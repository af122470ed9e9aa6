# The examples: both notebook programs print what PyTorch prints (examples/notebook.expected, produced by
# examples/notebook_torch.py), and the training loop lowers its loss.
if(TARGET notebook_c)
  set(_examples ${PROJECT_SOURCE_DIR}/examples)
  foreach(prog notebook_c notebook_cpp)
    add_test(NAME example_${prog}
             COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${prog}> -DEXPECTED=${_examples}/notebook.expected
                     -P ${_examples}/compare_output.cmake)
    set_tests_properties(example_${prog} PROPERTIES LABELS examples)
  endforeach()

  # 300 SGD steps take well under a second; the loss must fall below half its start.
  add_test(NAME example_train
           COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:train> -DSTEPS=300 -DMAX_RATIO=0.5
                   -P ${_examples}/check_train.cmake)
  set_tests_properties(example_train PROPERTIES LABELS examples)

  # The expected text itself is checked against real PyTorch where it is installed (skipped otherwise).
  if(EXISTS /usr/bin/python3)
    add_test(NAME example_notebook_torch
             COMMAND /usr/bin/python3 ${_examples}/notebook_torch.py --check ${_examples}/notebook.expected)
    set_tests_properties(example_notebook_torch PROPERTIES LABELS examples SKIP_RETURN_CODE 77)
  endif()
endif()
