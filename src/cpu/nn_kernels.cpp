// CPU kernels of the softmax family and the class-index losses (rows softmax, softmax_backward,
// nll_forward, nll_backward of LT_BACKEND_KERNELS). Every operand is contiguous; a tensor is seen as
// (outer, C, inner) around the reduced dim. inner == 1 (the last dim, the common case) runs row by row
// with the vectorised exp of vec_math; inner > 1 runs a block of `inner` columns at once, the loops
// over the columns contiguous.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "core/shape.h"
#include "core/status.h"
#include "cpu/kernels.h"
#include "cpu/vec_math.h"
#include "cpu/vec_softmax.h"

namespace lt::cpu {

namespace {

// The scratch size of the scalar rows that exp through vec_math in chunks.
constexpr int64_t kChunk = 256;

// NaN-propagating max of n contiguous elements, 8 lanes (the compiler vectorises the fixed-width loop).
template <typename T>
T row_max(const T* x, int64_t n) {
  constexpr int L = 8;
  T m[L];
  for (int l = 0; l < L; ++l) m[l] = -std::numeric_limits<T>::infinity();
  bool nan = false;
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    for (int l = 0; l < L; ++l) {
      const T v = x[i + l];
      nan |= v != v;
      m[l] = v > m[l] ? v : m[l];
    }
  }
  for (; i < n; ++i) {
    nan |= x[i] != x[i];
    m[0] = x[i] > m[0] ? x[i] : m[0];
  }
  if (nan) return std::numeric_limits<T>::quiet_NaN();
  T r = m[0];
  for (int l = 1; l < L; ++l) r = m[l] > r ? m[l] : r;
  return r;
}

template <typename T>
T row_sum(const T* x, int64_t n) {
  constexpr int L = 8;
  T s[L] = {};
  int64_t i = 0;
  for (; i + L <= n; i += L)
    for (int l = 0; l < L; ++l) s[l] += x[i + l];
  for (; i < n; ++i) s[0] += x[i];
  T r = 0;
  for (int l = 0; l < L; ++l) r += s[l];
  return r;
}

template <typename T>
T row_dot(const T* x, const T* y, int64_t n) {
  constexpr int L = 8;
  T s[L] = {};
  int64_t i = 0;
  for (; i + L <= n; i += L)
    for (int l = 0; l < L; ++l) s[l] += x[i + l] * y[i + l];
  for (; i < n; ++i) s[0] += x[i] * y[i];
  T r = 0;
  for (int l = 0; l < L; ++l) r += s[l];
  return r;
}

// One row of n elements: y = softmax(x) or log_softmax(x). y may not alias x for log (x is reread).
// float32 rows run the vector passes of vec_softmax.h: max, exp + sum (stored for softmax), then one
// scale (softmax) or shift by max + log(sum) (log_softmax, PyTorch's form).
template <typename T>
void softmax_row(const T* x, T* y, int64_t n, bool log) {
  if constexpr (std::is_same_v<T, float>) {
    const float m = vec_row_max(x, n);
    if (log) {
      vec_shift(x, m + std::log(vec_exp_sum(x, m, nullptr, n)), y, n);
    } else {
      vec_scale(y, 1.0f / vec_exp_sum(x, m, y, n), y, n);
    }
    return;
  }
  const T m = row_max(x, n);
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] - m;
  if (log) {
    // y holds x - m; exp into a scratch pass over y would lose it, so sum exp on the fly in chunks.
    T buf[kChunk];
    T s = 0;
    for (int64_t i = 0; i < n; i += kChunk) {
      const int64_t len = std::min(kChunk, n - i);
      vec_math(VecOp::Exp, y + i, buf, len);
      s += row_sum(buf, len);
    }
    const T ls = std::log(s);
    for (int64_t i = 0; i < n; ++i) y[i] -= ls;
  } else {
    vec_math(VecOp::Exp, y, y, n);
    const T inv = T(1) / row_sum(y, n);
    for (int64_t i = 0; i < n; ++i) y[i] *= inv;
  }
}

// A block of `inner` columns of c elements each (column j: x[k * inner + j]).
template <typename T>
void softmax_cols(const T* x, T* y, int64_t c, int64_t inner, bool log, T* m, T* s) {
  for (int64_t j = 0; j < inner; ++j) m[j] = -std::numeric_limits<T>::infinity();
  for (int64_t k = 0; k < c; ++k) {
    const T* xr = x + k * inner;
    for (int64_t j = 0; j < inner; ++j) {
      const T v = xr[j];
      m[j] = (v > m[j] || v != v) ? v : m[j];  // a NaN, once in m, stays (v > NaN is false)
    }
  }
  for (int64_t j = 0; j < inner; ++j) s[j] = 0;
  for (int64_t k = 0; k < c; ++k) {
    const T* xr = x + k * inner;
    T* yr = y + k * inner;
    for (int64_t j = 0; j < inner; ++j) yr[j] = xr[j] - m[j];
    vec_math(VecOp::Exp, yr, yr, inner);
    for (int64_t j = 0; j < inner; ++j) s[j] += yr[j];
  }
  if (log) {
    for (int64_t j = 0; j < inner; ++j) s[j] = std::log(s[j]);
    for (int64_t k = 0; k < c; ++k) {
      const T* xr = x + k * inner;
      T* yr = y + k * inner;
      for (int64_t j = 0; j < inner; ++j) yr[j] = (xr[j] - m[j]) - s[j];
    }
  } else {
    for (int64_t j = 0; j < inner; ++j) s[j] = T(1) / s[j];
    for (int64_t k = 0; k < c; ++k) {
      T* yr = y + k * inner;
      for (int64_t j = 0; j < inner; ++j) yr[j] *= s[j];
    }
  }
}

template <typename T>
void softmax_impl(const Tensor& out, const Tensor& in, int32_t dim, bool log) {
  const DimSplit g = split_at_dim(in.shape(), dim);
  const T* x = in.data_as<T>();
  T* y = out.data_as<T>();
  if (g.size == 0 || in.numel() == 0) return;
  if (g.inner == 1) {
    parallel_for(g.outer, std::max<int64_t>(1, kGrainSize / g.size), [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) softmax_row(x + r * g.size, y + r * g.size, g.size, log);
    });
    return;
  }
  parallel_for(g.outer, std::max<int64_t>(1, kGrainSize / (g.size * g.inner)), [&](int64_t b, int64_t e) {
    std::vector<T> m(static_cast<size_t>(g.inner)), s(static_cast<size_t>(g.inner));
    for (int64_t r = b; r < e; ++r)
      softmax_cols(x + r * g.size * g.inner, y + r * g.size * g.inner, g.size, g.inner, log, m.data(), s.data());
  });
}

template <typename T>
void softmax_backward_impl(const Tensor& grad_in, const Tensor& grad_out, const Tensor& out, int32_t dim, bool log) {
  const DimSplit g = split_at_dim(out.shape(), dim);
  if (g.size == 0 || out.numel() == 0) return;
  const T* go = grad_out.data_as<T>();
  const T* y = out.data_as<T>();
  T* gi = grad_in.data_as<T>();
  if (g.inner == 1) {
    parallel_for(g.outer, std::max<int64_t>(1, kGrainSize / g.size), [&](int64_t b, int64_t e) {
      T buf[kChunk];
      for (int64_t r = b; r < e; ++r) {
        const T* gr = go + r * g.size;
        const T* yr = y + r * g.size;
        T* ir = gi + r * g.size;
        if constexpr (std::is_same_v<T, float>) {
          if (log)
            vec_log_softmax_grad(gr, yr, vec_sum(gr, g.size), ir, g.size);
          else
            vec_softmax_grad(gr, yr, vec_dot(gr, yr, g.size), ir, g.size);
          continue;
        }
        if (log) {
          const T s = row_sum(gr, g.size);
          for (int64_t i = 0; i < g.size; i += kChunk) {
            const int64_t len = std::min(kChunk, g.size - i);
            vec_math(VecOp::Exp, yr + i, buf, len);
            for (int64_t k = 0; k < len; ++k) ir[i + k] = gr[i + k] - buf[k] * s;
          }
        } else {
          const T s = row_dot(gr, yr, g.size);
          for (int64_t i = 0; i < g.size; ++i) ir[i] = yr[i] * (gr[i] - s);
        }
      }
    });
    return;
  }
  parallel_for(g.outer, std::max<int64_t>(1, kGrainSize / (g.size * g.inner)), [&](int64_t b, int64_t e) {
    std::vector<T> s(static_cast<size_t>(g.inner)), buf(static_cast<size_t>(g.inner));
    for (int64_t r = b; r < e; ++r) {
      const int64_t base = r * g.size * g.inner;
      std::fill(s.begin(), s.end(), T(0));
      for (int64_t k = 0; k < g.size; ++k) {
        const T* gr = go + base + k * g.inner;
        const T* yr = y + base + k * g.inner;
        if (log)
          for (int64_t j = 0; j < g.inner; ++j) s[j] += gr[j];
        else
          for (int64_t j = 0; j < g.inner; ++j) s[j] += gr[j] * yr[j];
      }
      for (int64_t k = 0; k < g.size; ++k) {
        const T* gr = go + base + k * g.inner;
        const T* yr = y + base + k * g.inner;
        T* ir = gi + base + k * g.inner;
        if (log) {
          vec_math(VecOp::Exp, yr, buf.data(), g.inner);
          for (int64_t j = 0; j < g.inner; ++j) ir[j] = gr[j] - buf[j] * s[j];
        } else {
          for (int64_t j = 0; j < g.inner; ++j) ir[j] = yr[j] * (gr[j] - s[j]);
        }
      }
    }
  });
}

// Throws Error(Index) for the first target outside [0, c) that is not ignore_index.
void check_targets(const Tensor& target, int64_t c, int64_t ignore_index) {
  const int64_t* t = target.data_as<int64_t>();
  for (int64_t i = 0; i < target.numel(); ++i) {
    if (t[i] != ignore_index && (t[i] < 0 || t[i] >= c))
      throw_error(Status::Index, "target " + std::to_string(t[i]) + " is out of bounds (expected a class index in [0, " +
                                     std::to_string(c) + ") or ignore_index " + std::to_string(ignore_index) + ")");
  }
}

// log(sum_k exp(row[k * inner])) of one sample's c logits, shifted by their max; a NaN logit gives NaN.
// buf: kChunk scratch elements.

template <typename T>
T row_log_sum_exp(const T* row, int64_t c, int64_t inner, T* buf) {
  if constexpr (std::is_same_v<T, float>) {
    if (inner == 1) {  // a NaN makes the exp sum NaN (Note in vec_softmax.h)
      const float m = vec_row_max(row, c);
      return m + std::log(vec_exp_sum(row, m, nullptr, c));
    }
  }
  T m = -std::numeric_limits<T>::infinity();
  bool nan = false;
  for (int64_t k = 0; k < c; ++k) {
    const T v = row[k * inner];
    nan |= v != v;
    m = v > m ? v : m;
  }
  if (nan) m = std::numeric_limits<T>::quiet_NaN();
  T sum = 0;
  if (inner == 1) {
    for (int64_t k = 0; k < c; k += kChunk) {
      const int64_t len = std::min(kChunk, c - k);
      for (int64_t q = 0; q < len; ++q) buf[q] = row[k + q] - m;
      vec_math(VecOp::Exp, buf, buf, len);
      sum += row_sum(buf, len);
    }
  } else {
    for (int64_t k = 0; k < c; ++k) sum += std::exp(row[k * inner] - m);
  }
  return m + std::log(sum);
}

template <typename T>
void nll_forward_impl(const Tensor& loss, const Tensor& used_weight, const Tensor& lse, const Tensor& input,
                      const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                      bool from_logits) {
  const int64_t n = input.size(0), c = input.size(1), inner = input.size(2);
  check_targets(target, c, ignore_index);
  const T* x = input.data_as<T>();
  const int64_t* tg = target.data_as<int64_t>();
  const T* w = class_weight.defined() ? class_weight.data_as<T>() : nullptr;
  T* lo = loss.data_as<T>();
  T* uw = used_weight.data_as<T>();
  T* ls = from_logits ? lse.data_as<T>() : nullptr;
  const T s = static_cast<T>(smoothing);
  const int64_t samples = n * inner;
  const int64_t work = from_logits ? c : 1;
  parallel_for(samples, std::max<int64_t>(1, kGrainSize / work), [&](int64_t b, int64_t e) {
    T buf[kChunk];
    for (int64_t i = b; i < e; ++i) {
      const int64_t nn = i / inner, j = i % inner;
      const T* row = x + nn * c * inner + j;  // element k at row[k * inner]
      const int64_t t = tg[i];
      const bool ignored = t == ignore_index;
      if (!from_logits) {
        const T wt = ignored ? T(0) : (w ? w[t] : T(1));
        lo[i] = ignored ? T(0) : -wt * row[t * inner];
        uw[i] = wt;
        continue;
      }
      const T l = row_log_sum_exp(row, c, inner, buf);
      ls[i] = l;
      if (ignored) {
        lo[i] = 0;
        uw[i] = 0;
        continue;
      }
      const T wt = w ? w[t] : T(1);
      T r = (T(1) - s) * wt * (l - row[t * inner]);
      if (s != T(0)) {
        T sm = 0;
        for (int64_t k = 0; k < c; ++k) sm += (w ? w[k] : T(1)) * (l - row[k * inner]);
        r += s / static_cast<T>(c) * sm;
      }
      lo[i] = r;
      uw[i] = wt;
    }
  });
}

template <typename T>
void nll_backward_impl(const Tensor& grad_input, const Tensor& grad_loss, const Tensor& input, const Tensor& lse,
                       const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                       bool from_logits) {
  const int64_t n = input.size(0), c = input.size(1), inner = input.size(2);
  const T* x = input.data_as<T>();
  const int64_t* tg = target.data_as<int64_t>();
  const T* w = class_weight.defined() ? class_weight.data_as<T>() : nullptr;
  const T* gl = grad_loss.data_as<T>();
  const T* ls = from_logits ? lse.data_as<T>() : nullptr;
  T* gi = grad_input.data_as<T>();
  const T s = static_cast<T>(smoothing);
  T wsum = static_cast<T>(c);
  if (w) {
    wsum = 0;
    for (int64_t k = 0; k < c; ++k) wsum += w[k];
  }
  const int64_t samples = n * inner;
  parallel_for(samples, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(c, 1)), [&](int64_t b, int64_t e) {
    T buf[kChunk];
    for (int64_t i = b; i < e; ++i) {
      const int64_t nn = i / inner, j = i % inner;
      const T* row = x + nn * c * inner + j;
      T* out = gi + nn * c * inner + j;
      const int64_t t = tg[i];
      if (t == ignore_index) {
        for (int64_t k = 0; k < c; ++k) out[k * inner] = 0;
        continue;
      }
      const T g = gl[i];
      const T wt = w ? w[t] : T(1);
      if (!from_logits) {
        for (int64_t k = 0; k < c; ++k) out[k * inner] = 0;
        out[t * inner] = -g * wt;
        continue;
      }
      const T l = ls[i];
      const T a = g * (T(1) - s) * wt;       // coefficient of p[c] - [c == t]
      const T bsc = g * s / static_cast<T>(c);  // coefficient of W * p[c] - w[c]
      const T pc = a + bsc * wsum;            // total coefficient of p[c]
      if (std::is_same_v<T, float> && inner == 1 && !w) {
        if constexpr (std::is_same_v<T, float>) vec_exp_affine(row, l, pc, bsc, out, c);
      } else if (inner == 1) {
        for (int64_t k = 0; k < c; k += kChunk) {
          const int64_t len = std::min(kChunk, c - k);
          for (int64_t q = 0; q < len; ++q) buf[q] = row[k + q] - l;
          vec_math(VecOp::Exp, buf, buf, len);
          if (w)
            for (int64_t q = 0; q < len; ++q) out[k + q] = pc * buf[q] - bsc * w[k + q];
          else
            for (int64_t q = 0; q < len; ++q) out[k + q] = pc * buf[q] - bsc;
        }
      } else {
        for (int64_t k = 0; k < c; ++k) out[k * inner] = pc * std::exp(row[k * inner] - l) - bsc * (w ? w[k] : T(1));
      }
      out[t * inner] -= a;
    }
  });
}

}  // namespace

void softmax(const Tensor& out, const Tensor& in, int32_t dim, bool log) {
  LT_DISPATCH_FLOATING(in.dtype(), "softmax", softmax_impl<scalar_t>(out, in, dim, log));
}

void softmax_backward(const Tensor& grad_in, const Tensor& grad_out, const Tensor& out, int32_t dim, bool log) {
  LT_DISPATCH_FLOATING(out.dtype(), "softmax_backward", softmax_backward_impl<scalar_t>(grad_in, grad_out, out, dim, log));
}

void nll_forward(const Tensor& loss, const Tensor& used_weight, const Tensor& lse, const Tensor& input,
                 const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                 bool from_logits) {
  LT_DISPATCH_FLOATING(input.dtype(), "nll_loss",
                       nll_forward_impl<scalar_t>(loss, used_weight, lse, input, target, class_weight, ignore_index,
                                                  smoothing, from_logits));
}

void nll_backward(const Tensor& grad_input, const Tensor& grad_loss, const Tensor& input, const Tensor& lse,
                  const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing,
                  bool from_logits) {
  LT_DISPATCH_FLOATING(input.dtype(), "nll_loss_backward",
                       nll_backward_impl<scalar_t>(grad_input, grad_loss, input, lse, target, class_weight,
                                                   ignore_index, smoothing, from_logits));
}

}  // namespace lt::cpu
