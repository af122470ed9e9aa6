// CUDA kernels of the parameterised activations (rows activation, activation_backward of
// LT_BACKEND_KERNELS; the CPU side is src/cpu/activation_kernels.cpp). One thread per element of the
// contiguous operands, the formulas those of core/activation_math.h (the CPU's), so both backends agree
// to the rounding of the device's libm.
#include <cuda_runtime.h>

#include "core/activation_math.h"
#include "core/status.h"
#include "cuda/cuda_check.h"
#include "cuda/kernels.h"
#include "cuda/runtime.h"

namespace lt::cuda {

namespace {

constexpr int kThreads = 256;

unsigned blocks_for(int64_t n) {
  const int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 65535 * 32 ? b : 65535 * 32);  // grid-stride loops cover the rest
}

template <ActivationOp op, typename T>
__global__ void activation_kernel(T* y, const T* x, int64_t n, T p0, T p1) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    y[i] = activation_f<op>(x[i], p0, p1);
}

template <ActivationOp op, typename T>
__global__ void activation_backward_kernel(T* gi, const T* g, const T* x, int64_t n, T p0, T p1) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x)
    gi[i] = activation_grad<op>(g[i], x[i], p0, p1);
}

// Runs LAUNCH(Op) for the runtime op (LAUNCH names the kernel template with ActivationOp::Op).
#define LT_ACT_SWITCH(op, LAUNCH) \
  switch (op) {                   \
    case ActivationOp::Gelu: LAUNCH(Gelu); return;           \
    case ActivationOp::GeluTanh: LAUNCH(GeluTanh); return;   \
    case ActivationOp::Softplus: LAUNCH(Softplus); return;   \
    case ActivationOp::LeakyRelu: LAUNCH(LeakyRelu); return; \
    case ActivationOp::Elu: LAUNCH(Elu); return;             \
    case ActivationOp::Clamp: LAUNCH(Clamp); return;         \
  }

template <typename T>
void launch_forward(ActivationOp op, T* y, const T* x, int64_t n, T p0, T p1, cudaStream_t s) {
  const unsigned b = blocks_for(n);
#define LT_ACT_FORWARD(Op) activation_kernel<ActivationOp::Op><<<b, kThreads, 0, s>>>(y, x, n, p0, p1)
  LT_ACT_SWITCH(op, LT_ACT_FORWARD)
#undef LT_ACT_FORWARD
  throw_error(Status::Internal, "activation kernel: unknown op");
}

template <typename T>
void launch_backward(ActivationOp op, T* gi, const T* g, const T* x, int64_t n, T p0, T p1, cudaStream_t s) {
  const unsigned b = blocks_for(n);
#define LT_ACT_BACKWARD(Op) activation_backward_kernel<ActivationOp::Op><<<b, kThreads, 0, s>>>(gi, g, x, n, p0, p1)
  LT_ACT_SWITCH(op, LT_ACT_BACKWARD)
#undef LT_ACT_BACKWARD
  throw_error(Status::Internal, "activation backward kernel: unknown op");
}

#undef LT_ACT_SWITCH

}  // namespace

void activation(ActivationOp op, const Tensor& out, const Tensor& a, double p0, double p1) {
  const int64_t n = out.numel();
  if (n == 0) return;
  cudaStream_t s = stream(out.device().index);
  LT_DISPATCH_FLOATING(a.dtype(), "activation", {
    launch_forward<scalar_t>(op, out.data_as<scalar_t>(), a.data_as<scalar_t>(), n, static_cast<scalar_t>(p0),
                             static_cast<scalar_t>(p1), s);
  });
  check_launch("activation");
}

void activation_backward(ActivationOp op, const Tensor& grad_in, const Tensor& grad_out, const Tensor& a, double p0,
                         double p1) {
  const int64_t n = grad_in.numel();
  if (n == 0) return;
  cudaStream_t s = stream(grad_in.device().index);
  LT_DISPATCH_FLOATING(a.dtype(), "activation_backward", {
    launch_backward<scalar_t>(op, grad_in.data_as<scalar_t>(), grad_out.data_as<scalar_t>(), a.data_as<scalar_t>(), n,
                              static_cast<scalar_t>(p0), static_cast<scalar_t>(p1), s);
  });
  check_launch("activation_backward");
}

}  // namespace lt::cuda
