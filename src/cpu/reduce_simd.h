// Vectorised folds of contiguous float/double runs, written with GCC/Clang vector extensions so they
// vectorise at any optimisation level (-O2 does not vectorise a float reduction by itself: it may not
// reassociate the additions, and several independent lanes are exactly such a reassociation, chosen on
// purpose here). 16-byte vectors are the x86-64 baseline (SSE2); the loops are memory bound, so wider
// vectors would not go faster.
//
// Note [float sum accuracy]: a float32 sum keeps 16 float lanes over a block of at most kSumBlock
// elements (each lane adds at most kSumBlock / 16 values), then adds the block's total into a double.
// The error is that of short float sums plus a double sum of block totals: the sum of 16M uniform floats
// lands within ~1e-7 relative of the exact value, where one float accumulator is off by ~1e-3.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace lt::cpu {

template <typename T>
struct Simd;
template <>
struct Simd<float> {
  typedef float V __attribute__((vector_size(16)));
  typedef int32_t M __attribute__((vector_size(16)));  // comparison masks
  static constexpr int kLanes = 4;
};
template <>
struct Simd<double> {
  typedef double V __attribute__((vector_size(16)));
  typedef int64_t M __attribute__((vector_size(16)));
  static constexpr int kLanes = 2;
};

template <typename V, typename T>
inline V vload(const T* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));  // an unaligned load (movups)
  return v;
}
template <typename V>
inline double hsum(V v) {
  double s = 0;
  for (unsigned i = 0; i < sizeof(V) / sizeof(v[0]); ++i) s += static_cast<double>(v[i]);
  return s;
}

constexpr int64_t kSumBlock = 4096;

// Sum of n contiguous values (Note [float sum accuracy]).
template <typename T>
double sum_contiguous(const T* p, int64_t n) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int64_t step = 4 * S::kLanes;
  double total = 0;
  while (n > 0) {
    const int64_t b = n < kSumBlock ? n : kSumBlock;
    V a0 = {}, a1 = {}, a2 = {}, a3 = {};
    int64_t i = 0;
    for (; i + step <= b; i += step) {
      a0 += vload<V>(p + i);
      a1 += vload<V>(p + i + S::kLanes);
      a2 += vload<V>(p + i + 2 * S::kLanes);
      a3 += vload<V>(p + i + 3 * S::kLanes);
    }
    double block = hsum((a0 + a1) + (a2 + a3));
    for (; i < b; ++i) block += static_cast<double>(p[i]);
    total += block;
    p += b;
    n -= b;
  }
  return total;
}

// acc[j] += x[j] for j < m, float values into double accumulators (column folds of a float32 sum).
inline void add_columns_f32(double* acc, const float* x, int64_t m) {
  typedef float V2f __attribute__((vector_size(8)));
  typedef double V2d __attribute__((vector_size(16)));
  int64_t j = 0;
  for (; j + 4 <= m; j += 4) {
    V2d a0 = vload<V2d>(acc + j), a1 = vload<V2d>(acc + j + 2);
    a0 += __builtin_convertvector(vload<V2f>(x + j), V2d);
    a1 += __builtin_convertvector(vload<V2f>(x + j + 2), V2d);
    std::memcpy(acc + j, &a0, sizeof a0);
    std::memcpy(acc + j + 2, &a1, sizeof a1);
  }
  for (; j < m; ++j) acc[j] += static_cast<double>(x[j]);
}

// Count, mean and sum of squared deviations of a set of values; merged with Chan et al.'s formula.
struct Moments {
  double n = 0, mean = 0, m2 = 0;

  void merge(const Moments& o) {
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    const double total = n + o.n, delta = o.mean - mean;
    mean += delta * (o.n / total);
    m2 += o.m2 + delta * delta * (n * (o.n / total));
    n = total;
  }
  // Welford's update with one value (used where values arrive one at a time: column folds).
  void add(double x) {
    n += 1;
    const double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
};

// Note [one-pass variance]: the input is read from memory once, in blocks of kMomentBlock elements that
// stay in L1. Each block is folded twice: its mean c first, then sums of d = x - c and d^2; the block's
// moments are mean = c + sum(d)/b and m2 = sum(d^2) - sum(d)^2/b, whose correction term is tiny because
// c is already the block's mean (so data like 1e4 + N(0,1) loses nothing to cancellation). Blocks merge
// in double with Chan's formula.
constexpr int64_t kMomentBlock = 2048;

template <typename T>
Moments block_moments_contiguous(const T* p, int64_t b) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int64_t step = 2 * S::kLanes;
  const T c = static_cast<T>(sum_contiguous(p, b) / static_cast<double>(b));
  V s1a = {}, s1b = {}, s2a = {}, s2b = {};
  int64_t i = 0;
  for (; i + step <= b; i += step) {
    V d0 = vload<V>(p + i) - c, d1 = vload<V>(p + i + S::kLanes) - c;  // c broadcast to every lane
    s1a += d0;
    s1b += d1;
    s2a += d0 * d0;
    s2b += d1 * d1;
  }
  double s1 = hsum(s1a + s1b), s2 = hsum(s2a + s2b);
  for (; i < b; ++i) {
    const double d = static_cast<double>(p[i] - c);
    s1 += d;
    s2 += d * d;
  }
  const double nb = static_cast<double>(b);
  Moments m;
  m.n = nb;
  m.mean = static_cast<double>(c) + s1 / nb;
  m.m2 = s2 - s1 * (s1 / nb);
  if (m.m2 < 0) m.m2 = 0;
  return m;
}

// The same for a strided run (stride in bytes), without vectors.
template <typename T>
Moments block_moments_strided(const char* p, int64_t b, int64_t stride) {
  auto at = [&](int64_t i) {
    T v;
    std::memcpy(&v, p + i * stride, sizeof(T));
    return v;
  };
  double s = 0;
  for (int64_t i = 0; i < b; ++i) s += static_cast<double>(at(i));
  const T c = static_cast<T>(s / static_cast<double>(b));
  double s1 = 0, s2 = 0;
  for (int64_t i = 0; i < b; ++i) {
    const double d = static_cast<double>(at(i) - c);
    s1 += d;
    s2 += d * d;
  }
  const double nb = static_cast<double>(b);
  Moments m;
  m.n = nb;
  m.mean = static_cast<double>(c) + s1 / nb;
  m.m2 = s2 - s1 * (s1 / nb);
  if (m.m2 < 0) m.m2 = 0;
  return m;
}

// Largest (is_max) or smallest of n >= 1 contiguous values; NaN propagates.
template <typename T, bool is_max>
T extreme_contiguous(const T* p, int64_t n) {
  using S = Simd<T>;
  using V = typename S::V;
  using M = typename S::M;
  constexpr int64_t step = 2 * S::kLanes;
  int64_t i = 0;
  T best = p[0];
  bool nan = best != best;
  if (n >= step) {
    V m0 = vload<V>(p), m1 = vload<V>(p + S::kLanes);
    M nanv = (m0 != m0) | (m1 != m1);
    for (i = step; i + step <= n; i += step) {
      V x0 = vload<V>(p + i), x1 = vload<V>(p + i + S::kLanes);
      M b0 = is_max ? (x0 > m0) : (x0 < m0), b1 = is_max ? (x1 > m1) : (x1 < m1);
      // select without the vector ?: operator: (x & mask) | (m & ~mask) on the bit patterns
      m0 = (V)(((M)x0 & b0) | ((M)m0 & ~b0));
      m1 = (V)(((M)x1 & b1) | ((M)m1 & ~b1));
      nanv |= (x0 != x0) | (x1 != x1);
    }
    for (int l = 0; l < S::kLanes; ++l) {
      nan = nan || nanv[l] != 0;
      T a = m0[l], b = m1[l];
      if (is_max ? a > best : a < best) best = a;
      if (is_max ? b > best : b < best) best = b;
    }
  }
  for (; i < n; ++i) {
    const T x = p[i];
    nan = nan || x != x;
    if (is_max ? x > best : x < best) best = x;
  }
  return nan ? static_cast<T>(NAN) : best;
}

}  // namespace lt::cpu
