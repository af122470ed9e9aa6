// The CUDA reduction kernels (Backend::reduce / arg_reduce) against references computed here in double
// precision from the same inputs, over the layouts that select each thread mapping of
// cuda/reduce_launch.h: inner (red_x) and outer (out_x) reductions, vectorised or not, split over several
// blocks or not, mixed dims, transposed inputs, empty inputs.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "catch.hpp"
#include "core/backend.h"
#include "ops/ops.h"

using namespace lt;

namespace {

const Device kCuda{DeviceType::CUDA, 0};

// Host data as doubles plus a CPU tensor holding it in `dtype`.
struct Input {
  std::vector<int64_t> shape;
  std::vector<double> v;  // row-major
  Tensor cpu;
};

// Floats are multiples of 1/4 unless `fine`: then every partial sum in these tests is exact in float32, so
// sums can be compared exactly whatever order the GPU adds in.
Input make_input(DType dt, std::vector<int64_t> shape, uint32_t seed, double lo, double hi, bool specials,
                 bool fine = false) {
  Input in;
  in.shape = shape;
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::mt19937 gen(seed);
  in.v.resize(static_cast<size_t>(n));
  for (double& x : in.v) {
    if (dt == DType::Bool) x = gen() % 3 == 0 ? 0.0 : 1.0;
    else if (is_integral(dt)) x = static_cast<double>(static_cast<int64_t>(lo) + static_cast<int64_t>(gen() % static_cast<uint32_t>(hi - lo + 1)));
    else x = std::uniform_real_distribution<double>(lo, hi)(gen);
    if (is_floating(dt) && !fine) x = std::round(x * 4) / 4;
    if (dt == DType::Float32) x = static_cast<float>(x);
    if (specials && is_floating(dt) && gen() % 1000 == 0) x = NAN;
  }
  DimVector ds;
  for (int64_t s : shape) ds.push_back(s);
  TensorOptions o;
  o.dtype = dt;
  in.cpu = make_empty(ds, dt, cpu_device());
  for (int64_t i = 0; i < n; ++i) {
    double x = in.v[static_cast<size_t>(i)];
    LT_DISPATCH_ALL(dt, "make_input", in.cpu.data_as<scalar_t>()[i] = static_cast<scalar_t>(x));
  }
  return in;
}

std::vector<double> to_doubles(const Tensor& t) {
  Tensor h = contiguous(to_device(t, cpu_device()));
  std::vector<double> r(static_cast<size_t>(h.numel()));
  for (int64_t i = 0; i < h.numel(); ++i) LT_DISPATCH_ALL(h.dtype(), "to_doubles", r[static_cast<size_t>(i)] = static_cast<double>(h.data_as<scalar_t>()[i]));
  return r;
}

// For every output (keepdim layout, row-major), the reduced values in row-major order of the reduced dims.
std::vector<std::vector<double>> groups(const Input& in, const std::vector<int32_t>& dims) {
  const int32_t nd = static_cast<int32_t>(in.shape.size());
  std::vector<int64_t> out_shape = in.shape;
  for (int32_t d : dims)
    if (d < nd) out_shape[static_cast<size_t>(d)] = 1;
  int64_t n_out = 1;
  for (int64_t s : out_shape) n_out *= s;
  std::vector<std::vector<double>> g(static_cast<size_t>(n_out));
  std::vector<int64_t> idx(static_cast<size_t>(nd), 0);
  // Visiting inputs in row-major order appends each group's values in row-major order of its dims.
  for (size_t i = 0; i < in.v.size(); ++i) {
    int64_t rem = static_cast<int64_t>(i), o = 0, mul = 1;
    for (int32_t d = nd - 1; d >= 0; --d) {
      idx[static_cast<size_t>(d)] = rem % in.shape[static_cast<size_t>(d)];
      rem /= in.shape[static_cast<size_t>(d)];
    }
    for (int32_t d = nd - 1; d >= 0; --d) {
      if (out_shape[static_cast<size_t>(d)] != 1) o += idx[static_cast<size_t>(d)] * mul;
      mul *= out_shape[static_cast<size_t>(d)];
    }
    g[static_cast<size_t>(o)].push_back(in.v[i]);
  }
  return g;
}

double reference(ReduceOp op, const std::vector<double>& g, int64_t correction) {
  const double n = static_cast<double>(g.size());
  switch (op) {
    case ReduceOp::Sum: return std::accumulate(g.begin(), g.end(), 0.0);
    case ReduceOp::Mean: return std::accumulate(g.begin(), g.end(), 0.0) / n;
    case ReduceOp::Prod: {
      double p = 1;
      for (double x : g) p *= x;
      return p;
    }
    case ReduceOp::Var:
    case ReduceOp::Std: {
      double m = std::accumulate(g.begin(), g.end(), 0.0) / n, s = 0;
      for (double x : g) s += (x - m) * (x - m);
      double var = s / std::max(0.0, n - static_cast<double>(correction));
      return op == ReduceOp::Std ? std::sqrt(var) : var;
    }
    case ReduceOp::Max:
    case ReduceOp::Min: {
      double r = op == ReduceOp::Max ? -INFINITY : INFINITY;
      for (double x : g) {
        if (std::isnan(x)) return x;
        r = op == ReduceOp::Max ? std::max(r, x) : std::min(r, x);
      }
      return r;
    }
    case ReduceOp::All: return std::all_of(g.begin(), g.end(), [](double x) { return x != 0; }) ? 1 : 0;
    case ReduceOp::Any: return std::any_of(g.begin(), g.end(), [](double x) { return x != 0; }) ? 1 : 0;
    default: return 0;
  }
}

DType out_dtype(ReduceOp op, DType in) {
  if (op == ReduceOp::All || op == ReduceOp::Any) return DType::Bool;
  if (op == ReduceOp::Max || op == ReduceOp::Min) return in;
  return is_floating(in) ? in : DType::Int64;
}

// `view` turns the CUDA copy of the input into the tensor that is reduced (a permutation, say); the
// reference sees the same logical values through `logical`.
void check_reduce(ReduceOp op, const Input& in, std::vector<int32_t> dims, int64_t correction = 0) {
  DimVector rd;
  std::sort(dims.begin(), dims.end());
  for (int32_t d : dims) rd.push_back(d);
  DimVector out_shape;
  for (size_t d = 0; d < in.shape.size(); ++d)
    out_shape.push_back(std::find(dims.begin(), dims.end(), static_cast<int32_t>(d)) != dims.end() ? 1 : in.shape[d]);
  Tensor x = to_device(in.cpu, kCuda);
  Tensor out = make_empty(out_shape, out_dtype(op, in.cpu.dtype()), kCuda);
  cuda_backend().reduce(op, out, x, rd, correction);
  std::vector<double> got = to_doubles(out);
  std::vector<std::vector<double>> g = groups(in, dims);
  REQUIRE(got.size() == g.size());
  const bool fp32 = in.cpu.dtype() == DType::Float32 || out.dtype() == DType::Float32;
  for (size_t i = 0; i < g.size(); ++i) {
    double want = reference(op, g[i], correction);
    if (out.dtype() == DType::Float32) want = static_cast<float>(want);
    INFO("op " << static_cast<int>(op) << ", dtype " << dtype_name(in.cpu.dtype()) << ", shape " << shape_str(in.cpu.shape())
               << ", output " << i << ": cuda " << got[i] << " vs " << want);
    if (std::isnan(want)) {
      REQUIRE(std::isnan(got[i]));
    } else if (std::isinf(want)) {
      REQUIRE(got[i] == want);
    } else if (!is_floating(out.dtype())) {
      REQUIRE(got[i] == want);
    } else {
      // Sums of quarter-multiples are exact; mean adds one rounding; prod and moments are relative.
      const double eps = fp32 ? 1.2e-7 : 2.3e-16;
      double rel = 0;
      if (op == ReduceOp::Mean) rel = eps;
      if (op == ReduceOp::Prod) rel = fp32 ? 3e-5 : 1e-13;
      if (op == ReduceOp::Var || op == ReduceOp::Std) rel = fp32 ? 2e-5 : 1e-10;
      const double tol = rel * std::fabs(want);
      REQUIRE(std::fabs(got[i] - want) <= tol);
    }
  }
}

void check_arg(bool is_max, const Input& in, int32_t dim, bool want_values) {
  DimVector out_shape;
  for (size_t d = 0; d < in.shape.size(); ++d) out_shape.push_back(static_cast<int32_t>(d) == dim ? 1 : in.shape[d]);
  Tensor x = to_device(in.cpu, kCuda);
  Tensor values = want_values ? make_empty(out_shape, in.cpu.dtype(), kCuda) : Tensor();
  Tensor indices = make_empty(out_shape, DType::Int64, kCuda);
  ReduceOp op = is_max ? (want_values ? ReduceOp::Max : ReduceOp::ArgMax) : (want_values ? ReduceOp::Min : ReduceOp::ArgMin);
  cuda_backend().arg_reduce(op, values, indices, x, dim);
  std::vector<double> idx = to_doubles(indices);
  std::vector<double> val = want_values ? to_doubles(values) : std::vector<double>();
  std::vector<std::vector<double>> g = groups(in, {dim});
  for (size_t i = 0; i < g.size(); ++i) {
    size_t best = 0;
    for (size_t j = 1; j < g[i].size(); ++j) {
      const double a = g[i][j], b = g[i][best];
      if (std::isnan(b)) break;
      if (std::isnan(a) || (is_max ? a > b : a < b)) best = j;
    }
    INFO("arg " << (is_max ? "max" : "min") << ", dtype " << dtype_name(in.cpu.dtype()) << ", shape "
                << shape_str(in.cpu.shape()) << ", dim " << dim << ", output " << i);
    REQUIRE(idx[i] == static_cast<double>(best));
    if (want_values) {
      if (std::isnan(g[i][best])) REQUIRE(std::isnan(val[i]));
      else REQUIRE(val[i] == g[i][best]);
    }
  }
}

const ReduceOp kArith[] = {ReduceOp::Sum, ReduceOp::Mean, ReduceOp::Max, ReduceOp::Min, ReduceOp::All, ReduceOp::Any};

struct Case {
  std::vector<int64_t> shape;
  std::vector<int32_t> dims;
};
const Case kCases[] = {
    {{1 << 20}, {0}},             // whole tensor: red_x, vectorised, many blocks + last-block combine
    {{(1 << 20) + 3}, {0}},       // odd size: scalar loads
    {{64, 1000}, {1}},            // rows: red_x vectorised
    {{64, 1000}, {0}},            // columns: out_x vectorised
    {{64, 999}, {0}},             // columns, odd: out_x scalar
    {{3, 200001}, {1}},           // few long rows: red_x split over blocks
    {{200000, 3}, {0}},           // few long columns: out_x split over blocks
    {{33, 17, 9}, {0, 2}},        // non-adjacent dims
    {{33, 17, 9}, {1}},           // middle dim
    {{5, 4, 3, 2}, {0, 1, 2, 3}}, // all dims of a small tensor
    {{7, 1, 5}, {1}},             // a size-1 reduced dim
    {{0, 5}, {0}},                // empty reduction: identities
    {{}, {}},                     // 0-d
};

}  // namespace

TEST_CASE("cuda reduce: sum, mean, max, min, all, any over every layout") {
  uint32_t seed = 100;
  for (const Case& c : kCases) {
    for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::Bool}) {
      Input in = make_input(dt, c.shape, seed++, -50, 50, false);
      for (ReduceOp op : kArith) {
        if (op == ReduceOp::Mean && !is_floating(dt)) continue;
        if ((op == ReduceOp::Max || op == ReduceOp::Min) && in.v.empty()) continue;  // ops reject this
        check_reduce(op, in, c.dims);
      }
    }
  }
}

TEST_CASE("cuda reduce: prod stays exact for integers and close for floats") {
  for (DType dt : {DType::Float32, DType::Float64}) {
    check_reduce(ReduceOp::Prod, make_input(dt, {16, 300}, 7, 0.9, 1.1, false, true), {1});
    check_reduce(ReduceOp::Prod, make_input(dt, {300, 16}, 8, 0.9, 1.1, false, true), {0});
    check_reduce(ReduceOp::Prod, make_input(dt, {0, 3}, 9, 0.9, 1.1, false, true), {0});
  }
  for (DType dt : {DType::Int32, DType::Int64, DType::Bool}) {
    check_reduce(ReduceOp::Prod, make_input(dt, {50, 20}, 10, -2, 2, false), {1});
    check_reduce(ReduceOp::Prod, make_input(dt, {20, 50}, 11, -2, 2, false), {0});
  }
}

TEST_CASE("cuda reduce: var and std in one pass, every correction, data far from zero") {
  uint32_t seed = 200;
  for (const Case& c : kCases) {
    for (DType dt : {DType::Float32, DType::Float64}) {
      // A large offset relative to the spread: the naive sum-of-squares formula would lose every digit.
      Input in = make_input(dt, c.shape, seed++, 1000.0, 1001.0, false, true);
      for (int64_t corr : {0, 1, 2}) {
        check_reduce(ReduceOp::Var, in, c.dims, corr);
        check_reduce(ReduceOp::Std, in, c.dims, corr);
      }
    }
  }
}

TEST_CASE("cuda reduce: NaN propagates through sum, max and min") {
  Input in = make_input(DType::Float32, {64, 4096}, 300, -1, 1, true);
  for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Max, ReduceOp::Min, ReduceOp::Any, ReduceOp::All}) {
    check_reduce(op, in, {1});
    check_reduce(op, in, {0});
    check_reduce(op, in, {0, 1});
  }
}

TEST_CASE("cuda reduce: transposed inputs") {
  Input in = make_input(DType::Float32, {300, 64}, 400, -10, 10, false);  // quarter-multiples: exact sums
  Tensor xt = permute(to_device(in.cpu, kCuda), {1, 0});  // (64, 300), strides (1, 64)
  Input logical;
  logical.shape = {64, 300};
  logical.cpu = contiguous(permute(in.cpu, {1, 0}));
  logical.v = to_doubles(logical.cpu);
  for (int32_t dim : {0, 1}) {
    Tensor out = make_empty(dim == 0 ? DimVector{1, 300} : DimVector{64, 1}, DType::Float32, kCuda);
    cuda_backend().reduce(ReduceOp::Sum, out, xt, DimVector{dim}, 0);
    std::vector<double> got = to_doubles(out);
    std::vector<std::vector<double>> g = groups(logical, {dim});
    for (size_t i = 0; i < g.size(); ++i) REQUIRE(got[i] == reference(ReduceOp::Sum, g[i], 0));
  }
}

TEST_CASE("cuda reduce: max/min with indices keep the first of ties and the first NaN") {
  uint32_t seed = 500;
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::Int64, DType::Bool}) {
    // Integers in [-3, 3] make many ties.
    for (const std::vector<int64_t>& shape : {std::vector<int64_t>{64, 1000}, std::vector<int64_t>{3, 100003},
                                              std::vector<int64_t>{100003, 3}, std::vector<int64_t>{9, 7, 5}}) {
      Input in = make_input(dt, shape, seed++, -3, 3, true);
      for (int32_t dim = 0; dim < static_cast<int32_t>(shape.size()); ++dim) {
        for (bool is_max : {true, false}) {
          check_arg(is_max, in, dim, true);
          check_arg(is_max, in, dim, false);
        }
      }
    }
  }
  Input scalar = make_input(DType::Float32, {}, 1, -1, 1, false);
  check_arg(true, scalar, 0, true);
}
