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
#include "cpu/vec_dispatch.h"
#include "cpu/vec_math.h"

#ifdef LT_HAVE_WIDE_VECTORS
#include <immintrin.h>
#endif

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

// ---- randperm of a large n (Note [CPU randperm]) ----
//
// Note [CPU randperm]: the order is the one of (key_i, i) (Note [random stream layout]), and any correct
// sort of those pairs gives the same permutation (and so CUDA's); this one is laid out for 2 threads and
// little memory traffic: (1) each thread draws the keys of its contiguous share, one Philox block per two
// keys, 8 blocks at a time in AVX2 registers (perm_keys_avx2), and counts their top kPermTopBits bits;
// (2) each thread scatters its pairs, packed into 64 bits (PermPacking), to their bucket; (3) the buckets
// (~n / 2048 pairs each, cache-resident) are shared among the threads: each is counted again on its next
// bits, enough for about one pair per value, then put in (key, i) order by an insertion sort that moves
// almost nothing, and its indices are written out. 1M elements: 20.3 -> 9.7 ms of CPU time (1 thread).
constexpr int64_t kPermParallelMin = int64_t(1) << 16;
constexpr int kPermTopBits = 11;
constexpr int kPermTopShift = 64 - kPermTopBits;
constexpr int kPhiloxLanes = 8;

// kPhiloxLanes Philox blocks at counters counter, counter + 1, ..., each as philox4x32_10 computes it.
__attribute__((always_inline)) inline void philox_lanes(uint64_t seed, uint64_t counter,
                                                        uint32_t (&w)[4][kPhiloxLanes]) {
  uint32_t c0[kPhiloxLanes], c1[kPhiloxLanes], c2[kPhiloxLanes] = {}, c3[kPhiloxLanes] = {};
  for (int l = 0; l < kPhiloxLanes; ++l) {
    const uint64_t c = counter + static_cast<uint64_t>(l);
    c0[l] = static_cast<uint32_t>(c);
    c1[l] = static_cast<uint32_t>(c >> 32);
  }
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    for (int l = 0; l < kPhiloxLanes; ++l) {
      const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0[l];
      const uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2[l];
      const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1[l] ^ k0;
      const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3[l] ^ k1;
      c1[l] = static_cast<uint32_t>(p1);
      c3[l] = static_cast<uint32_t>(p0);
      c0[l] = n0;
      c2[l] = n2;
    }
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  for (int l = 0; l < kPhiloxLanes; ++l) {
    w[0][l] = c0[l];
    w[1][l] = c1[l];
    w[2][l] = c2[l];
    w[3][l] = c3[l];
  }
}

// keys[i] = philox_u64(seed, offset, i) for i in [b, e) (b even), and hist[top bits of the key] += 1.
__attribute__((always_inline)) inline void perm_keys_body(uint64_t* keys, uint64_t seed, uint64_t offset, int64_t b,
                                                          int64_t e, int64_t* hist) {
  int64_t i = b;
  for (; i + 2 * kPhiloxLanes <= e; i += 2 * kPhiloxLanes) {
    uint32_t w[4][kPhiloxLanes];
    philox_lanes(seed, offset + static_cast<uint64_t>(i / 2), w);
    for (int l = 0; l < kPhiloxLanes; ++l) {
      const uint64_t even = (static_cast<uint64_t>(w[0][l]) << 32) | w[1][l];
      const uint64_t odd = (static_cast<uint64_t>(w[2][l]) << 32) | w[3][l];
      keys[i + 2 * l] = even;
      keys[i + 2 * l + 1] = odd;
      ++hist[even >> kPermTopShift];
      ++hist[odd >> kPermTopShift];
    }
  }
  for (; i < e; ++i) {
    keys[i] = philox_u64(seed, offset, i);
    ++hist[keys[i] >> kPermTopShift];
  }
}

using PermKeysFn = void (*)(uint64_t*, uint64_t, uint64_t, int64_t, int64_t, int64_t*);
void perm_keys_base(uint64_t* k, uint64_t s, uint64_t off, int64_t b, int64_t e, int64_t* h) {
  perm_keys_body(k, s, off, b, e, h);
}
#ifdef LT_HAVE_WIDE_VECTORS
// perm_keys_body with AVX2: 8 Philox blocks in flight as two vectors of 4 64-bit lanes, each 32-bit word
// in the low half of its lane (vpmuludq multiplies those). The high halves collect garbage from the
// products, which never reaches a low half (the products read only low halves) and is masked at the end.
LT_AVX2 void perm_keys_avx2(uint64_t* keys, uint64_t seed, uint64_t offset, int64_t b, int64_t e, int64_t* hist) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
  const __m256i low = _mm256_set1_epi64x(0xffffffff), lanes = _mm256_setr_epi64x(0, 1, 2, 3);
  int64_t i = b;
  for (; i + 16 <= e; i += 16) {
    const uint64_t ctr = offset + static_cast<uint64_t>(i / 2);
    __m256i c0[2], c1[2], c2[2], c3[2];
    for (int h = 0; h < 2; ++h) {
      c0[h] = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<int64_t>(ctr + 4 * static_cast<uint64_t>(h))), lanes);
      c1[h] = _mm256_srli_epi64(c0[h], 32);
      c2[h] = c3[h] = _mm256_setzero_si256();
    }
    uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
    for (int r = 0; r < 10; ++r) {
      const __m256i kk0 = _mm256_set1_epi64x(k0), kk1 = _mm256_set1_epi64x(k1);
      for (int h = 0; h < 2; ++h) {
        const __m256i p0 = _mm256_mul_epu32(c0[h], m0), p1 = _mm256_mul_epu32(c2[h], m1);
        c0[h] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1[h]), kk0);
        c2[h] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3[h]), kk1);
        c1[h] = p1;
        c3[h] = p0;
      }
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    for (int h = 0; h < 2; ++h) {
      // Block l's keys: even = w0 << 32 | w1 (element 2l), odd = w2 << 32 | w3 (element 2l + 1).
      const __m256i even = _mm256_or_si256(_mm256_slli_epi64(c0[h], 32), _mm256_and_si256(c1[h], low));
      const __m256i odd = _mm256_or_si256(_mm256_slli_epi64(c2[h], 32), _mm256_and_si256(c3[h], low));
      const __m256i lo = _mm256_unpacklo_epi64(even, odd), hi = _mm256_unpackhi_epi64(even, odd);
      uint64_t* dst = keys + i + 8 * h;
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_permute2x128_si256(lo, hi, 0x20));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 4), _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (int t = 0; t < 16; ++t) ++hist[keys[i + t] >> kPermTopShift];
  }
  perm_keys_body(keys, seed, offset, i, e, hist);
}
#else
#define perm_keys_avx2 perm_keys_base
#endif

// A bucket's pair (key, i) packed into 64 bits: the key without its top kPermTopBits bits (the bucket's),
// cut to the bits above the index's, then the index. Packed order is (key, i) order except between two
// pairs whose keys agree on every kept bit (a near-impossible tie, ~n^2 / 2^(64 - index bits) per call),
// which perm_bucket settles from the full keys.
struct PermPacking {
  int index_bits;
  uint64_t index_mask;
  uint64_t pack(uint64_t key, int64_t i) const {
    return (((key << kPermTopBits) >> index_bits) << index_bits) | static_cast<uint64_t>(i);
  }
};

// Step (3) of Note [CPU randperm] for one bucket a[0, m) of packed pairs (PermPacking), all of one top key
// bits; the indices go to o[0, m). `keys` are the full keys by index; `tmp` and `count` are scratch.
void perm_bucket(const uint64_t* a, int64_t m, int64_t* o, const uint64_t* keys, const PermPacking& pk,
                 std::vector<uint64_t>& tmp, std::vector<int64_t>& count) {
  int bits = 1;
  while (bits < 16 && (int64_t(1) << bits) < m) ++bits;
  const int shift = 64 - bits;
  count.resize((size_t(1) << bits) + 1);
  std::fill(count.begin(), count.end(), 0);
  tmp.resize(static_cast<size_t>(m));
  for (int64_t j = 0; j < m; ++j) ++count[(a[j] >> shift) + 1];
  for (size_t v = 1; v < count.size(); ++v) count[v] += count[v - 1];
  for (int64_t j = 0; j < m; ++j) tmp[static_cast<size_t>(count[a[j] >> shift]++)] = a[j];
  // (key, i) order: packed order unless the kept key bits agree, then the full keys decide.
  auto less = [&](uint64_t x, uint64_t y) {
    if ((x ^ y) >> pk.index_bits) return x < y;
    const uint64_t ix = x & pk.index_mask, iy = y & pk.index_mask;
    return keys[ix] != keys[iy] ? keys[ix] < keys[iy] : ix < iy;
  };
  // Insertion sort: the pairs are already in order of their top bits, so only pairs within a run of
  // equal bits (nearly always alone) move, and the inner test nearly always fails at once.
  uint64_t* t = tmp.data();
  for (int64_t q = 1; q < m; ++q) {
    if (!less(t[q], t[q - 1])) continue;
    const uint64_t v = t[q];
    int64_t p = q;
    for (; p > 0 && less(v, t[p - 1]); --p) t[p] = t[p - 1];
    t[p] = v;
  }
  for (int64_t j = 0; j < m; ++j) o[j] = static_cast<int64_t>(t[j] & pk.index_mask);
}

void perm_large(int64_t* o, int64_t n, uint64_t seed, uint64_t offset) {
  static const PermKeysFn perm_keys = pick_width<PermKeysFn>(perm_keys_base, perm_keys_avx2, perm_keys_avx2);
  constexpr int64_t kBuckets = int64_t(1) << kPermTopBits;
  // Scratch from the CPU allocator's block cache (Note [CPU block cache]): no fresh pages per call.
  Tensor buffers = make_empty(DimVector{2 * n}, DType::Int64, cpu_device());
  uint64_t* keys = reinterpret_cast<uint64_t*>(buffers.data());
  uint64_t* packed = keys + n;
  PermPacking pk{1, 0};
  while ((int64_t(1) << pk.index_bits) < n) ++pk.index_bits;
  pk.index_mask = (uint64_t(1) << pk.index_bits) - 1;
  // Shares of the index range for steps (1) and (2), even-sized so that no Philox block is split.
  const int64_t shares = std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), n / (kPermParallelMin / 2)));
  auto share_begin = [&](int64_t t) { return (n / 2 * t / shares) * 2; };
  std::vector<int64_t> hist(static_cast<size_t>(shares * kBuckets), 0);
  parallel_for(shares, 1, [&](int64_t tb, int64_t te) {
    for (int64_t t = tb; t < te; ++t)
      perm_keys(keys, seed, offset, share_begin(t), t + 1 == shares ? n : share_begin(t + 1),
                hist.data() + t * kBuckets);
  });
  std::vector<int64_t> bucket_begin(static_cast<size_t>(kBuckets) + 1);
  int64_t sum = 0;
  for (int64_t v = 0; v < kBuckets; ++v) {
    bucket_begin[static_cast<size_t>(v)] = sum;
    for (int64_t t = 0; t < shares; ++t) {
      int64_t& h = hist[static_cast<size_t>(t * kBuckets + v)];
      const int64_t c = h;
      h = sum;
      sum += c;
    }
  }
  bucket_begin[static_cast<size_t>(kBuckets)] = n;
  parallel_for(shares, 1, [&](int64_t tb, int64_t te) {
    for (int64_t t = tb; t < te; ++t) {
      int64_t* pos = hist.data() + t * kBuckets;
      const int64_t e = t + 1 == shares ? n : share_begin(t + 1);
      for (int64_t i = share_begin(t); i < e; ++i) packed[pos[keys[i] >> kPermTopShift]++] = pk.pack(keys[i], i);
    }
  });
  parallel_for(kBuckets, 1, [&](int64_t vb, int64_t ve) {
    std::vector<uint64_t> tmp;
    std::vector<int64_t> count;
    for (int64_t v = vb; v < ve; ++v) {
      const int64_t b = bucket_begin[static_cast<size_t>(v)], m = bucket_begin[static_cast<size_t>(v) + 1] - b;
      if (m > 0) perm_bucket(packed + b, m, o + b, keys, pk, tmp, count);
    }
  });
}

}  // namespace

void random_perm(const Tensor& out, uint64_t seed, uint64_t offset) {
  const int64_t n = out.numel();
  int64_t* o = out.data_as<int64_t>();
  static_assert(sizeof(PermKey) == 2 * sizeof(int64_t), "a pair is two int64 slots");
  if (n >= kPermParallelMin) return perm_large(o, n, seed, offset);
  // Scratch from the CPU allocator's block cache (Note [CPU block cache]): no fresh pages per call.
  Tensor buffers = make_empty(DimVector{2 * n}, DType::Int64, out.device());
  PermKey* keys = reinterpret_cast<PermKey*>(buffers.data());
  parallel_for(n, 4096, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) keys[static_cast<size_t>(i)] = {philox_u64(seed, offset, i), i};
  });
  std::sort(keys, keys + n, perm_less);  // below kPermParallelMin: Note [CPU randperm] is for large n
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
