// The C ABI boundary: handle <-> core object, argument checks, exception -> status, thread-local error
// text. Every exported function is a thin shim: validate, unwrap, call one op, wrap. No math here.
#pragma once
#include <cstring>
#include <string>
#include <utility>

#include "core/tensor.h"
#include "ops/ops.h"
#include "tensor/tensor.h"

namespace lt::capi {

// Stores "<call>: <message>" as this thread's last error.
void set_last_error(const char* call, const char* message) noexcept;
[[noreturn]] void fail(Status status, const std::string& message);

// A borrowed view of a caller's handle as a Tensor (no reference count traffic).
class Borrowed {
 public:
  explicit Borrowed(const tensor* t) : t_(Tensor::adopt(reinterpret_cast<TensorImpl*>(const_cast<tensor*>(t)))) {}
  ~Borrowed() { t_.release(); }
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  const Tensor& get() const { return t_; }
  operator const Tensor&() const { return t_; }

 private:
  Tensor t_;
};

// Validates a handle argument (NULL or not a live libtensor handle -> InvalidArgument).
inline const tensor* check_handle(const tensor* t, const char* arg) {
  if (!t) fail(Status::InvalidArgument, std::string("argument '") + arg + "' is NULL");
  if (reinterpret_cast<const TensorImpl*>(t)->magic != TensorImpl::kMagic)
    fail(Status::InvalidArgument, std::string("argument '") + arg + "' is not a valid tensor handle (freed?)");
  return t;
}
#define LT_ARG(name) ::lt::capi::Borrowed name##_t(::lt::capi::check_handle(name, #name))

// An optional tensor argument: NULL gives an undefined tensor, anything else must be a live handle.
inline Tensor optional_arg(const tensor* t, const char* name) {
  if (!t) return Tensor();
  return Borrowed(check_handle(t, name)).get();
}

inline bool valid_handle(const tensor* t) {
  return t && reinterpret_cast<const TensorImpl*>(t)->magic == TensorImpl::kMagic;
}
inline const TensorImpl* impl_of(const tensor* t) { return reinterpret_cast<const TensorImpl*>(t); }
inline tensor* to_handle(Tensor&& t) { return reinterpret_cast<tensor*>(t.release()); }

template <typename T>
inline T* check_out(T** out, const char* arg) {
  if (!out) fail(Status::InvalidArgument, std::string("output argument '") + arg + "' is NULL");
  *out = nullptr;
  return reinterpret_cast<T*>(out);
}

// The integer a C caller passed for an enum. C lets any int travel in an enum type, but in C++ loading an
// enum object whose value lies outside its enumerators' range is undefined behaviour, so shims read the
// bits of enum arguments instead of the enum (and take them by reference, which loads nothing).
template <typename E>
inline int32_t enum_value(const E& e) {
  static_assert(sizeof(E) == sizeof(int32_t), "C enums are int-sized");
  int32_t v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

TensorOptions options_from_c(const tensor_options* opts);
DType dtype_from_c(const tensor_dtype& dtype);
Device device_from_c(tensor_device device);
std::vector<int32_t> dims_from_c(const int32_t* dims, int32_t ndims);

// Runs body; converts any exception into a status and this thread's error message. `call` names the
// C function for the message. Out-parameters must be cleared by the body before it can fail.
template <typename F>
inline tensor_status guard(const char* call, F&& body) noexcept {
  try {
    body();
    return TENSOR_OK;
  } catch (const Error& e) {
    set_last_error(call, e.what());
    return static_cast<tensor_status>(e.status());
  } catch (const std::bad_alloc&) {
    set_last_error(call, "out of memory");
    return TENSOR_ERR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(call, e.what());
    return TENSOR_ERR_INTERNAL;
  } catch (...) {
    set_last_error(call, "unknown internal error");
    return TENSOR_ERR_INTERNAL;
  }
}

// The shape of most shims: clear *out, run `make` (returning a Tensor), hand it out.
template <typename F>
inline tensor_status produce(const char* call, tensor** out, F&& make) noexcept {
  return guard(call, [&] {
    check_out(out, "out");
    Tensor r = make();
    *out = to_handle(std::move(r));
  });
}

// The shape of shims with two outputs (max_dim, sort, topk ...): both cleared first (even when the other
// one is the NULL that fails the call), then `make` returns the pair of tensors handed out.
template <typename F>
inline tensor_status produce_pair(const char* call, tensor** values, tensor** indices, F&& make) noexcept {
  return guard(call, [&] {
    if (values) *values = nullptr;
    if (indices) *indices = nullptr;
    check_out(values, "values");
    check_out(indices, "indices");
    LT_CHECK(values != indices, Status::InvalidArgument, "values and indices must be different output pointers");
    std::pair<Tensor, Tensor> r = make();
    *values = to_handle(std::move(r.first));
    *indices = to_handle(std::move(r.second));
  });
}

}  // namespace lt::capi
