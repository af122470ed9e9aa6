// CPU kernels of the indexing family (rows index_select, gather, scatter, index_add of LT_BACKEND_KERNELS;
// the CUDA side is cuda/index.cu). Operands are contiguous and seen as (A, N, B) around the indexed dim.
// The copies move elements by size only (1, 4 or 8 bytes), so one instantiation serves every dtype of
// that size; index_select copies whole rows of B elements with memcpy. Indices are checked in a first pass
// so that a bad one is reported before anything is written (index_add_ writes in place).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>

#include "core/element_bytes.h"
#include "core/parallel.h"
#include "core/scalar_ops.h"
#include "core/shape.h"
#include "core/status.h"
#include "cpu/kernels.h"

namespace lt::cpu {

namespace {

// Whether every one of ix[0, len) lies in [0, n), without a branch per element so that the loop
// vectorises (even at the x86-64 baseline): for v in [0, n) both v and n - 1 - v have a clear top bit;
// a negative v sets it, and so does n - 1 - v (wrapped) for v >= n.
inline bool all_in_range(const int64_t* __restrict ix, int64_t len, int64_t n) {
  const uint64_t last = static_cast<uint64_t>(n) - 1;
  uint64_t acc = 0;
  for (int64_t i = 0; i < len; ++i) {
    const uint64_t v = static_cast<uint64_t>(ix[i]);
    acc |= v | (last - v);
  }
  return (acc >> 63) == 0;
}

// Throws Error(Index) for the first index (in some chunk) outside [0, n). Blocks of the index are
// checked branch-free; only a failing block is searched for its bad value.
void check_indices(const Tensor& index, int64_t n, int32_t dim) {
  const int64_t* ix = index.data_as<int64_t>();
  std::atomic<bool> bad{false};
  std::atomic<int64_t> bad_value{0};
  constexpr int64_t kBlock = 1024;
  parallel_for(index.numel(), kGrainSize, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i += kBlock) {
      const int64_t len = std::min(kBlock, end - i);
      if (all_in_range(ix + i, len, n)) continue;
      for (int64_t j = i; j < i + len; ++j) {
        const int64_t v = ix[j];
        if (v < 0 || v >= n) {
          bool expected = false;
          if (bad.compare_exchange_strong(expected, true)) bad_value.store(v);
          return;
        }
      }
    }
  });
  if (bad.load()) throw_index_out_of_range(bad_value.load(), dim, n);
}

// Software prefetch of the row a last-dim gather or scatter reads next, spread over the current row's
// steps: the row is read at random places, which the hardware prefetcher does not follow, and a
// whole row in flight at once would overflow the miss queue. Write is 1 for a row about to be written.
template <int Write>
struct RowPrefetch {
  const char* next;
  size_t bytes;
  int64_t k;
  // Prefetches the part of the next row that belongs to the current row's elements [j0, j1).
  void at(int64_t j0, int64_t j1) const {
    const size_t lo = static_cast<size_t>(j0) * bytes / static_cast<size_t>(k);
    const size_t hi = static_cast<size_t>(j1) * bytes / static_cast<size_t>(k);
    for (size_t off = lo & ~size_t{63}; off < hi; off += 64) __builtin_prefetch(next + off, Write);
  }
};

constexpr int64_t kPrefetchStep = 16;

// Rows longer than this are left to the hardware: they would not stay in the cache until used (and the
// bound keeps RowPrefetch::at's products far from overflow).
constexpr int64_t kPrefetchRowBytes = 64 << 10;

// The prefetch of the row after row a of base (rows of n elements) within a thread's rows [.., end):
// none for its last row or for long rows.
template <int Write, typename T>
RowPrefetch<Write> next_row(const T* base, int64_t a, int64_t end, int64_t n, int64_t k) {
  if (a + 1 >= end || n > kPrefetchRowBytes / static_cast<int64_t>(sizeof(T)))
    return {reinterpret_cast<const char*>(base), 0, k};
  return {reinterpret_cast<const char*>(base + (a + 1) * n), static_cast<size_t>(n) * sizeof(T), k};
}

// One (K) row of a last-dim gather (B == 1), the common case (top-k indices, label lookups): a tight loop
// with the range check fused (the unsigned compare catches negatives too). Returns the position of the
// first bad index, or -1.
template <typename T>
int64_t gather_row(T* __restrict dst, const T* __restrict src, const int64_t* __restrict ix, int64_t k, uint64_t n,
                   const RowPrefetch<0>& pf) {
  for (int64_t j0 = 0; j0 < k; j0 += kPrefetchStep) {
    const int64_t j1 = std::min(k, j0 + kPrefetchStep);
    pf.at(j0, j1);
    for (int64_t j = j0; j < j1; ++j) {
      const uint64_t v = static_cast<uint64_t>(ix[j]);
      if (v >= n) return j;
      dst[j] = src[v];
    }
  }
  return -1;
}

// Threads split A; each a's (K, B) block is walked in order, so no division per element. The range
// check is fused into the copy (out is a fresh tensor, so a partial write before the throw is harmless):
// one pass over the index instead of two. Returns false, with the first bad value, when one is out of range.
template <typename T>
bool gather_typed(T* out, const T* in, const int64_t* ix, int64_t a_n, int64_t n, int64_t k, int64_t b,
                  int64_t* bad_value) {
  std::atomic<bool> bad{false};
  std::atomic<int64_t> value{0};
  const auto report = [&](int64_t v) {
    bool expected = false;
    if (bad.compare_exchange_strong(expected, true)) value.store(v);
  };
  parallel_for(a_n, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(k * b, 1)), [&](int64_t begin, int64_t end) {
    if (b == 1) {
      for (int64_t a = begin; a < end; ++a) {
        const int64_t j = gather_row<T>(out + a * k, in + a * n, ix + a * k, k, static_cast<uint64_t>(n),
                                        next_row<0>(in, a, end, n, k));
        if (j >= 0) return report(ix[a * k + j]);
      }
      return;
    }
    for (int64_t a = begin; a < end; ++a) {
      const T* src = in + a * n * b;
      T* dst = out + a * k * b;
      const int64_t* ia = ix + a * k * b;
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < b; ++j) {
          const int64_t v = ia[kk * b + j];
          if (static_cast<uint64_t>(v) >= static_cast<uint64_t>(n)) return report(v);  // negative or too large
          dst[kk * b + j] = src[v * b + j];
        }
    }
  });
  *bad_value = value.load();
  return !bad.load();
}

// One (K) row of a last-dim scatter (B == 1), indices already checked; in index order, so duplicates
// add (or overwrite) in the order the index lists them.
template <typename T, bool Accumulate>
void scatter_row(T* __restrict o, const T* __restrict src, const int64_t* __restrict ix, int64_t k,
                 const RowPrefetch<1>& pf) {
  for (int64_t j0 = 0; j0 < k; j0 += kPrefetchStep) {
    const int64_t j1 = std::min(k, j0 + kPrefetchStep);
    pf.at(j0, j1);
    for (int64_t j = j0; j < j1; ++j) {
      T& d = o[ix[j]];
      if constexpr (Accumulate)
        d = wrap_add(d, src[j]);
      else
        d = src[j];
    }
  }
}

// Scatter along the middle dim. Work is split over A * B columns so that duplicate indices of one column
// are written by one thread, in order: the last write wins, deterministically.
template <typename T, bool Accumulate>
void scatter_typed(T* out, const T* src, const int64_t* ix, int64_t a_n, int64_t n, int64_t k, int64_t b) {
  parallel_for(a_n, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(k * b, 1)), [&](int64_t begin, int64_t end) {
    if (b == 1) {  // last-dim scatter: one tight loop per row
      for (int64_t a = begin; a < end; ++a)
        scatter_row<T, Accumulate>(out + a * n, src + a * k, ix + a * k, k, next_row<1>(out, a, end, n, k));
      return;
    }
    for (int64_t a = begin; a < end; ++a) {
      T* o = out + a * n * b;
      for (int64_t kk = 0; kk < k; ++kk) {
        const int64_t base = (a * k + kk) * b;
        for (int64_t j = 0; j < b; ++j) {
          T& d = o[ix[base + j] * b + j];
          if constexpr (Accumulate) d = wrap_add(d, src[base + j]);
          else d = src[base + j];
        }
      }
    }
  });
}

}  // namespace

void index_select(const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim) {
  const DimSplit g = split_at_dim(in.shape(), dim);
  const int64_t k = index.numel();
  check_indices(index, g.size, dim);
  if (out.numel() == 0) return;
  const int64_t* ix = index.data_as<int64_t>();
  const size_t row = static_cast<size_t>(g.inner) * itemsize(in.dtype());
  const char* src = static_cast<const char*>(in.data());
  char* dst = static_cast<char*>(out.data());
  // Rows of B elements move with memcpy; the threads share the (A, K) rows.
  const int64_t grain = std::max<int64_t>(1, kGrainSize / std::max<int64_t>(g.inner, 1));
  parallel_for(g.outer * k, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t a = r / k, kk = r % k;
      std::memcpy(dst + static_cast<size_t>(r) * row, src + static_cast<size_t>(a * g.size + ix[kk]) * row, row);
    }
  });
}

void gather(const Tensor& out, const Tensor& in, const Tensor& index, int32_t dim) {
  const int64_t n = in.ndim() == 0 ? 1 : in.size(dim);
  if (out.numel() == 0) return;
  const DimSplit g = split_at_dim(index.shape(), dim);
  bool ok = true;
  int64_t bad_value = 0;
  by_element_size(itemsize(in.dtype()), [&](auto tag) {
    using T = typename decltype(tag)::type;
    ok = gather_typed<T>(out.data_as<T>(), in.data_as<T>(), index.data_as<int64_t>(), g.outer, n, g.size, g.inner,
                         &bad_value);
  });
  if (!ok) throw_index_out_of_range(bad_value, dim, n);
}

void scatter(const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, bool accumulate) {
  const int64_t n = out.ndim() == 0 ? 1 : out.size(dim);
  check_indices(index, n, dim);
  if (index.numel() == 0) return;
  const DimSplit g = split_at_dim(index.shape(), dim);
  const int64_t* ix = index.data_as<int64_t>();
  if (!accumulate) {
    by_element_size(itemsize(out.dtype()), [&](auto tag) {
      using T = typename decltype(tag)::type;
      scatter_typed<T, false>(out.data_as<T>(), src.data_as<T>(), ix, g.outer, n, g.size,
                              g.inner);
    });
    return;
  }
  LT_DISPATCH_ALL(out.dtype(), "scatter_add", {
    scatter_typed<scalar_t, true>(out.data_as<scalar_t>(), src.data_as<scalar_t>(), ix, g.outer, n, g.size, g.inner);
  });
}

void index_add(const Tensor& out, const Tensor& index, const Tensor& src, int32_t dim, double alpha) {
  const DimSplit g = split_at_dim(out.shape(), dim);
  const int64_t k = index.numel();
  check_indices(index, g.size, dim);
  if (src.numel() == 0) return;
  const int64_t* ix = index.data_as<int64_t>();
  LT_DISPATCH_ALL(out.dtype(), "index_add_", {
    const scalar_t al = static_cast<scalar_t>(alpha);
    scalar_t* o = out.data_as<scalar_t>();
    const scalar_t* s = src.data_as<scalar_t>();
    // Threads split A (each a's rows are disjoint); within one a, rows are added in index order.
    parallel_for(g.outer, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(k * g.inner, 1)),
                 [&](int64_t begin, int64_t end) {
                   for (int64_t a = begin; a < end; ++a)
                     for (int64_t kk = 0; kk < k; ++kk) {
                       scalar_t* d = o + (a * g.size + ix[kk]) * g.inner;
                       const scalar_t* sr = s + (a * k + kk) * g.inner;
                       if (al == scalar_t(1))
                         for (int64_t j = 0; j < g.inner; ++j) d[j] = wrap_add(d[j], sr[j]);
                       else
                         for (int64_t j = 0; j < g.inner; ++j) d[j] = wrap_add(d[j], wrap_mul(al, sr[j]));
                     }
                 });
  });
}

}  // namespace lt::cpu

namespace lt::cpu {

void nonzero(const Tensor& out, const Tensor& in) {
  const int64_t total = in.numel(), nd = in.ndim();
  if (out.numel() == 0 && nd > 0) return;
  const bool* m = in.data_as<bool>();
  int64_t* o = out.data_as<int64_t>();
  // An odometer over in's shape: the coordinates of element i without a division per element.
  DimVector coord(static_cast<int32_t>(nd), 0);
  for (int64_t i = 0; i < total; ++i) {
    if (m[i]) {
      for (int64_t d = 0; d < nd; ++d) *o++ = coord[static_cast<int32_t>(d)];
    }
    for (int32_t d = static_cast<int32_t>(nd) - 1; d >= 0; --d) {
      if (++coord[d] < in.size(d)) break;
      coord[d] = 0;
    }
  }
}

}  // namespace lt::cpu
