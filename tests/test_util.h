// Helpers for tests written against the public C API.
#pragma once
#include <cstring>
#include <string>
#include <vector>

#include "catch.hpp"
#include "tensor/tensor.h"

// Owns a handle for the duration of a test.
struct Handle {
  tensor* t = nullptr;
  Handle() = default;
  explicit Handle(tensor* p) : t(p) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : t(o.t) { o.t = nullptr; }
  Handle& operator=(Handle&& o) noexcept {
    std::swap(t, o.t);
    return *this;
  }
  ~Handle() { tensor_free(t); }
  tensor** out() {
    tensor_free(t);
    t = nullptr;
    return &t;
  }
  operator tensor*() const { return t; }
  tensor* get() const { return t; }
};

// REQUIRE_OK(call) fails the test with the library's message.
#define REQUIRE_OK(call)                                                        \
  do {                                                                          \
    tensor_status st_ = (call);                                                 \
    INFO(#call << " -> " << tensor_status_string(st_) << ": " << tensor_last_error()); \
    REQUIRE(st_ == TENSOR_OK);                                                  \
  } while (0)

inline tensor_options opts_of(tensor_dtype dt) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = dt;
  return o;
}

template <typename T>
inline tensor_dtype dtype_for();
template <> inline tensor_dtype dtype_for<float>() { return TENSOR_FLOAT32; }
template <> inline tensor_dtype dtype_for<double>() { return TENSOR_FLOAT64; }
template <> inline tensor_dtype dtype_for<int32_t>() { return TENSOR_INT32; }
template <> inline tensor_dtype dtype_for<int64_t>() { return TENSOR_INT64; }
template <> inline tensor_dtype dtype_for<bool>() { return TENSOR_BOOL; }

// A new tensor from values and a shape (dtype from T).
template <typename T>
inline Handle make(const std::vector<T>& values, const std::vector<int64_t>& shape) {
  Handle h;
  tensor_options o = opts_of(dtype_for<T>());
  std::vector<unsigned char> bytes(values.size() * sizeof(T) + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    T v = values[i];
    std::memcpy(bytes.data() + i * sizeof(T), &v, sizeof(T));
  }
  REQUIRE_OK(tensor_from_data(h.out(), bytes.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

// The elements of t, row-major, converted to T through the library (to_dtype) when dtypes differ.
template <typename T>
inline std::vector<T> values(const tensor* t) {
  Handle conv;
  if (tensor_get_dtype(t) != dtype_for<T>()) {
    REQUIRE_OK(tensor_to_dtype(conv.out(), t, dtype_for<T>()));
    t = conv.get();
  }
  std::vector<T> r(static_cast<size_t>(tensor_numel(t)));
  std::vector<unsigned char> bytes(r.size() * sizeof(T) + 1);
  REQUIRE_OK(tensor_copy_to_host(t, bytes.data(), bytes.size()));
  for (size_t i = 0; i < r.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    r[i] = v;
  }
  return r;
}

inline std::vector<int64_t> shape_of(const tensor* t) {
  const int64_t* s = tensor_shape(t);
  return std::vector<int64_t>(s, s + tensor_ndim(t));
}

inline std::string format_of(const tensor* t) {
  int64_t n = tensor_format(t, nullptr, 0);
  REQUIRE(n >= 0);
  std::string s(static_cast<size_t>(n) + 1, '\0');
  tensor_format(t, &s[0], s.size());
  s.resize(static_cast<size_t>(n));
  return s;
}
