// batch_norm, layer_norm and group_norm on CUDA against the CPU on the same inputs: forward values, the
// running stats after several training steps, and the grads of input, weight and bias. Both backends
// accumulate the statistics in double but in another order, so results agree to a few hundred ulps of
// the element type (a normalised value carries the relative error of rstd times |x - mean| * rstd).
#include <functional>

#include "test_cuda_util.h"

namespace {

constexpr double kUlps = 512;

// Runs f on (x, w, b) on the CPU and on CUDA; compares outputs and the grads of sum(out * r).
using NormFn = std::function<tensor_status(tensor**, const tensor* x, const tensor* w, const tensor* b, bool cuda)>;

void same_norm(const char* what, const NormFn& f, const tensor* x_cpu, const tensor* w_cpu, const tensor* b_cpu) {
  INFO(what);
  std::vector<Handle> outs, gx, gw, gb;
  for (bool cuda : {false, true}) {
    Handle x, w, b;
    if (cuda) {
      x = to_cuda(x_cpu);
      w = to_cuda(w_cpu);
      b = to_cuda(b_cpu);
    } else {
      REQUIRE_OK(tensor_clone(x.out(), x_cpu));
      REQUIRE_OK(tensor_clone(w.out(), w_cpu));
      REQUIRE_OK(tensor_clone(b.out(), b_cpu));
    }
    for (tensor* t : {x.get(), w.get(), b.get()}) REQUIRE_OK(tensor_set_requires_grad(t, true));
    Handle out;
    REQUIRE_OK(f(out.out(), x, w, b, cuda));
    Handle r_cpu = make_typed(tensor_get_dtype(out), shape_of(out), 77, false);
    Handle r = cuda ? to_cuda(r_cpu) : std::move(r_cpu);
    Handle prod, loss;
    REQUIRE_OK(tensor_mul(prod.out(), out, r));
    REQUIRE_OK(tensor_sum(loss.out(), prod, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(loss, nullptr, false));
    auto grab = [&](std::vector<Handle>& into, const tensor* t) {
      Handle g;
      REQUIRE_OK(tensor_grad(g.out(), t));
      REQUIRE(g.get() != nullptr);
      into.push_back(cuda ? to_cpu(g) : std::move(g));
    };
    grab(gx, x);
    grab(gw, w);
    grab(gb, b);
    outs.push_back(cuda ? to_cpu(out) : std::move(out));
  }
  require_same(outs[1], outs[0], kUlps);
  require_same(gx[1], gx[0], kUlps);
  require_same(gw[1], gw[0], kUlps);
  require_same(gb[1], gb[0], kUlps);
}

}  // namespace

TEST_CASE("cuda norm: layer_norm, group_norm, batch_norm match the CPU, forward and grads") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    INFO("dtype " << dt);
    Handle x = make_typed(dt, {6, 8, 5, 7}, 3, false);
    Handle xt;
    REQUIRE_OK(tensor_transpose(xt.out(), x, 2, 3));  // non-contiguous
    Handle w7 = make_typed(dt, {7}, 4, false), b7 = make_typed(dt, {7}, 5, false);
    Handle w8 = make_typed(dt, {8}, 6, false), b8 = make_typed(dt, {8}, 7, false);
    Handle w57 = make_typed(dt, {5, 7}, 8, false), b57 = make_typed(dt, {5, 7}, 9, false);
    same_norm(
        "layer_norm last dim",
        [](tensor** o, const tensor* a, const tensor* w, const tensor* b, bool) {
          int64_t s[] = {7};
          return tensor_layer_norm(o, a, s, 1, w, b, 1e-5);
        },
        x, w7, b7);
    same_norm(
        "layer_norm two dims",
        [](tensor** o, const tensor* a, const tensor* w, const tensor* b, bool) {
          int64_t s[] = {5, 7};
          return tensor_layer_norm(o, a, s, 2, w, b, 1e-5);
        },
        x, w57, b57);
    same_norm(
        "group_norm 4 groups",
        [](tensor** o, const tensor* a, const tensor* w, const tensor* b, bool) {
          return tensor_group_norm(o, a, 4, w, b, 1e-5);
        },
        xt, w8, b8);
    same_norm(
        "batch_norm training",
        [](tensor** o, const tensor* a, const tensor* w, const tensor* b, bool) {
          return tensor_batch_norm(o, a, w, b, nullptr, nullptr, true, 0.1, 1e-5);
        },
        xt, w8, b8);
    Handle rm_cpu = make_typed(dt, {8}, 10, false), rv0 = make_typed(dt, {8}, 11, false), rv_cpu;
    REQUIRE_OK(tensor_abs(rv_cpu.out(), rv0));
    same_norm(
        "batch_norm eval",
        [&](tensor** o, const tensor* a, const tensor* w, const tensor* b, bool cuda) {
          Handle rm = cuda ? to_cuda(rm_cpu) : to_cpu(rm_cpu), rv = cuda ? to_cuda(rv_cpu) : to_cpu(rv_cpu);
          return tensor_batch_norm(o, a, w, b, rm, rv, false, 0.1, 1e-5);
        },
        x, w8, b8);
  }
}

TEST_CASE("cuda norm: batch_norm running stats over several steps match the CPU") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    Handle rm[2], rv[2];
    for (int k = 0; k < 2; ++k) {
      Handle z = make_typed(dt, {16}, 1, false), o;
      REQUIRE_OK(tensor_abs(o.out(), z));
      rm[k] = k ? to_cuda(z) : to_cpu(z);
      rv[k] = k ? to_cuda(o) : to_cpu(o);
    }
    for (uint32_t step = 0; step < 4; ++step) {
      Handle x = make_typed(dt, {32, 16, 9}, 20 + step, false);
      for (int k = 0; k < 2; ++k) {
        Handle xd = k ? to_cuda(x) : to_cpu(x), out;
        REQUIRE_OK(tensor_batch_norm(out.out(), xd, nullptr, nullptr, rm[k], rv[k], true, 0.3, 1e-5));
      }
    }
    require_same(to_cpu(rm[1]), rm[0], kUlps);
    require_same(to_cpu(rv[1]), rv[0], kUlps);
  }
}
