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

// The floating ops with vectorised kernels (vec_math.h); the others (and the integer dtypes) go through
// unary_fn per element.
template <UnaryOp op>
constexpr int vec_op_of() {
  switch (op) {
    case UnaryOp::Exp: return static_cast<int>(VecOp::Exp);
    case UnaryOp::Sigmoid: return static_cast<int>(VecOp::Sigmoid);
    case UnaryOp::Log: return static_cast<int>(VecOp::Log);
    case UnaryOp::Sqrt: return static_cast<int>(VecOp::Sqrt);
    case UnaryOp::Sin: return static_cast<int>(VecOp::Sin);
    case UnaryOp::Cos: return static_cast<int>(VecOp::Cos);
    case UnaryOp::Tanh: return static_cast<int>(VecOp::Tanh);
    default: return -1;
  }
}

// A row that is not contiguous uses the vectorised ops' one-element forms, so that a result does not
// depend on the layout.
template <UnaryOp op, typename T>
void unary_row_of(char** d, const int64_t* s, int64_t n) {
  if constexpr (vec_op_of<op>() >= 0 && std::is_floating_point<T>::value) {
    constexpr VecOp vop = static_cast<VecOp>(vec_op_of<op>());
    if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
      vec_math(vop, reinterpret_cast<const T*>(d[1]), reinterpret_cast<T*>(d[0]), n);
    } else {
      unary_row<T, T>(d, s, n, [](T x) { return vec_math(vop, x); });
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
