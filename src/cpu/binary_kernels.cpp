// CPU kernels for binary elementwise ops, binary ops with a scalar, and where.
#include <algorithm>

#include "core/iterator.h"
#include "core/scalar_ops.h"
#include "cpu/cpu_backend.h"
#include "cpu/loops.h"

namespace lt::cpu {

namespace {

// Note [tiled broadcast]: out(R, C) = x(R, C) op y(C) with a short row C (Image(256,256,3) * Scale(3)):
// rows of 3 elements are too short for vector code and the per-row overhead dominates. y is repeated
// into a tile of k rows (k*C <= kTile elements) and the op runs as flat loops over blocks of k rows.
// Returns false when the plan does not have that shape.
constexpr int64_t kTile = 2048;

template <BinaryOp op, typename T>
bool try_tiled_broadcast(const ElementwisePlan& plan) {
  using out_t = std::conditional_t<op >= BinaryOp::Eq, bool, T>;
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
        for (int64_t i = 0; i < n; ++i) o[i] = static_cast<out_t>(binary_fn<op, T>(xv[i], tile[i]));
      else
        for (int64_t i = 0; i < n; ++i) o[i] = static_cast<out_t>(binary_fn<op, T>(tile[i], xv[i]));
    }
  });
  return true;
}

template <BinaryOp op, typename T>
void run_binary(const Tensor& out, const Tensor& a, const Tensor& b) {
  using out_t = std::conditional_t<op >= BinaryOp::Eq, bool, T>;
  auto row = [](char** d, const int64_t* s, int64_t n) {
    binary_row<out_t, T>(d, s, n, [](T x, T y) { return static_cast<out_t>(binary_fn<op, T>(x, y)); });
  };
  const Tensor* ops[] = {&out, &a, &b};
  if (ElementwisePlan::try_flat(ops, 3, row)) return;
  ElementwisePlan plan(ops, 3);
  if (try_tiled_broadcast<op, T>(plan)) return;
  plan.for_each(row);
}

template <BinaryOp op, typename T>
void run_binary_scalar(const Tensor& out, const Tensor& a, T s) {
  using out_t = std::conditional_t<op >= BinaryOp::Eq, bool, T>;
  auto row = [s](char** d, const int64_t* st, int64_t n) {
    unary_row<out_t, T>(d, st, n, [s](T x) { return static_cast<out_t>(binary_fn<op, T>(x, s)); });
  };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row)) return;
  ElementwisePlan(ops, 2).for_each(row);
}

template <typename T>
T scalar_as(double s) {
  return scalar_value<T>(s);
}

template <typename T>
void binary_typed(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  switch (op) {
#define LT_CASE(name, Enum, ...) \
  case BinaryOp::Enum: run_binary<BinaryOp::Enum, T>(out, a, b); break;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

template <typename T>
void binary_scalar_typed(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
  const T v = scalar_as<T>(s);
  switch (op) {
#define LT_CASE(name, Enum, ...) \
  case BinaryOp::Enum: run_binary_scalar<BinaryOp::Enum, T>(out, a, v); break;
    LT_BINARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

}  // namespace

void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) {
  LT_DISPATCH_ALL(a.dtype(), "binary", binary_typed<scalar_t>(op, out, a, b));
}

void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) {
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

void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) {
  const Tensor* ops[] = {&out, &cond, &a, &b};
  ElementwisePlan plan(ops, 4);
  LT_DISPATCH_ALL(out.dtype(), "where", {
    plan.for_each([](char** d, const int64_t* s, int64_t n) {
      char *po = d[0], *pc = d[1], *pa = d[2], *pb = d[3];
      for (int64_t i = 0; i < n; ++i, po += s[0], pc += s[1], pa += s[2], pb += s[3])
        *reinterpret_cast<scalar_t*>(po) = *reinterpret_cast<const bool*>(pc)
                                                ? *reinterpret_cast<const scalar_t*>(pa)
                                                : *reinterpret_cast<const scalar_t*>(pb);
    });
  });
}

}  // namespace lt::cpu
