# TENSOR_CUDA: AUTO builds the CUDA backend when a toolkit is found, ON requires it, OFF skips it.
# Sets TENSOR_WITH_CUDA. The CUDA backend's own settings (architectures, static cudart) live in
# tensor_configure_cuda_target / tensor_link_cuda below.
set(TENSOR_WITH_CUDA OFF)
if(NOT TENSOR_CUDA MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "TENSOR_CUDA must be AUTO, ON or OFF (got '${TENSOR_CUDA}')")
endif()
if(NOT TENSOR_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      # sm_90 machine code plus compute_90 PTX (the PTX lets newer GPUs JIT it).
      set(CMAKE_CUDA_ARCHITECTURES 90-real 90-virtual)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(TENSOR_WITH_CUDA ON)
  elseif(TENSOR_CUDA STREQUAL "ON")
    message(FATAL_ERROR "TENSOR_CUDA=ON but no CUDA toolkit (nvcc) was found. Install the CUDA toolkit, point "
                        "CMAKE_CUDA_COMPILER at nvcc, or configure with -DTENSOR_CUDA=OFF.")
  endif()
endif()
message(STATUS "libtensor: CUDA backend ${TENSOR_WITH_CUDA} (TENSOR_CUDA=${TENSOR_CUDA})")

function(tensor_configure_cuda_target target)
  set_target_properties(${target} PROPERTIES CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON CUDA_VISIBILITY_PRESET hidden)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr -Xcompiler=-fvisibility=hidden>)
  # SYSTEM: the toolkit's headers are not held to the project's warning flags.
  target_include_directories(${target} SYSTEM PRIVATE ${CUDAToolkit_INCLUDE_DIRS})
  target_compile_definitions(${target} PRIVATE TENSOR_WITH_CUDA=1)
endfunction()

function(tensor_link_cuda target)
  # cudart is linked statically so that libtensor.so loads on machines without the CUDA runtime;
  # cuBLAS is opened at run time by the backend (dlopen) for the same reason.
  target_link_libraries(${target} PRIVATE CUDA::cudart_static ${CMAKE_DL_LIBS})
endfunction()
