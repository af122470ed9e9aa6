// Table-driven gradcheck: every differentiable op's analytic grad against central differences in
// float64 (eps 1e-6, atol 1e-5, rtol 1e-3), with broadcast shapes and non-contiguous views. The rows of
// the elementwise op tables are generated from their definitions (core/op_kinds.h, sampled on each
// definition's test domain), so a new table op is gradchecked without a hand-written row.
#include <cmath>
#include <functional>
#include <random>

#include "core/op_table.h"
#include "test_util.h"

namespace {

using Inputs = std::vector<tensor*>;
using OpFn = std::function<tensor_status(tensor**, const Inputs&)>;

struct Domain {
  double lo = -2, hi = 2;
};
constexpr Domain kPositive{0.5, 2};  // log, sqrt, pow bases ...

struct GradCase {
  std::string name;
  std::vector<std::vector<int64_t>> shapes;
  OpFn fn;
  Domain domain{};         // input 0 is drawn from it
  Domain second_domain{};  // input 1 and later
};

Handle random_input(const std::vector<int64_t>& shape, Domain domain, std::mt19937& rng) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::uniform_real_distribution<double> d(domain.lo, domain.hi);
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = d(rng);
  Handle h = make<double>(v, shape);
  REQUIRE_OK(tensor_set_requires_grad(h, true));
  return h;
}

double weighted_sum(const tensor* out, const std::vector<double>& w) {
  std::vector<double> v = values<double>(out);
  double s = 0;
  for (size_t i = 0; i < v.size(); ++i) s += v[i] * w[i];
  return s;
}

void gradcheck(const GradCase& c) {
  INFO("op: " << c.name);
  std::mt19937 rng(1234);
  std::vector<Handle> owned;
  Inputs in;
  for (const auto& s : c.shapes) {
    owned.push_back(random_input(s, owned.empty() ? c.domain : c.second_domain, rng));
    in.push_back(owned.back().get());
  }
  Handle out;
  REQUIRE_OK(c.fn(out.out(), in));
  REQUIRE(tensor_requires_grad(out));
  std::vector<double> w(static_cast<size_t>(tensor_numel(out)));
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  for (double& x : w) x = d(rng);
  Handle wt = make<double>(w, shape_of(out));
  Handle wt64;
  REQUIRE_OK(tensor_to_dtype(wt64.out(), wt, tensor_get_dtype(out)));
  REQUIRE_OK(tensor_backward(out, wt64, false));

  const double eps = 1e-6;
  bool prev = tensor_set_grad_enabled(false);
  for (size_t k = 0; k < in.size(); ++k) {
    Handle g;
    REQUIRE_OK(tensor_grad(g.out(), in[k]));
    REQUIRE(g.get() != nullptr);
    REQUIRE(shape_of(g) == shape_of(in[k]));
    std::vector<double> analytic = values<double>(g);
    double* data = static_cast<double*>(const_cast<void*>(tensor_data(in[k])));
    for (size_t i = 0; i < analytic.size(); ++i) {
      double saved = data[i];
      // Read each result before touching the input again: view ops return aliases of it.
      Handle plus, minus;
      data[i] = saved + eps;
      REQUIRE_OK(c.fn(plus.out(), in));
      double f_plus = weighted_sum(plus, w);
      data[i] = saved - eps;
      REQUIRE_OK(c.fn(minus.out(), in));
      double f_minus = weighted_sum(minus, w);
      data[i] = saved;
      double numeric = (f_plus - f_minus) / (2 * eps);
      INFO("input " << k << " element " << i << ": analytic " << analytic[i] << " numeric " << numeric);
      CHECK(std::fabs(analytic[i] - numeric) <= 1e-5 + 1e-3 * std::fabs(numeric));
    }
  }
  tensor_set_grad_enabled(prev);
}

// Shorthands for building cases.
OpFn binary(tensor_status (*f)(tensor**, const tensor*, const tensor*)) {
  return [f](tensor** o, const Inputs& x) { return f(o, x[0], x[1]); };
}
OpFn unary(tensor_status (*f)(tensor**, const tensor*)) {
  return [f](tensor** o, const Inputs& x) { return f(o, x[0]); };
}
OpFn scalar(tensor_status (*f)(tensor**, const tensor*, double), double s) {
  return [f, s](tensor** o, const Inputs& x) { return f(o, x[0], s); };
}
// Applies `f` to a transposed (non-contiguous) view of input 0.
OpFn on_transposed(OpFn f) {
  return [f](tensor** o, const Inputs& x) {
    Handle t;
    tensor_status st = tensor_transpose(t.out(), x[0], 0, 1);
    if (st != TENSOR_OK) return st;
    Inputs y = x;
    y[0] = t.get();
    return f(o, y);
  };
}

// Every op of the tables with a grad formula (Grad::Formula), on its definition's domain: unary on (2, 3), binary with
// broadcasting, scalar forms with a scalar from the middle of the second operand's domain.
std::vector<GradCase> table_cases() {
  std::vector<GradCase> out;
#define LT_ROW(name, Enum)                                                                       \
  {                                                                                              \
    using Def = lt::UnaryDef<lt::UnaryOp::Enum>;                                                 \
    if (Def::grads == lt::Grad::Formula) out.push_back({#name, {{2, 3}}, unary(tensor_##name), {Def::lo, Def::hi}}); \
  }
  LT_UNARY_OPS(LT_ROW)
#undef LT_ROW
#define LT_ROW(name, Enum)                                                                          \
  {                                                                                                 \
    using Def = lt::BinaryDef<lt::BinaryOp::Enum>;                                                  \
    if (Def::grads == lt::Grad::Formula)                                                            \
      out.push_back({#name, {{2, 3}, {3}}, binary(tensor_##name), {Def::a_lo, Def::a_hi}, {Def::b_lo, Def::b_hi}}); \
  }
  LT_BINARY_OPS(LT_ROW)
#undef LT_ROW
#define LT_ROW(name, Enum)                                                                           \
  {                                                                                                  \
    using Def = lt::BinaryDef<lt::BinaryOp::Enum>;                                                   \
    const double s = 0.5 * (Def::b_lo + Def::b_hi) + 0.25;                                           \
    out.push_back({#name "_scalar", {{2, 2}}, scalar(tensor_##name##_scalar, s), {Def::a_lo, Def::a_hi}}); \
  }
  LT_SCALAR_OPS(LT_ROW)
#undef LT_ROW
  return out;
}

const std::vector<GradCase>& cases() {
  static const std::vector<GradCase> all = [] {
  std::vector<GradCase> rows = table_cases();
  std::vector<GradCase> hand = {
      {"mul (transposed input)", {{3, 2}, {3}}, on_transposed(binary(tensor_mul))},
      {"pow_scalar fractional", {{3}}, scalar(tensor_pow_scalar, 0.5), kPositive},
      {"exp (transposed input)", {{3, 2}}, on_transposed(unary(tensor_exp))},
      {"where", {{2, 3}, {3}},
       [](tensor** o, const Inputs& x) {
         Handle c = make<bool>({true, false, true, false, false, true}, {2, 3});
         return tensor_where(o, c, x[0], x[1]);
       }},
      // shape ops and views
      {"reshape", {{2, 3}}, [](tensor** o, const Inputs& x) { int64_t s[] = {3, -1}; return tensor_reshape(o, x[0], s, 2); }},
      {"reshape (copying)", {{3, 2}},
       on_transposed([](tensor** o, const Inputs& x) { int64_t s[] = {6}; return tensor_reshape(o, x[0], s, 1); })},
      {"permute", {{2, 3, 2}}, [](tensor** o, const Inputs& x) { int32_t d[] = {2, 0, 1}; return tensor_permute(o, x[0], d, 3); }},
      {"transpose", {{2, 3}}, [](tensor** o, const Inputs& x) { return tensor_transpose(o, x[0], 0, 1); }},
      {"expand", {{3, 1}}, [](tensor** o, const Inputs& x) { int64_t s[] = {2, 3, 4}; return tensor_expand(o, x[0], s, 3); }},
      {"squeeze", {{2, 1, 3}}, [](tensor** o, const Inputs& x) { return tensor_squeeze(o, x[0], 1); }},
      {"unsqueeze", {{2, 3}}, [](tensor** o, const Inputs& x) { return tensor_unsqueeze(o, x[0], 1); }},
      {"slice", {{7, 2}}, [](tensor** o, const Inputs& x) { return tensor_slice(o, x[0], 0, 1, 6, 2); }},
      {"select", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_select(o, x[0], 1, -2); }},
      {"contiguous", {{3, 2}}, on_transposed(unary(tensor_contiguous))},
      {"clone", {{2, 2}}, unary(tensor_clone)},
      {"cat", {{2, 3}, {1, 3}}, [](tensor** o, const Inputs& x) { const tensor* l[] = {x[0], x[1]}; return tensor_cat(o, l, 2, 0); }},
      {"stack", {{2, 3}, {2, 3}}, [](tensor** o, const Inputs& x) { const tensor* l[] = {x[0], x[1]}; return tensor_stack(o, l, 2, 2); }},
      {"to_dtype", {{2, 2}},
       [](tensor** o, const Inputs& x) {
         Handle h;  // float64 -> float64 through a float64 op chain (identity cast keeps precision)
         tensor_status st = tensor_to_dtype(h.out(), x[0], TENSOR_FLOAT64);
         if (st != TENSOR_OK) return st;
         return tensor_mul_scalar(o, h, 2.0);
       }},
      // reductions
      {"sum all", {{2, 3}}, [](tensor** o, const Inputs& x) { return tensor_sum(o, x[0], nullptr, 0, false); }},
      {"sum dims", {{2, 3, 4}}, [](tensor** o, const Inputs& x) { int32_t d[] = {0, -1}; return tensor_sum(o, x[0], d, 2, false); }},
      {"mean keepdim", {{2, 3}}, [](tensor** o, const Inputs& x) { int32_t d[] = {1}; return tensor_mean(o, x[0], d, 1, true); }},
      {"prod", {{2, 3}}, [](tensor** o, const Inputs& x) { int32_t d[] = {1}; return tensor_prod(o, x[0], d, 1, false); }},
      {"var", {{3, 4}}, [](tensor** o, const Inputs& x) { int32_t d[] = {1}; return tensor_var(o, x[0], d, 1, 1, false); }},
      {"std", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_std(o, x[0], nullptr, 0, 1, false); }},
      {"max all", {{2, 3}}, unary(tensor_max)},
      {"min all", {{2, 3}}, unary(tensor_min)},
      {"max dim", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle idx;
         return tensor_max_dim(o, idx.out(), x[0], 1, false);
       }},
      {"min dim (transposed)", {{4, 3}},
       on_transposed([](tensor** o, const Inputs& x) {
         Handle idx;
         return tensor_min_dim(o, idx.out(), x[0], 0, true);
       })},
      // matmul in all its shapes
      {"matmul 2-D", {{2, 3}, {3, 4}}, binary(tensor_matmul)},
      {"matmul dot", {{3}, {3}}, binary(tensor_matmul)},
      {"matmul mat-vec", {{2, 3}, {3}}, binary(tensor_matmul)},
      {"matmul vec-mat", {{3}, {3, 2}}, binary(tensor_matmul)},
      {"matmul batched broadcast", {{2, 1, 2, 3}, {3, 3, 2}}, binary(tensor_matmul)},
      {"matmul transposed", {{3, 2}, {3, 2}}, on_transposed(binary(tensor_matmul))},
      // softmax and losses
      {"softmax last dim", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_softmax(o, x[0], -1); }},
      {"softmax inner dim", {{2, 3, 4}}, [](tensor** o, const Inputs& x) { return tensor_softmax(o, x[0], 1); }},
      {"log_softmax (transposed)", {{3, 4}}, on_transposed([](tensor** o, const Inputs& x) { return tensor_log_softmax(o, x[0], 1); })},
      {"log_softmax dim 0", {{3, 2, 2}}, [](tensor** o, const Inputs& x) { return tensor_log_softmax(o, x[0], 0); }},
      {"logsumexp dims", {{2, 3, 4}}, [](tensor** o, const Inputs& x) { int32_t d[] = {0, 2}; return tensor_logsumexp(o, x[0], d, 2, false); }},
      {"cross_entropy weight ignore smoothing", {{4, 5}},
       [](tensor** o, const Inputs& x) {
         Handle t = make<int64_t>({1, -100, 4, 0}, {4});
         Handle w = make<double>({0.5, 1.0, 2.0, 1.5, 0.7}, {5});
         return tensor_cross_entropy(o, x[0], t, w, -100, 0.2, TENSOR_REDUCTION_MEAN);
       }},
      {"cross_entropy spatial none", {{2, 3, 2}},
       [](tensor** o, const Inputs& x) {
         Handle t = make<int64_t>({0, 2, 1, 1}, {2, 2});
         return tensor_cross_entropy(o, x[0], t, nullptr, -100, 0.0, TENSOR_REDUCTION_NONE);
       }},
      {"cross_entropy probabilities", {{3, 4}, {3, 4}},
       [](tensor** o, const Inputs& x) { return tensor_cross_entropy(o, x[0], x[1], nullptr, -100, 0.1, TENSOR_REDUCTION_SUM); }},
      {"nll_loss weight sum", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle t = make<int64_t>({3, 0, 2}, {3});
         Handle w = make<double>({0.5, 1.0, 2.0, 1.5}, {4});
         return tensor_nll_loss(o, x[0], t, w, -100, TENSOR_REDUCTION_SUM);
       }},
      {"mse_loss mean", {{2, 3}, {2, 3}}, [](tensor** o, const Inputs& x) { return tensor_mse_loss(o, x[0], x[1], TENSOR_REDUCTION_MEAN); }},
      {"l1_loss none", {{2, 3}, {2, 3}}, [](tensor** o, const Inputs& x) { return tensor_l1_loss(o, x[0], x[1], TENSOR_REDUCTION_NONE); }},
      {"smooth_l1_loss beta 0.7", {{2, 3}, {2, 3}},
       [](tensor** o, const Inputs& x) { return tensor_smooth_l1_loss(o, x[0], x[1], 0.7, TENSOR_REDUCTION_SUM); }},
      {"binary_cross_entropy_with_logits weight pos_weight", {{2, 3}, {2, 3}},
       [](tensor** o, const Inputs& x) {
         Handle w = make<double>({0.5, 1.0, 2.0}, {3});
         Handle pw = make<double>({3.0, 0.5, 1.0}, {3});
         return tensor_binary_cross_entropy_with_logits(o, x[0], x[1], w, pw, TENSOR_REDUCTION_MEAN);
       }},
      // indexing (repeated indices, so the accumulating grads are exercised)
      {"index_select dim -1", {{3, 4}},
       [](tensor** o, const Inputs& x) { Handle i = make<int64_t>({3, 0, 3}, {3}); return tensor_index_select(o, x[0], -1, i); }},
      {"gather dim 0 (smaller index)", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({2, 0, 2, 1, 1, 1}, {2, 3});
         return tensor_gather(o, x[0], 0, i);
       }},
      {"scatter (self and src)", {{3, 4}, {2, 4}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({0, 1, 2, 0, 2, 2, 0, 1}, {2, 4});
         return tensor_scatter(o, x[0], 0, i, x[1]);
       }},
      {"scatter_add (self and src)", {{3, 4}, {3, 2}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({3, 3, 0, 1, 2, 2}, {3, 2});
         return tensor_scatter_add(o, x[0], 1, i, x[1]);
       }},
      {"index_add_ alpha (self and src)", {{4, 3}, {3, 3}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({1, 3, 1}, {3});
         tensor_status st = tensor_clone(o, x[0]);
         return st != TENSOR_OK ? st : tensor_index_add_(*o, 0, i, x[1], -0.5);
       }},
      {"masked_fill (mask broadcast)", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle m = make<bool>({true, false, false, true}, {4});
         return tensor_masked_fill(o, x[0], m, 0.25);
       }},
      {"masked_fill (input broadcast)", {{4}},
       [](tensor** o, const Inputs& x) {
         Handle m = make<bool>({true, false, false, true, false, true, true, false}, {2, 4});
         return tensor_masked_fill(o, x[0], m, -1.0);
       }},
      {"masked_select (input broadcast)", {{3}},
       [](tensor** o, const Inputs& x) {
         Handle m = make<bool>({true, false, true, true, true, false}, {2, 3});
         return tensor_masked_select(o, x[0], m);
       }},
      {"cumsum dim 1", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_cumsum(o, x[0], 1); }},
      {"cumsum dim -3 (transposed)", {{2, 3, 2}}, [](tensor** o, const Inputs& x) { return tensor_cumsum(o, x[0], -3); }},
      {"cumprod dim 0", {{4, 3}}, [](tensor** o, const Inputs& x) { return tensor_cumprod(o, x[0], 0); }},
      {"cumprod last dim", {{2, 5}}, [](tensor** o, const Inputs& x) { return tensor_cumprod(o, x[0], -1); }},
      {"sort dim 1 descending", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle i;
         return tensor_sort(o, i.out(), x[0], 1, true, true);
       }},
      {"sort dim -3 (3-D)", {{3, 2, 2}},
       [](tensor** o, const Inputs& x) {
         Handle i;
         return tensor_sort(o, i.out(), x[0], -3, false, false);
       }},
      {"topk k 2 largest dim 1", {{3, 5}},
       [](tensor** o, const Inputs& x) {
         Handle i;
         return tensor_topk(o, i.out(), x[0], 2, 1, true, true);
       }},
      {"topk k 3 smallest unsorted dim 0", {{4, 3}},
       [](tensor** o, const Inputs& x) {
         Handle i;
         return tensor_topk(o, i.out(), x[0], 3, 0, false, false);
       }},
      // activations, clamp and linear
      {"gelu exact", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_gelu(o, x[0], false); }},
      {"gelu tanh (transposed)", {{3, 4}}, on_transposed([](tensor** o, const Inputs& x) { return tensor_gelu(o, x[0], true); })},
      {"softplus beta 2 threshold 1", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_softplus(o, x[0], 2.0, 1.0); }},
      {"softplus default", {{5}}, [](tensor** o, const Inputs& x) { return tensor_softplus(o, x[0], 1.0, 20.0); }},
      {"leaky_relu 0.2", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_leaky_relu(o, x[0], 0.2); }},
      {"elu alpha 1.5", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_elu(o, x[0], 1.5); }},
      {"clamp_scalar both", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_clamp_scalar(o, x[0], -0.7, 0.9); }},
      {"clamp_scalar min only", {{3, 4}}, [](tensor** o, const Inputs& x) { return tensor_clamp_scalar(o, x[0], -0.3, INFINITY); }},
      {"clamp tensors broadcast", {{3, 4}, {4}, {3, 1}},
       [](tensor** o, const Inputs& x) { return tensor_clamp(o, x[0], x[1], x[2]); }},
      {"clamp tensor max only", {{3, 4}, {3, 4}}, [](tensor** o, const Inputs& x) { return tensor_clamp(o, x[0], nullptr, x[1]); }},
      {"linear bias", {{3, 4}, {5, 4}, {5}}, [](tensor** o, const Inputs& x) { return tensor_linear(o, x[0], x[1], x[2]); }},
      {"linear no bias 3-D", {{2, 3, 4}, {5, 4}}, [](tensor** o, const Inputs& x) { return tensor_linear(o, x[0], x[1], nullptr); }},
      {"linear 1-D input", {{4}, {3, 4}, {3}}, [](tensor** o, const Inputs& x) { return tensor_linear(o, x[0], x[1], x[2]); }},
      // random: dropout with a fixed mask (reseeded before every evaluation)
      {"dropout p 0.4 (fixed mask)", {{4, 5}},
       [](tensor** o, const Inputs& x) {
         tensor_manual_seed(4242);
         return tensor_dropout(o, x[0], 0.4, true);
       }},
      {"linear (transposed)", {{4, 3}, {3, 4}, {3}},
       on_transposed([](tensor** o, const Inputs& x) { return tensor_linear(o, x[0], x[1], x[2]); })},
      // advanced indexing (repeated indices; separated indexed dims; a mask; index_put_ both modes)
      {"index rows (repeated)", {{4, 3}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({3, 0, -1}, {3});
         const tensor* ix[] = {i};
         return tensor_index(o, x[0], ix, 1);
       }},
      {"index a[i, :, j] (transposed)", {{3, 2, 4}},
       on_transposed([](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({1, 0, 1}, {3});
         Handle j = make<int64_t>({0, 1, 0}, {3});
         const tensor* ix[] = {i, nullptr, j};
         return tensor_index(o, x[0], ix, 3);
       })},
      {"index mask", {{3, 4}},
       [](tensor** o, const Inputs& x) {
         Handle m = make<bool>({true, false, false, true, false, true, true, false, false, false, true, true}, {3, 4});
         const tensor* ix[] = {m};
         return tensor_index(o, x[0], ix, 1);
       }},
      {"index_put_ (self and broadcast values)", {{4, 3}, {3}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({2, 0}, {2});
         const tensor* ix[] = {i};
         tensor_status st = tensor_clone(o, x[0]);
         return st != TENSOR_OK ? st : tensor_index_put_(*o, ix, 1, x[1], false);
       }},
      {"index_put_ accumulate (self and values)", {{4, 3}, {3, 2}},
       [](tensor** o, const Inputs& x) {
         Handle i = make<int64_t>({1, 3, 1}, {3, 1});  // (3, 1) with (2): a (3, 2) result, rows repeated
         Handle j = make<int64_t>({0, 2}, {2});
         const tensor* ix[] = {i, j};
         tensor_status st = tensor_clone(o, x[0]);
         return st != TENSOR_OK ? st : tensor_index_put_(*o, ix, 2, x[1], true);
       }},
      // normalisation layers (input, weight and bias; batch statistics when training, running ones in eval)
      {"batch_norm training (weight, bias)", {{4, 3, 2}, {3}, {3}},
       [](tensor** o, const Inputs& x) { return tensor_batch_norm(o, x[0], x[1], x[2], nullptr, nullptr, true, 0.1, 1e-5); }},
      {"batch_norm training 2-D, no affine", {{5, 3}},
       [](tensor** o, const Inputs& x) { return tensor_batch_norm(o, x[0], nullptr, nullptr, nullptr, nullptr, true, 0.1, 1e-5); }},
      {"batch_norm eval (running stats)", {{3, 2, 2}, {2}, {2}},
       [](tensor** o, const Inputs& x) {
         Handle rm = make<double>({0.3, -0.2}, {2}), rv = make<double>({1.5, 0.7}, {2});
         return tensor_batch_norm(o, x[0], x[1], x[2], rm, rv, false, 0.1, 1e-5);
       }},
      {"layer_norm over 2 dims (weight, bias)", {{3, 2, 4}, {2, 4}, {2, 4}},
       [](tensor** o, const Inputs& x) { int64_t s[] = {2, 4}; return tensor_layer_norm(o, x[0], s, 2, x[1], x[2], 1e-5); }},
      {"layer_norm no affine (transposed)", {{5, 3}},
       on_transposed([](tensor** o, const Inputs& x) { int64_t s[] = {5}; return tensor_layer_norm(o, x[0], s, 1, nullptr, nullptr, 1e-5); })},
      {"group_norm (weight, bias)", {{2, 4, 3}, {4}, {4}},
       [](tensor** o, const Inputs& x) { return tensor_group_norm(o, x[0], 2, x[1], x[2], 1e-5); }},
      {"group_norm one group, no affine", {{3, 2, 2, 2}},
       [](tensor** o, const Inputs& x) { return tensor_group_norm(o, x[0], 1, nullptr, nullptr, 1e-5); }},
      // convolutions (input, weight and bias; strides, paddings, dilations, groups, output_padding)
      {"conv2d stride 2, padding 1 (weight, bias)", {{2, 2, 5, 5}, {3, 2, 3, 3}, {3}},
       [](tensor** o, const Inputs& x) {
         int64_t s[] = {2, 2}, p[] = {1, 1};
         return tensor_conv2d(o, x[0], x[1], x[2], s, p, nullptr, 1);
       }},
      {"conv2d dilation 2, padding (1, 0), no bias", {{1, 2, 6, 5}, {2, 2, 2, 2}},
       [](tensor** o, const Inputs& x) {
         int64_t p[] = {1, 0}, d[] = {2, 2};
         return tensor_conv2d(o, x[0], x[1], nullptr, nullptr, p, d, 1);
       }},
      {"conv2d groups 2, stride (1, 2)", {{2, 4, 4, 5}, {4, 2, 3, 2}, {4}},
       [](tensor** o, const Inputs& x) {
         int64_t s[] = {1, 2};
         return tensor_conv2d(o, x[0], x[1], x[2], s, nullptr, nullptr, 2);
       }},
      {"conv2d depthwise, padding 1", {{2, 3, 4, 4}, {3, 1, 3, 3}, {3}},
       [](tensor** o, const Inputs& x) {
         int64_t p[] = {1, 1};
         return tensor_conv2d(o, x[0], x[1], x[2], nullptr, p, nullptr, 3);
       }},
      {"conv2d 1x1 (transposed input)", {{2, 3, 3, 3}, {4, 2, 1, 1}, {4}},
       on_transposed([](tensor** o, const Inputs& x) {
         return tensor_conv2d(o, x[0], x[1], x[2], nullptr, nullptr, nullptr, 1);
       })},
      {"conv2d unbatched, no bias", {{2, 4, 4}, {3, 2, 2, 2}},
       [](tensor** o, const Inputs& x) { return tensor_conv2d(o, x[0], x[1], nullptr, nullptr, nullptr, nullptr, 1); }},
      {"conv1d stride 2, padding 1, dilation 2, groups 2", {{2, 4, 9}, {6, 2, 3}, {6}},
       [](tensor** o, const Inputs& x) {
         int64_t s[] = {2}, p[] = {1}, d[] = {2};
         return tensor_conv1d(o, x[0], x[1], x[2], s, p, d, 2);
       }},
      {"conv1d unbatched, no bias", {{3, 6}, {2, 3, 2}},
       [](tensor** o, const Inputs& x) { return tensor_conv1d(o, x[0], x[1], nullptr, nullptr, nullptr, nullptr, 1); }},
      {"conv_transpose2d stride 2, padding 1, output_padding 1", {{2, 2, 3, 3}, {2, 3, 3, 3}, {3}},
       [](tensor** o, const Inputs& x) {
         int64_t s[] = {2, 2}, p[] = {1, 1}, op[] = {1, 1};
         return tensor_conv_transpose2d(o, x[0], x[1], x[2], s, p, op, nullptr, 1);
       }},
      {"conv_transpose2d groups 2, dilation 2, output_padding (1, 0)", {{1, 4, 3, 3}, {4, 1, 2, 2}, {2}},
       [](tensor** o, const Inputs& x) {
         int64_t s[] = {1, 2}, op[] = {1, 0}, d[] = {2, 1};
         return tensor_conv_transpose2d(o, x[0], x[1], x[2], s, nullptr, op, d, 2);
       }},
      // pooling, embedding and pad (max pools on random inputs: no ties within eps)
      {"max_pool2d 2x2", {{2, 3, 4, 5}},
       [](tensor** o, const Inputs& x) { int64_t k[] = {2, 2}; return tensor_max_pool2d(o, nullptr, x[0], k, nullptr, nullptr, nullptr, false); }},
      {"max_pool2d 3x3 stride 2 pad 1 dilation 2 ceil (transposed)", {{6, 7, 2}},
       on_transposed([](tensor** o, const Inputs& x) {
         int64_t k[] = {3, 3}, s[] = {2, 2}, p[] = {1, 1}, d[] = {2, 2};
         return tensor_max_pool2d(o, nullptr, x[0], k, s, p, d, true);
       })},
      {"avg_pool2d 3x2 stride 1 pad 1 count_include_pad", {{2, 2, 4, 5}},
       [](tensor** o, const Inputs& x) { int64_t k[] = {3, 2}, s[] = {1, 1}, p[] = {1, 1}; return tensor_avg_pool2d(o, x[0], k, s, p, false, true); }},
      {"avg_pool2d 3x3 stride 2 pad 1 ceil, padding not counted", {{1, 2, 5, 6}},
       [](tensor** o, const Inputs& x) { int64_t k[] = {3, 3}, s[] = {2, 2}, p[] = {1, 1}; return tensor_avg_pool2d(o, x[0], k, s, p, true, false); }},
      {"adaptive_avg_pool2d 7x5 -> 3x4", {{2, 3, 7, 5}},
       [](tensor** o, const Inputs& x) { int64_t s[] = {3, 4}; return tensor_adaptive_avg_pool2d(o, x[0], s); }},
      {"embedding (repeated indices)", {{4, 3}},
       [](tensor** o, const Inputs& x) { Handle i = make<int64_t>({3, 0, 3, 1, 3, 0}, {2, 3}); return tensor_embedding(o, x[0], i); }},
      {"pad mixed positive and negative over 2 dims", {{3, 4, 5}},
       [](tensor** o, const Inputs& x) { int64_t p[] = {2, -1, -1, 2}; return tensor_pad(o, x[0], p, 4, 0.5); }},
  };
  rows.insert(rows.end(), hand.begin(), hand.end());
  return rows;
  }();
  return all;
}

}  // namespace

TEST_CASE("gradcheck: every differentiable op against central differences") {
  for (const GradCase& c : cases()) {
    SECTION(c.name) { gradcheck(c); }
  }
}

TEST_CASE("gradcheck: prod with zeros in the input (one zero, two zeros)") {
  for (auto v : {std::vector<double>{2, 0, 3, 4}, std::vector<double>{0, 5, 0, 2}}) {
    Handle x = make<double>(v, {4});
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle p, g;
    REQUIRE_OK(tensor_prod(p.out(), x, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(p, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    std::vector<double> want(4);
    for (size_t i = 0; i < 4; ++i) {
      double prod_others = 1;
      for (size_t j = 0; j < 4; ++j)
        if (j != i) prod_others *= v[j];
      want[i] = prod_others;
    }
    CHECK(values<double>(g) == want);
  }
}

TEST_CASE("gradcheck: cumprod with zeros in the input (none, one, two; PyTorch's formula)") {
  for (auto v : {std::vector<double>{2, 0.5, 3, 4}, std::vector<double>{2, 0, 3, 4}, std::vector<double>{0, 5, 0, 2},
                 std::vector<double>{1.5, 2, 3, 0}}) {
    Handle x = make<double>(v, {4});
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle p, s, g;
    REQUIRE_OK(tensor_cumprod(p.out(), x, 0));
    REQUIRE_OK(tensor_sum(s.out(), p, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    // d/dx_j sum_i prod_{t <= i} x_t = sum_{i >= j} prod_{t <= i, t != j} x_t
    std::vector<double> want(4, 0.0);
    for (size_t j = 0; j < 4; ++j)
      for (size_t i = j; i < 4; ++i) {
        double p_ij = 1;
        for (size_t t = 0; t <= i; ++t)
          if (t != j) p_ij *= v[t];
        want[j] += p_ij;
      }
    std::vector<double> got = values<double>(g);
    for (size_t j = 0; j < 4; ++j) CHECK(got[j] == Approx(want[j]).margin(1e-12));
  }
}
