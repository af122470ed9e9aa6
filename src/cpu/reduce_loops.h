// The CPU reduction loops: one per plan kind (Note [reduce plan] in core/reduce_plan.h), generic over the
// reducers of cpu/reduce_ops.h, parallel on the thread team.
//
// Note [reduction threading]: work below 2 * kGrainSize elements stays on the calling thread. Above it,
// - many outputs: threads take contiguous ranges of outputs (each output folded by one thread);
// - few outputs (All, or a handful of long folds): every output's fold is cut into one range per thread,
//   folded into a partial state each, and the partials merged in range order, so results do not depend
//   on timing (they do depend on the thread count, as PyTorch's).
// Outer plans fold blocks of columns whose accumulators fit in kColumnBytes (they stay in cache while
// the input rows stream past). Blocks are the unit of work when there are enough of them; otherwise,
// with enough rows, the rows are split between the threads (each streams a contiguous part of the
// input into a partial block); with few rows too, the blocks are cut finer.
#pragma once
#include <algorithm>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "core/reduce_plan.h"

namespace lt::cpu {

namespace reduce_detail {

constexpr int64_t kColumnBytes = 32 * 1024;
constexpr int64_t kMinColumns = 64;

// R::kStageRows when R folds columns in two levels, else 0.
template <class R, class = void>
struct StageRows {
  static constexpr int64_t value = 0;
};
template <class R>
struct StageRows<R, std::void_t<decltype(R::kStageRows)>> {
  static constexpr int64_t value = R::kStageRows;
};
// Whether R folds many single-run outputs at once (R::rows).
template <class R, class = void>
struct HasRows : std::false_type {};
template <class R>
struct HasRows<R, std::void_t<decltype(&R::rows)>> : std::true_type {};

// Accumulator storage (not std::vector: vector<bool> has no addressable elements).
template <typename acc_t>
std::unique_ptr<acc_t[]> acc_buffer(int64_t n, const acc_t& init) {
  std::unique_ptr<acc_t[]> b(new acc_t[static_cast<size_t>(n)]);
  std::fill(b.get(), b.get() + n, init);
  return b;
}

inline int threads_for(int64_t work) {
  if (work < 2 * kGrainSize || in_parallel_region()) return 1;
  return get_num_threads();
}

// Start of piece t of [0, n) cut into `pieces` near-equal ranges.
inline int64_t piece_start(int64_t n, int64_t pieces, int64_t t) {
  return (n / pieces) * t + std::min(t, n % pieces);
}

// Folds flat reduction indices [b, e) of the output whose input starts at `base` into acc.
template <class R>
void fold_rows(const ReducePlan& plan, const R& r, typename R::acc_t& acc, char* base, int64_t b, int64_t e) {
  const DimVector& strides = plan.red_strides();
  const int64_t s0 = strides[0];
  if (plan.red_shape().size() == 1) {
    if (b < e) r.row(acc, base + b * s0, e - b, s0, b);
    return;
  }
  const DimVector* st[1] = {&strides};
  char* bases[1] = {base};
  walk_space<1>(plan.red_shape(), st, bases, b, e,
                [&](char** p, int64_t n, int64_t pos) { r.row(acc, p[0], n, s0, pos); });
}

// Adds the rows of flat reduction indices [b, e) into a reducer's float column stage (see SumReducer).
template <class R>
void stage_columns(const ReducePlan& plan, const R& r, typename R::stage_t* stage, int64_t m, int64_t col_stride,
                   char* base, int64_t b, int64_t e) {
  const DimVector& strides = plan.red_strides();
  const int64_t s0 = strides[0];
  const DimVector* st[1] = {&strides};
  char* bases[1] = {base};
  walk_space<1>(plan.red_shape(), st, bases, b, e, [&](char** p, int64_t n, int64_t) {
    for (int64_t i = 0; i < n; ++i) r.stage(stage, p[0] + i * s0, m, col_stride);
  });
}

// Folds flat reduction indices [b, e) into acc[0, m): the m outputs whose inputs start at `base`,
// `col_stride` bytes apart.
template <class R>
void fold_columns(const ReducePlan& plan, const R& r, typename R::acc_t* acc, int64_t m, int64_t col_stride,
                  char* base, int64_t b, int64_t e) {
  const DimVector& strides = plan.red_strides();
  const int64_t s0 = strides[0];
  const DimVector* st[1] = {&strides};
  char* bases[1] = {base};
  constexpr int64_t stage_rows = StageRows<R>::value;
  if constexpr (stage_rows > 0) {
    std::unique_ptr<typename R::stage_t[]> stage = acc_buffer(m, typename R::stage_t(0));
    for (int64_t sb = b; sb < e; sb += stage_rows) {
      stage_columns(plan, r, stage.get(), m, col_stride, base, sb, std::min(e, sb + stage_rows));
      r.unstage(acc, stage.get(), m);
    }
  } else {
    walk_space<1>(plan.red_shape(), st, bases, b, e, [&](char** p, int64_t n, int64_t pos) {
      for (int64_t i = 0; i < n; ++i) r.columns(acc, p[0] + i * s0, m, col_stride, pos + i);
    });
  }
}

template <class R>
void reduce_inner(const ReducePlan& plan, const R& r) {
  using acc_t = typename R::acc_t;
  constexpr int NO = R::kOutputs;
  const int64_t N = plan.reduce_size(), nout = plan.num_outputs();
  const bool has_kept = !plan.kept_shape().empty();
  const DimVector* strides[1 + NO];
  char* bases[1 + NO];
  strides[0] = &plan.kept_in_strides();
  bases[0] = plan.in_data();
  int64_t s_in = has_kept ? plan.kept_in_strides()[0] : 0, s_out[NO];
  for (int k = 0; k < NO; ++k) {
    strides[1 + k] = &plan.kept_out_strides(k);
    bases[1 + k] = plan.out_data(k);
    s_out[k] = has_kept ? plan.kept_out_strides(k)[0] : 0;
  }
  const int nt = threads_for(N * nout);
  const bool split_folds = nt > 1 && nout < 4 * nt;

  auto finish = [&](char** p, int64_t i, const acc_t& acc) {
    char* o[NO];
    for (int k = 0; k < NO; ++k) o[k] = p[1 + k] + i * s_out[k];
    r.finish(o, acc);
  };
  const bool one_run = plan.red_shape().size() == 1;
  const int64_t s_red = plan.red_strides()[0];
  auto outputs = [&](int64_t ob, int64_t oe) {
    walk_space<1 + NO>(plan.kept_shape(), strides, bases, ob, oe, [&](char** p, int64_t n, int64_t) {
      if (one_run && !split_folds) {  // the common case, kept tight for short rows
        int64_t i = 0;
        if constexpr (HasRows<R>::value) i = r.rows(p, s_in, s_out, n, N, s_red);
        for (; i < n; ++i) {
          acc_t acc = r.init();
          r.row(acc, p[0] + i * s_in, N, s_red, 0);
          finish(p, i, acc);
        }
        return;
      }
      for (int64_t i = 0; i < n; ++i) {
        acc_t acc = r.init();
        if (!split_folds) {
          fold_rows(plan, r, acc, p[0] + i * s_in, 0, N);
        } else {
          std::unique_ptr<acc_t[]> part = acc_buffer(nt, r.init());
          char* base = p[0] + i * s_in;
          parallel_for(nt, 1, [&](int64_t tb, int64_t te) {
            for (int64_t t = tb; t < te; ++t)
              fold_rows(plan, r, part[t], base, piece_start(N, nt, t), piece_start(N, nt, t + 1));
          });
          for (int t = 0; t < nt; ++t) r.merge(acc, part[t]);
        }
        finish(p, i, acc);
      }
    });
  };
  if (nt <= 1 || split_folds) {
    outputs(0, nout);
  } else {
    parallel_for(nout, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(N, 1)), outputs);
  }
}

template <class R>
void reduce_outer(const ReducePlan& plan, const R& r) {
  using acc_t = typename R::acc_t;
  constexpr int NO = R::kOutputs;
  const DimVector& ks = plan.kept_shape();
  const int64_t m = ks[0], col_in = plan.kept_in_strides()[0];
  const int64_t N = plan.reduce_size(), n_outer = plan.num_outputs() / m;
  int64_t col_out[NO];
  for (int k = 0; k < NO; ++k) col_out[k] = plan.kept_out_strides(k)[0];

  // Blocks of columns (Note [reduction threading]).
  const int nt = threads_for(N * plan.num_outputs());
  const int64_t max_cols = std::max<int64_t>(kMinColumns, kColumnBytes / static_cast<int64_t>(sizeof(acc_t)));
  int64_t n_chunks = (m + max_cols - 1) / max_cols;
  bool split_folds = false;
  if (nt > 1 && n_outer * n_chunks < 4 * nt) {
    if (N >= 16 * nt) {
      split_folds = true;
    } else {
      while ((n_outer * n_chunks) % nt != 0) ++n_chunks;  // equal shares for every thread
      n_chunks = std::min(n_chunks, std::max<int64_t>(1, m / kMinColumns));
    }
  }
  const int64_t C = (m + n_chunks - 1) / n_chunks, groups = n_outer * n_chunks;

  // Input and output addresses of block g's first column.
  auto locate = [&](int64_t g, char** in_base, char** out_base, int64_t* len) {
    int64_t o = g / n_chunks, j0 = (g % n_chunks) * C;
    *len = std::min(C, m - j0);
    *in_base = plan.in_data() + j0 * col_in;
    for (int k = 0; k < NO; ++k) out_base[k] = plan.out_data(k) + j0 * col_out[k];
    for (int32_t d = 1; d < ks.size() && o > 0; ++d) {
      const int64_t idx = o % ks[d];
      o /= ks[d];
      *in_base += idx * plan.kept_in_strides()[d];
      for (int k = 0; k < NO; ++k) out_base[k] += idx * plan.kept_out_strides(k)[d];
    }
  };
  auto finish = [&](char** out_base, const acc_t* acc, int64_t len) {
    char* o[NO];
    for (int64_t j = 0; j < len; ++j) {
      for (int k = 0; k < NO; ++k) o[k] = out_base[k] + j * col_out[k];
      r.finish(o, acc[j]);
    }
  };
  // A fold short enough for one stage skips the double accumulators (the sum over a small batch dim).
  constexpr int64_t stage_rows = StageRows<R>::value;
  const bool stage_only = stage_rows > 0 && !split_folds && N <= stage_rows;
  auto blocks = [&](int64_t gb, int64_t ge) {
    std::unique_ptr<acc_t[]> acc = acc_buffer(C, r.init());
    for (int64_t g = gb; g < ge; ++g) {
      char *in_base, *out_base[NO];
      int64_t len;
      locate(g, &in_base, out_base, &len);
      if constexpr (stage_rows > 0) {
        if (stage_only) {
          std::unique_ptr<typename R::stage_t[]> stage = acc_buffer(len, typename R::stage_t(0));
          stage_columns(plan, r, stage.get(), len, col_in, in_base, 0, N);
          r.finish_staged(out_base[0], col_out[0], stage.get(), len);
          continue;
        }
      }
      std::fill(acc.get(), acc.get() + len, r.init());
      if (!split_folds) {
        fold_columns(plan, r, acc.get(), len, col_in, in_base, 0, N);
      } else {
        std::vector<std::unique_ptr<acc_t[]>> part;
        for (int t = 0; t < nt; ++t) part.push_back(acc_buffer(len, r.init()));
        parallel_for(nt, 1, [&](int64_t tb, int64_t te) {
          for (int64_t t = tb; t < te; ++t)
            fold_columns(plan, r, part[static_cast<size_t>(t)].get(), len, col_in, in_base, piece_start(N, nt, t),
                         piece_start(N, nt, t + 1));
        });
        for (const std::unique_ptr<acc_t[]>& p : part)
          for (int64_t j = 0; j < len; ++j) r.merge(acc[j], p[j]);
      }
      finish(out_base, acc.get(), len);
    }
  };
  if (nt <= 1 || split_folds) blocks(0, groups);
  else parallel_for(groups, 1, blocks);
}

}  // namespace reduce_detail

// Runs reducer r over the plan (outputs and input as planned).
template <class R>
void run_reduction(const ReducePlan& plan, const R& r) {
  if (plan.num_outputs() == 0) return;
  if (plan.kind() == ReducePlan::Kind::Outer) reduce_detail::reduce_outer(plan, r);
  else reduce_detail::reduce_inner(plan, r);
}

// Plans `in` reduced over `dims` into the single output `out` and runs r.
template <class R>
void run_reduction(const Tensor& out, const Tensor& in, const DimVector& dims, const R& r) {
  const Tensor* outs[] = {&out};
  ReducePlan plan(in, outs, 1, dims);
  run_reduction(plan, r);
}

}  // namespace lt::cpu
