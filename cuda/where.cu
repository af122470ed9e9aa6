// where(cond, a, b): a select per element moving raw bits of the element's width, one kernel per item
// size (as the CPU's where_row), not per dtype.
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <typename U>
struct WhereBits {
  using out_t = U;
  using in1_t = bool;
  using in2_t = U;
  using in3_t = U;
  static constexpr int nin = 3;
  int32_t op;
  __device__ U operator()(bool c, U a, U b) const { return c ? a : b; }
};

}  // namespace

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  EwInput in[3] = {{&cond, 0}, {&a, 0}, {&b, 0}};
  switch (itemsize(out.dtype())) {
    case 1: launch_elementwise(WhereBits<uint8_t>{0}, out, in, 3, "where"); break;
    case 4: launch_elementwise(WhereBits<uint32_t>{0}, out, in, 3, "where"); break;
    case 8: launch_elementwise(WhereBits<uint64_t>{0}, out, in, 3, "where"); break;
    default: throw_error(Status::Internal, "where kernel: no select for an item of this size");
  }
}

}  // namespace lt::cuda
