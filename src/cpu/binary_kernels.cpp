// CPU kernels for binary elementwise ops and binary ops with a scalar. Each op's definition
// (core/binary_defs.h) gives the element function; floating pow runs vec_pow (its cpu_vector).
#include <algorithm>
#include <type_traits>

#include "core/iterator.h"
#include "core/op_table.h"
#include "cpu/half_rows.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/vec_half_binary.h"
#include "cpu/vec_math.h"
#include "cpu/vec_pow_lanes.h"

namespace lt::cpu {

namespace {

// Note [tiled broadcast]: out(R, C) = x(R, C) op y(C) with a short row C (Image(256,256,3) * Scale(3)):
// rows of 3 elements are too short for vector code and the per-row overhead dominates. y is repeated
// into a tile of k rows (k*C <= kTile elements) and the op runs as flat loops over blocks of k rows.
// Returns false when the plan does not have that shape.
constexpr int64_t kTile = 2048;

template <BinaryOp op, typename T>
bool try_tiled_broadcast(const ElementwisePlan& plan) {
  using out_t = std::conditional_t<BinaryDef<op>::comparison, bool, T>;
  if (plan.ndim() != 2) return false;
  const int64_t C = plan.shape()[0], R = plan.shape()[1];
  if (C > kTile / 2) return false;
  auto contiguous = [&](int k, int64_t item) { return plan.stride(k, 0) == item && plan.stride(k, 1) == C * item; };
  auto repeated = [&](int k) { return plan.stride(k, 0) == int64_t(sizeof(T)) && plan.stride(k, 1) == 0; };
  if (!contiguous(0, sizeof(out_t))) return false;
  int full, rep;
  if (contiguous(1, sizeof(T)) && repeated(2)) {
    full = 1;
    rep = 2;
  } else if (contiguous(2, sizeof(T)) && repeated(1)) {
    full = 2;
    rep = 1;
  } else {
    return false;
  }
  const int64_t k = kTile / C;
  alignas(64) T tile[kTile];
  const T* y = reinterpret_cast<const T*>(plan.data(rep));
  for (int64_t i = 0; i < k * C; ++i) tile[i] = y[i % C];
  out_t* out = reinterpret_cast<out_t*>(plan.data(0));
  const T* x = reinterpret_cast<const T*>(plan.data(full));
  const int64_t blocks = (R + k - 1) / k;
  parallel_for(blocks, std::max<int64_t>(1, kGrainSize / (k * C)), [&](int64_t b0, int64_t b1) {
    for (int64_t blk = b0; blk < b1; ++blk) {
      const int64_t r0 = blk * k, n = (std::min(R, r0 + k) - r0) * C;
      out_t* __restrict o = out + r0 * C;
      const T* __restrict xv = x + r0 * C;
      if (full == 1)
        for (int64_t i = 0; i < n; ++i) o[i] = static_cast<out_t>(BinaryDef<op>::template f<T>(xv[i], tile[i]));
      else
        for (int64_t i = 0; i < n; ++i) o[i] = static_cast<out_t>(BinaryDef<op>::template f<T>(tile[i], xv[i]));
    }
  });
  return true;
}

// Floating pow goes through vec_pow (cpu/vec_math.h): contiguous rows and rows with a broadcast operand
// directly, strided rows through small contiguous buffers, so that results do not depend on the layout.
template <typename T>
void pow_row(char** d, const int64_t* s, int64_t n) {
  constexpr int64_t st = sizeof(T);
  auto step = [](int64_t bytes) -> int64_t { return bytes == st ? 1 : bytes == 0 ? 0 : -1; };
  const int64_t xs = step(s[1]), ys = step(s[2]);
  if (s[0] == st && xs >= 0 && ys >= 0) {
    vec_pow(reinterpret_cast<const T*>(d[1]), xs, reinterpret_cast<const T*>(d[2]), ys, reinterpret_cast<T*>(d[0]), n);
    return;
  }
  // A broadcast operand stays one value (step 0), so that a scalar exponent keeps its shortcut here too.
  constexpr int64_t kChunk = 256;
  T xb[kChunk], yb[kChunk], ob[kChunk];
  const T* x0 = reinterpret_cast<const T*>(d[1]);
  const T* y0 = reinterpret_cast<const T*>(d[2]);
  for (int64_t i0 = 0; i0 < n; i0 += kChunk) {
    const int64_t m = std::min(kChunk, n - i0);
    for (int64_t j = 0; j < m; ++j) {
      if (xs != 0) xb[j] = *reinterpret_cast<const T*>(d[1] + (i0 + j) * s[1]);
      if (ys != 0) yb[j] = *reinterpret_cast<const T*>(d[2] + (i0 + j) * s[2]);
    }
    vec_pow(xs == 0 ? x0 : xb, xs == 0 ? 0 : 1, ys == 0 ? y0 : yb, ys == 0 ? 0 : 1, ob, m);
    for (int64_t j = 0; j < m; ++j) *reinterpret_cast<T*>(d[0] + (i0 + j) * s[0]) = ob[j];
  }
}

// General powers cost ~10x an add per element: parallelise them from a smaller size (the shortcut
// exponents of Note [pow shortcuts] keep the default).
constexpr int64_t kPowGrain = 4096;

template <typename T>
void run_pow(const Tensor& out, const Tensor& a, const Tensor& b) {
  const Tensor* ops[] = {&out, &a, &b};
  if (ElementwisePlan::try_flat(ops, 3, pow_row<T>, kPowGrain)) return;
  ElementwisePlan(ops, 3).for_each(pow_row<T>, kPowGrain);
}

template <typename T>
void run_pow_scalar(const Tensor& out, const Tensor& a, T s) {
  auto row = [&s](char** d, const int64_t* st, int64_t n) {
    char* dd[3] = {d[0], d[1], reinterpret_cast<char*>(&s)};
    const int64_t ss[3] = {st[0], st[1], 0};
    pow_row<T>(dd, ss, n);
  };
  const Tensor* ops[] = {&out, &a};
  const int64_t grain = pow_kind_of(static_cast<double>(s)) == PowKind::General ? kPowGrain : kGrainSize;
  if (ElementwisePlan::try_flat(ops, 2, row, grain)) return;
  ElementwisePlan(ops, 2).for_each(row, grain);
}

template <BinaryOp op, typename T>
void run_binary(const Tensor& out, const Tensor& a, const Tensor& b) {
  if constexpr (BinaryDef<op>::cpu_vector == VecOp::Pow && std::is_floating_point<T>::value) {
    run_pow<T>(out, a, b);
    return;
  }
  using out_t = std::conditional_t<BinaryDef<op>::comparison, bool, T>;
  auto row = [](char** d, const int64_t* s, int64_t n) {
    binary_row<out_t, T>(d, s, n, [](T x, T y) { return static_cast<out_t>(BinaryDef<op>::template f<T>(x, y)); });
  };
  const Tensor* ops[] = {&out, &a, &b};
  if (ElementwisePlan::try_flat(ops, 3, row)) return;
  ElementwisePlan plan(ops, 3);
  if (try_tiled_broadcast<op, T>(plan)) return;
  plan.for_each(row);
}

template <BinaryOp op, typename T>
void run_binary_scalar(const Tensor& out, const Tensor& a, T s) {
  if constexpr (BinaryDef<op>::cpu_vector == VecOp::Pow && std::is_floating_point<T>::value) {
    run_pow_scalar<T>(out, a, s);
    return;
  }
  using out_t = std::conditional_t<BinaryDef<op>::comparison, bool, T>;
  auto row = [s](char** d, const int64_t* st, int64_t n) {
    unary_row<out_t, T>(d, st, n, [s](T x) { return static_cast<out_t>(BinaryDef<op>::template f<T>(x, s)); });
  };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row)) return;
  ElementwisePlan(ops, 2).for_each(row);
}

template <typename T>
T scalar_as(double s) {
  return scalar_value<T>(s);
}

// Float16/bfloat16 operands (Note [half rows]): the float32 row of the op on widened chunks.
template <BinaryOp op>
void binary_row_f32(char** d, const int64_t* s, int64_t n) {
  if constexpr (BinaryDef<op>::cpu_vector == VecOp::Pow) {
    pow_row<float>(d, s, n);
  } else {
    using out_t = std::conditional_t<BinaryDef<op>::comparison, bool, float>;
    binary_row<out_t, float>(d, s, n, [](float x, float y) { return static_cast<out_t>(BinaryDef<op>::template f<float>(x, y)); });
  }
}

// The ops with a fused contiguous half row (cpu/vec_half_binary.h): their HalfArith, else -1.
constexpr int half_arith_of(BinaryOp op) {
  return op == BinaryOp::Add   ? int(HalfArith::Add)
         : op == BinaryOp::Sub ? int(HalfArith::Sub)
         : op == BinaryOp::Mul ? int(HalfArith::Mul)
         : op == BinaryOp::Div ? int(HalfArith::Div)
                               : -1;
}

template <BinaryOp op, typename H>
void run_binary_half(const Tensor& out, const Tensor& a, const Tensor& b) {
  using Out = std::conditional_t<BinaryDef<op>::comparison, bool, H>;
  constexpr int64_t grain = BinaryDef<op>::cpu_vector == VecOp::Pow ? kPowGrain : kGrainSize;
  auto row = [](char** d, const int64_t* s, int64_t n) {
    if constexpr (half_arith_of(op) >= 0) {  // Note [fused half arithmetic]
      constexpr int64_t h = sizeof(H);
      if (s[0] == h && s[1] == h && s[2] == h &&
          half_arith_contiguous(HalfArith(half_arith_of(op)), reinterpret_cast<const H*>(d[1]),
                                reinterpret_cast<const H*>(d[2]), reinterpret_cast<H*>(d[0]), n))
        return;
    }
    half_row<H, Out, 2>(binary_row_f32<op>, d, s, n);
  };
  const Tensor* ops[] = {&out, &a, &b};
  if (ElementwisePlan::try_flat(ops, 3, row, grain)) return;
  ElementwisePlan(ops, 3).for_each(row, grain);
}

template <BinaryOp op, typename H>
void run_binary_scalar_half(const Tensor& out, const Tensor& a, float v) {
  using Out = std::conditional_t<BinaryDef<op>::comparison, bool, H>;
  // The scalar is a float32 operand of the float32 row (stride 0), as PyTorch's opmath scalar.
  auto row32 = [&v](char** d, const int64_t* s, int64_t n) {
    char* dd[3] = {d[0], d[1], reinterpret_cast<char*>(&v)};
    const int64_t ss[3] = {s[0], s[1], 0};
    binary_row_f32<op>(dd, ss, n);
  };
  auto row = [&row32](char** d, const int64_t* s, int64_t n) { half_row<H, Out, 1>(row32, d, s, n); };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row)) return;
  ElementwisePlan(ops, 2).for_each(row);
}

[[noreturn]] void no_kernel(BinaryOp op, DType dtype) {
  throw_error(Status::Internal, std::string(op_name(op)) + ": no kernel for dtype " + dtype_name(dtype));
}

// Calls f(std::integral_constant<BinaryOp, op>{}) for the run-time op, when its definition computes on
// element type T (the kernel's compute type: float for the half rows); the one switch over the table.
template <typename T, class F>
void visit_binary_op(BinaryOp op, DType dtype, F&& f) {
  switch (op) {
#define LT_CASE(name, Enum)                                                            \
  case BinaryOp::Enum:                                                                 \
    if constexpr (computes_on<BinaryDef<BinaryOp::Enum>::inputs, T>)                 \
      f(std::integral_constant<BinaryOp, BinaryOp::Enum>{});                           \
    else                                                                               \
      no_kernel(op, dtype);                                                            \
    break;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

template <typename T>
void binary_typed(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  visit_binary_op<T>(op, a.dtype(), [&](auto k) { run_binary<decltype(k)::value, T>(out, a, b); });
}

template <typename T>
void binary_scalar_typed(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  const T v = scalar_as<T>(s);
  visit_binary_op<T>(op, a.dtype(), [&](auto k) { run_binary_scalar<decltype(k)::value, T>(out, a, v); });
}

template <typename H>
void binary_half(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  visit_binary_op<float>(op, a.dtype(), [&](auto k) { run_binary_half<decltype(k)::value, H>(out, a, b); });
}

template <typename H>
void binary_scalar_half(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  const float v = scalar_as<float>(s);
  visit_binary_op<float>(op, a.dtype(), [&](auto k) { run_binary_scalar_half<decltype(k)::value, H>(out, a, v); });
}

}  // namespace

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  if (a.dtype() == DType::Float16) return binary_half<Half>(op, out, a, b);
  if (a.dtype() == DType::BFloat16) return binary_half<BFloat16>(op, out, a, b);
  LT_DISPATCH_ALL(a.dtype(), "binary", binary_typed<scalar_t>(op, out, a, b));
}

void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  if (a.dtype() == DType::Float16) return binary_scalar_half<Half>(op, out, a, s);
  if (a.dtype() == DType::BFloat16) return binary_scalar_half<BFloat16>(op, out, a, s);
  LT_DISPATCH_ALL(a.dtype(), "binary_scalar", binary_scalar_typed<scalar_t>(op, out, a, s));
}

void mul_scaled(const Tensor& out, const Tensor& a, const Tensor& b, double s) {
  LT_DISPATCH_FLOATING(out.dtype(), "mul_scaled", {
    const scalar_t k = static_cast<scalar_t>(s);
    auto row = [k](char** d, const int64_t* st, int64_t n) {
      binary_row<scalar_t, scalar_t>(d, st, n, [k](scalar_t x, scalar_t y) { return x * y * k; });
    };
    const Tensor* ops[] = {&out, &a, &b};
    if (!ElementwisePlan::try_flat(ops, 3, row)) ElementwisePlan(ops, 3).for_each(row);
  });
}

}  // namespace lt::cpu
