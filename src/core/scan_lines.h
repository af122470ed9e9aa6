// One line of a cumulative sum / product and of cumprod's grad, shared by both backends (the CPU runs
// it per line on its threads, CUDA one thread per line). A line is n elements `stride` apart. Floating
// lines accumulate in double, as PyTorch's CPU kernel (acc_type of float is double there); int64 lines
// wrap around.
#pragma once
#include <cstdint>
#include <type_traits>

#include "core/philox.h"  // LT_HOST_DEVICE
#include "core/scalar_ops.h"

namespace lt {

template <typename T>
using ScanAcc = typename std::conditional<std::is_floating_point<T>::value, double, T>::type;

// out[i] = in[0] op ... op in[i] (reverse: in[i] op ... op in[n-1]), op + or *.
template <typename T>
LT_HOST_DEVICE void scan_line(T* out, const T* in, int64_t n, int64_t stride, bool prod, bool reverse) {
  ScanAcc<T> acc = prod ? ScanAcc<T>(1) : ScanAcc<T>(0);
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = (reverse ? n - 1 - k : k) * stride;
    const ScanAcc<T> v = static_cast<ScanAcc<T>>(in[i]);
    acc = prod ? wrap_mul(acc, v) : wrap_add(acc, v);
    out[i] = static_cast<T>(acc);
  }
}

// The grad of y = cumprod(x) along a line, PyTorch's formula that stays exact with zeros in x: with z the
// first zero of x (n when none),
//   gi[j] = sum_{j <= i < z} g[i] y[i] / x[j]                         for j < z
//   gi[z] = sum_{i >= z} g[i] prod_{t < z} x[t] prod_{z < t <= i} x[t]   (the products without x[z])
//   gi[j] = 0                                                         for j > z
template <typename T>
LT_HOST_DEVICE void cumprod_backward_line(T* gi, const T* g, const T* x, const T* y, int64_t n, int64_t stride) {
  int64_t z = n;
  for (int64_t k = 0; k < n; ++k)
    if (x[k * stride] == T(0)) {
      z = k;
      break;
    }
  double acc = 0;
  for (int64_t k = z - 1; k >= 0; --k) {
    const int64_t i = k * stride;
    acc += static_cast<double>(g[i]) * static_cast<double>(y[i]);
    gi[i] = static_cast<T>(acc / static_cast<double>(x[i]));
  }
  if (z == n) return;
  double run = z > 0 ? static_cast<double>(y[(z - 1) * stride]) : 1.0;
  double at_z = static_cast<double>(g[z * stride]) * run;
  for (int64_t k = z + 1; k < n; ++k) {
    run *= static_cast<double>(x[k * stride]);
    at_z += static_cast<double>(g[k * stride]) * run;
    gi[k * stride] = T(0);
  }
  gi[z * stride] = static_cast<T>(at_z);
}

}  // namespace lt
