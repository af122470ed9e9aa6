// Inner loops for CPU elementwise kernels. Each loop receives the plan's inner row (see Note [iteration
// plan] in core/iterator.h) and picks the contiguous / stride-0 case it can so the compiler emits
// vector code for it; the strided case is the fallback.
#pragma once
#include <cstdint>

namespace lt::cpu {

// out = f(a, b) over one row.
template <typename out_t, typename in_t, typename F>
inline void binary_row(char** data, const int64_t* s, int64_t n, F f) {
  constexpr int64_t so = sizeof(out_t), si = sizeof(in_t);
  out_t* __restrict o = reinterpret_cast<out_t*>(data[0]);
  const in_t* __restrict a = reinterpret_cast<const in_t*>(data[1]);
  const in_t* __restrict b = reinterpret_cast<const in_t*>(data[2]);
  if (s[0] == so && s[1] == si && s[2] == si) {
    for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], b[i]);
  } else if (s[0] == so && s[1] == si && s[2] == 0) {
    const in_t bv = *b;
    for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], bv);
  } else if (s[0] == so && s[1] == 0 && s[2] == si) {
    const in_t av = *a;
    for (int64_t i = 0; i < n; ++i) o[i] = f(av, b[i]);
  } else {
    char *po = data[0], *pa = data[1], *pb = data[2];
    for (int64_t i = 0; i < n; ++i, po += s[0], pa += s[1], pb += s[2])
      *reinterpret_cast<out_t*>(po) = f(*reinterpret_cast<const in_t*>(pa), *reinterpret_cast<const in_t*>(pb));
  }
}

// out = f(a) over one row.
template <typename out_t, typename in_t, typename F>
inline void unary_row(char** data, const int64_t* s, int64_t n, F f) {
  constexpr int64_t so = sizeof(out_t), si = sizeof(in_t);
  out_t* __restrict o = reinterpret_cast<out_t*>(data[0]);
  const in_t* __restrict a = reinterpret_cast<const in_t*>(data[1]);
  if (s[0] == so && s[1] == si) {
    for (int64_t i = 0; i < n; ++i) o[i] = f(a[i]);
  } else if (s[0] == so && s[1] == 0) {
    const out_t v = f(*a);
    for (int64_t i = 0; i < n; ++i) o[i] = v;
  } else {
    char *po = data[0], *pa = data[1];
    for (int64_t i = 0; i < n; ++i, po += s[0], pa += s[1])
      *reinterpret_cast<out_t*>(po) = f(*reinterpret_cast<const in_t*>(pa));
  }
}

}  // namespace lt::cpu
