// Internals of matmul: which strides go to BLAS without a copy (Note [BLAS operand layouts]), that the
// kernel really allocates nothing for them, the grad node names, and the BLAS report.
#include <string>
#include <vector>

#include "autograd/autograd_meta.h"
#include "autograd/node.h"
#include "catch.hpp"
#include "core/allocator.h"
#include "cpu/blas.h"
#include "cpu/kernels.h"
#include "cpu/matmul.h"
#include "config/config.h"
#include "ops/ops.h"

using namespace lt;

TEST_CASE("BLAS layouts: row-major and transposed strides need no copy", "[matmul][internal]") {
  cpu::BlasMatrix c = cpu::blas_matrix_layout(3, 4, 4, 1);  // contiguous
  CHECK((c.ok && !c.transposed && c.ld == 4));
  cpu::BlasMatrix t = cpu::blas_matrix_layout(3, 4, 1, 3);  // transpose of a contiguous (4, 3)
  CHECK((t.ok && t.transposed && t.ld == 3));
  cpu::BlasMatrix rows = cpu::blas_matrix_layout(3, 4, 10, 1);  // a (3, 4) block of a (.., 10) matrix
  CHECK((rows.ok && !rows.transposed && rows.ld == 10));
  cpu::BlasMatrix tcols = cpu::blas_matrix_layout(3, 4, 1, 7);  // a block of a transposed (.., 7) matrix
  CHECK((tcols.ok && tcols.transposed && tcols.ld == 7));
}

TEST_CASE("BLAS layouts: size-1 dims take any stride", "[matmul][internal]") {
  cpu::BlasMatrix row = cpu::blas_matrix_layout(1, 5, 12345, 1);
  CHECK((row.ok && !row.transposed && row.ld == 5));
  cpu::BlasMatrix col = cpu::blas_matrix_layout(5, 1, 3, 999);
  CHECK((col.ok && !col.transposed && col.ld == 3));
  cpu::BlasMatrix strided_row = cpu::blas_matrix_layout(1, 5, 0, 2);  // a row with a column step
  CHECK((strided_row.ok && strided_row.transposed && strided_row.ld == 2));
  CHECK(cpu::blas_matrix_layout(1, 1, 0, 0).ok);
}

TEST_CASE("BLAS layouts: strides BLAS cannot express are copied", "[matmul][internal]") {
  CHECK_FALSE(cpu::blas_matrix_layout(3, 4, 8, 2).ok);   // step 2 in both dims
  CHECK_FALSE(cpu::blas_matrix_layout(3, 4, 0, 1).ok);   // broadcast rows (expand)
  CHECK_FALSE(cpu::blas_matrix_layout(3, 4, 1, 0).ok);   // broadcast columns
  CHECK_FALSE(cpu::blas_matrix_layout(3, 4, 2, 1).ok);   // overlapping rows
  CHECK_FALSE(cpu::blas_matrix_layout(3, 4, int64_t(1) << 32, 1).ok);  // ld beyond 32-bit BLAS
  CHECK(cpu::blas_vector_inc(5, 1) == 1);
  CHECK(cpu::blas_vector_inc(5, 3) == 3);
  CHECK(cpu::blas_vector_inc(1, 0) == 1);
  CHECK(cpu::blas_vector_inc(5, 0) == 0);
  CHECK(cpu::blas_vector_inc(5, int64_t(1) << 32) == 0);
}

namespace {

Tensor iota(const DimVector& shape, DType dt) {
  TensorOptions o;
  o.dtype = dt;
  return reshape(arange(0, static_cast<double>(checked_numel(shape)), 1, o), shape);
}

// Allocations made by fn (through any allocator).
template <typename F>
int64_t allocations_during(F&& fn) {
  set_fail_allocation_at(int64_t(1) << 60);  // armed, never reached: just counts
  fn();
  int64_t n = allocations_since_arm();
  set_fail_allocation_at(0);
  return n;
}

// Same shape and the same values, element by element (compared as float64 on the host).
bool values_equal(const Tensor& x, const Tensor& y) {
  if (x.shape() != y.shape()) return false;
  std::vector<double> vx(static_cast<size_t>(x.numel())), vy(vx.size());
  copy_to_host(to_dtype(x, DType::Float64), vx.data(), vx.size() * sizeof(double));
  copy_to_host(to_dtype(y, DType::Float64), vy.data(), vy.size() * sizeof(double));
  return vx == vy;
}

}  // namespace

TEST_CASE("the matmul kernel copies nothing for transposed, sliced and broadcast operands", "[matmul][internal]") {
  for (DType dt : {DType::Float32, DType::Float64}) {
    Tensor big = iota({6, 8}, dt);
    Tensor a = slice(transpose(big, 0, 1), 0, 1, 7, 1);  // (6, 6) with strides (1, 8)
    Tensor b = slice(big, 1, 0, 5, 1);                   // (6, 5) with strides (8, 1)
    Tensor out = make_empty({6, 5}, dt, Device{});
    CHECK(allocations_during([&] { cpu::matmul(out, a, b); }) == 0);
    CHECK(values_equal(out, matmul(contiguous(a), contiguous(b))));
    // matrix @ column: gemv reads the column with increment 8
    Tensor col = make_view(big, {6, 1}, {8, 1}, 2);
    Tensor out_col = make_empty({6, 1}, dt, Device{});
    CHECK(allocations_during([&] { cpu::matmul(out_col, a, col); }) == 0);
    CHECK(values_equal(out_col, matmul(contiguous(a), contiguous(col))));
    // one matrix broadcast over a batch of 4 with stride 0 is read in place
    Tensor batch_a = make_view(a, {4, 6, 6}, {0, 1, 8}, a->offset);
    Tensor batch_b = make_view(b, {4, 6, 5}, {0, 8, 1}, b->offset);
    Tensor out_batch = make_empty({4, 6, 5}, dt, Device{});
    CHECK(allocations_during([&] { cpu::matmul(out_batch, batch_a, batch_b); }) == 0);
    CHECK(values_equal(select(out_batch, 0, 3), out));
  }
}

TEST_CASE("the matmul kernel copies strides that BLAS cannot read", "[matmul][internal]") {
  Tensor big = iota({6, 8}, DType::Float32);
  Tensor a = slice(slice(big, 0, 0, 6, 2), 1, 0, 8, 2);  // (3, 4) with strides (16, 2)
  Tensor b = iota({4, 2}, DType::Float32);
  Tensor out = make_empty({3, 2}, DType::Float32, Device{});
  CHECK(allocations_during([&] { cpu::matmul(out, a, b); }) > 0);
  CHECK(values_equal(out, matmul(contiguous(a), b)));
}

TEST_CASE("matmul grad nodes are named after PyTorch's kernel for the shapes", "[matmul][internal][autograd]") {
  auto grad_name = [](const DimVector& sa, const DimVector& sb) {
    TensorOptions o;
    o.dtype = DType::Float64;
    o.requires_grad = true;
    Tensor a = full(sa, 1.0, o), b = full(sb, 1.0, o);
    Tensor out = matmul(a, b);
    return std::string(autograd_meta(out).grad_fn->name());
  };
  CHECK(grad_name({3}, {3}) == "DotBackward0");
  CHECK(grad_name({2, 3}, {3}) == "MvBackward0");
  CHECK(grad_name({2, 3}, {3, 4}) == "MmBackward0");
  CHECK(grad_name({3}, {3, 4}) == "MmBackward0");
  CHECK(grad_name({5, 2, 3}, {5, 3, 4}) == "BmmBackward0");
  CHECK(grad_name({5, 2, 3}, {3}) == "BmmBackward0");
}

TEST_CASE("matmul out of memory is reported, not thrown past the op", "[matmul][internal]") {
  Tensor a = iota({4, 4}, DType::Float64);
  set_fail_allocation_at(1);
  CHECK_THROWS_AS(matmul(a, a), Error);
  set_fail_allocation_at(0);
  CHECK(matmul(a, a).numel() == 16);
}

TEST_CASE("the config string names the BLAS library and the kernel it selected", "[matmul][internal]") {
  std::string s = config_string();
  CHECK(s.find("blas: OpenBLAS") != std::string::npos);
  CHECK(s.find("blas core: " + blas_corename()) != std::string::npos);
  CHECK(!blas_corename().empty());
}
