// libtensor dtypes and reduction operators as MPI sees them.
#pragma once
#include <mpi.h>

#include <cstdint>

#include "tensor/tensor.h"

namespace tdist {

// The MPI datatype of one element (bool travels as uint8, so that MAX is "any" and MIN "all"; uint8,
// int8 and int16 as MPI's fixed-width integers; float16 and bfloat16 as 16-bit words, Note [half
// reductions]).
MPI_Datatype mpi_type(tensor_dtype d);
// The MPI operator for a reduction of dtype d: SUM/PROD on bool become MAX/MIN (any/all, as PyTorch's
// bool sum and prod would give once cast back to bool); AVG is reduced as SUM and divided afterwards;
// float16 and bfloat16, and SUM of uint8, int8 and int16, get the operators of Note [own reduction
// operators].
MPI_Op mpi_op(int32_t op, tensor_dtype d);
// dst[i] = src[i] / world for n elements of floating dtype d (the second half of AVG); dst may be src.
// Bitwise the same as dividing, also when a power-of-two world is applied as a multiplication by its
// exact reciprocal. float16 and bfloat16 divide in float32 and round once, as PyTorch does.
void divide_into(void* dst, const void* src, int64_t n, tensor_dtype d, int32_t world);
inline void divide_in_place(void* data, int64_t n, tensor_dtype d, int32_t world) {
  divide_into(data, data, n, d, world);
}
// The name of a reduction operator ("sum", ...), NULL for an unknown one.
const char* op_name(int32_t op);

}  // namespace tdist
