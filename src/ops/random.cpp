// The random family: randint, randperm, bernoulli, multinomial, dropout, uniform_, normal_ and the
// stream's state (PyTorch's semantics, messages and grad_fn names). Every draw reserves its Philox blocks
// from the calling thread's stream (random_stream.h) and runs a backend kernel whose values are a pure
// function of (seed, offset, element index) (Note [random stream layout] in core/philox.h), so the same
// seed gives the same numbers on the CPU and on CUDA.
#include <cmath>
#include <limits>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "core/philox.h"
#include "ops/half_compute.h"
#include "ops/ops.h"
#include "ops/random_half.h"
#include "ops/random_stream.h"

namespace lt {

namespace {

// The int64 result of a random_int / random_perm kernel as the requested dtype.
Tensor as_requested(Tensor t, const TensorOptions& o) {
  if (o.dtype != DType::Int64) t = to_dtype(t, o.dtype);
  if (o.requires_grad) {
    LT_CHECK(is_floating(o.dtype), Status::DType,
             "only tensors of floating dtype can require gradients, got " << dtype_name(o.dtype));
    autograd_meta(t).requires_grad = true;
  }
  return t;
}

// The largest integer value `dtype` holds exactly as every integer below it (randint's and randperm's
// bounds, as PyTorch's "to - 1 is out of bounds for <type>").
double dtype_int_limit(DType dtype) {
  switch (dtype) {
    case DType::Bool: return 1.0;
    case DType::Int32: return 2147483647.0;
    case DType::Float32: return 16777216.0;        // 2^24
    case DType::Float64: return 9007199254740992.0;  // 2^53
    case DType::Float16: return 2048.0;              // 2^11 (PyTorch warns beyond it; refused, as float32)
    case DType::BFloat16: return 256.0;              // 2^8
    case DType::UInt8: return 255.0;
    case DType::Int8: return 127.0;
    case DType::Int16: return 32767.0;
    case DType::Int64: return 0x1p63;
  }
  return 0x1p63;
}

double dtype_int_lowest(DType dtype) {
  switch (dtype) {
    case DType::Bool: return 0.0;
    case DType::Int32: return -2147483648.0;
    case DType::Float32: return -16777216.0;
    case DType::Float64: return -9007199254740992.0;
    case DType::Float16: return -2048.0;
    case DType::BFloat16: return -256.0;
    case DType::UInt8: return 0.0;
    case DType::Int8: return -128.0;
    case DType::Int16: return -32768.0;
    case DType::Int64: return -0x1p63;
  }
  return -0x1p63;
}

// Whether every element of floating t satisfies lo <= x <= hi (a NaN fails); reads two scalars back (a
// synchronisation on CUDA, as PyTorch's checks).
bool all_within(const Tensor& t, double lo, double hi) {
  if (t.numel() == 0) return true;
  NoGradGuard ng;
  const double mn = item(min_all(t)), mx = item(max_all(t));
  return mn >= lo && mx <= hi;
}

// The grad of an in-place random fill of a tensor already in the graph: zero (UniformBackward0,
// NormalBackward0).
class RandomFillBackward final : public Node {
 public:
  explicit RandomFillBackward(bool normal) : normal_(normal) {}
  const char* name() const override { return normal_ ? "NormalBackward0" : "UniformBackward0"; }
  TensorList apply(TensorList&& grads) override { return {full_like(grads[0], 0.0)}; }

 private:
  bool normal_;
};

// dropout's grad: g * mask * scale (PyTorch 2.x's native_dropout names it NativeDropoutBackward0).
class DropoutBackward final : public Node {
 public:
  DropoutBackward(const Tensor& mask, double scale) : mask_(mask), scale_(scale) {}
  const char* name() const override { return "NativeDropoutBackward0"; }
  void release_saved() override { mask_.reset(); }
  TensorList apply(TensorList&& grads) override {
    Tensor mask = mask_.unpack(name());
    const Tensor& g = grads[0];
    Tensor gi = make_empty(g.shape(), g.dtype(), g.device());
    backend_for(g.device()).mul_scaled(gi, g, mask, scale_);
    return {gi};
  }

 private:
  SavedTensor mask_;
  double scale_;
};

// uniform_ / normal_: t = draw * a + b in t's dtype, where draw is rand's (normal: randn's) value.
void random_fill_(const Tensor& t, bool normal, double a, double b, const char* op) {
  LT_CHECK(is_floating(t.dtype()), Status::DType,
           op << ": expected a floating point tensor, got " << dtype_name(t.dtype()));
  check_inplace(t, op);
  LT_CHECK(!t.storage()->read_only(), Status::InvalidArgument, "cannot write to a read-only tensor");
  std::shared_ptr<Node> node;
  if (any_requires_grad({&t})) {
    node = std::make_shared<RandomFillBackward>(normal);
    collect_inputs(*node, {&t});
  }
  {
    NoGradGuard ng;
    Backend& be = backend_for(t.device());
    if (is_half(t.dtype())) {  // Note [half draws]: scaled in float32, rounded once into t
      Tensor r = half_draw(t.shape(), t.dtype(), t.device(), normal);
      if (t.numel() > 0) {
        be.binary_scalar(BinaryOp::Mul, r, r, a);
        be.binary_scalar(BinaryOp::Add, r, r, b);
      }
      be.copy(t, r);
      t.storage()->bump_version();
      if (node) set_history(t, node);
      return;
    }
    Tensor r = t.is_contiguous() ? t : make_empty(t.shape(), t.dtype(), t.device());
    const RngDraw d = rng_reserve(philox_blocks_used(t.numel(), t.dtype() == DType::Float64, normal));
    if (normal) be.random_normal(r, d.seed, d.offset);
    else be.random_uniform(r, d.seed, d.offset);
    if (t.numel() > 0) {
      be.binary_scalar(BinaryOp::Mul, r, r, a);
      be.binary_scalar(BinaryOp::Add, r, r, b);
    }
    if (!t.is_contiguous()) be.copy(t, r);
  }
  t.storage()->bump_version();
  if (node) set_history(t, node);
}

}  // namespace


Tensor randint(int64_t low, int64_t high, const DimVector& shape, const TensorOptions& o) {
  LT_CHECK(low < high, Status::InvalidArgument,
           "random_ expects 'from' to be less than 'to', but got from=" << low << " >= to=" << high);
  LT_CHECK(static_cast<double>(low) >= dtype_int_lowest(o.dtype), Status::InvalidArgument,
           "from is out of bounds for " << dtype_name(o.dtype) << ", got " << low);
  LT_CHECK(static_cast<double>(high - 1) <= dtype_int_limit(o.dtype) || o.dtype == DType::Int64,
           Status::InvalidArgument, "to - 1 is out of bounds for " << dtype_name(o.dtype) << ", got to=" << high);
  Tensor t = make_empty(shape, DType::Int64, o.device);
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  const RngDraw d = rng_reserve(philox_slot_blocks(t.numel()));
  if (t.numel() > 0) backend_for(o.device).random_int(t, low, range, d.seed, d.offset);
  return as_requested(std::move(t), o);
}

Tensor randperm(int64_t n, const TensorOptions& o) {
  LT_CHECK(n >= 0, Status::InvalidArgument, "randperm: n must be non-negative, got " << n);
  LT_CHECK(o.dtype != DType::Bool || n <= 2, Status::InvalidArgument,
           "randperm: n cannot be greater than 2 for bool, got " << n);
  LT_CHECK(static_cast<double>(n) <= dtype_int_limit(o.dtype) + 1.0, Status::InvalidArgument,
           "randperm: n cannot be greater than " << static_cast<int64_t>(dtype_int_limit(o.dtype)) + 1 << " for "
                                                 << dtype_name(o.dtype) << ", got " << n);
  Tensor t = make_empty(DimVector{n}, DType::Int64, o.device);
  const RngDraw d = rng_reserve(philox_slot_blocks(n));
  if (n > 0) backend_for(o.device).random_perm(t, d.seed, d.offset);
  return as_requested(std::move(t), o);
}

Tensor bernoulli(const Tensor& probs) {
  check_floating_input(probs, "bernoulli", "probability tensor");
  if (is_half(probs.dtype())) {  // drawn against the float32 probabilities; 0/1 convert exactly
    NoGradGuard ng;
    return to_dtype(bernoulli(to_dtype(detach(probs), DType::Float32)), probs.dtype());
  }
  LT_CHECK(all_within(probs, 0.0, 1.0), Status::InvalidArgument,
           "bernoulli: expected every probability in [0, 1] (p_in >= 0 && p_in <= 1), got a value outside it or NaN");
  Tensor p = contiguous(detach(probs));
  Tensor out = make_empty(probs.shape(), probs.dtype(), probs.device());
  const RngDraw d = rng_reserve(philox_slot_blocks(out.numel()));
  if (out.numel() > 0) backend_for(out.device()).random_bernoulli(out, p, 0.0, d.seed, d.offset);
  return out;
}

Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement) {
  const char* op = "multinomial";
  LT_CHECK(is_floating(probs.dtype()), Status::DType,
           op << " only supports floating-point dtypes for input, got " << dtype_name(probs.dtype()));
  LT_CHECK(probs.ndim() == 1 || probs.ndim() == 2, Status::Shape,
           op << ": prob_dist must be 1 or 2 dim, got shape " << shape_str(probs.shape()));
  LT_CHECK(num_samples > 0, Status::InvalidArgument, "cannot sample n_sample <= 0 samples, got " << num_samples);
  const int64_t C = probs.size(probs.ndim() - 1);
  const int64_t R = probs.ndim() == 2 ? probs.size(0) : 1;
  LT_CHECK(replacement || num_samples <= C, Status::InvalidArgument,
           "cannot sample n_sample > prob_dist.size(-1) samples without replacement (n_sample " << num_samples
                                                                                          << ", " << C << " categories)");
  NoGradGuard ng;
  Tensor w = contiguous(detach(reshape(probs, DimVector{R, C})));
  if (is_half(w.dtype())) w = to_dtype(w, DType::Float32);  // the kernel reads float32 / float64
  if (R > 0) {
    LT_CHECK(C > 0, Status::InvalidArgument, "invalid multinomial distribution (sum of probabilities <= 0)");
    LT_CHECK(all_within(w, 0.0, std::numeric_limits<double>::max()), Status::InvalidArgument,
             "probability tensor contains either `inf`, `nan` or element < 0");
    LT_CHECK(item(min_all(sum(w, {1}, false))) > 0, Status::InvalidArgument,
             "invalid multinomial distribution (sum of probabilities <= 0)");
  }
  Tensor out = make_empty(DimVector{R, num_samples}, DType::Int64, probs.device());
  const RngDraw d = rng_reserve(philox_slot_blocks(R * (replacement ? num_samples : C)));
  if (R > 0) backend_for(out.device()).random_multinomial(out, w, replacement, d.seed, d.offset);
  return probs.ndim() == 1 ? reshape(out, DimVector{num_samples}) : out;
}

Tensor dropout(const Tensor& a, double p, bool training) {
  LT_CHECK(p >= 0.0 && p <= 1.0, Status::InvalidArgument,
           "dropout probability has to be between 0 and 1, but got " << p);
  if (!training) return a;  // PyTorch returns the input itself
  check_floating_input(a, "dropout", "input");
  if (runs_widened(a)) return half_result(dropout(widened(a), p, training), a.dtype());  // Note [half compute]
  Tensor mask = make_empty(a.shape(), a.dtype(), a.device());
  Backend& be = backend_for(a.device());
  const RngDraw d = rng_reserve(philox_slot_blocks(mask.numel()));
  const double scale = p < 1.0 ? 1.0 / (1.0 - p) : 0.0;
  Tensor out = make_empty(a.shape(), a.dtype(), a.device());
  if (mask.numel() > 0 && p < 1.0) {
    be.random_bernoulli(mask, Tensor(), 1.0 - p, d.seed, d.offset);
    be.mul_scaled(out, a, mask, scale);
  } else if (mask.numel() > 0) {  // p = 1: zeros (not a * 0, which is NaN for an infinite a)
    be.fill(mask, 0.0);
    be.fill(out, 0.0);
  }
  if (any_requires_grad({&a})) record<DropoutBackward>(out, {&a}, mask, scale);
  return out;
}

void uniform_(const Tensor& t, double low, double high) {
  LT_CHECK(low <= high, Status::InvalidArgument,
           "uniform_ expects to return a [from, to) range, but found from=" << low << " > to=" << high);
  LT_CHECK(std::isfinite(high - low), Status::InvalidArgument,
           "uniform_ expects a finite range, got from=" << low << ", to=" << high);
  random_fill_(t, false, high - low, low, "uniform_");
}

void normal_(const Tensor& t, double mean, double std) {
  LT_CHECK(std >= 0.0, Status::InvalidArgument, "normal expects std >= 0.0, but found std " << std);
  random_fill_(t, true, std, mean, "normal_");
}

}  // namespace lt
