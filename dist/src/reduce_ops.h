// Note [own reduction operators]: the reductions libtensor_dist does with MPI_Op_create operators
// instead of MPI's predefined ones.
//
// Note [half reductions]: MPI has no 16-bit floating type, so float16 and bfloat16 travel as 16-bit
// words (MPI_UINT16_T) and are reduced by user-defined operators. Each combines one pair of elements as
// PyTorch's gloo backend does (gloo::float16's and c10::BFloat16's operators): widen both to float32,
// compute, round once to nearest even. MAX and MIN return one of the two elements unchanged; a NaN wins
// (as in torch.maximum) and +0 beats -0 for MAX (-0 for MIN), so that their result does not depend on
// the order MPI combines ranks in. The operators are commutative, which lets MPI choose its algorithm;
// so the order of the pairwise roundings of SUM and PROD over three or more ranks is MPI's (as it is
// gloo's and NCCL's); the same job on the same MPI gives the same bits.
//
// Note [wrapping sums]: PyTorch's uint8, int8 and int16 sums wrap. Open MPI 4.1's op/avx component
// (used on x86 CPUs with AVX) *saturates* MPI_SUM of 8- and 16-bit integers, signed and unsigned, once
// a buffer is long enough for its vector loop (measured here, Open MPI 4.1.4: 16-49 of 100 overflowing
// sums wrong on 2 ranks; open-mpi/ompi#8045, closed as wontfix since signed overflow is undefined in
// C). So those sums use an operator of ours that adds in unsigned arithmetic (which wraps by
// definition, and gives the same bits for the signed types). PROD, MAX and MIN stay MPI's (they were
// right in the same measurement; a product's low bits do not depend on signedness).
#pragma once
#include <mpi.h>

#include <cstdint>

#include "tensor/tensor.h"

namespace tdist {

bool is_half(tensor_dtype d);  // float16 or bfloat16
// Creates the operators; MPI must be initialised. Idempotent; the caller serialises it with
// free_reduce_ops (tensor_dist_init and tensor_dist_free hold their lifecycle lock), so each operator
// is created once per MPI lifetime.
void create_reduce_ops();
// Frees them before MPI_Finalize (when tensor_dist_free finalises MPI).
void free_reduce_ops() noexcept;
// Our operator for a reduction `op` of dtype d, or MPI_OP_NULL where MPI's predefined one is right.
// AVG is reduced as SUM.
MPI_Op own_op(int32_t op, tensor_dtype d);
// dst[i] = src[i] / world for n elements of a half dtype: divided in float32 and rounded once, as
// PyTorch divides a half tensor; dst may be src.
void divide_halves(void* dst, const void* src, int64_t n, tensor_dtype d, int32_t world);

}  // namespace tdist
