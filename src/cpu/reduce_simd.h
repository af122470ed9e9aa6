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

// Streaming loops prefetch this far ahead: measured on the 2-core dev VM (under load from other
// processes), the hardware prefetcher alone left the pipelined variance at ~1/2 of the bandwidth it
// reaches with the hint; of 1, 2, 4 and 8 KiB, 8 KiB streamed a plain sum fastest.
constexpr int64_t kPrefetchBytes = 8192;
inline void prefetch_ahead(const void* p) { __builtin_prefetch(static_cast<const char*>(p) + kPrefetchBytes); }

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
      prefetch_ahead(p + i);
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

// Product of n contiguous values in double. Eight independent products (each step a multiply by a
// vector of widened values), so the multiplies pipeline instead of waiting on one running product (16M
// floats, 2 threads: 7.3 ms -> 1.5 ms; libtorch 1.78 ms). Like PyTorch's vectorised prod, the order differs from a
// left-to-right product: a product that overflows (or underflows) only part-way through, in one
// order, may come out finite (or nonzero) in the other; inf * 0 still gives NaN.
template <typename T>
double prod_contiguous(const T* p, int64_t n) {
  // 16-byte vectors, the baseline's registers: wider generic vectors were kept on the stack by GCC,
  // which put a store and a reload in every product's dependency chain.
  typedef double D2 __attribute__((vector_size(16)));
  typedef T T2 __attribute__((vector_size(2 * sizeof(T))));
  D2 a[4] = {{1, 1}, {1, 1}, {1, 1}, {1, 1}};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 4; ++k) {
      T2 x;
      std::memcpy(&x, p + i + 2 * k, sizeof x);
      a[k] *= __builtin_convertvector(x, D2);
    }
  }
  const D2 b = (a[0] * a[1]) * (a[2] * a[3]);
  double r = b[0] * b[1];
  for (; i < n; ++i) r *= static_cast<double>(p[i]);
  return r;
}

// st[j] += x[j] for j < m: one float row added into float column sums (the staged column fold of a
// float32 sum, see SumReducer).
inline void add_row_f32(float* st, const float* x, int64_t m) {
  using V = Simd<float>::V;
  int64_t j = 0;
  for (; j + 16 <= m; j += 16) {
    prefetch_ahead(x + j);
    V a0 = vload<V>(st + j) + vload<V>(x + j), a1 = vload<V>(st + j + 4) + vload<V>(x + j + 4);
    V a2 = vload<V>(st + j + 8) + vload<V>(x + j + 8), a3 = vload<V>(st + j + 12) + vload<V>(x + j + 12);
    std::memcpy(st + j, &a0, sizeof a0);
    std::memcpy(st + j + 4, &a1, sizeof a1);
    std::memcpy(st + j + 8, &a2, sizeof a2);
    std::memcpy(st + j + 12, &a3, sizeof a3);
  }
  for (; j < m; ++j) st[j] += x[j];
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
// in double with Chan's formula. The two folds are software-pipelined: one loop takes the deviations of
// block k (from L1) together with the plain sum of block k + 1 (from memory), so the arithmetic runs in
// the shadow of the memory stream instead of after it.
constexpr int64_t kMomentBlock = 2048;

template <typename T>
Moments moments_contiguous(const T* p, int64_t n) {
  using S = Simd<T>;
  using V = typename S::V;
  constexpr int64_t L = S::kLanes, step = 2 * L;
  Moments total;
  if (n <= 0) return total;
  int64_t start = 0, len = n < kMomentBlock ? n : kMomentBlock;
  double cur_sum = sum_contiguous(p, len);
  for (;;) {
    const T* cur = p + start;
    const T* next = cur + len;
    const int64_t next_len = n - start - len < kMomentBlock ? n - start - len : kMomentBlock;
    const T c = static_cast<T>(cur_sum / static_cast<double>(len));
    V s1a = {}, s1b = {}, s2a = {}, s2b = {}, na = {}, nb = {};
    const int64_t fused = (len < next_len ? len : next_len) / step * step;
    int64_t i = 0;
    for (; i < fused; i += step) {
      prefetch_ahead(next + i);
      const V d0 = vload<V>(cur + i) - c, d1 = vload<V>(cur + i + L) - c;  // c broadcast to every lane
      s1a += d0;
      s1b += d1;
      s2a += d0 * d0;
      s2b += d1 * d1;
      na += vload<V>(next + i);
      nb += vload<V>(next + i + L);
    }
    for (; i + step <= len; i += step) {  // the rest of this block (the last block runs alone)
      const V d0 = vload<V>(cur + i) - c, d1 = vload<V>(cur + i + L) - c;
      s1a += d0;
      s1b += d1;
      s2a += d0 * d0;
      s2b += d1 * d1;
    }
    double s1 = hsum(s1a + s1b), s2 = hsum(s2a + s2b);
    for (; i < len; ++i) {
      const double d = static_cast<double>(cur[i] - c);
      s1 += d;
      s2 += d * d;
    }
    const double nbk = static_cast<double>(len);
    Moments m;
    m.n = nbk;
    m.mean = static_cast<double>(c) + s1 / nbk;
    m.m2 = s2 - s1 * (s1 / nbk);
    if (m.m2 < 0) m.m2 = 0;
    total.merge(m);
    if (next_len == 0) return total;
    cur_sum = hsum(na + nb) + sum_contiguous(next + fused, next_len - fused);
    start += len;
    len = next_len;
  }
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
  constexpr int64_t step = 4 * S::kLanes;
  int64_t i = 0;
  T best = p[0];
  bool nan = best != best;
  if (n >= step) {
    // Lanes ignore NaN (x > m is false for it; the form is SSE's maxps/minps) and NaNs are counted
    // apart: 4 accumulators and one NaN mask keep the loop at memory speed.
    V m0 = vload<V>(p), m1 = vload<V>(p + S::kLanes), m2 = vload<V>(p + 2 * S::kLanes),
      m3 = vload<V>(p + 3 * S::kLanes);
    M nanv = (m0 != m0) | (m1 != m1) | (m2 != m2) | (m3 != m3);
    for (i = step; i + step <= n; i += step) {
      prefetch_ahead(p + i);
      V x0 = vload<V>(p + i), x1 = vload<V>(p + i + S::kLanes), x2 = vload<V>(p + i + 2 * S::kLanes),
        x3 = vload<V>(p + i + 3 * S::kLanes);
      if constexpr (is_max) {
        m0 = x0 > m0 ? x0 : m0;
        m1 = x1 > m1 ? x1 : m1;
        m2 = x2 > m2 ? x2 : m2;
        m3 = x3 > m3 ? x3 : m3;
      } else {
        m0 = x0 < m0 ? x0 : m0;
        m1 = x1 < m1 ? x1 : m1;
        m2 = x2 < m2 ? x2 : m2;
        m3 = x3 < m3 ? x3 : m3;
      }
      nanv |= ((x0 != x0) | (x1 != x1)) | ((x2 != x2) | (x3 != x3));
    }
    for (int l = 0; l < S::kLanes; ++l) {
      nan = nan || nanv[l] != 0;
      for (T a : {m0[l], m1[l], m2[l], m3[l]})
        if (is_max ? a > best : a < best) best = a;
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
