// The CUDA launch planners, checked on the CPU (no GPU needed): for many layouts the grid of each kernel
// is replayed on the host with the kernels' own index helpers (rows_position, red_x_work, out_x_work,
// OffsetCalc, FastDiv), and every output must be produced exactly once from exactly the right input
// elements, at the right addresses, with the alignment the 16-byte loads need.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "catch.hpp"
#include "cuda/ew_plan.h"
#include "cuda/reduce_launch.h"
#include "ops/ops.h"

using namespace lt;
using namespace lt::cuda;

namespace {

// Millions of per-element facts are checked: count failures and assert once per plan (a Catch assertion
// per element would dominate the run time).
int64_t g_failures = 0;
#define EXPECT(cond)        \
  do {                      \
    if (!(cond)) ++g_failures; \
  } while (0)

// A CPU tensor of `shape` viewed through a random permutation and optional slicing, so that strides and
// offsets vary; the result has `shape`.
Tensor strided_tensor(const DimVector& shape, DType dt, std::mt19937& gen) {
  const int32_t nd = shape.size();
  std::vector<int32_t> perm(static_cast<size_t>(nd));
  for (int32_t i = 0; i < nd; ++i) perm[static_cast<size_t>(i)] = i;
  const int kind = static_cast<int>(gen() % 3);  // 0 contiguous, 1 permuted, 2 sliced
  if (kind == 1) std::shuffle(perm.begin(), perm.end(), gen);
  DimVector base_shape;
  for (int32_t i = 0; i < nd; ++i) base_shape.push_back(shape[perm[static_cast<size_t>(i)]] + (kind == 2 ? 1 : 0));
  Tensor base = make_empty(base_shape, dt, cpu_device());
  // Undo the permutation: dim perm[i] of the base is dim i of the result.
  std::vector<int32_t> inverse(static_cast<size_t>(nd));
  for (int32_t i = 0; i < nd; ++i) inverse[static_cast<size_t>(perm[static_cast<size_t>(i)])] = i;
  DimVector strides;
  for (int32_t d = 0; d < nd; ++d) strides.push_back(base.stride(inverse[static_cast<size_t>(d)]));
  const int64_t offset = kind == 2 ? 1 : 0;  // sliced from index 1 in every dim: misaligned
  int64_t off = 0;
  for (int32_t d = 0; d < nd; ++d) off += offset * strides[d];
  return make_view(base, shape, strides, off);
}

// Byte address of element `idx` (row-major linear index) of t.
char* address_of(const Tensor& t, int64_t idx) {
  int64_t off = 0;
  for (int32_t d = t.ndim() - 1; d >= 0; --d) {
    off += (idx % t.size(d)) * t.stride(d);
    idx /= t.size(d);
  }
  return t.data() + off * static_cast<int64_t>(itemsize(t.dtype()));
}

// Replays an elementwise plan: out address -> input addresses (null for constants), each out once.
std::map<char*, std::vector<char*>> replay(const EwPlan& p, const Tensor& out, const std::vector<const Tensor*>& ins,
                                           int vec) {
  std::map<char*, std::vector<char*>> seen;
  const int nops = static_cast<int>(ins.size()) + 1;
  auto isz = [&](int k) { return static_cast<int64_t>(itemsize(k == 0 ? out.dtype() : ins[static_cast<size_t>(k - 1)]->dtype())); };
  if (p.rows) {
    const EwRowsArgs& a = p.r;
    EXPECT(p.blocks * kEwThreads * kEwUnroll >= a.nvec);
    for (int64_t v = 0; v < a.nvec; ++v) {
      int64_t row, col;
      rows_position(a, vec, v, &row, &col);
      for (int k = 0; k < nops; ++k) {  // 16-byte (W-element) accesses must be aligned
        if ((a.const_mask >> k) & 1u || (a.bcast_mask >> k) & 1u) continue;
        const char* first = a.data[k] + row * a.row_stride[k] + col * isz(k);
        EXPECT(reinterpret_cast<uintptr_t>(first) % static_cast<uintptr_t>(vec * isz(k)) == 0);
      }
      for (int j = 0; j < vec; ++j) {
        char* o = a.data[0] + row * a.row_stride[0] + (col + j) * isz(0);
        std::vector<char*> in;
        for (int k = 1; k < nops; ++k) {
          if ((a.const_mask >> k) & 1u) in.push_back(nullptr);
          else if ((a.bcast_mask >> k) & 1u) in.push_back(a.data[k] + row * a.row_stride[k]);
          else in.push_back(a.data[k] + row * a.row_stride[k] + (col + j) * isz(k));
        }
        EXPECT(seen.count(o) == 0);
        seen[o] = in;
      }
    }
  } else {
    const EwNdArgs& a = p.nd;
    EXPECT(p.blocks * kEwThreads * kEwUnroll >= a.numel);
    for (int64_t i = 0; i < a.numel; ++i) {
      int64_t off[kEwMaxOperands];
      a.calc.get(i, a.use32, off);
      char* o = a.data[0] + off[0];
      std::vector<char*> in;
      for (int k = 1; k < nops; ++k) in.push_back((a.const_mask >> k) & 1u ? nullptr : a.data[k] + off[k]);
      EXPECT(seen.count(o) == 0);
      seen[o] = in;
    }
  }
  return seen;
}

void check_elementwise(const Tensor& out, const std::vector<const Tensor*>& ins, int vec) {
  std::vector<EwInput> inputs;
  for (const Tensor* t : ins) inputs.push_back(t ? EwInput{t, 0} : EwInput{nullptr, 42});
  EwPlan p = plan_elementwise(out, inputs.data(), static_cast<int>(inputs.size()), vec, 0);
  if (out.numel() == 0) {
    REQUIRE(p.blocks == 0);
    return;
  }
  INFO("out " << shape_str(out.shape()) << " strides " << shape_str(out.strides()) << ", rows layout " << p.rows);
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1) {  // the 64-bit index path must agree
      if (p.rows) p.r.use32 = false;
      else p.nd.use32 = false;
    }
    std::map<char*, std::vector<char*>> seen = replay(p, out, ins, vec);
    REQUIRE(g_failures == 0);
    REQUIRE(static_cast<int64_t>(seen.size()) == out.numel());
    for (int64_t i = 0; i < out.numel(); ++i) {
      auto it = seen.find(address_of(out, i));
      if (it == seen.end()) {
        ++g_failures;
        continue;
      }
      for (size_t k = 0; k < ins.size(); ++k) EXPECT(it->second[k] == (ins[k] ? address_of(*ins[k], i) : nullptr));
    }
  }
  REQUIRE(g_failures == 0);
}

// An input of `shape` broadcast to out_shape (stride 0 where it is 1 or missing).
Tensor broadcast_input(const DimVector& out_shape, const DimVector& shape, DType dt, std::mt19937& gen) {
  return expand(strided_tensor(shape, dt, gen), out_shape);
}

}  // namespace

TEST_CASE("cuda plans: FastDiv divides exactly below 2^31") {
  std::mt19937 gen(1);
  for (int t = 0; t < 200000; ++t) {
    const uint32_t d = t < 1000 ? static_cast<uint32_t>(t + 1) : 1 + gen() % ((t % 2) ? 1000u : 0x7fffffffu);
    const uint32_t n = gen() % 0x80000000u;
    EXPECT(FastDiv::make(d).div(n) == n / d);
  }
  REQUIRE(g_failures == 0);
  for (uint32_t d : {1u, 2u, 3u, 7u, 4096u, 65535u, 0x7fffffffu})
    for (uint32_t n : {0u, 1u, d - 1, d, d + 1, 0x7fffffffu}) REQUIRE(FastDiv::make(d).div(n) == n / d);
}

TEST_CASE("cuda plans: elementwise launches cover every element once, from the right inputs") {
  std::mt19937 gen(7);
  const DimVector shapes[] = {{4096}, {1001}, {33, 256}, {64, 96}, {17, 33}, {3, 5, 40}, {2, 3, 4, 8}, {1}, {}, {0, 5}};
  for (const DimVector& shape : shapes) {
    for (DType dt : {DType::Float32, DType::Float64, DType::Bool}) {
      const int vec = dt == DType::Float64 ? 2 : 4;
      for (int rep = 0; rep < 6; ++rep) {
        Tensor out = rep == 0 ? make_empty(shape, dt, cpu_device()) : strided_tensor(shape, dt, gen);
        // Inputs: same shape (any strides), a broadcast row, a broadcast column, a 0-d scalar, a constant.
        Tensor same = strided_tensor(shape, dt, gen);
        DimVector row_shape, col_shape;
        for (int32_t d = 0; d < shape.size(); ++d) {
          row_shape.push_back(d == 0 && shape.size() > 1 ? 1 : shape[d]);
          col_shape.push_back(d == shape.size() - 1 ? 1 : shape[d]);
        }
        Tensor row = broadcast_input(shape, row_shape, dt, gen), col = broadcast_input(shape, col_shape, dt, gen);
        Tensor scalar = expand(make_empty(DimVector{}, dt, cpu_device()), shape);
        check_elementwise(out, {&same, &row}, vec);
        check_elementwise(out, {&row, &same}, vec);
        check_elementwise(out, {&col, &same}, vec);
        check_elementwise(out, {&same, nullptr}, vec);
        check_elementwise(out, {&scalar, &same, &row}, vec);
        check_elementwise(out, {&same}, 0);  // Nd only (the dtype-converting copy)
        check_elementwise(out, {nullptr}, vec);  // fill
      }
    }
  }
}

namespace {

struct Visit {
  int64_t in_off;  // elements
  int64_t index;   // reduced index
};

// Replays a reduction plan: output element offset -> the input elements its thread group visits.
std::map<int64_t, std::vector<Visit>> replay_reduce(const ReducePlan& p, const Tensor& in, int64_t isz) {
  const ReduceArgs& a = p.args;
  std::map<int64_t, std::vector<Visit>> seen;
  std::set<int64_t> partial_slots;
  const int W = p.vec;
  for (unsigned gx = 0; gx < p.gx; ++gx)
    for (unsigned gy = 0; gy < p.gy; ++gy)
      for (unsigned ty = 0; ty < p.by; ++ty)
        for (unsigned tx = 0; tx < p.bx; ++tx) {
          const ThreadWork w = p.red_x ? red_x_work(p.bx, p.by, p.gy, gx, gy, tx, ty, a.n_red_v)
                                       : out_x_work(p.bx, p.by, p.gy, gx, gy, tx, ty, a.n_red_v, a.band);
          if (w.out >= a.n_out_v) continue;
          int64_t offs[2];
          a.out_calc.get(w.out, a.out32, offs);
          if (p.red_x && tx == 0) EXPECT(partial_slots.insert(w.out * p.gy + gy).second);
          for (int64_t i = w.first; i < w.end; i += w.step) {
            int64_t r[1];
            a.red_calc.get(i, a.red32, r);
            const int64_t first = offs[0] + r[0];
            if (W > 1) EXPECT(reinterpret_cast<uintptr_t>(in.data() + first * isz) % static_cast<uintptr_t>(W * isz) == 0);
            for (int j = 0; j < W; ++j) {
              if (p.red_x) seen[offs[1]].push_back({first + j, i * W + j});
              else seen[offs[1] + j * a.out_inner_stride].push_back({first + j, i});
            }
          }
          if (a.n_red_v == 0) {  // outputs of empty reductions are still written (identity)
            for (int j = 0; j < (p.red_x ? 1 : W); ++j) seen[offs[1] + j * a.out_inner_stride];
          }
        }
  return seen;
}

void check_reduce_plan(const Tensor& in, const Tensor& out, const std::vector<int32_t>& dims, int vec, int sms) {
  DimVector rd;
  for (int32_t d : dims) rd.push_back(d);
  ReducePlan p = plan_reduce_for(in, &out, nullptr, rd, vec, sms, 2048);
  INFO("in " << shape_str(in.shape()) << " strides " << shape_str(in.strides()) << " dims " << shape_str(rd) << " -> "
             << (p.red_x ? "red_x" : "out_x") << " W " << p.vec << " block " << p.bx << "x" << p.by << " grid " << p.gx
             << "x" << p.gy);
  REQUIRE(!p.too_many_dims);
  if (p.n_out == 0) {
    REQUIRE(out.numel() == 0);
    return;
  }
  const unsigned threads = p.bx * p.by;
  REQUIRE(threads >= 32);
  REQUIRE(threads <= static_cast<unsigned>(p.red_x ? kReduceMaxThreads : kReduceOutXMaxThreads));
  REQUIRE((p.bx & (p.bx - 1)) == 0);
  REQUIRE((p.by & (p.by - 1)) == 0);
  REQUIRE(p.gy >= 1);
  REQUIRE(p.gy <= 65535);
  const int64_t isz = static_cast<int64_t>(itemsize(in.dtype()));
  std::map<int64_t, std::vector<Visit>> seen = replay_reduce(p, in, isz);
  REQUIRE(g_failures == 0);
  REQUIRE(static_cast<int64_t>(seen.size()) == out.numel());
  // Expected: for each input element, its output (keepdim) offset and its position along the dims.
  std::map<int64_t, std::vector<Visit>> want;
  const int32_t nd = in.ndim();
  for (int64_t e = 0; e < in.numel(); ++e) {
    int64_t rem = e, in_off = 0, out_off = 0, index = 0, mul = 1;
    for (int32_t d = nd - 1; d >= 0; --d) {
      const int64_t i = rem % in.size(d);
      rem /= in.size(d);
      in_off += i * in.stride(d);
      const bool reduced = std::find(dims.begin(), dims.end(), d) != dims.end();
      if (reduced) {
        index += i * mul;
        mul *= in.size(d);
      } else {
        out_off += i * out.stride(d);
      }
    }
    want[out_off].push_back({in_off, index});
  }
  for (auto& kv : want) {
    auto it = seen.find(kv.first);
    REQUIRE(it != seen.end());
    std::vector<Visit> got = it->second, exp = kv.second;
    auto by_off = [](const Visit& x, const Visit& y) { return x.in_off < y.in_off; };
    std::sort(got.begin(), got.end(), by_off);
    std::sort(exp.begin(), exp.end(), by_off);
    REQUIRE(got.size() == exp.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT(got[i].in_off == exp[i].in_off);
      if (dims.size() == 1) EXPECT(got[i].index == exp[i].index);  // arg reductions report it
    }
  }
  REQUIRE(g_failures == 0);
}

}  // namespace

TEST_CASE("cuda plans: reductions read every element of every output exactly once") {
  std::mt19937 gen(11);
  struct Case {
    DimVector shape;
    std::vector<int32_t> dims;
  };
  const Case cases[] = {
      {{1 << 20}, {0}},     {{(1 << 20) + 3}, {0}}, {{64, 1000}, {1}},  {{64, 1000}, {0}},  {{64, 999}, {0}},
      {{3, 20001}, {1}},    {{20000, 3}, {0}},      {{33, 17, 9}, {0, 2}}, {{33, 17, 9}, {1}}, {{5, 4, 3, 2}, {0, 1, 2, 3}},
      {{7, 1, 5}, {1}},     {{0, 5}, {0}},          {{5, 0}, {0}},      {{}, {}},           {{256, 4096}, {1}},
      {{4096, 256}, {0}},   {{2, 3, 4, 5, 6}, {1, 3}}, {{8, 8, 8}, {0, 1}}, {{8, 8, 8}, {1, 2}},
  };
  for (const Case& c : cases) {
    for (DType dt : {DType::Float32, DType::Float64, DType::Bool}) {
      const int vec = dt == DType::Float64 ? 2 : 4;
      const int reps = c.shape.size() > 0 && c.shape[0] > 100000 ? 1 : 3;
      for (int rep = 0; rep < reps; ++rep) {
        Tensor in = rep == 0 ? make_empty(c.shape, dt, cpu_device()) : strided_tensor(c.shape, dt, gen);
        DimVector out_shape = c.shape;
        for (int32_t d : c.dims) out_shape[d] = 1;
        Tensor out = make_empty(out_shape, DType::Int64, cpu_device());
        for (int sms : {132, 4}) check_reduce_plan(in, out, c.dims, vec, sms);
        // The tuning overrides (bench/gpu/tune_reduce.cu) must keep every plan correct too.
        const int tunings[][5] = {{256, 1, 1, 2, 0}, {256, 1, 1, 2, 1}, {32, 8, 3, 1, 1}, {64, 4, 2, 3, 1}, {128, 2, 3, 2, 0}};
        for (const auto& k : tunings) {
          set_reduce_tuning(ReduceTuning{k[0], k[1], k[2], k[3], k[4]});
          check_reduce_plan(in, out, c.dims, vec, 132);
          set_reduce_tuning(ReduceTuning());
        }
      }
    }
  }
}
