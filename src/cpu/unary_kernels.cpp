// CPU kernels for unary elementwise ops: each op's definition (core/unary_defs.h) gives the element
// function and, for floating rows, the vectorised form to run instead (cpu_vector).
#include "core/iterator.h"
#include "core/op_table.h"
#include "cpu/half_rows.h"
#include "cpu/kernels.h"
#include "cpu/loops.h"
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

// Transcendental ops cost ~10-50x an add per element: parallelise them from a smaller size.
constexpr int64_t kTranscendentalGrain = 4096;

// A row that is not contiguous uses the vectorised op's one-element form, so that a result does not
// depend on the layout.
template <UnaryOp op, typename T>
void unary_row_of(char** d, const int64_t* s, int64_t n) {
  constexpr VecOp vop = UnaryDef<op>::cpu_vector;
  if constexpr (vop != VecOp::None && std::is_floating_point<T>::value) {
    if (s[0] == sizeof(T) && s[1] == sizeof(T)) {
      vec_math(vop, reinterpret_cast<const T*>(d[1]), reinterpret_cast<T*>(d[0]), n);
    } else {
      unary_row<T, T>(d, s, n, [](T x) { return vec_math(vop, x); });
    }
  } else {
    using out_t = std::conditional_t<UnaryDef<op>::predicate, bool, T>;  // predicates: bool results
    unary_row<out_t, T>(d, s, n, UnaryDef<op>::template f<T>);
  }
}

template <UnaryOp op, typename T>
void run_unary(const Tensor& out, const Tensor& a) {
  constexpr int64_t grain = UnaryDef<op>::inputs == Inputs::Floating ? kTranscendentalGrain : kGrainSize;
  auto row = [](char** d, const int64_t* s, int64_t n) { unary_row_of<op, T>(d, s, n); };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row, grain)) return;
  ElementwisePlan(ops, 2).for_each(row, grain);
}

// Float16/bfloat16 (Note [half rows]): the float32 row on widened chunks.
template <UnaryOp op, typename H>
void run_unary_half(const Tensor& out, const Tensor& a) {
  using Out = std::conditional_t<UnaryDef<op>::predicate, bool, H>;
  constexpr int64_t grain = UnaryDef<op>::inputs == Inputs::Floating ? kTranscendentalGrain : kGrainSize;
  auto row = [](char** d, const int64_t* s, int64_t n) { half_row<H, Out, 1>(unary_row_of<op, float>, d, s, n); };
  const Tensor* ops[] = {&out, &a};
  if (ElementwisePlan::try_flat(ops, 2, row, grain)) return;
  ElementwisePlan(ops, 2).for_each(row, grain);
}

template <UnaryOp op>
void dispatch_unary(const Tensor& out, const Tensor& a) {
  if constexpr (computes_on<UnaryDef<op>::inputs, float>) {
    if (a.dtype() == DType::Float16) return run_unary_half<op, Half>(out, a);
    if (a.dtype() == DType::BFloat16) return run_unary_half<op, BFloat16>(out, a);
  }
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    if constexpr (computes_on<UnaryDef<op>::inputs, scalar_t>) run_unary<op, scalar_t>(out, a);
    else throw_error(Status::Internal, std::string(op_name(op)) + ": no kernel for dtype " + dtype_name(a.dtype()));
  });
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: dispatch_unary<UnaryOp::Enum>(out, a); break;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
}

}  // namespace lt::cpu
