// Index arithmetic shared by the host planners (.cpp, built by the C++ compiler) and the kernels (.cu):
// fast unsigned division by a run-time constant and the offset calculator that turns a linear index into
// per-operand offsets (after PyTorch's IntDivider / OffsetCalculator).
#pragma once
#include <cstdint>

#if defined(__CUDACC__)
#define LT_HD __host__ __device__ __forceinline__
#else
#define LT_HD inline
#endif
// Loop pragmas for the device pass only (the host compiler does not know them).
#if defined(__CUDA_ARCH__)
#define LT_UNROLL _Pragma("unroll")
#define LT_NO_UNROLL _Pragma("unroll 1")
#else
#define LT_UNROLL
#define LT_NO_UNROLL
#endif

namespace lt::cuda {

// Largest number of dims a kernel's iteration space may have after coalescing (PyTorch's MAX_DIMS).
constexpr int kMaxDims = 25;

// n / d for 32-bit n < 2^31 and 1 <= d < 2^31 by a multiply-high and a shift (Granlund & Montgomery):
// about three instructions instead of the ~20 of a hardware-less integer division.
struct FastDiv {
  uint32_t divisor = 1, magic = 1, shift = 0;

  static FastDiv make(uint32_t d) {
    if (d == 0) d = 1;  // never used to divide then (empty dims), but must not trap
    FastDiv f;
    f.divisor = d;
    f.shift = 0;
    while (f.shift < 31 && (uint32_t(1) << f.shift) < d) ++f.shift;
    const uint64_t one = 1;
    f.magic = static_cast<uint32_t>(((one << 32) * ((one << f.shift) - d)) / d + 1);
    return f;
  }
  LT_HD uint32_t div(uint32_t n) const {
#if defined(__CUDA_ARCH__)
    uint32_t t = __umulhi(n, magic);
#else
    uint32_t t = static_cast<uint32_t>((static_cast<uint64_t>(n) * magic) >> 32);
#endif
    return (t + n) >> shift;
  }
};

// Maps a linear index (innermost dim fastest) of an iteration space to NOPS offsets, one per operand,
// in whatever unit the strides are given in. `use32` selects the 32-bit path (index < 2^31).
template <int NOPS>
struct OffsetCalc {
  int32_t ndim = 0;
  int64_t size[kMaxDims];
  FastDiv div[kMaxDims];
  int64_t stride[NOPS][kMaxDims];

  void push_dim(int64_t n, const int64_t* strides) {  // host: innermost first
    size[ndim] = n;
    div[ndim] = FastDiv::make(n > 0 && n < (int64_t(1) << 31) ? static_cast<uint32_t>(n) : 1u);
    for (int k = 0; k < NOPS; ++k) stride[k][ndim] = strides[k];
    ++ndim;
  }

  LT_HD void get(int64_t idx, bool use32, int64_t* off) const {
LT_UNROLL
    for (int k = 0; k < NOPS; ++k) off[k] = 0;
    if (use32) {
      uint32_t r = static_cast<uint32_t>(idx);
LT_NO_UNROLL
      for (int d = 0; d < kMaxDims; ++d) {
        if (d == ndim) break;
        uint32_t q = d + 1 < ndim ? div[d].div(r) : 0u;
        int64_t i = static_cast<int64_t>(r - q * static_cast<uint32_t>(size[d]));
LT_UNROLL
        for (int k = 0; k < NOPS; ++k) off[k] += i * stride[k][d];
        r = q;
      }
    } else {
      int64_t r = idx;
LT_NO_UNROLL
      for (int d = 0; d < kMaxDims; ++d) {
        if (d == ndim) break;
        int64_t q = d + 1 < ndim ? r / size[d] : 0;
        int64_t i = r - q * size[d];
LT_UNROLL
        for (int k = 0; k < NOPS; ++k) off[k] += i * stride[k][d];
        r = q;
      }
    }
  }
};

}  // namespace lt::cuda
