// Kernels that move values without arithmetic: strided copy (same dtype: bit copies, memcpy when both
// sides are contiguous), copy with dtype conversion, and fill.
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

// Same-dtype copy and fill move bits: one kernel per item size, not per dtype.
template <typename U>
struct CopyBits {
  using out_t = U;
  using in1_t = U;
  using in2_t = char;
  using in3_t = char;
  static constexpr int nin = 1;
  int32_t op;
  __device__ U operator()(U x, char, char) const { return x; }
};

// Note [conversion]: one kernel for every (to, from) pair: the element is read into a wide value (double
// for floating sources, which holds float32 exactly; int64 otherwise) and written with static_cast from
// that value, which gives the same result as the CPU's direct static_cast<To>(From) for every pair.
struct Wide {
  double f;
  int64_t i;
  bool is_float;
};

__device__ __forceinline__ Wide load_wide(int32_t dtype, const char* p) {
  switch (static_cast<DType>(dtype)) {
    case DType::Float32: return {static_cast<double>(*reinterpret_cast<const float*>(p)), 0, true};
    case DType::Float64: return {*reinterpret_cast<const double*>(p), 0, true};
    case DType::Int32: return {0.0, *reinterpret_cast<const int32_t*>(p), false};
    case DType::Int64: return {0.0, *reinterpret_cast<const int64_t*>(p), false};
    default: return {0.0, *reinterpret_cast<const unsigned char*>(p) != 0 ? 1 : 0, false};
  }
}

template <typename T>
__device__ __forceinline__ T wide_as(const Wide& w) {
  if constexpr (std::is_same<T, bool>::value) return w.is_float ? w.f != 0.0 : w.i != 0;
  else if constexpr (std::is_same<T, float>::value) return w.is_float ? static_cast<float>(w.f) : static_cast<float>(w.i);
  else return w.is_float ? static_cast<T>(w.f) : static_cast<T>(w.i);
}

__device__ __forceinline__ void store_wide(int32_t dtype, char* p, const Wide& w) {
  switch (static_cast<DType>(dtype)) {
    case DType::Float32: *reinterpret_cast<float*>(p) = wide_as<float>(w); break;
    case DType::Float64: *reinterpret_cast<double*>(p) = wide_as<double>(w); break;
    case DType::Int32: *reinterpret_cast<int32_t*>(p) = wide_as<int32_t>(w); break;
    case DType::Int64: *reinterpret_cast<int64_t*>(p) = wide_as<int64_t>(w); break;
    default: *reinterpret_cast<bool*>(p) = wide_as<bool>(w); break;
  }
}

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

void copy_bits(const Tensor& dst, const EwInput& src) {
  switch (itemsize(dst.dtype())) {
    case 1: launch_elementwise(CopyBits<uint8_t>{0}, dst, &src, 1, "copy"); break;
    case 4: launch_elementwise(CopyBits<uint32_t>{0}, dst, &src, 1, "copy"); break;
    default: launch_elementwise(CopyBits<uint64_t>{0}, dst, &src, 1, "copy"); break;
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
  EwPlan p = plan_elementwise(dst, &in, 1, 0, 0);
  convert_kernel<<<static_cast<unsigned>(p.blocks), kEwThreads, 0, s>>>(p.nd, static_cast<int32_t>(dst.dtype()),
                                                                        static_cast<int32_t>(src.dtype()));
  check_launch("copy (dtype conversion)");
}

void fill(const Tensor& out, double value) {
  uint64_t bits = 0;
  LT_DISPATCH_ALL(out.dtype(), "fill", bits = scalar_bits<scalar_t>(value));
  copy_bits(out, EwInput{nullptr, bits});
}

}  // namespace lt::cuda

