# Note [layers]: libtensor's rooms and which rooms each may include, enforced by the build.
#
#   capi      the C ABI: handles, statuses, messages               -> everything below
#   format    printing (PyTorch's repr)                            -> ops autograd core
#   config    tensor_config_string (BLAS kernel, CUDA, threads)    -> cpu core
#   io        tensor files: safetensors, .npy, .npz (mmap, atomic)  -> core
#   ops       semantics: promotion, broadcasting, autograd records -> autograd core
#   autograd  graph, engine, leaves                                -> core
#   cpu, cuda the backends: kernels behind core/backend.h          -> core
#   core      tensors, storage, dtypes, iteration, op definitions  -> (nothing)
#
# Every source includes headers as "room/header.h". Each layer is compiled as its own object library
# whose only include root (besides the public include/) is a folder in the build tree holding one
# symlink per room it may reach. An include that points up or sideways, e.g. "ops/ops.h" from
# src/autograd, is then "No such file or directory" at compile time, not a convention to remember.
# A header's own includes are resolved from the root of the layer that includes it, so every header is
# held to the rule by the .cpp files of its own layer. tests/layers.cmake proves that violations fail.
#
# What points up on purpose goes through a declaration one layer down: the autograd metadata a tensor
# owns (Note [autograd metadata interface] in core/tensor_impl.h), the few ops the engine runs
# (autograd/engine_ops.h, defined in src/ops), the kernels (core/backend.h, defined in cpu/ and cuda/),
# the CUDA device calls (core/cuda_api.h, defined in cuda/ or cuda/no_cuda.cpp).

set(TENSOR_LAYER_ROOMS_core core)
set(TENSOR_LAYER_ROOMS_cpu core cpu)
set(TENSOR_LAYER_ROOMS_cuda core cuda)
set(TENSOR_LAYER_ROOMS_autograd core autograd)
set(TENSOR_LAYER_ROOMS_ops core autograd ops)
set(TENSOR_LAYER_ROOMS_format core autograd ops format)
set(TENSOR_LAYER_ROOMS_config core cpu config)
set(TENSOR_LAYER_ROOMS_io core io)
set(TENSOR_LAYER_ROOMS_capi core autograd ops format config io capi)

# Where a room's sources live.
function(tensor_room_dir room out)
  if(room STREQUAL "cuda" OR room STREQUAL "capi")
    set(${out} ${PROJECT_SOURCE_DIR}/${room} PARENT_SCOPE)
  else()
    set(${out} ${PROJECT_SOURCE_DIR}/src/${room} PARENT_SCOPE)
  endif()
endfunction()

# The include root of a layer: <build>/layers/<layer>/<room> -> the room's sources.
function(tensor_layer_include_root layer out)
  set(root ${PROJECT_BINARY_DIR}/layers/${layer})
  file(MAKE_DIRECTORY ${root})
  foreach(room IN LISTS TENSOR_LAYER_ROOMS_${layer})
    tensor_room_dir(${room} dir)
    if(NOT IS_SYMLINK ${root}/${room})
      file(CREATE_LINK ${dir} ${root}/${room} SYMBOLIC)
    endif()
  endforeach()
  set(${out} ${root} PARENT_SCOPE)
endfunction()

# Gives `target` the include path of `layer` and the settings every libtensor object shares.
function(tensor_compile_as_layer target layer)
  if(NOT DEFINED TENSOR_LAYER_ROOMS_${layer})
    message(FATAL_ERROR "tensor_compile_as_layer: unknown layer '${layer}'")
  endif()
  tensor_layer_include_root(${layer} root)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/include ${root})
  target_compile_definitions(${target} PRIVATE TENSOR_VERSION_STRING="${PROJECT_VERSION}")
  target_link_libraries(${target} PUBLIC OpenMP::OpenMP_CXX Threads::Threads)
  tensor_set_warnings(${target})
endfunction()

# One object library per layer: tensor_layer_<layer>.
function(tensor_add_layer layer)
  add_library(tensor_layer_${layer} OBJECT ${ARGN})
  tensor_compile_as_layer(tensor_layer_${layer} ${layer})
endfunction()
