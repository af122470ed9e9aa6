// CPU kernels that move or set values: strided copy with dtype conversion, and fill (arange/linspace are
// in creation_kernels.cpp, the random fills in random_kernels.cpp).
#include <algorithm>
#include <cstring>

#include "core/iterator.h"
#include "core/parallel.h"
#include "core/scalar_ops.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/vec_convert.h"

namespace lt::cpu {

namespace {

template <typename To, typename From>
inline To convert(From v) {
  return cast_value<To, From>(v);
}

// Note [tiled transpose]: a 2-d copy whose output rows are the input's columns (x.t().contiguous(), a
// permute to channels-last) read one element per cache line when done row by row. In 32x32 tiles both
// sides stay in cache: (4096, 4096) float32, 2 threads, 54 ms -> 19 ms. Same-dtype copies only.
template <typename T>
bool try_tiled_transpose(const ElementwisePlan& plan) {
  constexpr int64_t es = sizeof(T), kTile = 32;
  if (plan.ndim() != 2 || plan.stride(0, 0) != es || plan.stride(1, 1) != es) return false;
  const int64_t n0 = plan.shape()[0], n1 = plan.shape()[1];  // n0: along the output's rows
  if (n0 < kTile || n1 < kTile) return false;
  const int64_t dst_row = plan.stride(0, 1), src_col = plan.stride(1, 0);
  char* const dst = plan.data(0);
  const char* const src = plan.data(1);
  const int64_t tiles = (n1 + kTile - 1) / kTile;
  parallel_for(tiles, std::max<int64_t>(1, kGrainSize / (kTile * n0)), [&](int64_t tb, int64_t te) {
    for (int64_t t = tb; t < te; ++t) {
      const int64_t i1_end = std::min(n1, (t + 1) * kTile);
      for (int64_t b0 = 0; b0 < n0; b0 += kTile) {
        const int64_t i0_end = std::min(n0, b0 + kTile);
        for (int64_t i1 = t * kTile; i1 < i1_end; ++i1) {
          char* d = dst + i1 * dst_row;
          const char* s = src + i1 * es;
          for (int64_t i0 = b0; i0 < i0_end; ++i0) std::memcpy(d + i0 * es, s + i0 * src_col, es);
        }
      }
    }
  });
  return true;
}

// The pairs with a vectorised contiguous row (cpu/vec_convert.h): float32 <-> float16 / bfloat16, and
// uint8 -> float32 (image loading).
template <typename To, typename From>
inline constexpr bool has_vec_convert = (std::is_same<To, float>::value &&
                                         (is_half_type<From> || std::is_same<From, uint8_t>::value)) ||
                                        (std::is_same<From, float>::value && is_half_type<To>);

template <typename To, typename From>
void run_copy(const ElementwisePlan& plan) {
  if constexpr (std::is_same<To, From>::value) {
    if (try_tiled_transpose<To>(plan)) return;
  }
  plan.for_each([](char** d, const int64_t* s, int64_t n) {
    if constexpr (std::is_same<To, From>::value) {
      if (s[0] == sizeof(To) && s[1] == sizeof(From)) {
        std::memcpy(d[0], d[1], static_cast<size_t>(n) * sizeof(To));
        return;
      }
    }
    if constexpr (has_vec_convert<To, From>) {
      if (s[0] == sizeof(To) && s[1] == sizeof(From)) {
        vec_convert(reinterpret_cast<const From*>(d[1]), reinterpret_cast<To*>(d[0]), n);
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
  LT_DISPATCH_STORAGE(src, "copy", (run_copy<To, scalar_t>(plan)));
}

}  // namespace

void copy(const Tensor& dst, const Tensor& src) {
  const Tensor* ops[] = {&dst, &src};
  ElementwisePlan plan(ops, 2);
  LT_DISPATCH_STORAGE(dst.dtype(), "copy", copy_to<scalar_t>(plan, src.dtype()));
}

void fill(const Tensor& out, double value) {
  const Tensor* ops[] = {&out};
  ElementwisePlan plan(ops, 1);
  LT_DISPATCH_STORAGE(out.dtype(), "fill", {
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

void copy_across_devices(const Tensor&, const Tensor&) {
  throw_error(Status::Internal, "the CPU backend does not copy across devices");
}

}  // namespace lt::cpu
