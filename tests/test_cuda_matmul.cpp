// CUDA matmul (cuBLAS for floats, the tiled kernel for integers) against a float64 reference computed
// here: plain, transposed and strided operands, stride-0 (expanded) operands, broadcast batches,
// zero sizes, and the TF32 switch.
#include <cmath>
#include <random>
#include <vector>

#include "catch.hpp"
#include "core/backend.h"
#include "ops/ops.h"
#include "tensor/tensor.h"

using namespace lt;

namespace {

const Device kCuda{DeviceType::CUDA, 0};

Tensor random_tensor(DType dt, const DimVector& shape, uint32_t seed) {
  Tensor t = make_empty(shape, dt, cpu_device());
  std::mt19937 gen(seed);
  for (int64_t i = 0; i < t.numel(); ++i) {
    const int v = static_cast<int>(gen() % 13) - 6;  // small integers: exact products and sums
    LT_DISPATCH_ALL(dt, "random_tensor", t.data_as<scalar_t>()[i] = static_cast<scalar_t>(v));
  }
  return t;
}

double at(const Tensor& t, const std::vector<int64_t>& idx) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off += idx[d] * t.stride(static_cast<int32_t>(d));
  double v = 0;
  LT_DISPATCH_ALL(t.dtype(), "at", v = static_cast<double>(t.data_as<scalar_t>()[off]));
  return v;
}

// a, b: CPU tensors already broadcast to out's batch dims (any strides); the CUDA operands are the same
// views of CUDA copies of their storage.
void check(const Tensor& a_cpu, const Tensor& b_cpu, const Tensor& a_gpu, const Tensor& b_gpu) {
  const int32_t nd = a_cpu.ndim();
  DimVector shape = a_cpu.shape();
  shape[nd - 1] = b_cpu.size(nd - 1);
  Tensor out = make_empty(shape, a_cpu.dtype(), kCuda);
  cuda_backend().matmul(out, a_gpu, b_gpu);
  Tensor got = to_device(out, cpu_device());
  const int64_t m = shape[nd - 2], n = shape[nd - 1], k = a_cpu.size(nd - 1);
  int64_t batch = 1;
  for (int32_t d = 0; d < nd - 2; ++d) batch *= shape[d];
  for (int64_t z = 0; z < batch; ++z) {
    std::vector<int64_t> bidx(static_cast<size_t>(nd - 2));
    int64_t r = z;
    for (int32_t d = nd - 3; d >= 0; --d) {
      bidx[static_cast<size_t>(d)] = r % shape[d];
      r /= shape[d];
    }
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        double want = 0;
        for (int64_t p = 0; p < k; ++p) {
          std::vector<int64_t> ia = bidx, ib = bidx;
          ia.push_back(i);
          ia.push_back(p);
          ib.push_back(p);
          ib.push_back(j);
          want += at(a_cpu, ia) * at(b_cpu, ib);
        }
        std::vector<int64_t> io = bidx;
        io.push_back(i);
        io.push_back(j);
        INFO("dtype " << dtype_name(a_cpu.dtype()) << ", out " << shape_str(shape) << " at batch " << z << " (" << i
                      << ", " << j << ")");
        REQUIRE(at(got, io) == want);  // small integers: exact in every dtype
      }
    }
  }
}

void check_dense(DType dt, const DimVector& a_shape, const DimVector& b_shape, uint32_t seed) {
  Tensor a = random_tensor(dt, a_shape, seed), b = random_tensor(dt, b_shape, seed + 1);
  check(a, b, to_device(a, kCuda), to_device(b, kCuda));
}

}  // namespace

TEST_CASE("cuda matmul: 2-d and batched, every dtype, awkward sizes") {
  for (DType dt : {DType::Float32, DType::Float64, DType::Int32, DType::Int64}) {
    check_dense(dt, {1, 1}, {1, 1}, 1);
    check_dense(dt, {17, 33}, {33, 9}, 2);
    check_dense(dt, {64, 64}, {64, 64}, 3);
    check_dense(dt, {3, 5, 7}, {3, 7, 2}, 4);
    check_dense(dt, {1, 40}, {40, 1}, 5);
    check_dense(dt, {40, 1}, {1, 40}, 6);
  }
}

TEST_CASE("cuda matmul: transposed, sliced and expanded operands are read in place or copied") {
  for (DType dt : {DType::Float32, DType::Float64, DType::Int64}) {
    Tensor a = random_tensor(dt, {24, 16}, 10), b = random_tensor(dt, {20, 24}, 11);
    Tensor ga = to_device(a, kCuda), gb = to_device(b, kCuda);
    // a^T (16 x 24, column-major) @ b^T (24 x 20, column-major)
    check(transpose(a, 0, 1), transpose(b, 0, 1), transpose(ga, 0, 1), transpose(gb, 0, 1));
    // a sliced along columns: row stride 16 > cols 8
    Tensor c = random_tensor(dt, {8, 5}, 12);
    Tensor gc = to_device(c, kCuda);
    check(slice(a, 1, 4, 12, 1), c, slice(ga, 1, 4, 12, 1), gc);
    // every other row: row stride 32
    check(slice(a, 0, 0, 24, 2), slice(a, 0, 0, 16, 1), slice(ga, 0, 0, 24, 2), slice(ga, 0, 0, 16, 1));
    // a row expanded to a matrix: row stride 0 (copied)
    Tensor row = random_tensor(dt, {1, 16}, 13);
    Tensor grow = to_device(row, kCuda);
    check(expand(row, {6, 16}), slice(a, 0, 0, 16, 1), expand(grow, {6, 16}), slice(ga, 0, 0, 16, 1));
  }
}

TEST_CASE("cuda matmul: broadcast batch dims (stride 0) and non-flat batch strides") {
  for (DType dt : {DType::Float32, DType::Int32}) {
    Tensor a = random_tensor(dt, {1, 6, 5}, 20), b = random_tensor(dt, {4, 5, 3}, 21);
    Tensor ga = to_device(a, kCuda), gb = to_device(b, kCuda);
    check(expand(a, {4, 6, 5}), b, expand(ga, {4, 6, 5}), gb);
    // (2, 1, m, k) x (1, 3, k, n) -> batch (2, 3): a's batch strides (s, 0), not one flat stride.
    Tensor c = random_tensor(dt, {2, 1, 4, 5}, 22), d = random_tensor(dt, {1, 3, 5, 2}, 23);
    Tensor gc = to_device(c, kCuda), gd = to_device(d, kCuda);
    check(expand(c, {2, 3, 4, 5}), expand(d, {2, 3, 5, 2}), expand(gc, {2, 3, 4, 5}), expand(gd, {2, 3, 5, 2}));
  }
}

TEST_CASE("cuda matmul: zero sizes; k = 0 gives zeros") {
  for (DType dt : {DType::Float32, DType::Int64}) {
    check_dense(dt, {0, 4}, {4, 3}, 30);
    check_dense(dt, {4, 0}, {0, 3}, 31);
    check_dense(dt, {0, 2, 3}, {0, 3, 2}, 32);
  }
}

TEST_CASE("cuda matmul: float32 is exact without TF32; with TF32 allowed it is close") {
  // Values with more than TF32's 10 mantissa bits: without TF32 the float32 result matches float64.
  const int64_t n = 256;
  Tensor a = make_empty({n, n}, DType::Float32, cpu_device()), b = make_empty({n, n}, DType::Float32, cpu_device());
  std::mt19937 gen(40);
  for (int64_t i = 0; i < n * n; ++i) {
    a.data_as<float>()[i] = 1.0f + static_cast<float>(gen() % 4096) / 4096.0f;
    b.data_as<float>()[i] = (gen() % 2) ? 1.0f : -1.0f;
  }
  Tensor ga = to_device(a, kCuda), gb = to_device(b, kCuda);
  Tensor out = make_empty({n, n}, DType::Float32, kCuda);
  REQUIRE(tensor_cuda_set_allow_tf32(false) == false);
  cuda_backend().matmul(out, ga, gb);
  Tensor exact = to_device(out, cpu_device());
  double max_err = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double want = 0;
      for (int64_t p = 0; p < n; ++p) want += static_cast<double>(a.data_as<float>()[i * n + p]) * b.data_as<float>()[p * n + j];
      max_err = std::max(max_err, std::fabs(exact.data_as<float>()[i * n + j] - want));
    }
  }
  REQUIRE(max_err < 1e-3);  // float32 accumulation of 256 terms of size ~1.5
  tensor_cuda_set_allow_tf32(true);
  cuda_backend().matmul(out, ga, gb);
  tensor_cuda_set_allow_tf32(false);
  Tensor tf32 = to_device(out, cpu_device());
  double diff = 0;
  for (int64_t i = 0; i < n * n; ++i) diff = std::max(diff, static_cast<double>(std::fabs(tf32.data_as<float>()[i] - exact.data_as<float>()[i])));
  REQUIRE(diff < 1.0);  // TF32 rounds the inputs to 10 bits: within 256 * 2^-11 * 1.5
}
