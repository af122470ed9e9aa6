// CPU kernels of the parameterised activations (rows activation, activation_backward of
// LT_BACKEND_KERNELS; formulas in core/activation_math.h, shared with CUDA). Operands are contiguous.
// float32 rows run the vector lanes of cpu/vec_activation.h (forward and backward). float64 rows: the
// tanh form of gelu runs its tanh through vec_math in chunks (tanh is most of its cost); leaky_relu is a
// loop the compiler vectorises; the others call libm per element.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/activation_math.h"
#include "core/parallel.h"
#include "core/status.h"
#include "cpu/kernels.h"
#include "cpu/vec_activation.h"
#include "cpu/vec_math.h"

namespace lt::cpu {

namespace {

constexpr int64_t kChunk = 512;

// Note [branchless select]: cond ? a : b over a row of random signs compiles to a branch that mispredicts
// half the time (~6 ns an element): GCC will not turn it into a select when a side multiplies, under
// -ftrapping-math. bit_select picks a or b by bit mask instead: no branch, and the loop vectorises.
// leaky_relu selects its factor (1 or slope; x * 1 is x exactly, so the result is the formula's).
template <typename T>
T bit_select(bool cond, T a, T b) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U ua, ub;
  std::memcpy(&ua, &a, sizeof ua);
  std::memcpy(&ub, &b, sizeof ub);
  const U mask = U(0) - U(cond);
  const U bits = (ua & mask) | (ub & ~mask);
  T r;
  std::memcpy(&r, &bits, sizeof r);
  return r;
}

template <typename T>
T leaky_factor(T x, T slope) {
  return bit_select(x > T(0), T(1), slope);
}

// gelu(x), tanh form, for n <= kChunk elements: the tanh argument into y, vector tanh, then the rest.
template <typename T>
void gelu_tanh_chunk(const T* x, T* y, int64_t n) {
  using namespace act_const;
  T t[kChunk] = {};  // initialised: GCC cannot see that the loop below writes the n elements vec_math reads
  for (int64_t i = 0; i < n; ++i) t[i] = T(kSqrt2OverPi) * (x[i] + T(kKappa) * x[i] * x[i] * x[i]);
  vec_math(VecOp::Tanh, t, t, n);
  for (int64_t i = 0; i < n; ++i) y[i] = T(0.5) * x[i] * (T(1) + t[i]);
}

// A clamp bound that is NaN makes every result NaN: the scalar formula's case, not the lanes'.
template <ActivationOp op, typename T>
bool lanes_take(T p0, T p1) {
  return std::is_same<T, float>::value && (op != ActivationOp::Clamp || (p0 == p0 && p1 == p1));
}

template <ActivationOp op, typename T>
void forward_range(const T* x, T* y, int64_t n, T p0, T p1) {
  if constexpr (std::is_same<T, float>::value) {
    if (lanes_take<op>(p0, p1)) return vec_activation(op, x, y, n, p0, p1);
  }
  if constexpr (op == ActivationOp::GeluTanh) {
    for (int64_t i = 0; i < n; i += kChunk) gelu_tanh_chunk(x + i, y + i, std::min(kChunk, n - i));
  } else if constexpr (op == ActivationOp::LeakyRelu) {
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] * leaky_factor(x[i], p0);
  } else {
    for (int64_t i = 0; i < n; ++i) y[i] = activation_f<op>(x[i], p0, p1);
  }
}

template <ActivationOp op, typename T>
void backward_range(const T* g, const T* x, T* gi, int64_t n, T p0, T p1) {
  if constexpr (std::is_same<T, float>::value) {
    if (lanes_take<op>(p0, p1)) return vec_activation_backward(op, g, x, gi, n, p0, p1);
  }
  if constexpr (op == ActivationOp::LeakyRelu) {
    for (int64_t i = 0; i < n; ++i) gi[i] = g[i] * leaky_factor(x[i], p0);  // Note [branchless select]
  } else {
    for (int64_t i = 0; i < n; ++i) gi[i] = activation_grad<op>(g[i], x[i], p0, p1);
  }
}

// Calls fn.template operator()<op>() for the runtime op.
template <class F>
void dispatch_op(ActivationOp op, F&& fn) {
  switch (op) {
    case ActivationOp::Gelu: return fn.template operator()<ActivationOp::Gelu>();
    case ActivationOp::GeluTanh: return fn.template operator()<ActivationOp::GeluTanh>();
    case ActivationOp::Softplus: return fn.template operator()<ActivationOp::Softplus>();
    case ActivationOp::LeakyRelu: return fn.template operator()<ActivationOp::LeakyRelu>();
    case ActivationOp::Elu: return fn.template operator()<ActivationOp::Elu>();
    case ActivationOp::Clamp: return fn.template operator()<ActivationOp::Clamp>();
  }
  throw_error(Status::Internal, "activation kernel: unknown op");
}

template <typename T>
struct Forward {
  const T* x;
  T* y;
  int64_t n;
  T p0, p1;
  template <ActivationOp op>
  void operator()() const {
    const Forward s = *this;
    parallel_for(n, kGrainSize, [s](int64_t b, int64_t e) { forward_range<op>(s.x + b, s.y + b, e - b, s.p0, s.p1); });
  }
};

template <typename T>
struct Backward {
  const T* g;
  const T* x;
  T* gi;
  int64_t n;
  T p0, p1;
  template <ActivationOp op>
  void operator()() const {
    const Backward s = *this;
    parallel_for(n, kGrainSize,
                 [s](int64_t b, int64_t e) { backward_range<op>(s.g + b, s.x + b, s.gi + b, e - b, s.p0, s.p1); });
  }
};

}  // namespace

void activation(ActivationOp op, const Tensor& out, const Tensor& a, double p0, double p1) {
  if (out.numel() == 0) return;
  LT_DISPATCH_FLOATING(a.dtype(), "activation", {
    dispatch_op(op, Forward<scalar_t>{a.data_as<scalar_t>(), out.data_as<scalar_t>(), out.numel(),
                                      static_cast<scalar_t>(p0), static_cast<scalar_t>(p1)});
  });
}

void activation_backward(ActivationOp op, const Tensor& grad_in, const Tensor& grad_out, const Tensor& a, double p0,
                         double p1) {
  if (grad_in.numel() == 0) return;
  LT_DISPATCH_FLOATING(a.dtype(), "activation_backward", {
    dispatch_op(op, Backward<scalar_t>{grad_out.data_as<scalar_t>(), a.data_as<scalar_t>(),
                                       grad_in.data_as<scalar_t>(), grad_in.numel(), static_cast<scalar_t>(p0),
                                       static_cast<scalar_t>(p1)});
  });
}

}  // namespace lt::cpu
