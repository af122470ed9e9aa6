// Kernels that move values without arithmetic: strided copy (same dtype: bit copies, memcpy when both
// sides are contiguous), copy with dtype conversion, and fill. They take every dtype, the storage ones
// (float16, bfloat16, uint8, int8, int16) included: conversions are how the ops layer moves those in and
// out of their kernel dtype (Note [kernel dtype] in core/dtype.h).
#include "core/scalar_ops.h"
#include "cuda/convert_wide.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

// Any (to, from) pair, strided (Note [conversion] in cuda/convert_wide.h).
__global__ void __launch_bounds__(kEwThreads) convert_kernel(EwNdArgs a, int32_t to, int32_t from) {
  const int64_t first = int64_t(blockIdx.x) * (kEwThreads * kEwUnroll) + threadIdx.x;
#pragma unroll
  for (int u = 0; u < kEwUnroll; ++u) {
    const int64_t i = first + u * kEwThreads;
    if (i < a.numel) {
      int64_t off[kEwMaxOperands];
      a.calc.get(i, a.use32, off);
      store_wide(to, a.data[0] + off[0], load_wide(from, a.data[1] + off[1]));
    }
  }
}

// The element functor of copies through the elementwise kernels. Convert<U, U> on an unsigned U of the
// item size moves bits: same-dtype copy and fill have one kernel per item size, not per dtype.
//
// Note [half conversion path]: every op on float16/bfloat16 converts its operands to float32 and its
// result back (Note [kernel dtype]), so those four pairs get the vectorised elementwise kernels (16-byte
// accesses on contiguous rows) instead of convert_kernel: 4 pairs x 2 layouts = 8 more kernels.
template <typename To, typename From>
struct Convert {
  using out_t = To;
  using in1_t = From;
  using in2_t = char;
  using in3_t = char;
  static constexpr int nin = 1;
  int32_t op;
  __device__ To operator()(From x, char, char) const { return cast_value<To, From>(x); }
};

// Runs the Convert kernel of the pair when it has one; false otherwise.
bool convert_half_float(const Tensor& dst, const EwInput& src) {
  const DType to = dst.dtype(), from = src.tensor->dtype();
  if (to == DType::Float32 && from == DType::Float16) {
    launch_elementwise(Convert<float, Half>{0}, dst, &src, 1, "copy");
  } else if (to == DType::Float32 && from == DType::BFloat16) {
    launch_elementwise(Convert<float, BFloat16>{0}, dst, &src, 1, "copy");
  } else if (to == DType::Float16 && from == DType::Float32) {
    launch_elementwise(Convert<Half, float>{0}, dst, &src, 1, "copy");
  } else if (to == DType::BFloat16 && from == DType::Float32) {
    launch_elementwise(Convert<BFloat16, float>{0}, dst, &src, 1, "copy");
  } else {
    return false;
  }
  return true;
}

void copy_bits(const Tensor& dst, const EwInput& src) {
  switch (itemsize(dst.dtype())) {
    case 1: launch_elementwise(Convert<uint8_t, uint8_t>{0}, dst, &src, 1, "copy"); break;
    case 2: launch_elementwise(Convert<uint16_t, uint16_t>{0}, dst, &src, 1, "copy"); break;
    case 4: launch_elementwise(Convert<uint32_t, uint32_t>{0}, dst, &src, 1, "copy"); break;
    case 8: launch_elementwise(Convert<uint64_t, uint64_t>{0}, dst, &src, 1, "copy"); break;
    default: throw_error(Status::Internal, std::string("copy: no kernel for ") + dtype_name(dst.dtype()));
  }
}

}  // namespace

void copy(const Tensor& dst, const Tensor& src) {
  if (dst.numel() == 0) return;
  cudaStream_t s = stream(dst.device().index);
  if (dst.dtype() == src.dtype()) {
    if (dst.is_contiguous() && src.is_contiguous()) {
      check(cudaMemcpyAsync(dst.data(), src.data(), static_cast<size_t>(dst.numel()) * itemsize(dst.dtype()),
                            cudaMemcpyDeviceToDevice, s),
            "copy (device to device)");
      return;
    }
    copy_bits(dst, EwInput{&src, 0});
    return;
  }
  EwInput in{&src, 0};
  if (convert_half_float(dst, in)) return;
  EwPlan p = plan_elementwise(dst, &in, 1, 0, 0);
  convert_kernel<<<static_cast<unsigned>(p.blocks), kEwThreads, 0, s>>>(p.nd, static_cast<int32_t>(dst.dtype()),
                                                                        static_cast<int32_t>(src.dtype()));
  check_launch("copy (dtype conversion)");
}

// The value converted as the CPU's fill does (cast_value from double: 300.0 -> uint8 is 44, 70000.0 ->
// float16 is inf), then written as bits.
void fill(const Tensor& out, double value) {
  uint64_t bits = 0;
  LT_DISPATCH_STORAGE(out.dtype(), "fill", bits = value_bits(cast_value<scalar_t, double>(value)));
  copy_bits(out, EwInput{nullptr, bits});
}

}  // namespace lt::cuda
