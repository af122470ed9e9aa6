// The grad_fn names of the float-only families on float16 / bfloat16 (Note [half compute]): the half result
// carries the op's own node name, as PyTorch's grad_fn, although the op runs in float32 between two
// conversions. Internal (the C API has no grad_fn query; tensor_format does not print halves yet).
#include <string>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "catch.hpp"
#include "ops/ops.h"

using namespace lt;

namespace {

std::string grad_fn_name(const Tensor& t) {
  const AutogradMeta* m = meta_of(t.impl());
  return m && m->grad_fn ? m->grad_fn->name() : "";
}

Tensor leaf(DType dt, const DimVector& shape) {
  Tensor x = to_dtype(arange(1, 1 + static_cast<double>(checked_numel(shape)), 1, TensorOptions{}), dt);
  x = reshape(x, shape);
  autograd_meta(x).requires_grad = true;
  return x;
}

}  // namespace

TEST_CASE("dtypes ops: half results of the float-only families carry the op's grad_fn name") {
  for (DType dt : {DType::Float16, DType::BFloat16}) {
    Tensor x = leaf(dt, DimVector{2, 3});
    Tensor y = log_softmax(x, 1);
    CHECK(y.dtype() == dt);
    CHECK(grad_fn_name(y) == "LogSoftmaxBackward0");
    CHECK(grad_fn_name(gelu(x, false)) == "GeluBackward0");
    CHECK(grad_fn_name(cumsum(x, 1)) == "CumsumBackward0");
    CHECK(grad_fn_name(layer_norm(x, DimVector{3}, Tensor(), Tensor(), 1e-5)) == "NativeLayerNormBackward0");
    {
      NoGradGuard ng;  // without grad mode the rounding records nothing
      CHECK(grad_fn_name(log_softmax(x, 1)).empty());
    }
  }
}
