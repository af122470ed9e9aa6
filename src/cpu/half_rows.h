// Elementwise CPU kernels on float16 / bfloat16 without float32 copies of whole tensors.
//
// Note [half rows]: the ops layer computes a storage dtype in its kernel dtype (Note [kernel dtype] in
// core/dtype.h); converting whole operands to float32 and the result back costs three extra passes over
// memory, which makes a half-precision add slower than a float32 one. On the CPU the elementwise kernels
// instead take float16/bfloat16 operands and run `half_row`: each row of the iteration plan is cut into
// chunks of kHalfChunk elements, the chunk's inputs are widened into float32 buffers on the stack, the
// float32 row function of the op runs on the buffers (its vector code included: the buffers are
// contiguous whatever the tensors' layout, so results never depend on the layout), and the chunk's result
// is rounded once into the output. The semantics are exactly those of the kernel dtype; the memory
// traffic is that of 2-byte elements. Add, sub, mul and div of contiguous rows skip the buffers
// (Note [fused half arithmetic] in cpu/vec_half_binary.h) with the same results.
#pragma once
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "core/half.h"
#include "cpu/vec_convert.h"

namespace lt::cpu {

constexpr int64_t kHalfChunk = 512;

// m elements of H at p (byte stride `stride`) as float32 in dst.
template <typename H>
inline void widen_chunk(const char* p, int64_t stride, float* dst, int64_t m) {
  if (stride == int64_t(sizeof(H))) {
    vec_convert(reinterpret_cast<const H*>(p), dst, m);
  } else {
    for (int64_t i = 0; i < m; ++i, p += stride) dst[i] = float(*reinterpret_cast<const H*>(p));
  }
}

// m float32 values rounded into H at p (byte stride `stride`).
template <typename H>
inline void narrow_chunk(const float* src, char* p, int64_t stride, int64_t m) {
  if (stride == int64_t(sizeof(H))) {
    vec_convert(src, reinterpret_cast<H*>(p), m);
  } else {
    for (int64_t i = 0; i < m; ++i, p += stride) *reinterpret_cast<H*>(p) = H(src[i]);
  }
}

// One row of an op with NIn inputs of type H and a result of type Out (H, or bool for comparisons and
// predicates): row32(data, byte_strides, n) is the op's float32 row (data[0] the result, float or bool).
// An input with stride 0 (broadcast) is widened once and passed with stride 0, so a scalar operand
// keeps the float32 row's broadcast fast path.
template <typename H, typename Out, int NIn, typename Row32>
inline void half_row(const Row32& row32, char** d, const int64_t* s, int64_t n) {
  using Out32 = std::conditional_t<std::is_same<Out, bool>::value, bool, float>;
  alignas(64) float in[NIn][kHalfChunk];
  alignas(64) Out32 out[kHalfChunk];
  char* dd[NIn + 1];
  int64_t ss[NIn + 1];
  dd[0] = reinterpret_cast<char*>(out);
  ss[0] = sizeof(Out32);
  for (int k = 0; k < NIn; ++k) {
    dd[k + 1] = reinterpret_cast<char*>(in[k]);
    ss[k + 1] = s[k + 1] == 0 ? 0 : int64_t(sizeof(float));
    if (s[k + 1] == 0) widen_chunk<H>(d[k + 1], 0, in[k], 1);
  }
  for (int64_t i0 = 0; i0 < n; i0 += kHalfChunk) {
    const int64_t m = std::min(kHalfChunk, n - i0);
    for (int k = 0; k < NIn; ++k)
      if (s[k + 1] != 0) widen_chunk<H>(d[k + 1] + i0 * s[k + 1], s[k + 1], in[k], m);
    row32(dd, ss, m);
    char* o = d[0] + i0 * s[0];
    if constexpr (std::is_same<Out, bool>::value) {
      for (int64_t i = 0; i < m; ++i, o += s[0]) *reinterpret_cast<bool*>(o) = out[i];
    } else {
      narrow_chunk<H>(out, o, s[0], m);
    }
  }
}

}  // namespace lt::cpu
