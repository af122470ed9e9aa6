// Inner loops for CPU elementwise kernels. Each loop receives the plan's inner row (see Note [iteration
// plan] in core/iterator.h) and picks the contiguous / stride-0 case it can so the compiler emits
// vector code for it; the strided case is the fallback.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

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

// out = cond ? a : b over one row (cond is bool storage, read as bytes: any nonzero byte is true).
// Note [branchless where]: with a random condition a branch per element mispredicts half the time
// (1M float32 elements: ~2.5 ms, as in libtorch and NumPy); both values are loaded and one is selected
// without a branch: the contiguous loops vectorise (~0.1 ms), the strided one masks bits.
template <typename T>
inline void where_row(char** data, const int64_t* s, int64_t n) {
  constexpr int64_t st = sizeof(T);
  T* __restrict o = reinterpret_cast<T*>(data[0]);
  const uint8_t* __restrict c = reinterpret_cast<const uint8_t*>(data[1]);
  const T* __restrict a = reinterpret_cast<const T*>(data[2]);
  const T* __restrict b = reinterpret_cast<const T*>(data[3]);
  if (s[0] == st && s[1] == 1) {
    // Each loop loads both values before it selects, so that the compiler may if-convert it.
    if (s[2] == st && s[3] == st) {
      for (int64_t i = 0; i < n; ++i) {
        const T x = a[i], y = b[i];
        o[i] = c[i] ? x : y;
      }
      return;
    }
    if (s[2] == st && s[3] == 0) {
      const T y = *b;
      for (int64_t i = 0; i < n; ++i) {
        const T x = a[i];
        o[i] = c[i] ? x : y;
      }
      return;
    }
    if (s[2] == 0 && s[3] == st) {
      const T x = *a;
      for (int64_t i = 0; i < n; ++i) {
        const T y = b[i];
        o[i] = c[i] ? x : y;
      }
      return;
    }
  }
  using Bits = std::conditional_t<
      sizeof(T) == 8, uint64_t,
      std::conditional_t<sizeof(T) == 4, uint32_t, std::conditional_t<sizeof(T) == 2, uint16_t, uint8_t>>>;
  static_assert(sizeof(Bits) == sizeof(T), "where_row: element of 1, 2, 4 or 8 bytes");
  char *po = data[0], *pc = data[1], *pa = data[2], *pb = data[3];
  for (int64_t i = 0; i < n; ++i, po += s[0], pc += s[1], pa += s[2], pb += s[3]) {
    Bits x, y;
    std::memcpy(&x, pa, sizeof x);
    std::memcpy(&y, pb, sizeof y);
    const Bits m = Bits(0) - Bits(*reinterpret_cast<const uint8_t*>(pc) != 0);
    const Bits r = static_cast<Bits>((x & m) | (y & static_cast<Bits>(~m)));
    std::memcpy(po, &r, sizeof r);
  }
}

}  // namespace lt::cpu
