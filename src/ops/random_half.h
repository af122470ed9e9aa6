// Note [half draws]: rand, randn, uniform_ and normal_ on float16 / bfloat16 draw float32 values from the
// Philox blocks a float32 draw of the same size uses (the same numbers on every backend), then: uniform
// values are truncated to a multiple of 2^-digits (digits = 11 for float16, 8 for bfloat16), which the
// half type holds exactly and which stays below 1, as PyTorch's uniform_real_distribution<Half/BFloat16>
// draws them (torch.rand(n, dtype=torch.bfloat16) * 256 is all integers); normal values are rounded once.
// The caller scales in float32 and converts once (to_result_dtype / copy).
#pragma once
#include "core/philox.h"
#include "ops/ops.h"
#include "ops/random_stream.h"

namespace lt {

// A float32 draw of `shape` for a half `dtype` (contiguous, no grad).
inline Tensor half_draw(const DimVector& shape, DType dtype, Device device, bool normal) {
  Tensor r = make_empty(shape, DType::Float32, device);
  Backend& be = backend_for(device);
  const RngDraw d = rng_reserve(philox_blocks_used(r.numel(), false, normal));
  if (normal) {
    be.random_normal(r, d.seed, d.offset);
  } else {
    be.random_uniform(r, d.seed, d.offset);
    const double steps = dtype == DType::Float16 ? 2048.0 : 256.0;  // 2^digits
    if (r.numel() > 0) {                                            // floor(u * 2^digits) / 2^digits: exact in float32
      be.binary_scalar(BinaryOp::Mul, r, r, steps);
      be.unary(UnaryOp::Floor, r, r);
      be.binary_scalar(BinaryOp::Mul, r, r, 1.0 / steps);
    }
  }
  return r;
}

}  // namespace lt
