// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), shared by the
// CPU and CUDA backends so that one seed gives bitwise the same numbers on both.
//
// Note [random stream layout]: a thread's stream is (seed, offset). Element i of a rand/randn call uses
// the 4 x 32-bit block at counter (offset + i / 4... see below); each call then advances offset past
// the blocks it used, so consecutive calls never reuse numbers.
//   float32 uniform : block (offset + i/4), word i%4, u = (w >> 8) * 2^-24            in [0, 1)
//   float64 uniform : block (offset + i/2), words 2(i%2), 2(i%2)+1 -> 53 bits * 2^-53  in [0, 1)
//   normal (both)   : block (offset + i),  Box-Muller on two uniforms built from words 0,1 (u1) and 2,3 (u2)
//                     in float64, then rounded to the dtype.
// The random family (src/ops/random.cpp) uses two more per-element draws, both of element i's
// "u64 slot" or "f64 slot" = block (offset + i/2), words 2(i%2), 2(i%2)+1 (two elements per block, so
// a call of n elements advances the offset by ceil(n/2)):
//   randint    : x = (w[2j] << 32 | w[2j+1]) (64 bits), value = low + floor(x * range / 2^64) with
//                range = high - low (the high word of a 64x64-bit product, "multiply-shift"; no rejection).
//                The bias is at most range / 2^64 per value (< 2^-32 for any range below 2^32).
//   randperm   : key_i = the same 64 bits x for element i; the permutation is the indices 0..n-1 sorted by
//                (key_i, i), so both backends give the same permutation (CUB's stable radix sort on the key
//                on CUDA; on the CPU a bucket sort of the packed (key, i) pairs on the top key bits, each
//                bucket finished by (key, i): Note [CPU randperm] in src/cpu/random_kernels.cpp).
//   bernoulli  : value = (float64 uniform u_i of element i, as rand's float64) < p_i (p_i converted to
//   dropout      float64), so p = 0 never and p = 1 always gives 1. dropout keeps element i when
//                u_i < 1 - p (its mask is bernoulli(1 - p)).
//   multinomial: probs (R, C), S samples per row; with replacement sample (r, s) uses u at element r*S + s
//                and picks the first category whose running float64 sum exceeds u * row_sum; without
//                replacement category (r, c) uses u at element r*C + c for the key -log(1 - u) / w[c]
//                (an exponential race, equivalent to Gumbel top-k), and the row's samples are its S
//                smallest keys in increasing (key, c) order (zero weights have key +inf: drawn last).
//                The CUDA keys go through the device's log, so multinomial without replacement may
//                differ from the CPU's in the last ulp of a key (a tie that close is as rare as 2^-50).
//   uniform_   : rand's uniform u of the tensor's dtype, then u * (high - low) + low in that dtype;
//   normal_      randn's value z, then z * std + mean (so they advance the offset as rand/randn do).
#pragma once
#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define LT_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define LT_HOST_DEVICE inline
#endif

namespace lt {

struct PhiloxBlock {
  uint32_t w[4];
};

LT_HOST_DEVICE PhiloxBlock philox4x32_10(uint64_t seed, uint64_t counter) {
  uint32_t c0 = static_cast<uint32_t>(counter), c1 = static_cast<uint32_t>(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = static_cast<uint32_t>(seed), k1 = static_cast<uint32_t>(seed >> 32);
  for (int r = 0; r < 10; ++r) {
    uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c0;
    uint64_t p1 = static_cast<uint64_t>(0xCD9E8D57u) * c2;
    uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  PhiloxBlock b;
  b.w[0] = c0;
  b.w[1] = c1;
  b.w[2] = c2;
  b.w[3] = c3;
  return b;
}

LT_HOST_DEVICE float philox_uniform_f32(uint64_t seed, uint64_t offset, int64_t i) {
  PhiloxBlock b = philox4x32_10(seed, offset + static_cast<uint64_t>(i / 4));
  return static_cast<float>(b.w[i % 4] >> 8) * (1.0f / 16777216.0f);
}

LT_HOST_DEVICE double u53(uint32_t hi, uint32_t lo) {
  uint64_t bits = (static_cast<uint64_t>(hi) << 21) ^ (static_cast<uint64_t>(lo) >> 11);
  return static_cast<double>(bits & ((uint64_t(1) << 53) - 1)) * (1.0 / 9007199254740992.0);
}

LT_HOST_DEVICE double philox_uniform_f64(uint64_t seed, uint64_t offset, int64_t i) {
  PhiloxBlock b = philox4x32_10(seed, offset + static_cast<uint64_t>(i / 2));
  int j = static_cast<int>(i % 2) * 2;
  return u53(b.w[j], b.w[j + 1]);
}

LT_HOST_DEVICE double philox_normal(uint64_t seed, uint64_t offset, int64_t i) {
  PhiloxBlock b = philox4x32_10(seed, offset + static_cast<uint64_t>(i));
  double u1 = 1.0 - u53(b.w[0], b.w[1]);  // (0, 1]: log is finite
  double u2 = u53(b.w[2], b.w[3]);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

// The high 64 bits of the 128-bit product a * b, in 32-bit pieces (the same integer arithmetic on host
// and device).
LT_HOST_DEVICE uint64_t mulhi64(uint64_t a, uint64_t b) {
  const uint64_t a_lo = static_cast<uint32_t>(a), a_hi = a >> 32, b_lo = static_cast<uint32_t>(b), b_hi = b >> 32;
  const uint64_t p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
  const uint64_t mid = (p0 >> 32) + static_cast<uint32_t>(p1) + static_cast<uint32_t>(p2);
  return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

// Element i's 64 random bits (its u64 slot: block offset + i/2, words 2(i%2) high and 2(i%2)+1 low).
LT_HOST_DEVICE uint64_t philox_u64(uint64_t seed, uint64_t offset, int64_t i) {
  PhiloxBlock b = philox4x32_10(seed, offset + static_cast<uint64_t>(i / 2));
  int j = static_cast<int>(i % 2) * 2;
  return (static_cast<uint64_t>(b.w[j]) << 32) | b.w[j + 1];
}

// randint's value for element i: low + floor(x * range / 2^64), in [low, low + range) (range >= 1, as an
// unsigned 64-bit count so that [INT64_MIN, INT64_MAX) fits; the sum wraps as two's complement).
LT_HOST_DEVICE int64_t philox_randint(uint64_t seed, uint64_t offset, int64_t i, int64_t low, uint64_t range) {
  return static_cast<int64_t>(static_cast<uint64_t>(low) + mulhi64(philox_u64(seed, offset, i), range));
}

// Blocks a call of n elements consumes (the offset advance).
inline uint64_t philox_blocks_used(int64_t n, bool is_double, bool normal) {
  if (normal) return static_cast<uint64_t>(n);
  int per = is_double ? 2 : 4;
  return static_cast<uint64_t>((n + per - 1) / per);
}

// Blocks a draw of n u64 or f64 slots consumes (randint, randperm, bernoulli, dropout, multinomial).
inline uint64_t philox_slot_blocks(int64_t n) { return static_cast<uint64_t>((n + 1) / 2); }

}  // namespace lt
