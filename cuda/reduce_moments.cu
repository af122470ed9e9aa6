// var and std in one pass over the data.
//
// Note [single-pass moments]: each thread keeps (mean, M2, n) in float64. A batch of loaded elements
// (16 for contiguous float32 rows) is reduced in registers with the two-pass formula in the input's
// precision (batch mean, then the sum of squared deviations from it, corrected for the rounding of that
// mean), and merged into the state with
// Chan et al.'s pairwise update; block and grid partials merge the same way. This is as stable as
// Welford's update but costs one float64 division per batch instead of one per element, so the kernel
// runs at the memory-bandwidth limit.
#include "cuda/reduce.cuh"

namespace lt::cuda {

namespace {

struct Moments {
  double mean, m2, n;
};

template <typename T>
struct MomentsReducer {
  using in_t = T;
  using acc_t = Moments;
  int32_t op;

  __device__ acc_t identity() const { return {0.0, 0.0, 0.0}; }
  __device__ acc_t combine(const acc_t& a, const acc_t& b) const {
    if (b.n == 0.0) return a;
    if (a.n == 0.0) return b;
    const double n = a.n + b.n, d = b.mean - a.mean, wb = b.n / n;
    return {a.mean + d * wb, a.m2 + b.m2 + d * d * a.n * wb, n};
  }
  template <int N, int VW>
  __device__ void accumulate(acc_t& acc, const in_t* v, int64_t, int64_t) const {
    T s = 0;
#pragma unroll
    for (int n = 0; n < N; ++n) s += v[n];
    const T m = s * (T(1) / T(N));  // N is a power of two: exact
    // Deviations from m (exact in T for data near m: Sterbenz). m is the batch mean rounded, so the
    // deviations sum to d, not 0: the batch's own mean is m + d/N and its M2 is q - d^2/N.
    T d = 0, q = 0;
#pragma unroll
    for (int n = 0; n < N; ++n) {
      const T e = v[n] - m;
      d += e;
      q += e * e;
    }
    const double dd = static_cast<double>(d);
    acc = combine(acc, {static_cast<double>(m) + dd / N, static_cast<double>(q) - dd * dd / N, static_cast<double>(N)});
  }
  __device__ void store(const ReduceArgs& a, int64_t off, const acc_t& acc) const {
    // PyTorch divides by max(0, n - correction): 0/0 is NaN, x/0 is inf.
    const double dof = acc.n - static_cast<double>(a.correction);
    const double var = acc.m2 / (dof > 0.0 ? dof : 0.0);
    store_as(a.out_dtype[0], a.out[0], off, op == static_cast<int32_t>(ReduceOp::Std) ? sqrt(var) : var);
  }
};

}  // namespace

void reduce_moments(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) {
  LT_DISPATCH_FLOATING(in.dtype(), op == ReduceOp::Std ? "std" : "var",
                       launch_reduce(MomentsReducer<scalar_t>{static_cast<int32_t>(op)}, in, out, Tensor(), dims,
                                     correction, "var/std"));
}

}  // namespace lt::cuda
