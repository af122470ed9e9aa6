// The CUDA Backend: checks that the device is usable, makes it current for the calling thread, and hands
// the work to the kernel entry points of cuda/kernels.h. Semantics (dtypes, shapes, autograd) stay in
// src/ops, which is device-agnostic; this class only runs kernels.
#include "core/backend.h"
#include "cuda/caching_allocator.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt {

namespace {

// Every tensor given to the backend lives on one GPU; its index selects the device.
int32_t enter(const Tensor& t) {
  const int32_t dev = t.device().index;
  cuda::set_device(dev);
  return dev;
}

class CudaBackend final : public Backend {
 public:
  Allocator& allocator(int32_t device_index) override {
    cuda::check_device(device_index);
    return cuda::device_allocator(device_index);
  }
  void binary(BinaryOp op, const Tensor& out, const Tensor& a, const Tensor& b) override {
    enter(out);
    cuda::binary(op, out, a, b);
  }
  void binary_scalar(BinaryOp op, const Tensor& out, const Tensor& a, double s) override {
    enter(out);
    cuda::binary_scalar(op, out, a, s);
  }
  void unary(UnaryOp op, const Tensor& out, const Tensor& a) override {
    enter(out);
    cuda::unary(op, out, a);
  }
  void where(const Tensor& out, const Tensor& cond, const Tensor& a, const Tensor& b) override {
    enter(out);
    cuda::where(out, cond, a, b);
  }
  void copy(const Tensor& dst, const Tensor& src) override {
    enter(dst);
    cuda::copy(dst, src);
  }
  void fill(const Tensor& out, double value) override {
    enter(out);
    cuda::fill(out, value);
  }
  void arange(const Tensor& out, double start, double step) override {
    enter(out);
    cuda::arange(out, start, step);
  }
  void linspace(const Tensor& out, double start, double end) override {
    enter(out);
    cuda::linspace(out, start, end);
  }
  void random_uniform(const Tensor& out, uint64_t seed, uint64_t offset) override {
    enter(out);
    cuda::random_uniform(out, seed, offset);
  }
  void random_normal(const Tensor& out, uint64_t seed, uint64_t offset) override {
    enter(out);
    cuda::random_normal(out, seed, offset);
  }
  void copy_across_devices(const Tensor& dst, const Tensor& src) override { cuda::copy_across_devices(dst, src); }
  void reduce(ReduceOp op, const Tensor& out, const Tensor& in, const DimVector& dims, int64_t correction) override {
    enter(in);
    cuda::reduce(op, out, in, dims, correction);
  }
  void arg_reduce(ReduceOp op, const Tensor& values, const Tensor& indices, const Tensor& in, int32_t dim) override {
    enter(in);
    cuda::arg_reduce(op, values, indices, in, dim);
  }
  void matmul(const Tensor& out, const Tensor& a, const Tensor& b) override {
    enter(out);
    cuda::matmul(out, a, b);
  }
};

}  // namespace

Backend& cuda_backend() {
  static CudaBackend* backend = new CudaBackend();
  if (__builtin_expect(cuda::device_count() == 0, 0))
    throw_error(Status::Device, "CUDA is not available: " + cuda::unavailable_reason());
  return *backend;
}

}  // namespace lt
