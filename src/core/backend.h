// The device backend interface. src/ops does the semantics (dtype promotion, shape rules, broadcasting,
// output allocation, autograd); a Backend only runs kernels on operands that are already the right shape
// and dtype. One implementation per device type: src/cpu (always), cuda/ (when built).
//
// Note [kernel operand contract]: unless said otherwise, every tensor passed to a Backend method lives on
// that backend's device, `out` is freshly allocated or a valid in-place destination, and inputs have
// out's shape (broadcast inputs arrive as stride-0 views). Dtypes are as documented per method.
#pragma once
#include <cstdint>

#include "core/allocator.h"
#include "core/conv_args.h"
#include "core/op_kinds.h"
#include "core/optim_math.h"
#include "core/pool_args.h"
#include "core/tensor.h"

namespace lt {

// Note [backend kernel list]: the kernels every backend runs, written once. Each row is
//   X(name, (parameters), (arguments), operand)
// where `operand` is the tensor on the backend's device whose device the kernel runs on. The list makes
// the pure virtuals of Backend (LT_BACKEND_PURE_VIRTUAL), each backend's free-function declarations in its
// kernels.h (LT_BACKEND_DECLARE: cpu/kernels.h, cuda/kernels.h) and each backend's forwarding overrides
// (LT_BACKEND_FORWARD: cpu/cpu_backend.cpp, cuda/cuda_backend.cpp). A kernel one backend does not define
// fails to link, naming lt::cpu::<name> or lt::cuda::<name>. The comments are C comments because the
// list is one macro (a // comment would swallow the continuation lines).
#define LT_BACKEND_KERNELS(X)                                                                              \
  /* --- elementwise (foundation) --- */                                                                  \
  /* a, b and out share the compute dtype, except comparisons whose out is Bool. */                        \
  X(binary, (BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b), (op, out, a, b), out)       \
  /* out = a op s with s converted to a's dtype (out's dtype as for binary). */                            \
  X(binary_scalar, (BinaryOp op, const Tensor& out, const Tensor& a, double s), (op, out, a, s), out)      \
  /* out = a * b * s, all of one floating dtype, a and b already of out's shape (broadcast views allowed). \
     What the grad of x * x needs (g * x * 2, bitwise g*x + g*x): one pass where a backend fuses it. */    \
  X(mul_scaled, (const Tensor& out, const Tensor& a, const Tensor& b, double s), (out, a, b, s), out)      \
  /* out and a share a dtype. */                                                                           \
  X(unary, (UnaryOp op, const Tensor& out, const Tensor& a), (op, out, a), out)                            \
  /* cond is Bool; a, b, out share a dtype. */                                                             \
  X(where, (const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b), (out, cond, a, b),   \
    out)                                                                                                   \
  /* dst and src have one shape (src may be broadcast) and may differ in dtype (converted as static_cast,  \
     bool from nonzero). Both on this backend's device. */                                                 \
  X(copy, (const Tensor& dst, const Tensor& src), (dst, src), dst)                                         \
  X(fill, (const Tensor& out, double value), (out, value), out)                                            \
  /* --- creation --- */                                                                                  \
  /* out[i] = start + i * step (contiguous out). */                                                        \
  X(arange, (const Tensor& out, double start, double step), (out, start, step), out)                       \
  /* PyTorch's symmetric linspace: i < n/2 ? start + i*step : end - (n-1-i)*step (contiguous out). */      \
  X(linspace, (const Tensor& out, double start, double end), (out, start, end), out)                       \
  /* --- random: the Philox-4x32-10 stream; core/philox.h maps elements to counters (contiguous out) --- */ \
  X(random_uniform, (const Tensor& out, uint64_t seed, uint64_t offset), (out, seed, offset), out)         \
  X(random_normal, (const Tensor& out, uint64_t seed, uint64_t offset), (out, seed, offset), out)          \
  /* --- random family (cpu/random_kernels.cpp, cuda/random.cu): every value a pure function of         \
     (seed, offset, element index) as core/philox.h's Note [random stream layout] says, the same bits on   \
     every backend except multinomial without replacement (see the note). All operands contiguous.         \
     random_int: out int64, out[i] = philox_randint(seed, offset, i, low, range), range >= 1. */           \
  X(random_int, (const Tensor& out, int64_t low, uint64_t range, uint64_t seed, uint64_t offset),            \
    (out, low, range, seed, offset), out)                                                                  \
  /* out (n) int64: 0..n-1 sorted by (philox_u64 key, index). */                                           \
  X(random_perm, (const Tensor& out, uint64_t seed, uint64_t offset), (out, seed, offset), out)            \
  /* out any dtype: 1 where u_i < p_i else 0, p_i = probs[i] (floating, out's shape) or `p` when probs is  \
     undefined. Probabilities are not checked (ops checks them). */                                        \
  X(random_bernoulli, (const Tensor& out, const Tensor& probs, double p, uint64_t seed, uint64_t offset),    \
    (out, probs, p, seed, offset), out)                                                                    \
  /* out (R, S) int64 from probs (R, C) floating, checked by ops: finite, >= 0, each row's sum > 0, and    \
     S <= C without replacement. */                                                                        \
  X(random_multinomial, (const Tensor& out, const Tensor& probs, bool replacement, uint64_t seed,          \
                         uint64_t offset), (out, probs, replacement, seed, offset), out)                   \
  /* Copies between this backend's device and the CPU (one of dst/src is on the CPU): same shape and       \
     dtype, both contiguous. The CPU backend refuses it (Internal): nothing asks it to. */                 \
  X(copy_across_devices, (const Tensor& dst, const Tensor& src), (dst, src),                               \
    (dst.device().is_cpu() ? src : dst))                                                                   \
  /* --- reductions --- */                                                                                \
  /* Reduces `in` (any strides) over `dims` (sorted, unique, normalised; empty for a 0-d input) into       \
     `out`, whose shape is in's with those dims set to 1 (keepdim layout; ops squeeze afterwards).         \
     Dtypes, input -> out:                                                                                 \
       Sum, Prod   float32/float64 keep their dtype; int32, int64, bool -> int64 (wrapping arithmetic)     \
       Mean, Var, Std   float32/float64 only, same dtype out                                               \
       Max, Min    any dtype, same dtype out; NaN propagates                                               \
       All, Any    any dtype -> bool (nonzero and NaN count as true)                                       \
     Empty folds: Sum 0, Prod 1, Mean/Var/Std nan, All true, Any false (ops never ask Max/Min for one).    \
     Var/Std divide by max(0, N - correction) (m2 / 0 gives inf, or nan when m2 is 0); `correction` is     \
     ignored by the other ops. ArgMax/ArgMin go through arg_reduce. */                                     \
  X(reduce, (ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction),  \
    (op, out, in, dims, correction), in)                                                                   \
  /* Max/Min with indices along one dim (op Max or ArgMax, Min or ArgMin): values (in's dtype; may be      \
     undefined = not wanted) and int64 indices have in's shape with `dim` set to 1 (a 0-d `in` gives 0-d   \
     outputs and index 0). in.size(dim) >= 1 (ops refuse empty dims). Ties give the first index; NaN wins  \
     and the first NaN's index is reported. Any dtype, bool included. */                                   \
  X(arg_reduce, (ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim),  \
    (op, values, indices, in, dim), in)                                                                    \
  /* --- linear algebra --- */                                                                            \
  /* out[..., m, n] = a[..., m, k] @ b[..., k, n]. a, b and out have the same ndim (>= 2) and batch dims   \
     (already broadcast: a and b may have stride 0 there); out is contiguous; a's and b's matrix dims may  \
     have any strides (transposed, sliced, or 0 from expand), which the kernel reads in place when its     \
     BLAS can (see cpu/matmul.h) and copies otherwise. Any size may be 0: k == 0 means out is all zeros.   \
     Floating or integer dtypes, all equal; integer products and sums wrap around. */                      \
  X(matmul, (const Tensor& out, const Tensor& a, const Tensor& b), (out, a, b), out)                       \
  /* --- softmax and losses (nn family: cpu/nn_kernels.cpp, cuda/nn.cu) --- */                           \
  /* out = softmax (log_softmax when `log`) of `in` along `dim`, max-subtracted. in and out contiguous,    \
     one shape and one floating dtype; dim normalised (0 for a 0-d tensor). */                             \
  X(softmax, (const Tensor& out, const Tensor& in, int32_t dim, bool log), (out, in, dim, log), out)      \
  /* From the forward's output y and its grad g (all contiguous, one shape and dtype):                     \
     softmax gi = y * (g - sum(g * y)), log_softmax gi = g - exp(y) * sum(g), sums along dim. */           \
  X(softmax_backward, (const Tensor& grad_in, const Tensor& grad_out, const Tensor& out, int32_t dim,      \
                       bool log), (grad_in, grad_out, out, dim, log), grad_in)                             \
  /* Class-index nll / cross-entropy per sample. input (N, C, K) contiguous floating (logits when          \
     from_logits, else log-probabilities), target (N, K) contiguous int64, class_weight (C) contiguous of  \
     input's dtype or undefined (all ones); loss, used_weight and lse (N, K) contiguous of input's dtype   \
     (lse undefined unless from_logits). With w = class_weight, t the target, lse the row's logsumexp:     \
       loss = (1 - s) * w[t] * (lse - x[t]) + s / C * sum_c w[c] * (lse - x[c])   (from_logits)           \
       loss = -w[t] * x[t]                                                         (otherwise, s = 0)      \
     used_weight = w[t]; both 0 where t == ignore_index. A target outside [0, C) that is not               \
     ignore_index throws Error(Index) naming it (CUDA: checked on the device, thrown after the sync). */   \
  X(nll_forward, (const Tensor& loss, const Tensor& used_weight, const Tensor& lse, const Tensor& input,   \
                  const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing, \
                  bool from_logits),                                                                       \
    (loss, used_weight, lse, input, target, class_weight, ignore_index, smoothing, from_logits), input)    \
  /* The grad of nll_forward's loss w.r.t. input: grad_input (N, C, K) contiguous, grad_loss (N, K)        \
     contiguous (the per-sample grad, reduction already applied), the other operands as forward's (the    \
     targets already checked). With p = exp(x - lse), W = sum_c w[c]:                                     \
       gi[c] = g * ((1 - s) * w[t] * (p[c] - [c == t]) + s / C * (W * p[c] - w[c]))   (from_logits)       \
       gi[c] = -g * w[t] * [c == t]                                                     (otherwise)        \
     and 0 for samples whose target is ignore_index. */                                                    \
  X(nll_backward, (const Tensor& grad_input, const Tensor& grad_loss, const Tensor& input, const Tensor& lse, \
                   const Tensor& target, const Tensor& class_weight, int64_t ignore_index, double smoothing, \
                   bool from_logits),                                                                      \
    (grad_input, grad_loss, input, lse, target, class_weight, ignore_index, smoothing, from_logits),       \
    grad_input)                                                                                            \
  /* --- indexing (index family: cpu/index_kernels.cpp, cuda/index.cu) --- */                              \
  /* All operands contiguous; int64 indices; `dim` normalised. A tensor is seen as (A, N, B) around dim    \
     (split_at_dim); an index is along the middle. An index outside [0, N) throws Error(Index) naming it,  \
     dim and N (CUDA: a device-side check read back at a sync, never a device assert); scatter and         \
     index_add check every index before writing (their destination is untouched), gather may have written \
     part of its fresh out (the CPU fuses the check into the copy).                                        \
     index_select: in (A, N, B), index (K), out (A, K, B); any dtype, in's = out's. */                      \
  X(index_select, (const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim),                 \
    (out, in, index, dim), out)                                                                            \
  /* out[a, k, b] = in[a, index[a, k, b], b]: out and index (A, K, B), in (A, N, B); any dtype. */         \
  X(gather, (const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim), (out, in, index, dim), \
    out)                                                                                                   \
  /* out[a, index[a, k, b], b] = src[a, k, b] (+= when accumulate): out (A, N, B), index and src           \
     (A, K, B), one dtype (accumulate: not bool). Duplicate indices without accumulate: the CPU writes in  \
     order (the last wins), CUDA leaves the winner unspecified, as PyTorch. */                             \
  X(scatter, (const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, bool accumulate),    \
    (out, index, src, dim, accumulate), out)                                                               \
  /* out[a, index[k], b] += alpha * src[a, k, b]: out (A, N, B), index (K), src (A, K, B), one dtype (not  \
     bool; alpha converted to it). */                                                                      \
  X(index_add, (const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, double alpha),     \
    (out, index, src, dim, alpha), out)                                                                    \
  /* The coordinates of the true elements of `in` (contiguous bool, any shape), in row-major order, into   \
     out (n, in.ndim) contiguous int64; n, the number of true elements, was counted by the caller. */      \
  X(nonzero, (const Tensor& out, const Tensor& in), (out, in), in)                                        \
  /* --- scans (scan family: cpu/scan_kernels.cpp, cuda/scan.cu; the line code is core/scan_lines.h) --- */ \
  /* out = cumulative sum (cumprod when `prod`) of `in` along dim, from the end when `reverse`. in and out \
     contiguous, one dtype: float32, float64 (accumulated in double) or int64 (wrapping). */               \
  X(cumulative, (const Tensor& out, const Tensor& in, int32_t dim, bool prod, bool reverse),               \
    (out, in, dim, prod, reverse), out)                                                                    \
  /* The grad of out = cumprod(in) along dim (PyTorch's formula, exact with zeros in `in`): all contiguous, \
     one floating dtype and shape. */                                                                      \
  X(cumprod_backward, (const Tensor& grad_in, const Tensor& grad_out, const Tensor& in, const Tensor& out,  \
                       int32_t dim), (grad_in, grad_out, in, out, dim), grad_in)                            \
  /* --- activations and linear (cpu/activation_kernels.cpp + linear_kernels.cpp, cuda/activations.cu +  \
     linear.cpp) --- */                                                                                   \
  /* out = op(a) with parameters p0, p1 (core/activation_math.h). out and a contiguous, one shape and one \
     floating dtype (in place allowed). */                                                                 \
  X(activation, (ActivationOp op, const Tensor& out, const Tensor& a, double p0, double p1),               \
    (op, out, a, p0, p1), out)                                                                             \
  /* grad_in = op's derivative at a times grad_out; all contiguous, one shape and floating dtype. */       \
  X(activation_backward, (ActivationOp op, const Tensor& grad_in, const Tensor& grad_out, const Tensor& a, \
                          double p0, double p1), (op, grad_in, grad_out, a, p0, p1), grad_in)              \
  /* out (M, N) contiguous = x (M, K) @ weight (N, K)^T + bias (N), one GEMM: out is filled with the      \
     broadcast bias and the GEMM accumulates into it (beta = 1; beta = 0 when bias is undefined). x and   \
     weight may have any 2-D strides (copied when BLAS cannot read them); one floating dtype throughout.   \
     K == 0 gives the bias (or zeros). */                                                                  \
  X(linear, (const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias),                \
    (out, x, weight, bias), out)                                                                           \
  /* --- sorting (sort family: cpu/sort_kernels.cpp, cuda/sort.cu; keys: Note [sort keys] in             \
     core/sort_keys.h) --- */                                                                              \
  /* Sorts every line of `in` (contiguous (A, N, B) around dim, any dtype) stably: values (same dtype)     \
     and indices (int64), both contiguous (A, N, B); values[a, j, b] = in[a, indices[a, j, b], b]. NaN is  \
     the largest value (last ascending, first descending), -0.0 equals +0.0, equal keys keep their order   \
     (descending too). Either output may be undefined (argsort: no values). */                            \
  X(sort, (const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim, bool descending),    \
    (values, indices, in, dim, descending), in)                                                            \
  /* The k largest (smallest) elements of every line: in contiguous (A, N, B), not bool; values and       \
     indices contiguous (A, k, B), 0 <= k <= N. Sorted (largest first / smallest first) when `sorted`,    \
     in an unspecified order otherwise. Ties: the CPU selects as PyTorch's CPU kernel does (the same       \
     libstdc++ selection on the same comparisons), CUDA the lowest indices first. */                       \
  X(topk, (const Tensor& values, const Tensor& indices, const Tensor& in, int64_t k, int32_t dim,          \
           bool largest, bool sorted), (values, indices, in, k, dim, largest, sorted), in)                 \
  /* --- optimizers (cpu/optim_kernels.cpp, cuda/optim.cu; element formulas in core/optim_math.h) --- */   \
  /* One fused SGD step over one parameter: param, grad and buf (undefined when momentum is 0) contiguous, \
     one shape, one floating dtype, one device; each element read once and written once. */               \
  X(sgd_step, (const Tensor& param, const Tensor& grad, const Tensor& buf, const SgdStepArgs& args),       \
    (param, grad, buf, args), param)                                                                       \
  /* One fused Adam/AdamW step over one parameter: param, grad, exp_avg, exp_avg_sq and (amsgrad only)     \
     max_exp_avg_sq contiguous, one shape, dtype and device; the step count is already in args. */         \
  X(adam_step, (const Tensor& param, const Tensor& grad, const Tensor& exp_avg, const Tensor& exp_avg_sq,   \
                const Tensor& max_exp_avg_sq, const AdamStepArgs& args),                                   \
    (param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, args), param)                                     \
  /* --- normalisation (norm family: cpu/norm_kernels.cpp, cuda/norm.cu) --- */                            \
  /* All operands contiguous, one floating dtype; weight and bias may be undefined (scale 1, shift 0);    \
     statistics are accumulated in double and saved in the input's dtype. A grad output (grad_in,          \
     grad_weight, grad_bias) may be undefined: not wanted.                                                 \
     layer_norm: in, out (M, N); mean, rstd (M); weight, bias (N); y = (x - mean) * rstd * w + b, rstd =   \
     1 / sqrt(biased var + eps), over each row. */                                                         \
  X(layer_norm_forward, (const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,      \
                         const Tensor& weight, const Tensor& bias, double eps),                            \
    (out, mean, rstd, in, weight, bias, eps), in)                                                          \
  X(layer_norm_backward, (const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,       \
                          const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd, \
                          const Tensor& weight),                                                           \
    (grad_in, grad_weight, grad_bias, grad_out, in, mean, rstd, weight), grad_out)                         \
  /* group_norm: in, out (N, C, S), C divisible by `groups`; mean, rstd (N, groups) over the C / groups    \
     channels of a group (contiguous); weight, bias (C), per channel. */                                   \
  X(group_norm_forward, (const Tensor& out, const Tensor& mean, const Tensor& rstd, const Tensor& in,      \
                         const Tensor& weight, const Tensor& bias, int64_t groups, double eps),            \
    (out, mean, rstd, in, weight, bias, groups, eps), in)                                                  \
  X(group_norm_backward, (const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,       \
                          const Tensor& grad_out, const Tensor& in, const Tensor& mean, const Tensor& rstd, \
                          const Tensor& weight, int64_t groups),                                           \
    (grad_in, grad_weight, grad_bias, grad_out, in, mean, rstd, weight, groups), grad_out)                 \
  /* batch_norm: in, out (N, C, S); save_mean, save_invstd (C); weight, bias, running_mean, running_var    \
     (C) (the running stats may be undefined when training). training: the batch's statistics over       \
     N * S >= 2 elements (ops refuse 1; 0 writes nothing), and the running stats updated in place as      \
     r = (1 - momentum) * r + momentum * s with the unbiased variance; eval: save_mean = running_mean,     \
     save_invstd = 1 / sqrt(running_var + eps). The backward's dx is the batch-statistics formula when    \
     training and g * w * invstd otherwise. */                                                             \
  X(batch_norm_forward, (const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd,            \
                         const Tensor& in, const Tensor& weight, const Tensor& bias,                       \
                         const Tensor& running_mean, const Tensor& running_var, bool training,             \
                         double momentum, double eps),                                                     \
    (out, save_mean, save_invstd, in, weight, bias, running_mean, running_var, training, momentum, eps),   \
    in)                                                                                                    \
  X(batch_norm_backward, (const Tensor& grad_in, const Tensor& grad_weight, const Tensor& grad_bias,       \
                          const Tensor& grad_out, const Tensor& in, const Tensor& save_mean,               \
                          const Tensor& save_invstd, const Tensor& weight, bool training),                 \
    (grad_in, grad_weight, grad_bias, grad_out, in, save_mean, save_invstd, weight, training), grad_out)     \
  /* --- pooling (cpu/pool_kernels.cpp, cuda/pool.cu; windows: core/pool_args.h) --- */                    \
  /* out (P, OH, OW) = the pool of `args.kind` over each of the P contiguous (H, W) planes of `in`; one    \
     floating dtype. Max pools also write indices (P, OH, OW) int64, each the plane-local flat index h*W+w \
     of the chosen element, unless `indices` is undefined. Sizes and window parameters in args. */        \
  X(pool2d, (const Tensor& out, const Tensor& indices, const Tensor& in, const Pool2dArgs& args),          \
    (out, indices, in, args), out)                                                                         \
  /* grad_in (P, H, W), freshly allocated and written whole = the grad of pool2d for grad_out (P, OH, OW);  \
     max pools add grad_out at `indices` (repeated places add), avg pools spread it over each window.    \
     All contiguous, one floating dtype. */                                                              \
  X(pool2d_backward, (const Tensor& grad_in, const Tensor& grad_out, const Tensor& indices,                \
                      const Pool2dArgs& args), (grad_in, grad_out, indices, args), grad_in) \
  /* --- convolution (cpu/conv_kernels.cpp, cuda/conv.cu; im2col + GEMM, docs/architecture.md) --- */      \
  /* out (N, O, OH, OW) = conv2d(input (N, C, H, W), weight (O, C/groups, KH, KW)) + bias (O) with the     \
     geometry of args; bias may be undefined. All contiguous, one floating dtype; OH, OW >= 1, N may be 0. */ \
  X(conv2d, (const Tensor& out, const Tensor& input, const Tensor& weight, const Tensor& bias,              \
             const ConvArgs& args), (out, input, weight, bias, args), out)                                 \
  /* grad_input (N, C, H, W) = the grad of conv2d's input for grad_out (N, O, OH, OW): overwritten. Also   \
     conv_transpose2d's forward (input as grad_out). Contiguous, one floating dtype. */                    \
  X(conv2d_backward_input, (const Tensor& grad_input, const Tensor& grad_out, const Tensor& weight,        \
                            const ConvArgs& args), (grad_input, grad_out, weight, args), grad_input)       \
  /* grad_weight (O, C/groups, KH, KW) = the grad of conv2d's weight for grad_out and input: overwritten. \
     Contiguous, one floating dtype. */                                                                    \
  X(conv2d_backward_weight, (const Tensor& grad_weight, const Tensor& grad_out, const Tensor& input,       \
                             const ConvArgs& args), (grad_weight, grad_out, input, args), grad_weight)

#define LT_BACKEND_PURE_VIRTUAL(name, params, args, operand) virtual void name params = 0;
// In a backend's namespace: the free function that implements the kernel (defined in a family file).
#define LT_BACKEND_DECLARE(name, params, args, operand) void name params;
// In a backend class that has `static void enter(const Tensor&)` (make the operand's device current) and
// a namespace alias `kernels` for its free functions.
#define LT_BACKEND_FORWARD(name, params, args, operand) \
  void name params override {                           \
    enter(operand);                                     \
    kernels::name args;                                 \
  }

class Backend {
 public:
  virtual ~Backend() = default;
  virtual Allocator& allocator(int32_t device_index) = 0;
  LT_BACKEND_KERNELS(LT_BACKEND_PURE_VIRTUAL)
};

// The backend for a device; throws Error(Device) when that device type is not available.
Backend& backend_for(Device device);
Backend& cpu_backend();
// Implemented in cuda/ (or by cuda/no_cuda.cpp): throws Error(Device) when CUDA is not usable.
Backend& cuda_backend();

}  // namespace lt
