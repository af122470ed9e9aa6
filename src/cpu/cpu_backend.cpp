#include "cpu/cpu_backend.h"

#include "core/allocator.h"

namespace lt {

namespace {

class CpuBackend final : public Backend {
 public:
  Allocator& allocator(int32_t) override { return cpu_allocator(); }
  void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) override {
    cpu::binary(op, out, a, b);
  }
  void mul_scaled(const Tensor& out, const Tensor& a, const Tensor& b, double s) override {
    cpu::mul_scaled(out, a, b, s);
  }
  void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) override {
    cpu::binary_scalar(op, out, a, s);
  }
  void unary(UnaryOp op, const Tensor& out, const Tensor& a) override { cpu::unary(op, out, a); }
  void where(const Tensor& out, const Tensor& c, const Tensor& a, const Tensor& b) override {
    cpu::where(out, c, a, b);
  }
  void copy(const Tensor& dst, const Tensor& src) override { cpu::copy(dst, src); }
  void fill(const Tensor& out, double v) override { cpu::fill(out, v); }
  void arange(const Tensor& out, double start, double step) override { cpu::arange(out, start, step); }
  void linspace(const Tensor& out, double start, double end) override { cpu::linspace(out, start, end); }
  void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset) override {
    cpu::random_uniform(out, seed, offset);
  }
  void random_normal(const Tensor& out, uint64_t seed, uint64_t offset) override {
    cpu::random_normal(out, seed, offset);
  }
  void copy_across_devices(const Tensor&, const Tensor&) override {
    throw_error(Status::Internal, "the CPU backend does not copy across devices");
  }
  void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims,
              int64_t correction) override {
    cpu::reduce(op, out, in, dims, correction);
  }
  void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in,
                  int32_t dim) override {
    cpu::arg_reduce(op, values, indices, in, dim);
  }
  void matmul(const Tensor& out, const Tensor& a, const Tensor& b) override { cpu::matmul(out, a, b); }
};

}  // namespace

Backend& cpu_backend() {
  static CpuBackend* b = new CpuBackend();
  return *b;
}

Backend& backend_for(Device device) {
  if (device.is_cpu()) return cpu_backend();
  return cuda_backend();
}

}  // namespace lt
