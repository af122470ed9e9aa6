// Unary ops: the element function of each op's definition (core/unary_defs.h), two kernels per dtype (the
// predicates have bool results) with the op chosen at run time (Note [run-time op dispatch] in elementwise.cuh).
#include "core/op_table.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <UnaryOp op, bool Predicates, typename T>
inline constexpr bool unary_kernel_has = UnaryDef<op>::predicate == Predicates && computes_on<UnaryDef<op>::inputs, T>;

// Two families per dtype: the ops with a result of the input's dtype, and the predicates (bool results).
template <bool Predicates, typename T>
struct Unary {
  using out_t = std::conditional_t<Predicates, bool, T>;
  using in1_t = T;
  using in2_t = char;
  using in3_t = char;
  static constexpr int nin = 1;
  int32_t op;
  __device__ out_t operator()(T x, char, char) const {
    switch (static_cast<UnaryOp>(op)) {
#define LT_CASE(name, Enum)                                           \
  case UnaryOp::Enum:                                                 \
    if constexpr (unary_kernel_has<UnaryOp::Enum, Predicates, T>)     \
      return UnaryDef<UnaryOp::Enum>::template f<T>(x);               \
    break;
      LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
    }
    return out_t();  // not reached: unary() launches only (op, dtype) pairs the family has
  }
};

template <bool Predicates, typename T>
void launch_unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  const bool has = visit_def(op, [](auto def) {
    using Def = decltype(def);
    return Def::predicate == Predicates && computes_on<Def::inputs, T>;
  });
  LT_CHECK(has, Status::Internal, op_name(op) << ": no kernel for dtype " << dtype_name(a.dtype()));
  EwInput in[1] = {{&a, 0}};
  launch_elementwise(Unary<Predicates, T>{static_cast<int32_t>(op)}, out, in, 1, "unary");
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    if (is_predicate(op)) launch_unary<true, scalar_t>(op, out, a);
    else launch_unary<false, scalar_t>(op, out, a);
  });
}

}  // namespace lt::cuda
