// How the ops layer runs kernels on the storage dtypes (float16, bfloat16, uint8, int8, int16): the
// operands go to their kernel dtype, the kernel writes a result in the kernel dtype, and that result is
// rounded (floats) or wrapped (integers) once into the op's dtype. Note [kernel dtype] in core/dtype.h
// says why this gives PyTorch's results. None of these record autograd: the op records its own node
// with its real operands, and its grad formula runs ops on the storage dtype, which widen again.
#pragma once
#include "core/tensor.h"

namespace lt {

// t converted to `dtype` (t itself when it has it), without a grad node.
Tensor convert(const Tensor& t, DType dtype);

// t in its kernel dtype (t itself for the five kernel dtypes).
inline Tensor in_kernel_dtype(const Tensor& t) { return convert(t, kernel_dtype(t.dtype())); }

// A kernel's result `k`, computed in the kernel dtype of `dtype`, as the op's result of dtype `dtype`.
inline Tensor to_result_dtype(const Tensor& k, DType dtype) { return convert(k, dtype); }

// The dtype the elementwise kernels (binary, binary_scalar, unary) take for an op computing in `compute`
// on `device`: the CPU's take float16 and bfloat16 themselves and widen them chunk by chunk (Note [half
// rows] in cpu/half_rows.h: same results, a third of the memory traffic); otherwise the kernel dtype.
inline DType elementwise_kernel_dtype(DType compute, Device device) {
  const bool half = compute == DType::Float16 || compute == DType::BFloat16;
  return half && device.is_cpu() ? compute : kernel_dtype(compute);
}

}  // namespace lt
