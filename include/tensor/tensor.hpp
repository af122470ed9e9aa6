/**
 * @file tensor.hpp
 * @brief libtensor for C++17: a header-only wrapper over the C ABI in tensor.h.
 *
 * Everything here is inline code that calls the C functions of libtensor.so, so a C++ program depends on
 * the C ABI only, never on the compiler or the standard library libtensor was built with.
 *
 * - libtensor::Tensor owns one reference to a C handle: copying it retains (both copies name the same
 *   tensor, as in PyTorch), destroying it frees. A default-constructed Tensor is undefined (a NULL handle).
 * - A failed call throws libtensor::Error, which carries the ::tensor_status and tensor_last_error()'s text.
 * - Methods are named as in PyTorch (reshape, permute, sum, max, backward, ...); in-place methods end in
 *   an underscore. Operators + - * / and comparisons work between tensors and with scalars on either
 *   side; comparisons return bool tensors, as in PyTorch.
 *
 * The namespace is `libtensor`, not `tensor`: tensor.h declares `typedef struct tensor tensor;` in the
 * global namespace, and C++ forbids a namespace with the same name as that type.
 *
 * @code
 *   namespace lt = libtensor;
 *   lt::Tensor x = lt::from_vector<float>({5, 8, 4, 6}, {2, 2}).requires_grad_();
 *   lt::Tensor y = x.pow(3).sum();
 *   y.backward();
 *   std::cout << y << "\n" << x.grad() << "\n";  // tensor(917., grad_fn=<SumBackward0>) ...
 * @endcode
 */
#ifndef TENSOR_TENSOR_HPP
#define TENSOR_TENSOR_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tensor/tensor.h"

namespace libtensor {

/** Element types (the values of ::tensor_dtype). */
enum class DType : int32_t {
  Float32 = TENSOR_FLOAT32,
  Float64 = TENSOR_FLOAT64,
  Int32 = TENSOR_INT32,
  Int64 = TENSOR_INT64,
  Bool = TENSOR_BOOL,
  Float16 = TENSOR_FLOAT16,
  BFloat16 = TENSOR_BFLOAT16,
  UInt8 = TENSOR_UINT8,
  Int8 = TENSOR_INT8,
  Int16 = TENSOR_INT16
};
constexpr DType kFloat32 = DType::Float32;
constexpr DType kFloat64 = DType::Float64;
constexpr DType kInt32 = DType::Int32;
constexpr DType kInt64 = DType::Int64;
constexpr DType kBool = DType::Bool;
constexpr DType kFloat16 = DType::Float16;
constexpr DType kHalf = DType::Float16;  // PyTorch's alias
constexpr DType kBFloat16 = DType::BFloat16;
constexpr DType kUInt8 = DType::UInt8;
constexpr DType kInt8 = DType::Int8;
constexpr DType kInt16 = DType::Int16;

/** "float32", "float64", "int32", "int64", "bool", "float16", "bfloat16", "uint8", "int8" or "int16". */
inline const char* dtype_name(DType d) { return tensor_dtype_name(static_cast<tensor_dtype>(d)); }

/** The DType of a C++ element type: dtype_of<float>::value == kFloat32. */
template <typename T>
struct dtype_of;
template <> struct dtype_of<float> { static constexpr DType value = DType::Float32; };
template <> struct dtype_of<double> { static constexpr DType value = DType::Float64; };
template <> struct dtype_of<int32_t> { static constexpr DType value = DType::Int32; };
template <> struct dtype_of<int64_t> { static constexpr DType value = DType::Int64; };
template <> struct dtype_of<bool> { static constexpr DType value = DType::Bool; };
template <> struct dtype_of<uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct dtype_of<int8_t> { static constexpr DType value = DType::Int8; };
template <> struct dtype_of<int16_t> { static constexpr DType value = DType::Int16; };

namespace detail {
inline uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
inline float float_of(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
// The 16 bits of Half and BFloat16, and their construction from raw bits.
template <typename Derived>
struct Bits16 {
  uint16_t bits = 0;
  static Derived from_bits(uint16_t b) {
    Derived d;
    d.bits = b;
    return d;
  }
};
}  // namespace detail

/**
 * A float16 (IEEE binary16) element: its 16 bits, for from_vector / to_vector / item with dtype kFloat16.
 * Converting from float rounds to nearest even (overflow to infinity, NaN stays NaN), exactly as the
 * library and PyTorch convert; converting to float is exact. It computes nothing itself: arithmetic on
 * tensors of it runs in the library.
 */
struct Half : detail::Bits16<Half> {
  Half() = default;
  /*implicit*/ Half(float f) { bits = encode(f); }  // NOLINT(google-explicit-constructor): as c10::Half
  /*implicit*/ operator float() const {             // NOLINT(google-explicit-constructor)
    const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    const uint32_t exp = (bits >> 10) & 0x1fu, man = bits & 0x3ffu;
    if (exp == 0) return std::copysign(std::ldexp(static_cast<float>(man), -24), sign ? -1.0f : 1.0f);
    if (exp == 0x1f) return detail::float_of(sign | 0x7f800000u | (man << 13));  // inf, NaN (payload kept)
    return detail::float_of(sign | ((exp + 112u) << 23) | (man << 13));
  }

 private:
  static uint16_t encode(float f) {
    const uint32_t all = detail::bits_of(f), sign = (all >> 16) & 0x8000u, mag = all & 0x7fffffffu;
    if (mag > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);   // NaN
    if (mag >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 (and inf): inf
    if (mag < 0x38800000u) {
      // Below 2^-14, a subnormal: the float addition of 2^-1 rounds |f| to a multiple of 2^-24 (nearest even)
      // and leaves that multiple in the low mantissa bits.
      return static_cast<uint16_t>(sign | (detail::bits_of(detail::float_of(mag) + 0.5f) - 0x3f000000u));
    }
    // Normal: drop 13 mantissa bits rounding to nearest even; a carry moves into the exponent as it should.
    const uint32_t rounded = mag + 0xfffu + ((mag >> 13) & 1u);
    return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
  }
};

/** A bfloat16 element (the top 16 bits of a float32), as Half: from float rounds to nearest even. */
struct BFloat16 : detail::Bits16<BFloat16> {
  BFloat16() = default;
  /*implicit*/ BFloat16(float f) { bits = encode(f); }  // NOLINT(google-explicit-constructor)
  /*implicit*/ operator float() const { return detail::float_of(static_cast<uint32_t>(bits) << 16); }  // NOLINT

 private:
  static uint16_t encode(float f) {
    const uint32_t u = detail::bits_of(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;  // NaN, as c10
    return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
  }
};

template <> struct dtype_of<Half> { static constexpr DType value = DType::Float16; };
template <> struct dtype_of<BFloat16> { static constexpr DType value = DType::BFloat16; };

/** Where a tensor lives. */
struct Device {
  int32_t type = TENSOR_CPU;
  int32_t index = 0;
  static Device cpu() { return Device{}; }
  static Device cuda(int32_t index = 0) { return Device{TENSOR_CUDA, index}; }
  bool is_cpu() const { return type == TENSOR_CPU; }
  bool is_cuda() const { return type == TENSOR_CUDA; }
  tensor_device c() const { return tensor_device{type, index}; }
  static Device from_c(tensor_device d) { return Device{d.type, d.index}; }
  bool operator==(const Device& o) const { return type == o.type && index == o.index; }
  bool operator!=(const Device& o) const { return !(*this == o); }
  /** "cpu" or "cuda:N", as PyTorch writes devices. */
  std::string str() const { return is_cpu() ? "cpu" : "cuda:" + std::to_string(index); }
};

/** A failed libtensor call: the status code and the library's message ("tensor_add: shapes ..."). */
class Error : public std::runtime_error {
 public:
  Error(tensor_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  tensor_status status() const noexcept { return status_; }

 private:
  tensor_status status_;
};

namespace detail {
/** Throws Error for a failed status, with this thread's last error message. */
inline void check(tensor_status st) {
  if (st != TENSOR_OK) throw Error(st, tensor_last_error());
}
}  // namespace detail

/**
 * Options for creation functions, set fluently: `TensorOptions().dtype(kFloat64).requires_grad(true)`.
 * A DType converts implicitly, so `zeros({2, 3}, kInt32)` works. Without an explicit dtype each
 * function uses PyTorch's default (float32, or the type of the values given).
 */
class TensorOptions {
 public:
  TensorOptions() = default;
  TensorOptions(DType d) { dtype_inplace(d); }  // NOLINT(google-explicit-constructor): as torch's
  TensorOptions(Device d) { c_.device = d.c(); }  // NOLINT(google-explicit-constructor)

  TensorOptions dtype(DType d) const {
    TensorOptions o = *this;
    o.dtype_inplace(d);
    return o;
  }
  TensorOptions device(Device d) const {
    TensorOptions o = *this;
    o.c_.device = d.c();
    return o;
  }
  TensorOptions requires_grad(bool r) const {
    TensorOptions o = *this;
    o.c_.requires_grad = r;
    return o;
  }
  bool has_dtype() const { return has_dtype_; }
  DType dtype() const { return static_cast<DType>(c_.dtype); }
  Device device() const { return Device::from_c(c_.device); }
  bool requires_grad() const { return c_.requires_grad; }
  /** The options with `d` as dtype unless one was set explicitly. */
  TensorOptions dtype_or(DType d) const { return has_dtype_ ? *this : dtype(d); }
  const tensor_options* c() const { return &c_; }

 private:
  void dtype_inplace(DType d) {
    c_.dtype = static_cast<tensor_dtype>(d);
    has_dtype_ = true;
  }
  tensor_options c_ = TENSOR_OPTIONS_INIT;
  bool has_dtype_ = false;
};

/**
 * The dims a reduction runs over: one dim (`t.sum(0)`, `t.mean(-1)`), a list (`t.sum({0, 2})`) or a
 * std::vector<int32_t>. Empty (the default) means every dim.
 */
class Dims {
 public:
  Dims() = default;
  Dims(int32_t dim) : dims_{dim} {}                                // NOLINT(google-explicit-constructor)
  Dims(std::initializer_list<int32_t> dims) : dims_(dims) {}        // NOLINT(google-explicit-constructor)
  Dims(std::vector<int32_t> dims) : dims_(std::move(dims)) {}       // NOLINT(google-explicit-constructor)
  const int32_t* data() const { return dims_.empty() ? nullptr : dims_.data(); }
  int32_t size() const { return static_cast<int32_t>(dims_.size()); }

 private:
  std::vector<int32_t> dims_;
};

class Tensor;
/** The result of max(dim) / min(dim): `auto [values, indices] = t.max(-1);`. */
struct ValuesIndices;

// The element-wise ops of the C API, listed once; the methods and free functions below are generated.
#define LIBTENSOR_UNARY_OPS(X)                                                                                  \
  X(neg) X(abs) X(exp) X(log) X(sqrt) X(sin) X(cos) X(tanh) X(sigmoid) X(relu) X(exp2) X(expm1) X(log2) X(log10) \
  X(log1p) X(rsqrt) X(square) X(reciprocal) X(tan) X(asin) X(acos) X(atan) X(sinh) X(cosh) X(erf) X(erfc)      \
  X(silu) X(floor) X(ceil) X(round) X(trunc) X(frac) X(sign) X(isnan) X(isinf) X(isfinite) X(logical_not)
#define LIBTENSOR_BINARY_OPS(X)                                                                          \
  X(add) X(sub) X(mul) X(div) X(pow) X(maximum) X(minimum) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(atan2) \
  X(remainder) X(fmod) X(floor_divide) X(logical_and) X(logical_or) X(logical_xor) X(bitwise_and)       \
  X(bitwise_or) X(bitwise_xor)
// Binary ops with a `double` variant in the C API (the others go through a 0-d scalar tensor).
#define LIBTENSOR_SCALAR_OPS(X) X(add) X(sub) X(mul) X(div) X(pow)
#define LIBTENSOR_NONSCALAR_OPS(X)                                                                          \
  X(maximum) X(minimum) X(eq) X(ne) X(lt) X(le) X(gt) X(ge) X(atan2) X(remainder) X(fmod) X(floor_divide) \
  X(logical_and) X(logical_or) X(logical_xor) X(bitwise_and) X(bitwise_or) X(bitwise_xor)
#define LIBTENSOR_INPLACE_OPS(X) X(add) X(sub) X(mul) X(div)

/** An owning handle to a libtensor tensor. */
class Tensor {
 public:
  /** An undefined tensor (NULL handle); calls on it throw TENSOR_ERR_INVALID_ARGUMENT. */
  Tensor() = default;
  /** Takes ownership of one reference of @p t (as returned through a C out-parameter). */
  static Tensor adopt(tensor* t) {
    Tensor r;
    r.t_ = t;
    return r;
  }
  /** Shares @p t: adds a reference, the caller keeps its own. */
  static Tensor borrow(tensor* t) { return adopt(tensor_retain(t)); }

  Tensor(const Tensor& o) : t_(tensor_retain(o.t_)) {}
  Tensor(Tensor&& o) noexcept : t_(o.t_) { o.t_ = nullptr; }
  Tensor& operator=(const Tensor& o) {
    Tensor copy(o);
    copy.swap(*this);
    return *this;
  }
  Tensor& operator=(Tensor&& o) noexcept {
    Tensor moved(std::move(o));
    moved.swap(*this);
    return *this;
  }
  ~Tensor() { tensor_free(t_); }
  void swap(Tensor& o) noexcept { std::swap(t_, o.t_); }

  /** The C handle (still owned by this Tensor). */
  tensor* get() const { return t_; }
  /** Gives up ownership of the C handle. */
  tensor* release() {
    tensor* t = t_;
    t_ = nullptr;
    return t;
  }
  bool defined() const { return t_ != nullptr; }

  // ---- inspection ----
  int32_t ndim() const { return tensor_ndim(t_); }
  int32_t dim() const { return ndim(); }
  std::vector<int64_t> shape() const {
    const int64_t* s = tensor_shape(t_);
    return s ? std::vector<int64_t>(s, s + ndim()) : std::vector<int64_t>();
  }
  std::vector<int64_t> sizes() const { return shape(); }
  std::vector<int64_t> strides() const {
    const int64_t* s = tensor_strides(t_);
    return s ? std::vector<int64_t>(s, s + ndim()) : std::vector<int64_t>();
  }
  /** Size of dim @p d (negative counts from the end); throws TENSOR_ERR_INDEX when out of range. */
  int64_t size(int32_t d) const {
    int64_t s = tensor_size(t_, d);
    if (s < 0)
      throw Error(TENSOR_ERR_INDEX, "size: dim " + std::to_string(d) + " out of range for a tensor with " +
                                        std::to_string(ndim()) + " dims");
    return s;
  }
  int64_t numel() const { return tensor_numel(t_); }
  DType dtype() const { return static_cast<DType>(tensor_get_dtype(t_)); }
  Device device() const { return Device::from_c(tensor_get_device(t_)); }
  bool is_contiguous() const { return tensor_is_contiguous(t_); }
  bool is_floating_point() const {
    const DType d = dtype();
    return d == kFloat32 || d == kFloat64 || d == kFloat16 || d == kBFloat16;
  }

  // ---- data out ----
  /** The value of a one-element tensor. */
  double item() const {
    double v = 0;
    detail::check(tensor_item(t_, &v));
    return v;
  }
  /** The value of a one-element tensor as T (exact for int64). */
  template <typename T>
  T item() const {
    if (numel() != 1) (void)item();  // throws the library's message
    return to_vector<T>().at(0);
  }
  /** All elements row-major, converted to T by the library when the dtype differs. */
  template <typename T>
  std::vector<T> to_vector() const;
  /** CPU tensors: the first element; nullptr on other devices. */
  const void* data_ptr() const { return tensor_data(t_); }
  /** The text PyTorch prints for this tensor, e.g. "tensor([1., 2.])". */
  std::string str() const {
    if (!t_) return "[ Tensor (undefined) ]";
    int64_t n = tensor_format(t_, nullptr, 0);
    if (n < 0) detail::check(TENSOR_ERR_INTERNAL);
    std::string s(static_cast<size_t>(n) + 1, '\0');
    tensor_format(t_, &s[0], s.size());
    s.resize(static_cast<size_t>(n));
    return s;
  }

  // ---- shape and views ----
  /** A view when the strides allow, else a copy (PyTorch's reshape); one entry may be -1. */
  Tensor reshape(const std::vector<int64_t>& shape) const {
    return call([&](tensor** o) { return tensor_reshape(o, t_, shape.data(), ndim_of(shape)); });
  }
  Tensor flatten() const { return reshape({-1}); }
  Tensor permute(const std::vector<int32_t>& dims) const {
    return call([&](tensor** o) { return tensor_permute(o, t_, dims.data(), static_cast<int32_t>(dims.size())); });
  }
  Tensor transpose(int32_t d0, int32_t d1) const {
    return call([&](tensor** o) { return tensor_transpose(o, t_, d0, d1); });
  }
  /** Transpose of a matrix (dims 0 and 1; a 0-d or 1-D tensor is returned as is, as in PyTorch). */
  Tensor t() const { return ndim() < 2 ? *this : transpose(0, 1); }
  Tensor expand(const std::vector<int64_t>& shape) const {
    return call([&](tensor** o) { return tensor_expand(o, t_, shape.data(), ndim_of(shape)); });
  }
  Tensor expand_as(const Tensor& other) const { return expand(other.shape()); }
  Tensor squeeze() const {
    return call([&](tensor** o) { return tensor_squeeze_all(o, t_); });
  }
  Tensor squeeze(int32_t dim) const {
    return call([&](tensor** o) { return tensor_squeeze(o, t_, dim); });
  }
  Tensor unsqueeze(int32_t dim) const {
    return call([&](tensor** o) { return tensor_unsqueeze(o, t_, dim); });
  }
  /** t[start:end:step] along @p dim (Python slicing). */
  Tensor slice(int32_t dim, int64_t start, int64_t end, int64_t step = 1) const {
    return call([&](tensor** o) { return tensor_slice(o, t_, dim, start, end, step); });
  }
  Tensor select(int32_t dim, int64_t index) const {
    return call([&](tensor** o) { return tensor_select(o, t_, dim, index); });
  }
  /** t[index] (along dim 0). */
  Tensor operator[](int64_t index) const { return select(0, index); }
  Tensor contiguous() const {
    return call([&](tensor** o) { return tensor_contiguous(o, t_); });
  }
  Tensor clone() const {
    return call([&](tensor** o) { return tensor_clone(o, t_); });
  }
  Tensor to(DType d) const {
    return call([&](tensor** o) { return tensor_to_dtype(o, t_, static_cast<tensor_dtype>(d)); });
  }
  Tensor to(Device d) const {
    return call([&](tensor** o) { return tensor_to_device(o, t_, d.c()); });
  }
  Tensor cpu() const { return to(Device::cpu()); }
  Tensor cuda(int32_t index = 0) const { return to(Device::cuda(index)); }

  // ---- element-wise ----
#define LIBTENSOR_X(name) \
  Tensor name() const { return call([&](tensor** o) { return tensor_##name(o, t_); }); }
  LIBTENSOR_UNARY_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X
#define LIBTENSOR_X(name) \
  Tensor name(const Tensor& other) const { return call([&](tensor** o) { return tensor_##name(o, t_, other.t_); }); }
  LIBTENSOR_BINARY_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X
#define LIBTENSOR_X(name) \
  Tensor name(double s) const { return call([&](tensor** o) { return tensor_##name##_scalar(o, t_, s); }); }
  LIBTENSOR_SCALAR_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X
#define LIBTENSOR_X(name) \
  Tensor name(double s) const { return name(scalar_like(s)); }
  LIBTENSOR_NONSCALAR_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X

  /**
   * A 0-d tensor holding @p s, on this tensor's device, with the dtype a Python number gets next to this
   * tensor in PyTorch: this dtype for floating tensors and for integral s, float32 for a fractional s
   * with an integer or bool tensor, int64 for an integral s with a bool tensor. (0-d tensors do not
   * widen the other operand, so `t < s` computes as `t < python_number` would.)
   */
  Tensor scalar_like(double s) const;

  // ---- in place (return *this) ----
#define LIBTENSOR_X(name)                                  \
  Tensor& name##_(const Tensor& other) {                   \
    detail::check(tensor_##name##_(t_, other.t_));         \
    return *this;                                          \
  }                                                        \
  Tensor& name##_(double s) { return name##_(scalar_like(s)); }
  LIBTENSOR_INPLACE_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X
  Tensor& copy_(const Tensor& src) {
    detail::check(tensor_copy_(t_, src.t_));
    return *this;
  }
  Tensor& fill_(double value) {
    detail::check(tensor_fill_(t_, value));
    return *this;
  }
  Tensor& zero_() {
    detail::check(tensor_zero_(t_));
    return *this;
  }
  Tensor& operator+=(const Tensor& o) { return add_(o); }
  Tensor& operator-=(const Tensor& o) { return sub_(o); }
  Tensor& operator*=(const Tensor& o) { return mul_(o); }
  Tensor& operator/=(const Tensor& o) { return div_(o); }
  Tensor& operator+=(double s) { return add_(s); }
  Tensor& operator-=(double s) { return sub_(s); }
  Tensor& operator*=(double s) { return mul_(s); }
  Tensor& operator/=(double s) { return div_(s); }

  // ---- reductions (Dims: one dim, a {list} or a std::vector; empty means every dim) ----
  Tensor sum(const Dims& dims = {}, bool keepdim = false) const { return reduce(&tensor_sum, dims, keepdim); }
  Tensor mean(const Dims& dims = {}, bool keepdim = false) const { return reduce(&tensor_mean, dims, keepdim); }
  Tensor prod(const Dims& dims = {}, bool keepdim = false) const { return reduce(&tensor_prod, dims, keepdim); }
  /** Variance with divisor N - correction (1: unbiased, PyTorch's default). */
  Tensor var(const Dims& dims = {}, int64_t correction = 1, bool keepdim = false) const {
    return call([&](tensor** o) { return tensor_var(o, t_, dims.data(), dims.size(), correction, keepdim); });
  }
  /** Standard deviation with divisor N - correction. */
  Tensor std(const Dims& dims = {}, int64_t correction = 1, bool keepdim = false) const {
    return call([&](tensor** o) { return tensor_std(o, t_, dims.data(), dims.size(), correction, keepdim); });
  }
  /** Largest element (0-d). */
  Tensor max() const {
    return call([&](tensor** o) { return tensor_max(o, t_); });
  }
  /** Smallest element (0-d). */
  Tensor min() const {
    return call([&](tensor** o) { return tensor_min(o, t_); });
  }
  /** Largest values along @p dim and their int64 indices. */
  ValuesIndices max(int32_t dim, bool keepdim = false) const;
  /** Smallest values along @p dim and their int64 indices. */
  ValuesIndices min(int32_t dim, bool keepdim = false) const;
  /** Sorted along @p dim (stable; NaN largest) and the int64 indices: tensor_sort. */
  ValuesIndices sort(int32_t dim = -1, bool descending = false, bool stable = false) const;
  /** The int64 indices that sort along @p dim: tensor_argsort. */
  Tensor argsort(int32_t dim = -1, bool descending = false) const;
  /** The @p k largest (smallest) values along @p dim and their indices: tensor_topk. */
  ValuesIndices topk(int64_t k, int32_t dim = -1, bool largest = true, bool sorted = true) const;
  Tensor argmax(int32_t dim, bool keepdim = false) const {
    return call([&](tensor** o) { return tensor_argmax(o, t_, dim, keepdim); });
  }
  Tensor argmin(int32_t dim, bool keepdim = false) const {
    return call([&](tensor** o) { return tensor_argmin(o, t_, dim, keepdim); });
  }
  /** True where every element is nonzero (bool). */
  Tensor all(const Dims& dims = {}, bool keepdim = false) const { return reduce(&tensor_all, dims, keepdim); }
  /** True where any element is nonzero (bool). */
  Tensor any(const Dims& dims = {}, bool keepdim = false) const { return reduce(&tensor_any, dims, keepdim); }

  // ---- linear algebra ----
  Tensor matmul(const Tensor& other) const {
    return call([&](tensor** o) { return tensor_matmul(o, t_, other.t_); });
  }

  // ---- autograd ----
  /** Back-propagates from a one-element tensor (d(this)/d(this) = 1). */
  void backward() const { detail::check(tensor_backward(t_, nullptr, false)); }
  /** Back-propagates d(loss)/d(this) = @p grad (undefined only for a one-element tensor). */
  void backward(const Tensor& grad, bool retain_graph = false) const {
    detail::check(tensor_backward(t_, grad.t_, retain_graph));
  }
  /** The accumulated grad (an undefined Tensor when there is none). */
  Tensor grad() const {
    return call([&](tensor** o) { return tensor_grad(o, t_); });
  }
  bool requires_grad() const { return tensor_requires_grad(t_); }
  /** Marks a leaf as requiring grad; returns *this (as PyTorch's requires_grad_()). */
  Tensor& requires_grad_(bool r = true) {
    detail::check(tensor_set_requires_grad(t_, r));
    return *this;
  }
  bool is_leaf() const { return tensor_is_leaf(t_); }
  /** Drops the accumulated grad. */
  void zero_grad() { detail::check(tensor_zero_grad(t_)); }
  Tensor detach() const {
    return call([&](tensor** o) { return tensor_detach(o, t_); });
  }

 private:
  template <typename F>
  static Tensor call(F&& f) {
    tensor* out = nullptr;
    detail::check(f(&out));
    return adopt(out);
  }
  template <typename R>
  Tensor reduce(R fn, const Dims& dims, bool keepdim) const {
    return call([&](tensor** o) { return fn(o, t_, dims.data(), dims.size(), keepdim); });
  }
  template <typename V>
  static int32_t ndim_of(const std::vector<V>& v) { return static_cast<int32_t>(v.size()); }
  ValuesIndices extreme_dim(tensor_status (*fn)(tensor**, tensor**, const tensor*, int32_t, bool), int32_t dim,
                            bool keepdim) const;

  tensor* t_ = nullptr;
};

struct ValuesIndices {
  Tensor values;
  Tensor indices;
};

inline ValuesIndices Tensor::extreme_dim(tensor_status (*fn)(tensor**, tensor**, const tensor*, int32_t, bool),
                                         int32_t dim, bool keepdim) const {
  tensor *v = nullptr, *i = nullptr;
  detail::check(fn(&v, &i, t_, dim, keepdim));
  return ValuesIndices{adopt(v), adopt(i)};
}
inline ValuesIndices Tensor::max(int32_t dim, bool keepdim) const { return extreme_dim(&tensor_max_dim, dim, keepdim); }
inline ValuesIndices Tensor::min(int32_t dim, bool keepdim) const { return extreme_dim(&tensor_min_dim, dim, keepdim); }
inline ValuesIndices Tensor::sort(int32_t dim, bool descending, bool stable) const {
  tensor *v = nullptr, *i = nullptr;
  detail::check(tensor_sort(&v, &i, t_, dim, descending, stable));
  return ValuesIndices{adopt(v), adopt(i)};
}
inline Tensor Tensor::argsort(int32_t dim, bool descending) const {
  return call([&](tensor** o) { return tensor_argsort(o, t_, dim, descending); });
}
inline ValuesIndices Tensor::topk(int64_t k, int32_t dim, bool largest, bool sorted) const {
  tensor *v = nullptr, *i = nullptr;
  detail::check(tensor_topk(&v, &i, t_, k, dim, largest, sorted));
  return ValuesIndices{adopt(v), adopt(i)};
}

template <typename T>
std::vector<T> Tensor::to_vector() const {
  constexpr DType want = dtype_of<T>::value;
  const Tensor src = dtype() == want ? *this : to(want);
  const size_t n = static_cast<size_t>(src.numel());
  if constexpr (std::is_same<T, bool>::value) {  // std::vector<bool> has no data()
    std::unique_ptr<bool[]> buf(new bool[n + 1]);
    detail::check(tensor_copy_to_host(src.t_, buf.get(), n * sizeof(bool)));
    return std::vector<bool>(buf.get(), buf.get() + n);
  } else {
    std::vector<T> out(n);
    detail::check(tensor_copy_to_host(src.t_, out.data(), n * sizeof(T)));
    return out;
  }
}

// ---- creation ----------------------------------------------------------------------------------------
namespace detail {
template <typename F>
inline Tensor make(F&& f) {
  tensor* out = nullptr;
  check(f(&out));
  return Tensor::adopt(out);
}
inline int32_t ndim_of(const std::vector<int64_t>& shape) { return static_cast<int32_t>(shape.size()); }
// Throws unless `count` values exactly fill `shape` (checked before the C call reads them). Shapes the
// library rejects anyway (negative sizes) are left to it, for its message.
inline void check_value_count(const char* call, size_t count, const std::vector<int64_t>& shape) {
  uint64_t numel = 1;
  for (int64_t s : shape) {
    if (s < 0) return;
    if (s != 0 && numel > UINT64_MAX / static_cast<uint64_t>(s)) return;
    numel *= static_cast<uint64_t>(s);
  }
  if (numel != count)
    throw Error(TENSOR_ERR_SHAPE, std::string(call) + ": " + std::to_string(count) + " values given for a shape of " +
                                      std::to_string(numel) + " elements");
}
// PyTorch's dtype for a Python number: bool -> bool, integer -> int64, floating -> float32 (default).
template <typename S>
constexpr DType dtype_for_number() {
  return std::is_same<S, bool>::value ? kBool : std::is_integral<S>::value ? kInt64 : kFloat32;
}
}  // namespace detail

/** A tensor of the given shape holding a copy of @p values (row-major; dtype from T). */
template <typename T>
Tensor from_vector(const std::vector<T>& values, const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  detail::check_value_count("from_vector", values.size(), shape);
  const TensorOptions o = opts.dtype(dtype_of<T>::value).requires_grad(false);
  Tensor t;
  if constexpr (std::is_same<T, bool>::value) {
    std::unique_ptr<bool[]> buf(new bool[values.size() + 1]);
    for (size_t i = 0; i < values.size(); ++i) buf[i] = values[i];
    t = detail::make([&](tensor** out) { return tensor_from_data(out, buf.get(), shape.data(), detail::ndim_of(shape), o.c()); });
  } else {
    t = detail::make([&](tensor** out) { return tensor_from_data(out, values.data(), shape.data(), detail::ndim_of(shape), o.c()); });
  }
  if (opts.has_dtype() && opts.dtype() != dtype_of<T>::value) t = t.to(opts.dtype());
  if (opts.requires_grad()) t.requires_grad_();
  return t;
}
/** A 1-D tensor holding a copy of @p values. */
template <typename T>
Tensor from_vector(const std::vector<T>& values, TensorOptions opts = {}) {
  return from_vector(values, {static_cast<int64_t>(values.size())}, opts);
}
/** `from_list({0.5, 13., 4.})`, optionally with a shape: `from_list({1, 2, 3, 4}, {2, 2})`. */
template <typename T>
Tensor from_list(std::initializer_list<T> values, const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return from_vector(std::vector<T>(values), shape, opts);
}
template <typename T>
Tensor from_list(std::initializer_list<T> values, TensorOptions opts = {}) {
  return from_vector(std::vector<T>(values), opts);
}
/** A 0-d tensor (dtype from the number's type unless @p opts names one). */
template <typename S, typename = std::enable_if_t<std::is_arithmetic<S>::value>>
Tensor scalar_tensor(S value, TensorOptions opts = {}) {
  const TensorOptions o = opts.dtype_or(detail::dtype_for_number<S>());
  static const int64_t no_dims[1] = {0};
  return detail::make([&](tensor** out) { return tensor_full(out, no_dims, 0, static_cast<double>(value), o.c()); });
}

inline Tensor empty(const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_empty(o, shape.data(), detail::ndim_of(shape), opts.c()); });
}
inline Tensor zeros(const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_zeros(o, shape.data(), detail::ndim_of(shape), opts.c()); });
}
inline Tensor ones(const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_ones(o, shape.data(), detail::ndim_of(shape), opts.c()); });
}
/** Filled with @p value; the dtype follows the value's type (as torch.full) unless @p opts names one. */
template <typename S, typename = std::enable_if_t<std::is_arithmetic<S>::value>>
Tensor full(const std::vector<int64_t>& shape, S value, TensorOptions opts = {}) {
  const TensorOptions o = opts.dtype_or(detail::dtype_for_number<S>());
  return detail::make([&](tensor** out) {
    return tensor_full(out, shape.data(), detail::ndim_of(shape), static_cast<double>(value), o.c());
  });
}
/** start, start+step, ... below end: int64 when all three are integers (as torch.arange), else float32. */
template <typename A, typename B, typename C = int,
          typename = std::enable_if_t<std::is_arithmetic<A>::value && std::is_arithmetic<B>::value &&
                                      std::is_arithmetic<C>::value>>
Tensor arange(A start, B end, C step = 1, TensorOptions opts = {}) {
  const bool ints = std::is_integral<A>::value && std::is_integral<B>::value && std::is_integral<C>::value;
  const TensorOptions o = opts.dtype_or(ints ? kInt64 : kFloat32);
  return detail::make([&](tensor** out) {
    return tensor_arange(out, static_cast<double>(start), static_cast<double>(end), static_cast<double>(step), o.c());
  });
}
/** 0, 1, ... below end. */
template <typename B, typename = std::enable_if_t<std::is_arithmetic<B>::value>>
Tensor arange(B end, TensorOptions opts = {}) {
  return arange(B(0), end, B(1), opts);
}
inline Tensor linspace(double start, double end, int64_t steps, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_linspace(o, start, end, steps, opts.c()); });
}
inline Tensor eye(int64_t n, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_eye(o, n, opts.c()); });
}
/** Uniform in [0, 1) from this thread's stream (seeded by manual_seed). */
inline Tensor rand(const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_rand(o, shape.data(), detail::ndim_of(shape), opts.c()); });
}
/** Standard normal from this thread's stream. */
inline Tensor randn(const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  return detail::make([&](tensor** o) { return tensor_randn(o, shape.data(), detail::ndim_of(shape), opts.c()); });
}
inline Tensor zeros_like(const Tensor& t) {
  return detail::make([&](tensor** o) { return tensor_zeros_like(o, t.get()); });
}
inline Tensor ones_like(const Tensor& t) {
  return detail::make([&](tensor** o) { return tensor_ones_like(o, t.get()); });
}
inline void manual_seed(uint64_t seed) { tensor_manual_seed(seed); }

inline Tensor Tensor::scalar_like(double s) const {
  // The C API's rule for a double next to an integer tensor: integral values act as Python ints.
  const bool integral = std::isfinite(s) && std::floor(s) == s && std::fabs(s) < 9.2e18;
  DType d = dtype();
  if (d == kBool)
    d = integral ? kInt64 : kFloat32;
  else if (!is_floating_point() && !integral)
    d = kFloat32;
  return scalar_tensor(s, TensorOptions().dtype(d).device(device()));
}

// ---- free functions ----------------------------------------------------------------------------------
#define LIBTENSOR_X(name) \
  inline Tensor name(const Tensor& t) { return t.name(); }
LIBTENSOR_UNARY_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X
#define LIBTENSOR_X(name) \
  inline Tensor name(const Tensor& a, const Tensor& b) { return a.name(b); }
LIBTENSOR_BINARY_OPS(LIBTENSOR_X)
#undef LIBTENSOR_X

inline Tensor matmul(const Tensor& a, const Tensor& b) { return a.matmul(b); }
/** cond ? a : b element-wise, broadcasting all three (cond must be bool). */
inline Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  return detail::make([&](tensor** o) { return tensor_where(o, cond.get(), a.get(), b.get()); });
}
// ---- softmax and losses (the "Softmax and losses" group of tensor.h; PyTorch's defaults) ----
enum class Reduction : int32_t { None = TENSOR_REDUCTION_NONE, Mean = TENSOR_REDUCTION_MEAN, Sum = TENSOR_REDUCTION_SUM };
inline Tensor softmax(const Tensor& a, int32_t dim) {
  return detail::make([&](tensor** o) { return tensor_softmax(o, a.get(), dim); });
}
inline Tensor log_softmax(const Tensor& a, int32_t dim) {
  return detail::make([&](tensor** o) { return tensor_log_softmax(o, a.get(), dim); });
}
/** Over `dims` (empty: all dims). */
inline Tensor logsumexp(const Tensor& a, const std::vector<int32_t>& dims = {}, bool keepdim = false) {
  return detail::make([&](tensor** o) {
    return tensor_logsumexp(o, a.get(), dims.data(), static_cast<int32_t>(dims.size()), keepdim);
  });
}
/** `weight` may be an empty Tensor (no class weights). */
inline Tensor cross_entropy(const Tensor& logits, const Tensor& target, const Tensor& weight = Tensor(),
                            int64_t ignore_index = -100, double label_smoothing = 0.0,
                            Reduction reduction = Reduction::Mean) {
  return detail::make([&](tensor** o) {
    return tensor_cross_entropy(o, logits.get(), target.get(), weight.get(), ignore_index, label_smoothing,
                                static_cast<tensor_reduction>(reduction));
  });
}
inline Tensor nll_loss(const Tensor& log_probs, const Tensor& target, const Tensor& weight = Tensor(),
                       int64_t ignore_index = -100, Reduction reduction = Reduction::Mean) {
  return detail::make([&](tensor** o) {
    return tensor_nll_loss(o, log_probs.get(), target.get(), weight.get(), ignore_index,
                           static_cast<tensor_reduction>(reduction));
  });
}
inline Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean) {
  return detail::make([&](tensor** o) {
    return tensor_mse_loss(o, input.get(), target.get(), static_cast<tensor_reduction>(reduction));
  });
}
inline Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean) {
  return detail::make([&](tensor** o) {
    return tensor_l1_loss(o, input.get(), target.get(), static_cast<tensor_reduction>(reduction));
  });
}
inline Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean,
                             double beta = 1.0) {
  return detail::make([&](tensor** o) {
    return tensor_smooth_l1_loss(o, input.get(), target.get(), beta, static_cast<tensor_reduction>(reduction));
  });
}
inline Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target,
                                               const Tensor& weight = Tensor(), const Tensor& pos_weight = Tensor(),
                                               Reduction reduction = Reduction::Mean) {
  return detail::make([&](tensor** o) {
    return tensor_binary_cross_entropy_with_logits(o, logits.get(), target.get(), weight.get(), pos_weight.get(),
                                                   static_cast<tensor_reduction>(reduction));
  });
}
// ---- activations, clamp and linear (the "Activations, clamp and linear" group of tensor.h) ----
/** approximate='none' by default; `tanh_approximation` selects approximate='tanh'. */
inline Tensor gelu(const Tensor& a, bool tanh_approximation = false) {
  return detail::make([&](tensor** o) { return tensor_gelu(o, a.get(), tanh_approximation); });
}
inline Tensor softplus(const Tensor& a, double beta = 1.0, double threshold = 20.0) {
  return detail::make([&](tensor** o) { return tensor_softplus(o, a.get(), beta, threshold); });
}
inline Tensor leaky_relu(const Tensor& a, double negative_slope = 0.01) {
  return detail::make([&](tensor** o) { return tensor_leaky_relu(o, a.get(), negative_slope); });
}
inline Tensor elu(const Tensor& a, double alpha = 1.0) {
  return detail::make([&](tensor** o) { return tensor_elu(o, a.get(), alpha); });
}
/** Tensor bounds (an empty Tensor: no bound; not both). */
inline Tensor clamp(const Tensor& a, const Tensor& min, const Tensor& max) {
  return detail::make([&](tensor** o) { return tensor_clamp(o, a.get(), min.get(), max.get()); });
}
/** Scalar bounds (-INFINITY / INFINITY: no bound). */
inline Tensor clamp(const Tensor& a, double min, double max) {
  return detail::make([&](tensor** o) { return tensor_clamp_scalar(o, a.get(), min, max); });
}
/** x @ weight^T + bias (`bias` may be an empty Tensor). */
inline Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = Tensor()) {
  return detail::make([&](tensor** o) { return tensor_linear(o, x.get(), weight.get(), bias.get()); });
}
namespace detail {
inline std::vector<const tensor*> handles(const std::vector<Tensor>& ts) {
  std::vector<const tensor*> h;
  h.reserve(ts.size());
  for (const Tensor& t : ts) h.push_back(t.get());
  return h;
}
}  // namespace detail
inline Tensor cat(const std::vector<Tensor>& ts, int32_t dim = 0) {
  const std::vector<const tensor*> h = detail::handles(ts);
  return detail::make([&](tensor** o) { return tensor_cat(o, h.data(), static_cast<int32_t>(h.size()), dim); });
}
inline Tensor stack(const std::vector<Tensor>& ts, int32_t dim = 0) {
  const std::vector<const tensor*> h = detail::handles(ts);
  return detail::make([&](tensor** o) { return tensor_stack(o, h.data(), static_cast<int32_t>(h.size()), dim); });
}

// ---- indexing, scans and masks (the "Indexing, scans and masks" group of tensor.h) ----
inline Tensor index_select(const Tensor& a, int32_t dim, const Tensor& index) {
  return detail::make([&](tensor** o) { return tensor_index_select(o, a.get(), dim, index.get()); });
}
inline Tensor gather(const Tensor& a, int32_t dim, const Tensor& index) {
  return detail::make([&](tensor** o) { return tensor_gather(o, a.get(), dim, index.get()); });
}
inline Tensor scatter(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src) {
  return detail::make([&](tensor** o) { return tensor_scatter(o, a.get(), dim, index.get(), src.get()); });
}
inline Tensor scatter_add(const Tensor& a, int32_t dim, const Tensor& index, const Tensor& src) {
  return detail::make([&](tensor** o) { return tensor_scatter_add(o, a.get(), dim, index.get(), src.get()); });
}
/** In place on t (returned). */
inline Tensor& index_add_(Tensor& t, int32_t dim, const Tensor& index, const Tensor& src, double alpha = 1.0) {
  detail::check(tensor_index_add_(t.get(), dim, index.get(), src.get(), alpha));
  return t;
}
inline Tensor masked_fill(const Tensor& a, const Tensor& mask, double value) {
  return detail::make([&](tensor** o) { return tensor_masked_fill(o, a.get(), mask.get(), value); });
}
/** In place on t (returned). */
inline Tensor& masked_fill_(Tensor& t, const Tensor& mask, double value) {
  detail::check(tensor_masked_fill_(t.get(), mask.get(), value));
  return t;
}
inline Tensor masked_select(const Tensor& a, const Tensor& mask) {
  return detail::make([&](tensor** o) { return tensor_masked_select(o, a.get(), mask.get()); });
}
inline Tensor nonzero(const Tensor& a) {
  return detail::make([&](tensor** o) { return tensor_nonzero(o, a.get()); });
}
inline Tensor one_hot(const Tensor& index, int64_t num_classes = -1) {
  return detail::make([&](tensor** o) { return tensor_one_hot(o, index.get(), num_classes); });
}
inline Tensor cumsum(const Tensor& a, int32_t dim) {
  return detail::make([&](tensor** o) { return tensor_cumsum(o, a.get(), dim); });
}
inline Tensor cumprod(const Tensor& a, int32_t dim) {
  return detail::make([&](tensor** o) { return tensor_cumprod(o, a.get(), dim); });
}
inline ValuesIndices sort(const Tensor& a, int32_t dim = -1, bool descending = false, bool stable = false) {
  return a.sort(dim, descending, stable);
}
inline Tensor argsort(const Tensor& a, int32_t dim = -1, bool descending = false) { return a.argsort(dim, descending); }
inline ValuesIndices topk(const Tensor& a, int64_t k, int32_t dim = -1, bool largest = true, bool sorted = true) {
  return a.topk(k, dim, largest, sorted);
}

// ---- advanced indexing (the "Advanced indexing" group of tensor.h) ----
/** a[indices...] as NumPy / PyTorch; an empty Tensor in `indices` is a whole dim (':'). */
inline Tensor index(const Tensor& a, const std::vector<Tensor>& indices) {
  const std::vector<const tensor*> h = detail::handles(indices);
  return detail::make([&](tensor** o) { return tensor_index(o, a.get(), h.data(), static_cast<int32_t>(h.size())); });
}
/** In place on t (returned): t[indices...] = values, or += with accumulate. */
inline Tensor& index_put_(Tensor& t, const std::vector<Tensor>& indices, const Tensor& values,
                          bool accumulate = false) {
  const std::vector<const tensor*> h = detail::handles(indices);
  detail::check(tensor_index_put_(t.get(), h.data(), static_cast<int32_t>(h.size()), values.get(), accumulate));
  return t;
}

// ---- random draws (the "Random draws" group of tensor.h; this thread's Philox stream) ----
/** Integers in [low, high), int64 unless opts names a dtype (torch.randint). */
inline Tensor randint(int64_t low, int64_t high, const std::vector<int64_t>& shape, TensorOptions opts = {}) {
  const TensorOptions o = opts.dtype_or(kInt64);
  return detail::make([&](tensor** out) { return tensor_randint(out, low, high, shape.data(), detail::ndim_of(shape), o.c()); });
}
/** A random permutation of 0 .. n - 1, int64 unless opts names a dtype. */
inline Tensor randperm(int64_t n, TensorOptions opts = {}) {
  const TensorOptions o = opts.dtype_or(kInt64);
  return detail::make([&](tensor** out) { return tensor_randperm(out, n, o.c()); });
}
inline Tensor bernoulli(const Tensor& probs) {
  return detail::make([&](tensor** o) { return tensor_bernoulli(o, probs.get()); });
}
inline Tensor multinomial(const Tensor& probs, int64_t num_samples, bool replacement = false) {
  return detail::make([&](tensor** o) { return tensor_multinomial(o, probs.get(), num_samples, replacement); });
}
/** torch.nn.functional.dropout's defaults: p = 0.5, training = true. */
inline Tensor dropout(const Tensor& a, double p = 0.5, bool training = true) {
  return detail::make([&](tensor** o) { return tensor_dropout(o, a.get(), p, training); });
}
inline Tensor& uniform_(Tensor& t, double low = 0.0, double high = 1.0) {
  detail::check(tensor_uniform_(t.get(), low, high));
  return t;
}
inline Tensor& normal_(Tensor& t, double mean = 0.0, double std = 1.0) {
  detail::check(tensor_normal_(t.get(), mean, std));
  return t;
}
/** The calling thread's stream state (seed, offset); set_rng_state resumes it. */
struct RngState {
  uint64_t seed = 0;
  uint64_t offset = 0;
};
inline RngState get_rng_state() {
  RngState s;
  detail::check(tensor_get_rng_state(&s.seed, &s.offset));
  return s;
}
inline void set_rng_state(const RngState& s) { detail::check(tensor_set_rng_state(s.seed, s.offset)); }

// ---- operators ---------------------------------------------------------------------------------------
inline Tensor operator-(const Tensor& t) { return t.neg(); }
inline Tensor operator+(const Tensor& a, const Tensor& b) { return a.add(b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return a.sub(b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return a.mul(b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return a.div(b); }
inline Tensor operator+(const Tensor& a, double s) { return a.add(s); }
inline Tensor operator-(const Tensor& a, double s) { return a.sub(s); }
inline Tensor operator*(const Tensor& a, double s) { return a.mul(s); }
inline Tensor operator/(const Tensor& a, double s) { return a.div(s); }
inline Tensor operator+(double s, const Tensor& a) { return a.add(s); }
inline Tensor operator*(double s, const Tensor& a) { return a.mul(s); }
inline Tensor operator-(double s, const Tensor& a) { return a.scalar_like(s).sub(a); }
inline Tensor operator/(double s, const Tensor& a) { return a.scalar_like(s).div(a); }

inline Tensor operator==(const Tensor& a, const Tensor& b) { return a.eq(b); }
inline Tensor operator!=(const Tensor& a, const Tensor& b) { return a.ne(b); }
inline Tensor operator<(const Tensor& a, const Tensor& b) { return a.lt(b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return a.le(b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return a.gt(b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return a.ge(b); }
inline Tensor operator==(const Tensor& a, double s) { return a.eq(s); }
inline Tensor operator!=(const Tensor& a, double s) { return a.ne(s); }
inline Tensor operator<(const Tensor& a, double s) { return a.lt(s); }
inline Tensor operator<=(const Tensor& a, double s) { return a.le(s); }
inline Tensor operator>(const Tensor& a, double s) { return a.gt(s); }
inline Tensor operator>=(const Tensor& a, double s) { return a.ge(s); }
inline Tensor operator==(double s, const Tensor& a) { return a.eq(s); }
inline Tensor operator!=(double s, const Tensor& a) { return a.ne(s); }
inline Tensor operator<(double s, const Tensor& a) { return a.gt(s); }
inline Tensor operator<=(double s, const Tensor& a) { return a.ge(s); }
inline Tensor operator>(double s, const Tensor& a) { return a.lt(s); }
inline Tensor operator>=(double s, const Tensor& a) { return a.le(s); }

/** Prints as PyTorch does (Tensor::str()). */
inline std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.str(); }
inline std::ostream& operator<<(std::ostream& os, DType d) { return os << "torch." << dtype_name(d); }
inline std::ostream& operator<<(std::ostream& os, const Device& d) { return os << d.str(); }

// ---- grad mode, runtime ------------------------------------------------------------------------------
/** Turns graph recording off for this thread while it lives (PyTorch's torch.no_grad()). */
class NoGradGuard {
 public:
  NoGradGuard() : previous_(tensor_set_grad_enabled(false)) {}
  ~NoGradGuard() { tensor_set_grad_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

inline bool is_grad_enabled() { return tensor_is_grad_enabled(); }
inline bool set_grad_enabled(bool enabled) { return tensor_set_grad_enabled(enabled); }
inline const char* version() { return tensor_version(); }
inline bool cuda_available() { return tensor_cuda_available(); }
inline int32_t cuda_device_count() { return tensor_cuda_device_count(); }
inline void cuda_synchronize(int32_t device_index = 0) { detail::check(tensor_cuda_synchronize(device_index)); }
/** The cudaStream_t libtensor runs on for that GPU (tensor_cuda_stream), as a void*. */
inline void* cuda_stream(int32_t device_index = 0) {
  void* s = nullptr;
  detail::check(tensor_cuda_stream(&s, device_index));
  return s;
}
inline void set_num_threads(int32_t n) { detail::check(tensor_set_num_threads(n)); }
inline int32_t get_num_threads() { return tensor_get_num_threads(); }

// ---- optimizers and gradient clipping (tensor_optimizer_*, tensor_clip_grad_norm_) ----------------------

/** SGD options (tensor_sgd_options, defaults TENSOR_SGD_OPTIONS_INIT); chain the setters. */
struct SgdOptions {
  tensor_sgd_options o = TENSOR_SGD_OPTIONS_INIT;
  SgdOptions() = default;
  explicit SgdOptions(double lr) { o.lr = lr; }
  SgdOptions& lr(double v) { o.lr = v; return *this; }
  SgdOptions& momentum(double v) { o.momentum = v; return *this; }
  SgdOptions& dampening(double v) { o.dampening = v; return *this; }
  SgdOptions& weight_decay(double v) { o.weight_decay = v; return *this; }
  SgdOptions& nesterov(bool v) { o.nesterov = v; return *this; }
  SgdOptions& maximize(bool v) { o.maximize = v; return *this; }
};

/** Adam / AdamW options (tensor_adam_options, defaults TENSOR_ADAM_OPTIONS_INIT); chain the setters. */
struct AdamOptions {
  tensor_adam_options o = TENSOR_ADAM_OPTIONS_INIT;
  AdamOptions() = default;
  explicit AdamOptions(double lr) { o.lr = lr; }
  AdamOptions& lr(double v) { o.lr = v; return *this; }
  AdamOptions& betas(double b1, double b2) { o.beta1 = b1; o.beta2 = b2; return *this; }
  AdamOptions& eps(double v) { o.eps = v; return *this; }
  AdamOptions& weight_decay(double v) { o.weight_decay = v; return *this; }
  AdamOptions& amsgrad(bool v) { o.amsgrad = v; return *this; }
  AdamOptions& decoupled_weight_decay(bool v) { o.decoupled_weight_decay = v; return *this; }
  AdamOptions& maximize(bool v) { o.maximize = v; return *this; }
};

/** An optimizer over a list of parameters (RAII over tensor_optimizer; move-only). It holds its own
 * references to the parameters. Optimizer::sgd / adam / adamw construct; step, zero_grad, lr, state. */
class Optimizer {
 public:
  static Optimizer sgd(const std::vector<Tensor>& params, const SgdOptions& o = SgdOptions()) {
    std::vector<tensor*> hs = handles(params);
    Optimizer r;
    detail::check(tensor_optimizer_sgd(&r.o_, hs.data(), static_cast<int32_t>(hs.size()), &o.o));
    return r;
  }
  static Optimizer adam(const std::vector<Tensor>& params, const AdamOptions& o = AdamOptions()) {
    std::vector<tensor*> hs = handles(params);
    Optimizer r;
    detail::check(tensor_optimizer_adam(&r.o_, hs.data(), static_cast<int32_t>(hs.size()), &o.o));
    return r;
  }
  /** AdamW: Adam with decoupled weight decay (set weight_decay, e.g. 0.01, in @p o). */
  static Optimizer adamw(const std::vector<Tensor>& params, AdamOptions o = AdamOptions()) {
    o.decoupled_weight_decay(true);
    return adam(params, o);
  }
  Optimizer(Optimizer&& other) noexcept : o_(other.o_) { other.o_ = nullptr; }
  Optimizer& operator=(Optimizer&& other) noexcept {
    std::swap(o_, other.o_);
    return *this;
  }
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;
  ~Optimizer() { tensor_optimizer_free(o_); }

  void step() { detail::check(tensor_optimizer_step(o_)); }
  void zero_grad(bool set_to_none = true) { detail::check(tensor_optimizer_zero_grad(o_, set_to_none)); }
  double lr() const { return tensor_optimizer_get_lr(o_); }
  void set_lr(double lr) { detail::check(tensor_optimizer_set_lr(o_, lr)); }
  /** The live state tensor (undefined where torch keeps none); see tensor_optimizer_state. */
  Tensor state(int32_t param_index, const char* name) const {
    tensor* out = nullptr;
    detail::check(tensor_optimizer_state(&out, o_, param_index, name));
    return Tensor::adopt(out);
  }
  tensor_optimizer* get() const { return o_; }

 private:
  Optimizer() = default;
  static std::vector<tensor*> handles(const std::vector<Tensor>& params) {
    std::vector<tensor*> hs;
    hs.reserve(params.size());
    for (const Tensor& p : params) hs.push_back(p.get());
    return hs;
  }
  tensor_optimizer* o_ = nullptr;
};

/** torch.nn.utils.clip_grad_norm_: scales the grads so their total norm is at most @p max_norm; returns the
 * total before clipping (tensor_clip_grad_norm_). */
inline double clip_grad_norm_(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0) {
  std::vector<tensor*> hs;
  hs.reserve(params.size());
  for (const Tensor& p : params) hs.push_back(p.get());
  double total = 0;
  detail::check(tensor_clip_grad_norm_(&total, hs.data(), static_cast<int32_t>(hs.size()), max_norm, norm_type));
  return total;
}

// ---- tensor files ------------------------------------------------------------------------------------
/** An open safetensors / .npy / .npz file (tensor_file_open), closed when it goes. Tensors taken from it
 * stay valid after the close. */
class File {
 public:
  explicit File(const std::string& path) { detail::check(tensor_file_open(&f_, path.c_str())); }
  ~File() { tensor_file_close(f_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  File(File&& o) noexcept : f_(o.f_) { o.f_ = nullptr; }
  File& operator=(File&& o) noexcept {
    std::swap(f_, o.f_);
    return *this;
  }
  int64_t size() const { return tensor_file_count(f_); }
  /** The tensors' names, in file order. */
  std::vector<std::string> names() const {
    std::vector<std::string> r;
    for (int64_t i = 0; i < size(); ++i) r.emplace_back(tensor_file_name(f_, i));
    return r;
  }
  /** The tensor named @p name (zero-copy where the file allows). */
  Tensor get(const std::string& name) const {
    tensor* t = nullptr;
    detail::check(tensor_file_get(&t, f_, name.c_str()));
    return Tensor::adopt(t);
  }
  /** A safetensors __metadata__ value; @p fallback when absent. */
  std::string metadata(const std::string& key, const std::string& fallback = "") const {
    const char* v = tensor_file_metadata(f_, key.c_str());
    return v ? std::string(v) : fallback;
  }
  tensor_file* get() const { return f_; }

 private:
  tensor_file* f_ = nullptr;
};

namespace detail {
inline void file_arrays(const std::vector<std::pair<std::string, Tensor>>& tensors, std::vector<const char*>& names,
                        std::vector<const tensor*>& handles) {
  for (const auto& kv : tensors) {
    names.push_back(kv.first.c_str());
    handles.push_back(kv.second.get());
  }
}
}  // namespace detail

/** Saves named tensors as safetensors (atomically); @p metadata_json: "" or a JSON object of strings. */
inline void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
                             const std::string& metadata_json = "") {
  std::vector<const char*> names;
  std::vector<const tensor*> handles;
  detail::file_arrays(tensors, names, handles);
  detail::check(tensor_save_safetensors(path.c_str(), names.data(), handles.data(),
                                        static_cast<int32_t>(tensors.size()),
                                        metadata_json.empty() ? nullptr : metadata_json.c_str()));
}
/** Saves one tensor as a NumPy .npy file (atomically). */
inline void save_npy(const std::string& path, const Tensor& t) { detail::check(tensor_save_npy(path.c_str(), t.get())); }
/** Saves named tensors as a NumPy .npz file (atomically), deflated with @p compress. */
inline void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
                     bool compress = false) {
  std::vector<const char*> names;
  std::vector<const tensor*> handles;
  detail::file_arrays(tensors, names, handles);
  detail::check(tensor_save_npz(path.c_str(), names.data(), handles.data(), static_cast<int32_t>(tensors.size()),
                                compress));
}

// ---- normalisation layers (torch.nn.functional.batch_norm, layer_norm, group_norm; NCHW) ----
// running_mean / running_var are updated in place when training (either may be empty then).
inline Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                         const Tensor& weight = Tensor(), const Tensor& bias = Tensor(), bool training = false,
                         double momentum = 0.1, double eps = 1e-5) {
  return detail::make([&](tensor** o) {
    return tensor_batch_norm(o, input.get(), weight.get(), bias.get(), running_mean.get(), running_var.get(), training,
                             momentum, eps);
  });
}
inline Tensor layer_norm(const Tensor& input, const std::vector<int64_t>& normalized_shape,
                         const Tensor& weight = Tensor(), const Tensor& bias = Tensor(), double eps = 1e-5) {
  return detail::make([&](tensor** o) {
    return tensor_layer_norm(o, input.get(), normalized_shape.data(), static_cast<int32_t>(normalized_shape.size()),
                             weight.get(), bias.get(), eps);
  });
}
inline Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight = Tensor(),
                         const Tensor& bias = Tensor(), double eps = 1e-5) {
  return detail::make(
      [&](tensor** o) { return tensor_group_norm(o, input.get(), num_groups, weight.get(), bias.get(), eps); });
}

// ---- convolutions (torch.nn.functional.conv1d, conv2d, conv_transpose2d; NCHW) ----
// stride, padding, dilation and output_padding take one value (used for every spatial dim) or one per dim,
// as torch's int-or-tuple arguments; another count throws TENSOR_ERR_INVALID_ARGUMENT with torch's message.
namespace detail {
inline std::vector<int64_t> conv_param(const std::vector<int64_t>& v, size_t dims, const char* name) {
  if (v.size() != 1 && v.size() != dims) {
    std::string got;
    for (size_t i = 0; i < v.size(); ++i) got += (i ? ", " : "") + std::to_string(v[i]);
    throw Error(TENSOR_ERR_INVALID_ARGUMENT, std::string("expected ") + name +
                                                 " to be a single integer value or a list of " + std::to_string(dims) +
                                                 " values to match the convolution dimensions, but got " + name +
                                                 "=[" + got + "]");
  }
  return {v[0], v.back()};
}
}  // namespace detail

inline Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                     const std::vector<int64_t>& stride = {1}, const std::vector<int64_t>& padding = {0},
                     const std::vector<int64_t>& dilation = {1}, int64_t groups = 1) {
  const auto s = detail::conv_param(stride, 1, "stride"), p = detail::conv_param(padding, 1, "padding"),
             d = detail::conv_param(dilation, 1, "dilation");
  return detail::make([&](tensor** o) {
    return tensor_conv1d(o, input.get(), weight.get(), bias.get(), s.data(), p.data(), d.data(), groups);
  });
}
inline Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                     const std::vector<int64_t>& stride = {1}, const std::vector<int64_t>& padding = {0},
                     const std::vector<int64_t>& dilation = {1}, int64_t groups = 1) {
  const auto s = detail::conv_param(stride, 2, "stride"), p = detail::conv_param(padding, 2, "padding"),
             d = detail::conv_param(dilation, 2, "dilation");
  return detail::make([&](tensor** o) {
    return tensor_conv2d(o, input.get(), weight.get(), bias.get(), s.data(), p.data(), d.data(), groups);
  });
}
/** torch's argument order: groups before dilation. */
inline Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                               const std::vector<int64_t>& stride = {1}, const std::vector<int64_t>& padding = {0},
                               const std::vector<int64_t>& output_padding = {0}, int64_t groups = 1,
                               const std::vector<int64_t>& dilation = {1}) {
  const auto s = detail::conv_param(stride, 2, "stride"), p = detail::conv_param(padding, 2, "padding"),
             op = detail::conv_param(output_padding, 2, "output_padding"),
             d = detail::conv_param(dilation, 2, "dilation");
  return detail::make([&](tensor** o) {
    return tensor_conv_transpose2d(o, input.get(), weight.get(), bias.get(), s.data(), p.data(), op.data(), d.data(),
                                   groups);
  });
}

// ---- pooling, embedding and pad (torch.nn.functional.max_pool2d, avg_pool2d, adaptive_avg_pool2d,
// embedding, pad; NCHW) ----
/** A (height, width) pool argument as PyTorch's _pair: one int for both dims, or {h, w}. A default-made
 * one is "not given" (a stride then defaults to the kernel size, as stride=None). */
struct Size2 {
  int64_t v[2] = {0, 0};
  bool given = false;
  Size2() = default;
  Size2(int64_t both) : v{both, both}, given(true) {}  // NOLINT(google-explicit-constructor): torch's int form
  Size2(int64_t h, int64_t w) : v{h, w}, given(true) {}
  const int64_t* data() const { return given ? v : nullptr; }
};
/** max_pool2d with the chosen elements' int64 plane-local indices (torch's max_pool2d_with_indices). */
inline ValuesIndices max_pool2d_with_indices(const Tensor& input, Size2 kernel_size, Size2 stride = Size2(),
                                             Size2 padding = 0, Size2 dilation = 1, bool ceil_mode = false) {
  tensor *v = nullptr, *i = nullptr;
  detail::check(tensor_max_pool2d(&v, &i, input.get(), kernel_size.data(), stride.data(), padding.data(),
                                  dilation.data(), ceil_mode));
  return ValuesIndices{Tensor::adopt(v), Tensor::adopt(i)};
}
inline Tensor max_pool2d(const Tensor& input, Size2 kernel_size, Size2 stride = Size2(), Size2 padding = 0,
                         Size2 dilation = 1, bool ceil_mode = false) {
  return detail::make([&](tensor** o) {
    return tensor_max_pool2d(o, nullptr, input.get(), kernel_size.data(), stride.data(), padding.data(),
                             dilation.data(), ceil_mode);
  });
}
inline Tensor avg_pool2d(const Tensor& input, Size2 kernel_size, Size2 stride = Size2(), Size2 padding = 0,
                         bool ceil_mode = false, bool count_include_pad = true) {
  return detail::make([&](tensor** o) {
    return tensor_avg_pool2d(o, input.get(), kernel_size.data(), stride.data(), padding.data(), ceil_mode,
                             count_include_pad);
  });
}
inline Tensor adaptive_avg_pool2d(const Tensor& input, Size2 output_size) {
  return detail::make([&](tensor** o) { return tensor_adaptive_avg_pool2d(o, input.get(), output_size.data()); });
}
/** The rows of @p weight (V, D) picked by the int64/int32 @p indices (torch's argument order). */
inline Tensor embedding(const Tensor& indices, const Tensor& weight) {
  return detail::make([&](tensor** o) { return tensor_embedding(o, weight.get(), indices.get()); });
}
/** Constant padding: @p pads = (last dim front, back, the dim before front, back ...); negative crops. */
inline Tensor pad(const Tensor& input, const std::vector<int64_t>& pads, double value = 0.0) {
  return detail::make([&](tensor** o) {
    return tensor_pad(o, input.get(), pads.data(), static_cast<int32_t>(pads.size()), value);
  });
}

}  // namespace libtensor

#undef LIBTENSOR_UNARY_OPS
#undef LIBTENSOR_BINARY_OPS
#undef LIBTENSOR_SCALAR_OPS
#undef LIBTENSOR_NONSCALAR_OPS
#undef LIBTENSOR_INPLACE_OPS

#endif  // TENSOR_TENSOR_HPP
