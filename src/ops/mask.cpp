// masked_fill / masked_fill_, masked_select, nonzero and one_hot (PyTorch's semantics and grad_fn names).
// masked_fill runs the backend's where kernel with the value as a stride-0 operand; masked_select reads
// the flat positions of the mask's trues (the nonzero kernel) with index_select; one_hot compares the
// classes with an arange. Counting the trues (nonzero, masked_select) and checking the classes (one_hot)
// read a scalar back to the host, a synchronisation on CUDA as in PyTorch.
#include <limits>
#include <string>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "ops/index_common.h"
#include "ops/kernel_dtype.h"
#include "ops/ops.h"

namespace lt {

namespace {

void check_mask(const char* op, const Tensor& mask) {
  LT_CHECK(mask.dtype() == DType::Bool, Status::DType,
           op << ": expected a mask of dtype bool, got " << dtype_name(mask.dtype()) << " (shape "
              << shape_str(mask.shape()) << ")");
}

// out = mask ? value : a, all of out's shape (broadcast views allowed), in a's dtype. Storage dtypes
// select in their kernel dtype (Note [kernel dtype]); the value is rounded to a's dtype first, so it is
// rounded once, as PyTorch's.
void fill_where(const Tensor& out, const Tensor& a, const Tensor& mask, double value) {
  Backend& be = backend_for(out.device());
  Tensor v = scalar_tensor(value, a.dtype(), a.device());
  if (is_kernel_dtype(a.dtype())) {
    be.where(out, expand(mask, out.shape()), expand(v, out.shape()), expand(a, out.shape()));
    return;
  }
  const DType k = kernel_dtype(a.dtype());
  Tensor r = make_empty(out.shape(), k, out.device());
  be.where(r, expand(mask, out.shape()), expand(convert(v, k), out.shape()), expand(convert(a, k), out.shape()));
  be.copy(out, r);
}

class MaskedFillBackward final : public Node {
 public:
  explicit MaskedFillBackward(const Tensor& mask) : mask_(mask) {}
  const char* name() const override { return "MaskedFillBackward0"; }
  void release_saved() override { mask_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor mask = mask_.unpack(name());
    const Tensor& g = grads[0];
    return {where(mask, scalar_tensor(0.0, g.dtype(), g.device()), g)};
  }

 private:
  SavedTensor mask_;
};

// An int64 0-d tensor's value, exactly (item() goes through double, which rounds past 2^53).
int64_t int64_item(const Tensor& t) {
  int64_t v = 0;
  copy_to_host(t, &v, sizeof v);
  return v;
}

// The flat positions (int64, 1-D) of the trues of a contiguous bool tensor.
Tensor true_positions(const Tensor& flat_mask) {
  const int64_t n = int64_item(sum(flat_mask, {}, false));
  Tensor pos = make_empty(DimVector{n, 1}, DType::Int64, flat_mask.device());
  backend_for(flat_mask.device()).nonzero(pos, flat_mask);
  return reshape(pos, DimVector{n});
}

class MaskedSelectBackward final : public Node {
 public:
  MaskedSelectBackward(const Tensor& positions, const DimVector& shape) : pos_(positions), shape_(shape) {}
  const char* name() const override { return "MaskedSelectBackward0"; }
  void release_saved() override { pos_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor pos = pos_.unpack(name());
    const Tensor g = in_kernel_dtype(grads[0]);  // half grads add in float32 (Note [kernel dtype])
    int64_t numel = 1;
    for (int64_t s : shape_) numel *= s;
    Tensor gi = full(DimVector{numel}, 0.0, TensorOptions{g.dtype(), g.device(), false});
    backend_for(g.device()).index_add(gi, pos, contiguous(g), 0, 1.0);
    return {reshape(to_result_dtype(gi, grads[0].dtype()), shape_)};  // the engine sums it back to a's shape
  }

 private:
  SavedTensor pos_;
  DimVector shape_;
};

}  // namespace

Tensor masked_fill(const Tensor& a, const Tensor& mask, double value) {
  check_same_device(a, mask);
  check_mask("masked_fill", mask);
  check_fill_value(value, a.dtype());
  const DimVector shape = broadcast_shapes(a.shape(), mask.shape());
  Tensor out = make_empty(shape, a.dtype(), a.device());
  {
    NoGradGuard ng;
    fill_where(out, a, mask, value);
  }
  if (any_requires_grad({&a})) record<MaskedFillBackward>(out, {&a}, detach(mask));
  return out;
}

void masked_fill_(const Tensor& t, const Tensor& mask, double value) {
  const char* op = "masked_fill_";
  check_same_device(t, mask);
  check_mask(op, mask);
  check_fill_value(value, t.dtype());
  LT_CHECK(broadcast_shapes(t.shape(), mask.shape()) == t.shape(), Status::Shape,
           op << ": the mask of shape " << shape_str(mask.shape()) << " must broadcast to the tensor's shape "
              << shape_str(t.shape()));
  check_inplace(t, op);
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  // Note [in-place failure atomicity] (elementwise.cpp): the node is made before t is written.
  std::shared_ptr<Node> node;
  if (any_requires_grad({&t})) {
    autograd_meta(t);
    node = std::make_shared<MaskedFillBackward>(detach(mask));
    collect_inputs(*node, {&t});
  }
  {
    NoGradGuard ng;
    fill_where(t, t, mask, value);
  }
  t.storage()->bump_version();
  if (node) set_history(t, node);
}

Tensor masked_select(const Tensor& a, const Tensor& mask) {
  check_same_device(a, mask);
  check_mask("masked_select", mask);
  const DimVector shape = broadcast_shapes(a.shape(), mask.shape());
  Tensor out, pos;
  {
    NoGradGuard ng;
    int64_t numel = 1;
    for (int64_t s : shape) numel *= s;
    Tensor flat_a = reshape(contiguous(expand(a, shape)), DimVector{numel});
    pos = true_positions(reshape(contiguous(expand(mask, shape)), DimVector{numel}));
    out = make_empty(DimVector{pos.numel()}, a.dtype(), a.device());
    backend_for(a.device()).index_select(out, flat_a, pos, 0);
  }
  if (any_requires_grad({&a})) record<MaskedSelectBackward>(out, {&a}, pos, shape);
  return out;
}

Tensor nonzero(const Tensor& a) {
  NoGradGuard ng;
  Tensor m = contiguous(to_dtype(a, DType::Bool));
  const int64_t n = int64_item(sum(m, {}, false));
  Tensor out = make_empty(DimVector{n, a.ndim()}, DType::Int64, a.device());
  backend_for(a.device()).nonzero(out, m);
  return out;
}

Tensor one_hot(const Tensor& index, int64_t num_classes) {
  const char* op = "one_hot";
  LT_CHECK(index.dtype() == DType::Int64, Status::DType,
           op << ": one_hot is only applicable to index tensors of dtype int64, got " << dtype_name(index.dtype()));
  LT_CHECK(num_classes >= -1, Status::InvalidArgument,
           op << ": num_classes should be -1 (inferred) or non-negative, got " << num_classes);
  NoGradGuard ng;
  if (index.numel() == 0) {
    LT_CHECK(num_classes != -1, Status::InvalidArgument,
             op << ": can not infer the total number of classes from an empty tensor (shape "
                << shape_str(index.shape()) << ")");
  } else {
    const int64_t lo = int64_item(min_all(index)), hi = int64_item(max_all(index));
    LT_CHECK(lo >= 0, Status::Index, op << ": class values must be non-negative, got " << lo);
    if (num_classes == -1) {
      LT_CHECK(hi < std::numeric_limits<int64_t>::max(), Status::Index,
               op << ": class value " << hi << " is too large to infer num_classes from it");
      num_classes = hi + 1;
    }
    LT_CHECK(hi < num_classes, Status::Index,
             op << ": class value " << hi << " is out of range for num_classes " << num_classes
                << " (expected values in [0, " << num_classes << "))");
  }
  Tensor classes = arange(0, static_cast<double>(num_classes), 1, TensorOptions{DType::Int64, index.device(), false});
  return to_dtype(binary(BinaryOp::Eq, unsqueeze(index, -1), classes), DType::Int64);
}

}  // namespace lt
