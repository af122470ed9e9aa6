// TEMPORARY (replaced by the reductions work): a naive floating sum.
#include "cpu/cpu_backend.h"

namespace lt::cpu {

void reduce(ReduceOp, const Tensor& out, const Tensor& in, const DimVector&, int64_t) {
  LT_DISPATCH_FLOATING(in.dtype(), "sum", {
    scalar_t* o = out.data_as<scalar_t>();
    for (int64_t i = 0; i < out.numel(); ++i) o[i] = 0;
    DimVector idx(in.ndim());
    for (int64_t n = 0; n < in.numel(); ++n) {
      int64_t off_in = 0, off_out = 0, r = n;
      for (int32_t d = in.ndim() - 1; d >= 0; --d) {
        int64_t i = r % in.size(d);
        r /= in.size(d);
        off_in += i * in.stride(d);
        off_out += (out.size(d) == 1 ? 0 : i) * out.stride(d);
      }
      o[off_out] += in.data_as<scalar_t>()[off_in];
    }
  });
}
void arg_reduce(ReduceOp, const Tensor&, const Tensor&, const Tensor&, int32_t) {
  throw_error(Status::Internal, "arg_reduce: not yet implemented");
}

}  // namespace lt::cpu
