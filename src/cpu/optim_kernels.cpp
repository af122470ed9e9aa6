// CPU kernels of the optimizers (rows sgd_step, adam_step of LT_BACKEND_KERNELS; the CUDA side is
// cuda/optim.cu, the element formulas core/optim_math.h). One fused pass per parameter: each element of
// the parameter, its grad and its state is read once and written once. The configuration is resolved to
// template flags before the loop (dispatch_*_flags), so the loop body has no branch and, over restrict
// pointers to contiguous float32/float64 data, the compiler vectorises it (sqrt and division included:
// the formulas are plain IEEE arithmetic; CMakeLists.txt compiles this file with -fno-math-errno and the
// dynamic vectoriser cost model, so -O2 builds emit sqrtps/divps too). Large parameters are split over
// threads with parallel_for.
#include <cstdint>

#include "core/optim_math.h"
#include "core/parallel.h"
#include "core/status.h"
#include "cpu/kernels.h"

namespace lt::cpu {

namespace {

// Elements per thread below which a step stays serial (a step is ~10 flops an element, memory bound).
constexpr int64_t kOptimGrain = 1 << 16;

// Note [optimizer loops per ISA]: the loops are compiled twice, for the x86-64 baseline (SSE2) and with
// AVX2 enabled (picked at run time), so that cache-resident parameters stream at the width of the
// machine's vectors. Without FMA in either: no multiply-add is contracted, so both give the same bits
// (those of the formulas in core/optim_math.h, as CUDA computes them up to the device's contractions).
#define LT_OPTIM_LOOPS(SUFFIX, ATTR)                                                                          \
  template <class F, typename T>                                                                             \
  ATTR void sgd_range##SUFFIX(T* __restrict p, const T* __restrict g, T* __restrict buf, int64_t begin,      \
                              int64_t end, const SgdScalars<T>& s) {                                         \
    if constexpr (F::momentum) {                                                                             \
      for (int64_t i = begin; i < end; ++i) p[i] = sgd_element<F>(p[i], g[i], buf[i], s);                    \
    } else {                                                                                                 \
      T unused = T(0);                                                                                       \
      for (int64_t i = begin; i < end; ++i) p[i] = sgd_element<F>(p[i], g[i], unused, s);                    \
    }                                                                                                        \
  }                                                                                                          \
  template <class F, typename T>                                                                             \
  ATTR void adam_range##SUFFIX(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,     \
                               T* __restrict vmax, int64_t begin, int64_t end, const AdamScalars<T>& s) {    \
    if constexpr (F::amsgrad) {                                                                              \
      for (int64_t i = begin; i < end; ++i) p[i] = adam_element<F>(p[i], g[i], m[i], v[i], vmax[i], s);      \
    } else {                                                                                                 \
      T unused = T(0);                                                                                       \
      for (int64_t i = begin; i < end; ++i) p[i] = adam_element<F>(p[i], g[i], m[i], v[i], unused, s);       \
    }                                                                                                        \
  }

LT_OPTIM_LOOPS(_base, )
LT_OPTIM_LOOPS(_avx2, __attribute__((target("avx2"))))
#undef LT_OPTIM_LOOPS

bool use_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

template <class F, typename T>
void sgd_range(T* p, const T* g, T* buf, int64_t begin, int64_t end, const SgdScalars<T>& s) {
  if (use_avx2()) sgd_range_avx2<F, T>(p, g, buf, begin, end, s);
  else sgd_range_base<F, T>(p, g, buf, begin, end, s);
}

template <class F, typename T>
void adam_range(T* p, const T* g, T* m, T* v, T* vmax, int64_t begin, int64_t end, const AdamScalars<T>& s) {
  if (use_avx2()) adam_range_avx2<F, T>(p, g, m, v, vmax, begin, end, s);
  else adam_range_base<F, T>(p, g, m, v, vmax, begin, end, s);
}

}  // namespace

void sgd_step(const Tensor& param, const Tensor& grad, const Tensor& buf, const SgdStepArgs& args) {
  const int64_t n = param.numel();
  if (n == 0) return;
  LT_DISPATCH_FLOATING(param.dtype(), "sgd_step", {
    using T = scalar_t;
    const SgdScalars<T> s(args);
    T* p = param.data_as<T>();
    const T* g = grad.data_as<T>();
    T* b = optional_data<T>(buf);
    dispatch_sgd_flags(args, [&](auto flags) {
      using F = decltype(flags);
      parallel_for(n, kOptimGrain, [&](int64_t begin, int64_t end) { sgd_range<F, T>(p, g, b, begin, end, s); });
    });
  });
}

void adam_step(const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,
               const Tensor& max_exp_avg_sq, const AdamStepArgs& args) {
  const int64_t n = param.numel();
  if (n == 0) return;
  LT_DISPATCH_FLOATING(param.dtype(), "adam_step", {
    using T = scalar_t;
    const AdamScalars<T> s(args);
    T* p = param.data_as<T>();
    const T* g = grad.data_as<T>();
    T* m = exp_avg.data_as<T>();
    T* v = exp_avg_sq.data_as<T>();
    T* vmax = optional_data<T>(max_exp_avg_sq);
    dispatch_adam_flags(args, [&](auto flags) {
      using F = decltype(flags);
      parallel_for(n, kOptimGrain,
                   [&](int64_t begin, int64_t end) { adam_range<F, T>(p, g, m, v, vmax, begin, end, s); });
    });
  });
}

}  // namespace lt::cpu
