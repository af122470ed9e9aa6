// The reduction planner (core/reduce_plan.h) and the CPU loops it drives: which loop a layout gets, how
// dims coalesce, and that every loop and threading split (Note [reduction threading]) agrees with a
// naive reference on strided inputs.
#include <random>

#include "catch.hpp"
#include "core/parallel.h"
#include "core/reduce_plan.h"
#include "ops/ops.h"

using namespace lt;

namespace {

Tensor keepdim_out(const Tensor& in, const DimVector& dims, DType dt = DType::Float64) {
  DimVector shape = in.shape();
  for (int64_t d : dims) shape[static_cast<int32_t>(d)] = 1;
  return make_empty(shape, dt, cpu_device());
}

ReducePlan make_plan(const Tensor& in, const Tensor* out, const DimVector& dims) {
  const Tensor* outs[] = {out};
  return ReducePlan(in, outs, 1, dims);
}

// A plan with its (keepdim) output, which must outlive the plan's pointers.
struct Planned {
  Tensor out;
  ReducePlan plan;
  Planned(const Tensor& in, const DimVector& dims) : out(keepdim_out(in, dims)), plan(make_plan(in, &out, dims)) {}
};
ReducePlan plan_of(const Tensor& in, const DimVector& dims) { return Planned(in, dims).plan; }  // geometry only

Tensor iota(const DimVector& shape) {
  TensorOptions o;
  o.dtype = DType::Float64;
  int64_t n = checked_numel(shape);
  return reshape(arange(0, static_cast<double>(n), 1, o), shape);
}

// Naive sum over `dims` of a float64 tensor: element by element through its strides.
std::vector<double> naive_sum(const Tensor& t, const std::vector<int32_t>& dims) {
  DimVector out_shape = t.shape();
  for (int32_t d : dims) out_shape[d] = 1;
  std::vector<double> r(static_cast<size_t>(checked_numel(out_shape)), 0.0);
  const int32_t nd = t.ndim();
  DimVector idx(nd);
  for (int64_t n = 0; n < t.numel(); ++n) {
    int64_t rem = n, off = 0, o = 0, ostride = 1;
    for (int32_t d = nd - 1; d >= 0; --d) {
      idx[d] = rem % t.size(d);
      rem /= t.size(d);
      off += idx[d] * t.stride(d);
    }
    for (int32_t d = nd - 1; d >= 0; --d) {
      o += (out_shape[d] == 1 ? 0 : idx[d]) * ostride;
      ostride *= out_shape[d];
    }
    r[static_cast<size_t>(o)] += t.data_as<double>()[off];
  }
  return r;
}

std::vector<double> host(const Tensor& t) {
  Tensor c = contiguous(t);
  return std::vector<double>(c.data_as<double>(), c.data_as<double>() + c.numel());
}

}  // namespace

TEST_CASE("plan kinds: inner for the fastest dim, outer for a slow one, all for everything") {
  Tensor t = iota({64, 32});
  ReducePlan inner = plan_of(t, {1});
  CHECK(inner.kind() == ReducePlan::Kind::Inner);
  CHECK(inner.red_shape() == DimVector{32});
  CHECK(inner.red_strides() == DimVector{8});
  CHECK(inner.kept_shape() == DimVector{64});
  ReducePlan outer = plan_of(t, {0});
  CHECK(outer.kind() == ReducePlan::Kind::Outer);
  CHECK(outer.kept_shape() == DimVector{32});
  CHECK(outer.kept_in_strides() == DimVector{8});
  ReducePlan all = plan_of(t, {0, 1});
  CHECK(all.kind() == ReducePlan::Kind::All);
  CHECK(all.red_shape() == DimVector{64 * 32});  // coalesced into one run
  CHECK(all.num_outputs() == 1);
  CHECK(all.reduce_size() == 64 * 32);
}

TEST_CASE("plan of a transposed input reads it in place, fastest dim innermost") {
  Tensor t = transpose(iota({64, 32}), 0, 1);  // shape (32, 64), strides (1, 32)
  ReducePlan p = plan_of(t, {0});                // reduces the input's contiguous dim
  CHECK(p.kind() == ReducePlan::Kind::Inner);
  CHECK(p.in_data() == t.data());
  CHECK(p.red_strides() == DimVector{8});
  CHECK(p.kept_in_strides() == DimVector{256});
}

TEST_CASE("plan coalesces what is contiguous and keeps apart what is not") {
  Tensor t = iota({2, 3, 4, 5});
  ReducePlan p = plan_of(t, {2, 3});
  CHECK(p.red_shape() == DimVector{20});
  CHECK(p.kept_shape() == DimVector{6});
  ReducePlan q = plan_of(t, {0, 2});
  CHECK(q.red_shape() == DimVector{4, 2});  // dims 2 and 0 are not adjacent in memory
  CHECK(q.kept_shape() == DimVector{5, 3});
  CHECK(q.kind() == ReducePlan::Kind::Outer);
}

TEST_CASE("plan of size-1 and empty reductions") {
  Tensor t = iota({4, 1, 3});
  ReducePlan p = plan_of(t, {1});  // nothing to fold: one element per output
  CHECK(p.red_shape() == DimVector{1});
  CHECK(p.red_strides() == DimVector{0});
  CHECK(p.reduce_size() == 1);
  Tensor e = make_empty({4, 0}, DType::Float64, cpu_device());
  ReducePlan q = plan_of(e, {1});
  CHECK(q.reduce_size() == 0);
  CHECK(q.num_outputs() == 4);
  CHECK(q.kind() == ReducePlan::Kind::Inner);
}

TEST_CASE("walk_space visits a range of a multi-dim space in row order across run boundaries") {
  DimVector shape{3, 4}, strides{10, 100};  // dim 0 innermost
  const DimVector* st[1] = {&strides};
  char* base[1] = {nullptr};
  std::vector<int64_t> seen;
  walk_space<1>(shape, st, base, 2, 9, [&](char** p, int64_t n, int64_t pos) {
    for (int64_t i = 0; i < n; ++i) seen.push_back(reinterpret_cast<intptr_t>(p[0]) + i * 10 + 1000 * (pos + i));
  });
  std::vector<int64_t> want;
  for (int64_t pos = 2; pos < 9; ++pos) want.push_back((pos % 3) * 10 + (pos / 3) * 100 + 1000 * pos);
  CHECK(seen == want);
}

TEST_CASE("every loop and thread split agrees with a naive sum on strided inputs") {
  // (shape, permutation, step on dim 0, dims): inner with many/few outputs, outer with many/few column
  // blocks, split folds across multi-dim reduced spaces, all-reduce.
  struct Case {
    DimVector shape;
    std::vector<int32_t> perm;
    int64_t step;
    std::vector<int32_t> dims;
  };
  const std::vector<Case> cases = {
      {{300, 700}, {0, 1}, 1, {1}},         // inner, many outputs
      {{3, 70001}, {0, 1}, 1, {1}},         // inner, few long outputs: split folds
      {{70001, 3}, {0, 1}, 1, {0}},         // outer, 3 columns: split folds
      {{700, 3000}, {0, 1}, 1, {0}},        // outer, column blocks shared by threads
      {{5, 40, 40, 9}, {0, 1, 2, 3}, 1, {0}},  // outer, few rows: one float stage
      {{100, 40, 9}, {0, 1, 2}, 1, {0}},        // outer, several stages
      {{40, 50, 60}, {2, 0, 1}, 1, {0, 2}},  // permuted: multi-dim reduced walk
      {{66, 1100, 3}, {0, 1, 2}, 2, {0, 1}},  // stepped view, split across rows
      {{33, 17, 300}, {1, 2, 0}, 1, {0, 1, 2}},
      {{1, 1, 140000}, {0, 1, 2}, 1, {0, 1}},
  };
  for (int32_t threads : {1, 2, 3}) {
    set_num_threads(threads);
    for (const Case& c : cases) {
      for (DType dt : {DType::Float64, DType::Float32}) {  // float32 sums take the staged column folds
        INFO("shape " << shape_str(c.shape) << " threads " << threads << " " << dtype_name(dt));
        Tensor t = permute(to_dtype(iota(c.shape), dt), c.perm);
        if (c.step > 1) t = slice(t, 0, 0, t.size(0), c.step);
        // values with a fractional part so that wrong pairings cannot cancel out
        t = binary_scalar(BinaryOp::Mul, t, 0.001);
        std::vector<double> want = naive_sum(to_dtype(t, DType::Float64), c.dims);
        std::vector<double> got = host(to_dtype(sum(t, c.dims, true), DType::Float64));
        REQUIRE(got.size() == want.size());
        const double tol = dt == DType::Float32 ? 1e-6 : 1e-12;
        for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).epsilon(tol));
        // argmax along the first reduced dim: the input increases along it, so the last index wins
        int32_t d = c.dims[0];
        Tensor idx = contiguous(argmax(t, d, false));
        std::vector<int64_t> iv(idx.data_as<int64_t>(), idx.data_as<int64_t>() + idx.numel());
        for (int64_t v : iv) CHECK(v == t.size(d) - 1);
      }
    }
  }
  set_num_threads(2);
}
