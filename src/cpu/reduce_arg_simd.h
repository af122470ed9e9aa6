// Vectorised max/min with index for float and double (ArgReducer's fast paths). A scalar fold of
// (value, index) is one long dependency chain per output; these run several chains side by side:
// - arg_row_contiguous: one long contiguous row, lane l takes elements l, l + L, l + 2L, ...
// - arg_short_rows: many short rows (max over 3 color channels), one row per lane, elements gathered.
// Semantics are those of ArgReducer: NaN beats every number and the first NaN wins, ties keep the first
// index.
#pragma once
#include <cstdint>
#include <cstring>

#include "cpu/reduce_simd.h"

namespace lt::cpu {

template <typename T, bool is_max>
struct ArgLanes {
  using S = Simd<T>;
  using V = typename S::V;
  using M = typename S::M;  // lane masks and lane indices: int32 for float, int64 for double
  static constexpr int L = S::kLanes;

  // Lanes where x beats best: x > best or x is NaN, never when best is NaN.
  static M beats(V x, V best) { return is_max ? ~(x <= best) & (best == best) : ~(x >= best) & (best == best); }
  // Scalar form, plus the rule for equal candidates (NaN equals NaN here): the smaller index wins.
  static bool wins(T x, int64_t xi, T best, int64_t bi) {
    const bool x_nan = x != x, b_nan = best != best;
    if (x_nan || b_nan) return x_nan && (!b_nan || xi < bi);
    if (x == best) return xi < bi;
    return is_max ? x > best : x < best;
  }
};

// Winner (value, index) of the n >= 2L contiguous values at p (indices from 0); n < 2^31 for float.
template <typename T, bool is_max>
void arg_row_contiguous(const T* p, int64_t n, T* value, int64_t* index) {
  using A = ArgLanes<T, is_max>;
  using V = typename A::V;
  using M = typename A::M;
  using lane_t = typename std::remove_reference<decltype(M{}[0])>::type;
  constexpr int L = A::L;
  V b0 = vload<V>(p), b1 = vload<V>(p + L);
  M i0, i1;
  for (int l = 0; l < L; ++l) {
    i0[l] = static_cast<lane_t>(l);
    i1[l] = static_cast<lane_t>(L + l);
  }
  M c0 = i0 + 2 * L, c1 = i1 + 2 * L;
  int64_t i = 2 * L;
  for (; i + 2 * L <= n; i += 2 * L) {  // two independent chains
    const V x0 = vload<V>(p + i), x1 = vload<V>(p + i + L);
    const M w0 = A::beats(x0, b0), w1 = A::beats(x1, b1);
    b0 = w0 ? x0 : b0;
    i0 = w0 ? c0 : i0;
    b1 = w1 ? x1 : b1;
    i1 = w1 ? c1 : i1;
    c0 += 2 * L;
    c1 += 2 * L;
  }
  T best = b0[0];
  int64_t best_i = static_cast<int64_t>(i0[0]);
  for (int l = 0; l < L; ++l) {
    if (A::wins(b0[l], static_cast<int64_t>(i0[l]), best, best_i)) best = b0[l], best_i = static_cast<int64_t>(i0[l]);
    if (A::wins(b1[l], static_cast<int64_t>(i1[l]), best, best_i)) best = b1[l], best_i = static_cast<int64_t>(i1[l]);
  }
  for (; i < n; ++i)  // later indices: only a strict win counts
    if (A::wins(p[i], i, best, best_i)) best = p[i], best_i = i;
  *value = best;
  *index = best_i;
}

// Rows of n elements (`stride` bytes apart) starting at in + o * in_stride for o < count, L at a time:
// writes each winner's value (when values != nullptr) and int64 index. Returns how many rows it did
// (a multiple of L; the caller folds the rest).
template <typename T, bool is_max>
int64_t arg_short_rows(const char* in, int64_t in_stride, int64_t count, int64_t n, int64_t stride, char* values,
                       int64_t v_stride, char* indices, int64_t i_stride) {
  using A = ArgLanes<T, is_max>;
  using V = typename A::V;
  using M = typename A::M;
  using lane_t = typename std::remove_reference<decltype(M{}[0])>::type;
  constexpr int L = A::L;
  // Lanes built from registers in one expression: filling them one by one goes through the stack and
  // stalls on store forwarding.
  auto gather = [&](const char* base, int64_t k) {
    auto at = [&](int l) {
      T v;
      std::memcpy(&v, base + l * in_stride + k * stride, sizeof(T));
      return v;
    };
    if constexpr (L == 4) {
      return V{at(0), at(1), at(2), at(3)};
    } else {
      static_assert(L == 2, "arg_short_rows: 2 or 4 lanes");
      return V{at(0), at(1)};
    }
  };
  int64_t o = 0;
  for (; o + L <= count; o += L) {
    const char* base = in + o * in_stride;
    V best = gather(base, 0);
    M idx = M{} + 0;
    for (int64_t k = 1; k < n; ++k) {
      const V x = gather(base, k);
      const M w = A::beats(x, best);
      best = w ? x : best;
      idx = w ? M{} + static_cast<lane_t>(k) : idx;
    }
    for (int l = 0; l < L; ++l) {
      if (values) {
        T v = best[l];
        std::memcpy(values + (o + l) * v_stride, &v, sizeof(T));
      }
      const int64_t i = static_cast<int64_t>(idx[l]);
      std::memcpy(indices + (o + l) * i_stride, &i, sizeof(int64_t));
    }
  }
  return o;
}

}  // namespace lt::cpu
