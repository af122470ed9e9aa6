// CPU kernels for unary elementwise ops.
#include "core/iterator.h"
#include "core/scalar_ops.h"
#include "cpu/cpu_backend.h"
#include "cpu/loops.h"
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

// Transcendental ops cost ~10-50x an add per element: parallelise them from a smaller size.
constexpr int64_t kTranscendentalGrain = 4096;

// float32 exp and sigmoid have vectorised kernels (vec_math.h); a row that is not contiguous uses their
// one-lane forms.
template <UnaryOp op, typename T>
void unary_row_of(char** d, const int64_t* s, int64_t n) {
  constexpr bool vec_exp = op == UnaryOp::Exp && std::is_same<T, float>::value;
  constexpr bool vec_sigmoid = op == UnaryOp::Sigmoid && std::is_same<T, float>::value;
  if constexpr (vec_exp || vec_sigmoid) {
    if (s[0] == sizeof(float) && s[1] == sizeof(float)) {
      auto* in = reinterpret_cast<const float*>(d[1]);
      auto* out = reinterpret_cast<float*>(d[0]);
      if constexpr (vec_exp) exp_f32(in, out, n);
      else sigmoid_f32(in, out, n);
    } else {
      unary_row<float, float>(d, s, n, [](float x) { return vec_exp ? exp_f32(x) : sigmoid_f32(x); });
    }
  } else {
    unary_row<T, T>(d, s, n, unary_fn<op, T>);
  }
}

template <UnaryOp op, typename T>
void run_unary(const Tensor& out, const Tensor& a, int64_t grain) {
  auto row = [](char** d, const int64_t* s, int64_t n) { unary_row_of<op, T>(d, s, n); };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row, grain)) return;
  ElementwisePlan(ops, 2).for_each(row, grain);
}

template <UnaryOp op, bool floating_only>
void dispatch_unary(const Tensor& out, const Tensor& a) {
  if constexpr (floating_only) {
    LT_DISPATCH_FLOATING(a.dtype(), "unary", run_unary<op, scalar_t>(out, a, kTranscendentalGrain));
  } else {
    LT_DISPATCH_NUMERIC(a.dtype(), "unary", run_unary<op, scalar_t>(out, a, kGrainSize));
  }
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  switch (op) {
#define LT_CASE(name, Enum, grad, floating_only) \
  case UnaryOp::Enum: dispatch_unary<UnaryOp::Enum, floating_only>(out, a); break;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

}  // namespace lt::cpu
