// The op layer: the C++ API of libtensor's core. Each function validates its arguments (throwing
// lt::Error with a message that names shapes/dtypes but not the C call, which capi/ prefixes), applies
// PyTorch's semantics (dtype promotion, broadcasting, output allocation), calls the device backend and
// records the autograd node. Nothing here knows about the C API.
#pragma once
#include <cstdint>
#include <vector>

#include "autograd/engine_ops.h"
#include "core/backend.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace lt {

struct TensorOptions {
  DType dtype = DType::Float32;
  Device device{};
  bool requires_grad = false;
};

// ---- creation (creation.cpp) ----
Tensor empty(const DimVector& shape, const TensorOptions& o);
Tensor full(const DimVector& shape, double value, const TensorOptions& o);
Tensor from_data(const void* data, const DimVector& shape, const TensorOptions& o);
Tensor arange(double start, double end, double step, const TensorOptions& o);
Tensor linspace(double start, double end, int64_t steps, const TensorOptions& o);
Tensor eye(int64_t n, const TensorOptions& o);
Tensor rand(const DimVector& shape, const TensorOptions& o);
Tensor randn(const DimVector& shape, const TensorOptions& o);
Tensor full_like(const Tensor& t, double value);
void manual_seed(uint64_t seed);
// A 0-d tensor holding `value` (for grads and scalars).
Tensor scalar_tensor(double value, DType dtype, Device device);

// ---- elementwise (elementwise.cpp) ----
Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);
Tensor binary_scalar(BinaryOp op, const Tensor& a, double s);
Tensor unary(UnaryOp op, const Tensor& a);
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
// In place: t = t op other.
void binary_(BinaryOp op, const Tensor& t, const Tensor& other);
void copy_(const Tensor& dst, const Tensor& src);
void fill_(const Tensor& t, double value);
// The dtype a binary op between a and b computes in (PyTorch's result_type, 0-d tensors weaker).
DType result_type(const Tensor& a, const Tensor& b);
// add, and the other ops the autograd engine runs: autograd/engine_ops.h.
inline Tensor sub(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Sub, a, b); }
inline Tensor mul(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Mul, a, b); }
inline Tensor div(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Div, a, b); }

// ---- shape and views (shape_ops.cpp) ----
Tensor reshape(const Tensor& t, const DimVector& shape);
Tensor view(const Tensor& t, const DimVector& shape);  // throws Shape when a view is impossible
Tensor permute(const Tensor& t, const std::vector<int32_t>& dims);
Tensor transpose(const Tensor& t, int32_t d0, int32_t d1);
Tensor expand(const Tensor& t, const DimVector& shape);
Tensor squeeze(const Tensor& t, int32_t dim);
Tensor squeeze_all(const Tensor& t);
Tensor unsqueeze(const Tensor& t, int32_t dim);
Tensor slice(const Tensor& t, int32_t dim, int64_t start, int64_t end, int64_t step);
Tensor select(const Tensor& t, int32_t dim, int64_t index);
Tensor contiguous(const Tensor& t);
Tensor clone(const Tensor& t);
Tensor cat(const std::vector<Tensor>& ts, int32_t dim);
Tensor stack(const std::vector<Tensor>& ts, int32_t dim);
Tensor to_dtype(const Tensor& t, DType dtype);
Tensor to_device(const Tensor& t, Device device);
Tensor detach(const Tensor& t);
// Copies into host memory row-major (any device).
void copy_to_host(const Tensor& t, void* dst, size_t nbytes);
// Throws InvalidArgument naming the first element of bool tensor t whose byte is neither 0 nor 1: memory
// from outside the library (DLPack) must keep the bool invariant every kernel relies on.
void check_bool_bytes(const Tensor& t);
double item(const Tensor& t);

// ---- reductions (reduce.cpp) ----
Tensor sum(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim);
Tensor mean(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim);
Tensor prod(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim);
Tensor var(const Tensor& t, const std::vector<int32_t>& dims, int64_t correction, bool keepdim);
Tensor std_dev(const Tensor& t, const std::vector<int32_t>& dims, int64_t correction, bool keepdim);
Tensor max_all(const Tensor& t);
Tensor min_all(const Tensor& t);
// Returns {values, indices}.
std::pair<Tensor, Tensor> max_dim(const Tensor& t, int32_t dim, bool keepdim);
std::pair<Tensor, Tensor> min_dim(const Tensor& t, int32_t dim, bool keepdim);
Tensor argmax(const Tensor& t, int32_t dim, bool keepdim);
Tensor argmin(const Tensor& t, int32_t dim, bool keepdim);
Tensor all(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim);
Tensor any(const Tensor& t, const std::vector<int32_t>& dims, bool keepdim);

// ---- linear algebra (linalg.cpp) ----
Tensor matmul(const Tensor& a, const Tensor& b);

// ---- softmax and losses (nn.cpp) ----
// Values equal tensor_reduction's.
enum class Reduction : int32_t { None = 0, Mean = 1, Sum = 2 };
Tensor softmax(const Tensor& a, int32_t dim);
Tensor log_softmax(const Tensor& a, int32_t dim);
// dims empty: all dims. Integer input gives float32.
Tensor logsumexp(const Tensor& a, const std::vector<int32_t>& dims, bool keepdim);
// weight / pos_weight may be undefined (none).
Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                Reduction reduction);
// int64 target: class indices; floating target: class probabilities of logits' shape.
Tensor cross_entropy(const Tensor& logits, const Tensor& target, const Tensor& weight, int64_t ignore_index,
                     double label_smoothing, Reduction reduction);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction);
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, double beta, Reduction reduction);
Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target, const Tensor& weight,
                                        const Tensor& pos_weight, Reduction reduction);

// ---- indexing (index.cpp; PyTorch's semantics, int64 indices, negative dims) ----
Tensor index_select(const Tensor& a, int32_t dim, const Tensor& index);
Tensor gather(const Tensor& a, int32_t dim, const Tensor& index);
Tensor scatter(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src);
Tensor scatter_add(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src);
void index_add_(const Tensor& t, int32_t dim, const Tensor& index, const Tensor& src, double alpha);
// masks (mask.cpp): bool masks broadcast; nonzero gives int64 (n, ndim); one_hot int64 (..., C).
Tensor masked_fill(const Tensor& a, const Tensor& mask, double value);
void masked_fill_(const Tensor& t, const Tensor& mask, double value);
Tensor masked_select(const Tensor& a, const Tensor& mask);
Tensor nonzero(const Tensor& a);
Tensor one_hot(const Tensor& index, int64_t num_classes);
// scans (scan.cpp): integer and bool inputs give int64.
Tensor cumsum(const Tensor& a, int32_t dim);
Tensor cumprod(const Tensor& a, int32_t dim);
// ---- activations, clamp and linear (activations.cpp) ----
Tensor gelu(const Tensor& a, bool tanh_approximation);
Tensor softplus(const Tensor& a, double beta, double threshold);
Tensor leaky_relu(const Tensor& a, double negative_slope);
Tensor elu(const Tensor& a, double alpha);
// min / max may be undefined (no bound), not both; they broadcast with a.
Tensor clamp(const Tensor& a, const Tensor& min, const Tensor& max);
// -inf / +inf: no bound.
Tensor clamp_scalar(const Tensor& a, double min, double max);
// x (..., in) @ weight (out, in)^T + bias (out) (bias may be undefined).
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);
// ---- sorting (sort.cpp): PyTorch's semantics; always stable (equal keys keep their order), NaN the
// largest value; indices int64. sort's `stable` is accepted for the signature's sake. ----
std::pair<Tensor, Tensor> sort(const Tensor& a, int32_t dim, bool descending, bool stable);
Tensor argsort(const Tensor& a, int32_t dim, bool descending);
std::pair<Tensor, Tensor> topk(const Tensor& a, int64_t k, int32_t dim, bool largest, bool sorted);

// ---- advanced indexing (advanced_index.cpp; NumPy's / PyTorch's a[i0, i1, ...]) ----
// Each index: int64, int32 or bool, or undefined for a whole dim (':'); bool masks stand for their
// nonzero() coordinates. index_put_ needs values of t's dtype, broadcasting to the indexing result.
Tensor index(const Tensor& a, const std::vector<Tensor>& indices);
void index_put_(const Tensor& t, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate);

// ---- random family (random.cpp, random_stream.cpp; Note [random stream layout] in core/philox.h) ----
// randint's values lie in [low, high) as int64, then converted to o.dtype (randperm's too).
Tensor randint(int64_t low, int64_t high, const DimVector& shape, const TensorOptions& o);
Tensor randperm(int64_t n, const TensorOptions& o);
Tensor bernoulli(const Tensor& probs);
// probs 1-D (C) or 2-D (R, C); int64 (num_samples) or (R, num_samples).
Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement);
// training false: a itself.
Tensor dropout(const Tensor& a, double p, bool training);
void uniform_(const Tensor& t, double low, double high);
void normal_(const Tensor& t, double mean, double std);
void get_rng_state(uint64_t* seed, uint64_t* offset);
void set_rng_state(uint64_t seed, uint64_t offset);

// ---- normalisation (norm.cpp; PyTorch's semantics, NCHW) ----
// weight, bias may be undefined; running stats may be undefined when training, and are then updated in
// place with `momentum` (the unbiased batch variance, as PyTorch).
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps);
// Over the trailing dims given by normalized_shape; weight and bias of that shape.
Tensor layer_norm(const Tensor& input, const DimVector& normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps);
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps);

// ---- checks shared by ops ----
// Throws DType "<op>: expected a floating point <what>, got <dtype> ..." unless t is float32/float64.
void check_floating_input(const Tensor& t, const char* op, const char* what);
// check_same_device: autograd/engine_ops.h.
// Throws InvalidArgument when `value` cannot be stored in `dtype` without overflow (fill_, full): NaN,
// infinities or out-of-range values for integers, finite values beyond float32's range for float32, as
// PyTorch's "value cannot be converted to type int without overflow". Fractions truncate.
void check_fill_value(double value, DType dtype);

// ---- pooling (pool.cpp), embedding (embedding.cpp), pad (pad.cpp): PyTorch's semantics ----
// Input (C, H, W) or (N, C, H, W), float32/float64. kernel[2] required; NULL stride = kernel, NULL padding
// 0, NULL dilation 1. max_pool2d's indices (int64, the output's shape) are made when `with_indices` or
// when a grad is recorded, and returned when `with_indices`.
std::pair<Tensor, Tensor> max_pool2d(const Tensor& input, const int64_t* kernel, const int64_t* stride,
                                     const int64_t* padding, const int64_t* dilation, bool ceil_mode,
                                     bool with_indices);
Tensor avg_pool2d(const Tensor& input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                  bool ceil_mode, bool count_include_pad);
Tensor adaptive_avg_pool2d(const Tensor& input, const int64_t* output_size);
// weight (num, dim), indices int64/int32 of any shape: out = indices.shape + (dim), rows of weight.
Tensor embedding(const Tensor& weight, const Tensor& indices);
// Constant pad: pads[2k], pads[2k+1] pad the front / back of the k-th dim from the end; negative crops.
Tensor pad(const Tensor& a, const int64_t* pads, int32_t npads, double value);

// ---- convolutions (conv.cpp, grad node conv_grad.cpp): PyTorch's checks, shapes and messages; float32 and
// float64; bias may be undefined; unbatched inputs allowed; output_padding: 2 entries. ----
Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args);
Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t stride, int64_t padding,
              int64_t dilation, int64_t groups);
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args,
                        const int64_t output_padding[2]);

}  // namespace lt
