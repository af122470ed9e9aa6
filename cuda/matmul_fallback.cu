// The tiled matmul kernel behind matmul_tiled() (matmul.h): 16x16 output tiles staged through shared
// memory, one grid z-slice per batch element (strided over batches beyond 65535). The integer dtypes
// always come here; float32/float64/float16/bfloat16 only when cuBLAS cannot be opened.
#include <cuda_runtime.h>

#include <type_traits>

#include "core/shape.h"
#include "cuda/cuda_check.h"
#include "cuda/device_math.h"
#include "cuda/matmul.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kTile = 16;

struct TiledArgs {
  const char* a;
  const char* b;
  char* out;
  int64_t m, n, k;
  int64_t sam, sak, sbk, sbn;  // elements
  int64_t batch;
  bool use32;
  OffsetCalc<2> batch_calc;  // batch index -> (a, b) offsets, elements
};

// Integer products wrap around: accumulate in the unsigned type of the same width.
template <typename T, bool = std::is_integral<T>::value>
struct AccOf {
  using type = T;
};
template <typename T>
struct AccOf<T, true> {
  using type = std::make_unsigned_t<T>;
};
// float16/bfloat16 accumulate in float32 and round once, as cuBLAS with CUBLAS_COMPUTE_32F does.
template <>
struct AccOf<Half, false> {
  using type = float;
};
template <>
struct AccOf<BFloat16, false> {
  using type = float;
};
template <typename T>
using acc_of = typename AccOf<T>::type;

template <typename T>
__global__ void matmul_tiled_kernel(TiledArgs p) {
  using A = acc_of<T>;
  __shared__ T ta[kTile][kTile];
  __shared__ T tb[kTile][kTile];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int64_t row = int64_t(blockIdx.y) * kTile + ty, col = int64_t(blockIdx.x) * kTile + tx;
  for (int64_t z = blockIdx.z; z < p.batch; z += gridDim.z) {
    int64_t off[2];
    p.batch_calc.get(z, p.use32, off);
    const T* a = reinterpret_cast<const T*>(p.a) + off[0];
    const T* b = reinterpret_cast<const T*>(p.b) + off[1];
    A acc = 0;
    for (int64_t k0 = 0; k0 < p.k; k0 += kTile) {
      ta[ty][tx] = (row < p.m && k0 + tx < p.k) ? a[row * p.sam + (k0 + tx) * p.sak] : T(0);
      tb[ty][tx] = (k0 + ty < p.k && col < p.n) ? b[(k0 + ty) * p.sbk + col * p.sbn] : T(0);
      __syncthreads();
#pragma unroll
      for (int q = 0; q < kTile; ++q) acc += static_cast<A>(ta[ty][q]) * static_cast<A>(tb[q][tx]);
      __syncthreads();
    }
    if (row < p.m && col < p.n) reinterpret_cast<T*>(p.out)[z * p.m * p.n + row * p.n + col] = static_cast<T>(acc);
  }
}

}  // namespace

void matmul_tiled(const Tensor& out, const Tensor& a, const Tensor& b) {
  const int32_t nd = out.ndim();
  TiledArgs p{};
  p.a = a.data();
  p.b = b.data();
  p.out = out.data();
  p.m = out.size(nd - 2);
  p.n = out.size(nd - 1);
  p.k = a.size(nd - 1);
  p.sam = a.stride(nd - 2);
  p.sak = a.stride(nd - 1);
  p.sbk = b.stride(nd - 2);
  p.sbn = b.stride(nd - 1);
  p.batch = 1;
  for (int32_t d = nd - 3; d >= 0; --d) {
    int64_t strides[2] = {a.stride(d), b.stride(d)};
    if (out.size(d) != 1) {
      LT_CHECK(p.batch_calc.ndim < kMaxDims, Status::InvalidArgument,
               "matmul on CUDA supports at most " << kMaxDims << " batch dims, got shape " << shape_str(out.shape()));
      p.batch_calc.push_dim(out.size(d), strides);
    }
    p.batch *= out.size(d);
  }
  p.use32 = p.batch < (int64_t(1) << 31);
  if (p.batch == 0 || p.m == 0 || p.n == 0) return;
  LT_CHECK((p.n + kTile - 1) / kTile < (int64_t(1) << 31) && (p.m + kTile - 1) / kTile < 65536, Status::InvalidArgument,
           "matmul of shape " << shape_str(out.shape()) << " is too large for the CUDA tiled kernel");
  const dim3 grid(static_cast<unsigned>((p.n + kTile - 1) / kTile), static_cast<unsigned>((p.m + kTile - 1) / kTile),
                  static_cast<unsigned>(p.batch < 65535 ? p.batch : 65535));
  const dim3 block(kTile, kTile);
  cudaStream_t s = stream(out.device().index);
  switch (out.dtype()) {
    case DType::Float32: matmul_tiled_kernel<float><<<grid, block, 0, s>>>(p); break;
    case DType::Float64: matmul_tiled_kernel<double><<<grid, block, 0, s>>>(p); break;
    case DType::Int32: matmul_tiled_kernel<int32_t><<<grid, block, 0, s>>>(p); break;
    case DType::Int64: matmul_tiled_kernel<int64_t><<<grid, block, 0, s>>>(p); break;
    case DType::Float16: matmul_tiled_kernel<Half><<<grid, block, 0, s>>>(p); break;
    case DType::BFloat16: matmul_tiled_kernel<BFloat16><<<grid, block, 0, s>>>(p); break;
    default: throw_error(Status::DType, std::string("matmul: unsupported dtype ") + dtype_name(out.dtype()));
  }
  check_launch("matmul");
}

}  // namespace lt::cuda
