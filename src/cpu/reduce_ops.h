// The CPU reducers: what each reduction folds, one struct per op family, run by the loops of
// cpu/reduce_loops.h. A reducer is a value type with
//   acc_t                      the running state of one output element
//   kOutputs                   how many outputs finish() writes (2 for values + indices)
//   acc_t init() const         the state of an empty fold
//   void row(acc_t&, const char* p, int64_t n, int64_t stride, int64_t pos) const
//                              folds n elements spaced `stride` bytes apart whose flat reduction
//                              indices are pos, pos + 1, ... (Inner/All plans)
//   void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t pos) const
//                              folds element j of one input row (at p + j * stride) into acc[j] for
//                              j < m; all of them have reduction index pos (Outer plans)
//   void merge(acc_t& a, const acc_t& b) const   b folded the elements after a's
//   void finish(char* const* outs, const acc_t&) const   writes the output element(s)
// and optionally, to fold columns in two levels (kStageRows > 0: see SumReducer),
//   stage_t, kStageRows, void stage(stage_t* st, const char* p, int64_t m, int64_t stride) const,
//   void unstage(acc_t* acc, stage_t* st, int64_t m) const,
//   void finish_staged(char* out, int64_t out_stride, const stage_t* st, int64_t m) const,
// and optionally, to fold many single-run outputs at once (see ArgReducer),
//   int64_t rows(char* const* p, int64_t s_in, const int64_t* s_out, int64_t count, int64_t n,
//                int64_t stride) const   folds and finishes a prefix of `count` outputs whose inputs
//                start at p[0] + o * s_in (outputs at p[1 + k] + o * s_out[k]); returns its length.
// Semantics follow PyTorch: integer sums wrap in int64, NaN propagates through max/min and wins their
// index, ties keep the first index, var divides by max(0, N - correction).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "cpu/reduce_arg_simd.h"
#include "cpu/reduce_simd.h"

namespace lt::cpu {

template <typename T>
inline T load_as(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T>
inline void store_as(char* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}

template <typename T>
constexpr bool kIsFloat = std::is_floating_point<T>::value;

// c ? x : y without a branch: compilers turn a select on a float comparison into a jump, which
// mispredicts half the time on random data (max with indices over short rows spent most of its time
// there).
template <typename T>
inline T pick(bool c, T x, T y) {
  if constexpr (std::is_same<T, bool>::value) {
    return (c & x) | (!c & y);
  } else {
    using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
    static_assert(sizeof(T) == sizeof(U), "pick: 4- or 8-byte types");
    U ux, uy;
    std::memcpy(&ux, &x, sizeof(T));
    std::memcpy(&uy, &y, sizeof(T));
    const U mask = U(0) - static_cast<U>(c);
    const U r = (ux & mask) | (uy & ~mask);
    T out;
    std::memcpy(&out, &r, sizeof(T));
    return out;
  }
}

// Sum (and mean): floating input accumulates in double (Note [float sum accuracy]); integer and bool
// input in wrapping uint64 and gives int64. Column folds of float32 add each row into float column sums
// first (vector adds, no conversion per element) and move those into the double accumulators every
// kStageRows rows, so each float sum holds at most kStageRows terms.
template <typename T, bool mean>
struct SumReducer {
  using acc_t = typename std::conditional<kIsFloat<T>, double, uint64_t>::type;
  using out_t = typename std::conditional<kIsFloat<T>, T, int64_t>::type;
  using stage_t = float;
  static constexpr int kOutputs = 1;
  static constexpr int64_t kStageRows = std::is_same<T, float>::value ? 32 : 0;
  int64_t count;     // elements per output (the mean's divisor)
  double inv_count;  // 1 / count (inf for an empty fold: 0 * inf gives the mean's nan)

  acc_t init() const { return 0; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if constexpr (kIsFloat<T>) {
      if (stride == static_cast<int64_t>(sizeof(T)) && n >= 64) {
        a += sum_contiguous(reinterpret_cast<const T*>(p), n);
        return;
      }
    }
    acc_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += static_cast<acc_t>(load_as<T>(p + i * stride));
    a += s;
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) acc[j] += static_cast<acc_t>(load_as<T>(p + j * stride));
  }
  void stage(float* st, const char* p, int64_t m, int64_t stride) const {
    if (stride == static_cast<int64_t>(sizeof(float))) {
      add_row_f32(st, reinterpret_cast<const float*>(p), m);
      return;
    }
    for (int64_t j = 0; j < m; ++j) st[j] += load_as<float>(p + j * stride);
  }
  void unstage(acc_t* acc, float* st, int64_t m) const {
    for (int64_t j = 0; j < m; ++j) {
      acc[j] += static_cast<acc_t>(st[j]);
      st[j] = 0;
    }
  }
  // Writes outputs straight from a stage that holds whole folds (at most kStageRows terms each).
  void finish_staged(char* out, int64_t out_stride, const float* st, int64_t m) const {
    const float scale = mean ? static_cast<float>(inv_count) : 1.0f;
    int64_t j = 0;
    if (out_stride == static_cast<int64_t>(sizeof(float))) {
      using V = Simd<float>::V;
      for (; j + 4 <= m; j += 4) {
        const V v = vload<V>(st + j) * scale;
        std::memcpy(out + j * out_stride, &v, sizeof v);
      }
    }
    for (; j < m; ++j) store_as<float>(out + j * out_stride, st[j] * scale);
  }
  void merge(acc_t& a, const acc_t& b) const { a += b; }
  void finish(char* const* outs, const acc_t& a) const {
    if constexpr (mean) {
      // A float32 mean multiplies by 1/N (a division per output cost more than the column fold
      // itself); the double product is within an ulp of the quotient, far below float32's resolution.
      // float64 divides, as PyTorch's sum / N.
      if constexpr (std::is_same<T, float>::value) {
        store_as<out_t>(outs[0], static_cast<out_t>(a * inv_count));
      } else {
        store_as<out_t>(outs[0], static_cast<out_t>(a / static_cast<double>(count)));
      }
    } else {
      store_as<out_t>(outs[0], static_cast<out_t>(a));
    }
  }
};

// Product: floating input in double, integer and bool input in wrapping uint64 (int64 result).
template <typename T>
struct ProdReducer {
  using acc_t = typename std::conditional<kIsFloat<T>, double, uint64_t>::type;
  using out_t = typename std::conditional<kIsFloat<T>, T, int64_t>::type;
  static constexpr int kOutputs = 1;

  acc_t init() const { return 1; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if constexpr (kIsFloat<T>) {
      if (stride == static_cast<int64_t>(sizeof(T))) {
        a *= prod_contiguous(reinterpret_cast<const T*>(p), n);
        return;
      }
    }
    acc_t s = 1;
    for (int64_t i = 0; i < n; ++i) s *= to_acc(load_as<T>(p + i * stride));
    a *= s;
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) acc[j] *= to_acc(load_as<T>(p + j * stride));
  }
  void merge(acc_t& a, const acc_t& b) const { a *= b; }
  void finish(char* const* outs, const acc_t& a) const { store_as<out_t>(outs[0], static_cast<out_t>(a)); }

 private:
  // Integers go through int64 first so that negative values wrap as two's complement.
  static acc_t to_acc(T x) {
    if constexpr (kIsFloat<T>) return static_cast<double>(x);
    else return static_cast<uint64_t>(static_cast<int64_t>(x));
  }
};

// Variance / standard deviation (floating only): Note [one-pass variance].
template <typename T, bool take_sqrt>
struct VarReducer {
  using acc_t = Moments;
  static constexpr int kOutputs = 1;
  int64_t correction;

  acc_t init() const { return Moments{}; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if (stride == static_cast<int64_t>(sizeof(T))) {
      a.merge(moments_contiguous(reinterpret_cast<const T*>(p), n));
      return;
    }
    for (int64_t i = 0; i < n; i += kMomentBlock) {
      const int64_t b = n - i < kMomentBlock ? n - i : kMomentBlock;
      a.merge(block_moments_strided<T>(p + i * stride, b, stride));
    }
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) acc[j].add(static_cast<double>(load_as<T>(p + j * stride)));
  }
  void merge(acc_t& a, const acc_t& b) const { a.merge(b); }
  void finish(char* const* outs, const acc_t& a) const {
    // PyTorch: divisor max(0, N - correction); m2 / 0 gives inf (or nan when m2 is 0, e.g. N == 0).
    double divisor = a.n - static_cast<double>(correction);
    if (divisor < 0) divisor = 0;
    double v = a.m2 / divisor;
    if constexpr (take_sqrt) v = std::sqrt(v);
    store_as<T>(outs[0], static_cast<T>(v));
  }
};

// Whether x beats the current best for max (is_max) or min; NaN beats every number (and the first NaN
// stays). Written with bitwise ops so that the compiler emits no branch on random data.
template <typename T, bool is_max>
inline bool beats(T x, T best) {
  if constexpr (kIsFloat<T>) {
    // x > best, or x is NaN; never when best is NaN
    return !(is_max ? x <= best : x >= best) & (best == best);
  } else {
    return is_max ? x > best : x < best;
  }
}

// Max / min without indices: the dtype is kept.
template <typename T, bool is_max>
struct ExtremeReducer {
  using acc_t = T;
  static constexpr int kOutputs = 1;

  acc_t init() const {
    if constexpr (kIsFloat<T>) return is_max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    else return is_max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if constexpr (kIsFloat<T>) {
      if (stride == static_cast<int64_t>(sizeof(T)) && n > 0) {
        merge(a, extreme_contiguous<T, is_max>(reinterpret_cast<const T*>(p), n));
        return;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      const T x = load_as<T>(p + i * stride);
      a = pick(beats<T, is_max>(x, a), x, a);
    }
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) {
      const T x = load_as<T>(p + j * stride);
      acc[j] = pick(beats<T, is_max>(x, acc[j]), x, acc[j]);
    }
  }
  void merge(acc_t& a, const acc_t& b) const { a = pick(beats<T, is_max>(b, a), b, a); }
  void finish(char* const* outs, const acc_t& a) const { store_as<T>(outs[0], a); }
};

// Max / min with the int64 index of the winner; with_values false writes only the index (argmax).
template <typename T, bool is_max, bool with_values>
struct ArgReducer {
  struct acc_t {
    T value;
    int64_t index;  // -1: nothing folded yet
  };
  static constexpr int kOutputs = with_values ? 2 : 1;

  acc_t init() const { return acc_t{T(), -1}; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t pos) const {
    if (n <= 0) return;
    if constexpr (kIsFloat<T>) {
      if (stride == static_cast<int64_t>(sizeof(T)) && n >= 64 && n < (int64_t(1) << 31)) {
        acc_t r;
        arg_row_contiguous<T, is_max>(reinterpret_cast<const T*>(p), n, &r.value, &r.index);
        r.index += pos;
        merge(a, r);
        return;
      }
    }
    int64_t i = 0;
    if (a.index < 0) {
      a = acc_t{load_as<T>(p), pos};
      i = 1;
    }
    T best = a.value;
    int64_t best_i = a.index;
    for (; i < n; ++i) {
      const T x = load_as<T>(p + i * stride);
      const bool b = beats<T, is_max>(x, best);
      best = pick(b, x, best);
      best_i = pick(b, pos + i, best_i);
    }
    a = acc_t{best, best_i};
  }
  int64_t rows(char* const* p, int64_t s_in, const int64_t* s_out, int64_t count, int64_t n, int64_t stride) const {
    if constexpr (kIsFloat<T>) {
      if (n >= 1 && n <= 16)
        return arg_short_rows<T, is_max>(p[0], s_in, count, n, stride, with_values ? p[1] : nullptr,
                                         with_values ? s_out[0] : 0, p[kOutputs], s_out[kOutputs - 1]);
    }
    return 0;
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t pos) const {
    if (m > 0 && acc[0].index < 0) {  // all columns of a fold start together
      for (int64_t j = 0; j < m; ++j) acc[j] = acc_t{load_as<T>(p + j * stride), pos};
      return;
    }
    for (int64_t j = 0; j < m; ++j) {
      const T x = load_as<T>(p + j * stride);
      const bool b = beats<T, is_max>(x, acc[j].value);
      acc[j].value = pick(b, x, acc[j].value);
      acc[j].index = pick(b, pos, acc[j].index);
    }
  }
  void merge(acc_t& a, const acc_t& b) const {
    if (b.index < 0) return;
    if (a.index < 0 || beats<T, is_max>(b.value, a.value)) a = b;
  }
  void finish(char* const* outs, const acc_t& a) const {
    if constexpr (with_values) {
      store_as<T>(outs[0], a.value);
      store_as<int64_t>(outs[1], a.index);
    } else {
      store_as<int64_t>(outs[0], a.index);
    }
  }
};

// all / any: bool result from any dtype; nonzero (and NaN) counts as true.
template <typename T, bool is_all>
struct LogicalReducer {
  using acc_t = bool;
  static constexpr int kOutputs = 1;

  acc_t init() const { return is_all; }
  void row(acc_t& a, const char* p, int64_t n, int64_t stride, int64_t) const {
    if (a != is_all) return;  // already decided
    bool r = is_all;
    for (int64_t i = 0; i < n; ++i) {
      const bool nz = load_as<T>(p + i * stride) != T(0);
      r = is_all ? (r & nz) : (r | nz);
    }
    a = r;
  }
  void columns(acc_t* acc, const char* p, int64_t m, int64_t stride, int64_t) const {
    for (int64_t j = 0; j < m; ++j) {
      const bool nz = load_as<T>(p + j * stride) != T(0);
      acc[j] = is_all ? (acc[j] & nz) : (acc[j] | nz);
    }
  }
  void merge(acc_t& a, const acc_t& b) const { a = is_all ? (a && b) : (a || b); }
  void finish(char* const* outs, const acc_t& a) const { store_as<bool>(outs[0], a); }
};

}  // namespace lt::cpu
