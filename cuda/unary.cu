// Unary ops: the element function of each op's definition (core/unary_defs.h), one kernel per dtype with
// the op chosen at run time (Note [run-time op dispatch] in elementwise.cuh).
#include "core/op_table.h"
#include "cuda/elementwise.cuh"
#include "cuda/kernels.h"

namespace lt::cuda {

namespace {

template <typename T>
struct Unary {
  using out_t = T;
  using in1_t = T;
  using in2_t = char;
  using in3_t = char;
  static constexpr int nin = 1;
  int32_t op;
  __device__ T operator()(T x, char, char) const {
    switch (static_cast<UnaryOp>(op)) {
#define LT_CASE(name, Enum)                                             \
  case UnaryOp::Enum:                                                   \
    if constexpr (lt::computes_on<UnaryDef<UnaryOp::Enum>::inputs, T>)    \
      return UnaryDef<UnaryOp::Enum>::template f<T>(x);                 \
    break;
      LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
    }
    return T();  // not reached: unary() launches only (op, dtype) pairs the op computes on
  }
};

template <typename T>
bool unary_kernel_has(UnaryOp op) {
  switch (op) {
#define LT_CASE(name, Enum) \
  case UnaryOp::Enum: return lt::computes_on<UnaryDef<UnaryOp::Enum>::inputs, T>;
    LT_UNARY_OPS(LT_CASE)
#undef LT_CASE
  }
  return false;
}

}  // namespace

void unary(UnaryOp op, const Tensor& out, const Tensor& a) {
  EwInput in[1] = {{&a, 0}};
  LT_DISPATCH_ALL(a.dtype(), op_name(op), {
    LT_CHECK(unary_kernel_has<scalar_t>(op), Status::Internal, op_name(op) << ": no kernel for dtype " << dtype_name(a.dtype()));
    launch_elementwise(Unary<scalar_t>{static_cast<int32_t>(op)}, out, in, 1, "unary");
  });
}

}  // namespace lt::cuda
