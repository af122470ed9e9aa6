// gelu, softplus, leaky_relu, elu, clamp and linear on CUDA against the CPU on the same inputs: forward
// values (with inf and NaN in the activations' inputs) and the grads autograd computes on the GPU (the
// fused activation backward kernel, clamp's masks, linear's matmuls). Both backends evaluate the formulas
// of core/activation_math.h, so they differ only by the device's libm (a few ulps); linear's GEMM sums in
// another order (cuBLAS), hence its wider tolerance.
#include <functional>
#include <limits>

#include "test_cuda_util.h"

namespace {

constexpr double kElementUlps = 8;
constexpr double kGemmUlps = 4096;

using Forward = std::function<tensor_status(tensor**, const tensor*, bool on_cuda)>;

// f on x (CPU) and on x's CUDA copy: the outputs, then the grads of sum(out * weights) w.r.t. x.
void same_forward_and_grad(const char* what, const Forward& f, const tensor* x_cpu, double ulps, bool grads = true) {
  INFO(what);
  std::vector<Handle> outs, gs;
  for (bool cuda : {false, true}) {
    Handle x;
    if (cuda) x = to_cuda(x_cpu);
    else REQUIRE_OK(tensor_clone(x.out(), x_cpu));
    if (grads) REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle out;
    REQUIRE_OK(f(out.out(), x, cuda));
    if (grads) {
      Handle w_cpu = make_typed(tensor_get_dtype(out), shape_of(out), 99, false);
      Handle w = cuda ? to_cuda(w_cpu) : std::move(w_cpu);
      Handle prod, loss, g;
      REQUIRE_OK(tensor_mul(prod.out(), out, w));
      REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
      REQUIRE_OK(tensor_backward(loss, nullptr, false));
      REQUIRE_OK(tensor_grad(g.out(), x));
      REQUIRE(g.get() != nullptr);
      REQUIRE(tensor_get_device(g).type == (cuda ? TENSOR_CUDA : TENSOR_CPU));
      gs.push_back(cuda ? to_cpu(g) : std::move(g));
    }
    outs.push_back(cuda ? to_cpu(out) : std::move(out));
  }
  require_same(outs[1], outs[0], ulps);
  if (grads) require_same(gs[1], gs[0], ulps);
}

}  // namespace

TEST_CASE("cuda activations: gelu, softplus, leaky_relu, elu match the CPU, forward and grad") {
  const std::vector<std::pair<const char*, Forward>> ops = {
      {"gelu", [](tensor** o, const tensor* a, bool) { return tensor_gelu(o, a, false); }},
      {"gelu tanh", [](tensor** o, const tensor* a, bool) { return tensor_gelu(o, a, true); }},
      {"softplus", [](tensor** o, const tensor* a, bool) { return tensor_softplus(o, a, 1.0, 20.0); }},
      {"softplus beta 2 threshold 1", [](tensor** o, const tensor* a, bool) { return tensor_softplus(o, a, 2.0, 1.0); }},
      {"leaky_relu", [](tensor** o, const tensor* a, bool) { return tensor_leaky_relu(o, a, 0.01); }},
      {"elu", [](tensor** o, const tensor* a, bool) { return tensor_elu(o, a, 1.3); }},
      {"clamp_scalar", [](tensor** o, const tensor* a, bool) { return tensor_clamp_scalar(o, a, -1.5, 2.0); }},
  };
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    for (const auto& op : ops) {
      INFO("dtype " << dt);
      // Specials (inf, NaN) for the forward values; finite inputs for the grads.
      Handle special = make_typed(dt, {1000, 37}, 5, true);
      same_forward_and_grad(op.first, op.second, special, kElementUlps, false);
      Handle x = make_typed(dt, {257, 33}, 6, false);
      same_forward_and_grad(op.first, op.second, x, kElementUlps);
      Handle xt;
      REQUIRE_OK(tensor_transpose(xt.out(), x, 0, 1));
      same_forward_and_grad(op.first, op.second, xt, kElementUlps);
    }
  }
}

TEST_CASE("cuda activations: clamp with broadcast tensor bounds matches the CPU, grads of all three") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    Handle x = make_typed(dt, {64, 17}, 1, true);
    Handle lo = make_typed(dt, {17}, 2, true), hi = make_typed(dt, {64, 1}, 3, false);
    Handle lo_c = to_cuda(lo), hi_c = to_cuda(hi);
    same_forward_and_grad(
        "clamp tensors",
        [&](tensor** o, const tensor* a, bool cuda) { return tensor_clamp(o, a, cuda ? lo_c : lo, cuda ? hi_c : hi); },
        x, 0, false);
    Handle xf = make_typed(dt, {64, 17}, 4, false);
    same_forward_and_grad(
        "clamp tensors grad",
        [&](tensor** o, const tensor* a, bool cuda) { return tensor_clamp(o, a, cuda ? lo_c : lo, cuda ? hi_c : hi); },
        xf, 0);
    // The bounds' grads (ClampBackward0 gives them too), on each device.
    std::vector<Handle> glo, ghi;
    for (bool cuda : {false, true}) {
      Handle l = cuda ? to_cuda(lo) : to_cpu(lo), h = cuda ? to_cuda(hi) : to_cpu(hi), a = cuda ? to_cuda(xf) : to_cpu(xf);
      REQUIRE_OK(tensor_set_requires_grad(l, true));
      REQUIRE_OK(tensor_set_requires_grad(h, true));
      Handle out, s, gl, gh;
      REQUIRE_OK(tensor_clamp(out.out(), a, l, h));
      REQUIRE_OK(tensor_sum(s.out(), out, nullptr, 0, false));
      REQUIRE_OK(tensor_backward(s, nullptr, false));
      REQUIRE_OK(tensor_grad(gl.out(), l));
      REQUIRE_OK(tensor_grad(gh.out(), h));
      glo.push_back(to_cpu(gl));
      ghi.push_back(to_cpu(gh));
    }
    require_same(glo[1], glo[0], 0);
    require_same(ghi[1], ghi[0], 0);
  }
}

TEST_CASE("cuda activations: linear matches the CPU (bias fused, no bias, batch dims, transposed weight)") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    Handle w = make_typed(dt, {24, 40}, 8, false), b = make_typed(dt, {24}, 9, false);
    Handle w_c = to_cuda(w), b_c = to_cuda(b);
    Handle wt_src = make_typed(dt, {40, 24}, 10, false), wt, wt_c;
    REQUIRE_OK(tensor_transpose(wt.out(), wt_src, 0, 1));
    wt_c = to_cuda(wt_src);
    Handle wt_cv;
    REQUIRE_OK(tensor_transpose(wt_cv.out(), wt_c, 0, 1));
    for (const std::vector<int64_t>& shape : std::vector<std::vector<int64_t>>{{33, 40}, {3, 5, 40}, {40}, {0, 40}}) {
      Handle x = make_typed(dt, shape, 11, false);
      same_forward_and_grad(
          "linear bias", [&](tensor** o, const tensor* a, bool cuda) { return tensor_linear(o, a, cuda ? w_c : w, cuda ? b_c : b); },
          x, kGemmUlps);
      same_forward_and_grad(
          "linear no bias", [&](tensor** o, const tensor* a, bool cuda) { return tensor_linear(o, a, cuda ? w_c : w, nullptr); },
          x, kGemmUlps);
      same_forward_and_grad(
          "linear transposed weight",
          [&](tensor** o, const tensor* a, bool cuda) { return tensor_linear(o, a, cuda ? wt_cv : wt, cuda ? b_c : b); }, x,
          kGemmUlps);
    }
  }
}
