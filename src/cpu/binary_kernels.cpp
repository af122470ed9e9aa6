// CPU kernels for binary elementwise ops, binary ops with a scalar, and where.
#include "core/iterator.h"
#include "core/scalar_ops.h"
#include "cpu/cpu_backend.h"
#include "cpu/loops.h"

namespace lt::cpu {

namespace {

template <BinaryOp op, typename T>
void run_binary(const Tensor& out, const Tensor& a, const Tensor& b) {
  const Tensor* ops[] = {&out, &a, &b};
  ElementwisePlan plan(ops, 3);
  using out_t = std::conditional_t<op >= BinaryOp::Eq, bool, T>;
  plan.for_each([](char** d, const int64_t* s, int64_t n) {
    binary_row<out_t, T>(d, s, n, [](T x, T y) { return static_cast<out_t>(binary_fn<op, T>(x, y)); });
  });
}

template <BinaryOp op, typename T>
void run_binary_scalar(const Tensor& out, const Tensor& a, T s) {
  const Tensor* ops[] = {&out, &a};
  ElementwisePlan plan(ops, 2);
  using out_t = std::conditional_t<op >= BinaryOp::Eq, bool, T>;
  plan.for_each([s](char** d, const int64_t* st, int64_t n) {
    unary_row<out_t, T>(d, st, n, [s](T x) { return static_cast<out_t>(binary_fn<op, T>(x, s)); });
  });
}

template <typename T>
T scalar_as(double s) {
  if constexpr (std::is_same<T, bool>::value) return s != 0.0;
  else return static_cast<T>(s);
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
