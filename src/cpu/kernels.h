// The CPU backend's kernels: one free function per row of LT_BACKEND_KERNELS (Note [backend kernel list]
// in core/backend.h), each defined in its family file (binary_kernels.cpp, unary_kernels.cpp,
// where_kernels.cpp, copy_kernels.cpp, creation_kernels.cpp, random_kernels.cpp, reduce_*_kernels.cpp,
// matmul.cpp), gathered into the Backend by cpu_backend.cpp.
#pragma once
#include "core/backend.h"

namespace lt::cpu {

LT_BACKEND_KERNELS(LT_BACKEND_DECLARE)

}  // namespace lt::cpu
