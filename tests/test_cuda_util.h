// Helpers for the CUDA tests: moving handles between devices, deterministic test data, and comparisons
// of a CUDA result with the CPU result (exact, or within a few ulps for transcendental functions).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "test_util.h"

inline tensor_device cuda_device(int32_t index = 0) { return tensor_device{TENSOR_CUDA, index}; }
inline tensor_device cpu_device_c() { return tensor_device{TENSOR_CPU, 0}; }

inline Handle to_dev(const tensor* t, tensor_device d) {
  Handle h;
  REQUIRE_OK(tensor_to_device(h.out(), t, d));
  return h;
}
inline Handle to_cuda(const tensor* t) { return to_dev(t, cuda_device()); }
inline Handle to_cpu(const tensor* t) { return to_dev(t, cpu_device_c()); }

// Values of a dtype for tests: floats in [-4, 4] with a sprinkling of 0, +-inf and NaN when `specials`;
// integers in [-40, 40]; bools at random.
template <typename T>
std::vector<T> test_values(size_t n, uint32_t seed, bool specials = true) {
  std::mt19937 gen(seed);
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) {
    if constexpr (std::is_same<T, bool>::value) {
      v[i] = (gen() & 1) != 0;
    } else if constexpr (std::is_integral<T>::value) {
      v[i] = static_cast<T>(static_cast<int>(gen() % 81) - 40);
    } else {
      v[i] = static_cast<T>(std::uniform_real_distribution<double>(-4.0, 4.0)(gen));
      if (specials) {
        uint32_t r = gen() % 97;
        if (r == 0) v[i] = T(0);
        if (r == 1) v[i] = std::numeric_limits<T>::infinity();
        if (r == 2) v[i] = -std::numeric_limits<T>::infinity();
        if (r == 3) v[i] = std::numeric_limits<T>::quiet_NaN();
      }
    }
  }
  return v;
}

inline Handle make_typed(tensor_dtype dt, const std::vector<int64_t>& shape, uint32_t seed, bool specials = true) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  const size_t count = static_cast<size_t>(n);
  switch (dt) {
    case TENSOR_FLOAT32: return make<float>(test_values<float>(count, seed, specials), shape);
    case TENSOR_FLOAT64: return make<double>(test_values<double>(count, seed, specials), shape);
    case TENSOR_INT32: return make<int32_t>(test_values<int32_t>(count, seed), shape);
    case TENSOR_INT64: return make<int64_t>(test_values<int64_t>(count, seed), shape);
    default: return make<bool>(test_values<bool>(count, seed), shape);
  }
}

// The raw bytes of t (any device), row-major.
inline std::vector<unsigned char> bytes_of(const tensor* t) {
  std::vector<unsigned char> b(static_cast<size_t>(tensor_numel(t)) * tensor_dtype_size(tensor_get_dtype(t)) + 1);
  REQUIRE_OK(tensor_copy_to_host(t, b.data(), b.size()));
  b.pop_back();
  return b;
}

template <typename T>
bool close_value(T got, T want, double ulps) {
  if (std::isnan(static_cast<double>(want))) return std::isnan(static_cast<double>(got));
  if (std::isinf(static_cast<double>(want))) return got == want;
  const double eps = std::numeric_limits<T>::epsilon();
  const double tol = ulps * eps * std::max(1.0, std::fabs(static_cast<double>(want)));
  return std::fabs(static_cast<double>(got) - static_cast<double>(want)) <= tol;
}

// Requires `got` (a CUDA result) to equal `want` (the CPU result): same dtype and shape; values equal
// bit for bit (ulps == 0, NaNs of any payload equal) or within `ulps` units of relative error.
inline void require_same(const tensor* got, const tensor* want, double ulps = 0) {
  REQUIRE(tensor_get_dtype(got) == tensor_get_dtype(want));
  REQUIRE(shape_of(got) == shape_of(want));
  const tensor_dtype dt = tensor_get_dtype(want);
  if (dt == TENSOR_FLOAT32 || dt == TENSOR_FLOAT64) {
    std::vector<double> g = values<double>(got), w = values<double>(want);
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      bool ok = dt == TENSOR_FLOAT32 ? close_value<float>(static_cast<float>(g[i]), static_cast<float>(w[i]), ulps)
                                     : close_value<double>(g[i], w[i], ulps);
      if (ulps == 0 && !(std::isnan(w[i]) && std::isnan(g[i]))) ok = ok && std::signbit(g[i]) == std::signbit(w[i]);
      if (!ok && bad++ == 0) first = i;
    }
    INFO("mismatches: " << bad << " of " << w.size() << "; first at " << first << ": cuda " << (bad ? g[first] : 0.0)
                        << " vs cpu " << (bad ? w[first] : 0.0));
    REQUIRE(bad == 0);
  } else {
    std::vector<unsigned char> g = bytes_of(got), w = bytes_of(want);
    REQUIRE(g == w);
  }
}
