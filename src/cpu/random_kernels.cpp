// The CPU's Philox random fills (Note [random stream layout] in core/philox.h): rand writes every word
// of each Philox block it computes (4 float32 or 2 float64 per block), and randn runs Box-Muller in
// batches through the vectorised log, sqrt and cos of vec_math.h. The values are the stream's own: rand
// is bitwise philox_uniform_f32/f64 (and so the CUDA backend's), randn within an ulp or two of
// philox_normal before the rounding to the dtype.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "core/philox.h"
#include "cpu/kernels.h"
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

// Elements [b, e) of a uniform fill: one block per kPer elements, each block computed once.
template <typename T>
void uniform_range(T* o, uint64_t seed, uint64_t offset, int64_t b, int64_t e) {
  constexpr int64_t kPer = std::is_same<T, float>::value ? 4 : 2;
  for (int64_t i = b; i < e;) {
    const int64_t block = i / kPer;
    const PhiloxBlock w = philox4x32_10(seed, offset + static_cast<uint64_t>(block));
    const int64_t stop = std::min(e, (block + 1) * kPer);
    for (; i < stop; ++i) {
      const int j = static_cast<int>(i % kPer);
      if constexpr (std::is_same<T, float>::value) o[i] = static_cast<float>(w.w[j] >> 8) * (1.0f / 16777216.0f);
      else o[i] = u53(w.w[2 * j], w.w[2 * j + 1]);
    }
  }
}

// Elements [b, e) of a normal fill: Box-Muller sqrt(-2 log u1) cos(2 pi u2) as philox_normal, batched.
template <typename T>
void normal_range(T* o, uint64_t seed, uint64_t offset, int64_t b, int64_t e) {
  constexpr int64_t kBatch = 256;
  double radius[kBatch], angle[kBatch];
  for (int64_t start = b; start < e; start += kBatch) {
    const int64_t n = std::min(kBatch, e - start);
    for (int64_t k = 0; k < n; ++k) {
      const PhiloxBlock w = philox4x32_10(seed, offset + static_cast<uint64_t>(start + k));
      radius[k] = 1.0 - u53(w.w[0], w.w[1]);  // (0, 1]: log is finite
      angle[k] = 6.283185307179586 * u53(w.w[2], w.w[3]);
    }
    vec_math(VecOp::Log, radius, radius, n);
    for (int64_t k = 0; k < n; ++k) radius[k] *= -2.0;
    vec_math(VecOp::Sqrt, radius, radius, n);
    vec_math(VecOp::Cos, angle, angle, n);
    for (int64_t k = 0; k < n; ++k) o[start + k] = static_cast<T>(radius[k] * angle[k]);
  }
}

}  // namespace

void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset) {
  LT_DISPATCH_FLOATING(out.dtype(), "rand", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), 4096, [&](int64_t b, int64_t e) { uniform_range(o, seed, offset, b, e); });
  });
}

void random_normal(const Tensor& out, uint64_t seed, uint64_t offset) {
  LT_DISPATCH_FLOATING(out.dtype(), "randn", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), 4096, [&](int64_t b, int64_t e) { normal_range(o, seed, offset, b, e); });
  });
}

// ---- the random family (Note [random stream layout] in core/philox.h) ----

void random_int(const Tensor& out, int64_t low, uint64_t range, uint64_t seed, uint64_t offset) {
  int64_t* o = out.data_as<int64_t>();
  parallel_for(out.numel(), 4096, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) o[i] = philox_randint(seed, offset, i, low, range);
  });
}

namespace {

struct PermKey {
  uint64_t key;
  int64_t index;
};

bool perm_less(const PermKey& x, const PermKey& y) { return x.key != y.key ? x.key < y.key : x.index < y.index; }

// Sorts (key, index) pairs by (key, index), the order CUB's stable radix sort gives on CUDA: three stable
// LSD counting passes on the top 24 key bits (8 bits each: 256 buckets, so the scatter stays cache- and
// TLB-friendly), after which pairs sharing those bits sit together in index order, then each such run
// (almost always of one pair) sorted by the whole key. Small inputs go straight through std::sort.
// `a` holds the pairs and `tmp` is scratch of n pairs; the sorted pairs end in `a` (the two may swap).
void sort_perm_keys(PermKey*& a, PermKey*& tmp, size_t n) {
  if (n < (size_t{1} << 16)) {
    std::sort(a, a + n, perm_less);
    return;
  }
  constexpr int kBits = 8, kPasses = 3, kTop = 64 - kPasses * kBits;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<size_t> count(kPasses * kBuckets, 0);
  for (size_t i = 0; i < n; ++i)
    for (int pass = 0; pass < kPasses; ++pass)
      ++count[static_cast<size_t>(pass) * kBuckets + ((a[i].key >> (kTop + pass * kBits)) & (kBuckets - 1))];
  for (int pass = 0; pass < kPasses; ++pass) {
    size_t* c = count.data() + static_cast<size_t>(pass) * kBuckets;
    size_t sum = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      const size_t here = c[b];
      c[b] = sum;
      sum += here;
    }
    const int shift = kTop + pass * kBits;
    for (size_t i = 0; i < n; ++i) tmp[c[(a[i].key >> shift) & (kBuckets - 1)]++] = a[i];
    std::swap(a, tmp);
  }
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && (a[j].key >> kTop) == (a[i].key >> kTop)) ++j;
    if (j - i > 1) std::sort(a + i, a + j, perm_less);
    i = j;
  }
}

template <typename P>
double prob_at(const P* p, int64_t i) {
  return static_cast<double>(p[i]);
}

template <typename T, typename P>
void bernoulli_fill(T* o, const P* probs, double p, uint64_t seed, uint64_t offset, int64_t n) {
  parallel_for(n, 4096, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const double pi = probs ? prob_at(probs, i) : p;
      o[i] = static_cast<T>(philox_uniform_f64(seed, offset, i) < pi ? 1 : 0);
    }
  });
}

// One row of multinomial: w (C) weights, o (S) samples (Note [random stream layout], core/philox.h).
template <typename P>
void multinomial_row(int64_t* o, const P* w, int64_t C, int64_t S, bool replacement, uint64_t seed,
                     uint64_t offset, int64_t row) {
  if (replacement) {
    std::vector<double> cdf(static_cast<size_t>(C));
    double total = 0;
    int64_t last_positive = 0;
    for (int64_t c = 0; c < C; ++c) {
      total += static_cast<double>(w[c]);
      cdf[static_cast<size_t>(c)] = total;
      if (w[c] > 0) last_positive = c;
    }
    for (int64_t s = 0; s < S; ++s) {
      const double target = philox_uniform_f64(seed, offset, row * S + s) * total;
      const int64_t c = std::upper_bound(cdf.begin(), cdf.end(), target) - cdf.begin();
      o[s] = c < C ? c : last_positive;  // u * total rounded up to total: the last drawable category
    }
    return;
  }
  std::vector<std::pair<double, int64_t>> keys(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) {
    const double u = philox_uniform_f64(seed, offset, row * C + c);
    const double wc = static_cast<double>(w[c]);
    keys[static_cast<size_t>(c)] = {wc > 0 ? -std::log1p(-u) / wc : std::numeric_limits<double>::infinity(), c};
  }
  std::partial_sort(keys.begin(), keys.begin() + S, keys.end());
  for (int64_t s = 0; s < S; ++s) o[s] = keys[static_cast<size_t>(s)].second;
}

}  // namespace

void random_perm(const Tensor& out, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  // Scratch from the CPU allocator's block cache (Note [CPU block cache]): no fresh pages per call.
  static_assert(sizeof(PermKey) == 2 * sizeof(int64_t), "a pair is two int64 slots");
  Tensor buffers = make_empty(DimVector{4 * n}, DType::Int64, out.device());
  PermKey* keys = reinterpret_cast<PermKey*>(buffers.data());
  PermKey* tmp = keys + n;
  parallel_for(n, 4096, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) keys[static_cast<size_t>(i)] = {philox_u64(seed, offset, i), i};
  });
  sort_perm_keys(keys, tmp, static_cast<size_t>(n));
  int64_t* o = out.data_as<int64_t>();
  for (int64_t i = 0; i < n; ++i) o[i] = keys[static_cast<size_t>(i)].index;
}

void random_bernoulli(const Tensor& out, const Tensor& probs, double p, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  LT_DISPATCH_ALL(out.dtype(), "bernoulli", {
    scalar_t* o = out.data_as<scalar_t>();
    if (!probs.defined()) bernoulli_fill<scalar_t, double>(o, nullptr, p, seed, offset, n);
    else if (probs.dtype() == DType::Float32) bernoulli_fill(o, probs.data_as<float>(), p, seed, offset, n);
    else bernoulli_fill(o, probs.data_as<double>(), p, seed, offset, n);
  });
}

void random_multinomial(const Tensor& out, const Tensor& probs, bool replacement, uint64_t seed, uint64_t offset) {
  const int64_t R = out.size(0), S = out.size(1), C = probs.size(1);
  int64_t* o = out.data_as<int64_t>();
  LT_DISPATCH_FLOATING(probs.dtype(), "multinomial", {
    const scalar_t* w = probs.data_as<scalar_t>();
    parallel_for(R, 1, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) multinomial_row(o + r * S, w + r * C, C, S, replacement, seed, offset, r);
    });
  });
}

}  // namespace lt::cpu
