// CPU kernels that write values without an operand op: strided copy with dtype conversion, fill,
// arange and linspace (the random fills are in random_kernels.cpp).
#include <cstring>

#include "core/iterator.h"
#include "core/scalar_ops.h"
#include "cpu/cpu_backend.h"
#include "cpu/loops.h"

namespace lt::cpu {

namespace {

template <typename To, typename From>
inline To convert(From v) {
  return cast_value<To, From>(v);
}

template <typename To, typename From>
void run_copy(const ElementwisePlan& plan) {
  plan.for_each([](char** d, const int64_t* s, int64_t n) {
    if constexpr (std::is_same<To, From>::value) {
      if (s[0] == sizeof(To) && s[1] == sizeof(From)) {
        std::memcpy(d[0], d[1], static_cast<size_t>(n) * sizeof(To));
        return;
      }
    }
    unary_row<To, From>(d, s, n, [](From v) { return convert<To, From>(v); });
  });
}

template <typename T>
T value_as(double v) {
  return cast_value<T, double>(v);
}

template <typename To>
void copy_to(const ElementwisePlan& plan, DType src) {
  LT_DISPATCH_ALL(src, "copy", (run_copy<To, scalar_t>(plan)));
}

}  // namespace

void copy(const Tensor& dst, const Tensor& src) {
  const Tensor* ops[] = {&dst, &src};
  ElementwisePlan plan(ops, 2);
  LT_DISPATCH_ALL(dst.dtype(), "copy", copy_to<scalar_t>(plan, src.dtype()));
}

void fill(const Tensor& out, double value) {
  const Tensor* ops[] = {&out};
  ElementwisePlan plan(ops, 1);
  LT_DISPATCH_ALL(out.dtype(), "fill", {
    const scalar_t v = value_as<scalar_t>(value);
    plan.for_each([v](char** d, const int64_t* s, int64_t n) {
      if (s[0] == sizeof(scalar_t)) {
        scalar_t* o = reinterpret_cast<scalar_t*>(d[0]);
        for (int64_t i = 0; i < n; ++i) o[i] = v;
      } else {
        char* p = d[0];
        for (int64_t i = 0; i < n; ++i, p += s[0]) *reinterpret_cast<scalar_t*>(p) = v;
      }
    });
  });
}

void arange(const Tensor& out, double start, double step) {
  LT_DISPATCH_NUMERIC(out.dtype(), "arange", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(out.numel(), kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) o[i] = cast_value<scalar_t, double>(start + static_cast<double>(i) * step);
    });
  });
}

void linspace(const Tensor& out, double start, double end) {
  const int64_t n = out.numel();
  const double step = n > 1 ? (end - start) / static_cast<double>(n - 1) : 0.0;
  const int64_t half = n / 2;
  LT_DISPATCH_NUMERIC(out.dtype(), "linspace", {
    scalar_t* o = out.data_as<scalar_t>();
    parallel_for(n, kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i)
        o[i] = cast_value<scalar_t, double>(n == 1 || i < half ? start + step * static_cast<double>(i)
                                                                : end - step * static_cast<double>(n - 1 - i));
    });
  });
}

}  // namespace lt::cpu
