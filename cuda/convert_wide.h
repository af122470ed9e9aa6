// The generic dtype conversion of the CUDA copy kernel (copy.cu), host and device code so that a CPU
// test (tests/test_cuda_convert_wide.cpp) can hold it to the CPU's cast_value on every pair.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/scalar_ops.h"

namespace lt::cuda {

// Note [conversion]: one kernel for every (to, from) pair, 100 of them: the element is read into a wide
// value (double for floating sources, which holds float32, float16 and bfloat16 exactly; int64 for the
// others, which holds every integer and bool source exactly) and written with cast_value<To> from that
// value. This equals the CPU's direct cast_value<To, From> for every pair: float -> int range checks and
// truncation see the same number, int -> float rounds the same integer once, float32 -> float16 through
// double is float32 -> float16 because the double -> float32 step is exact, float64 -> float16 rounds
// twice (double -> float32 -> float16) as cast_value does, and integers narrow modulo 2^bits from int64 as
// from any wider source. tests/test_cuda_convert_wide.cpp checks that on the host, for every pair.
struct Wide {
  double f;
  int64_t i;
  bool is_float;
};

template <typename T>
LT_HOST_DEVICE T load_elem(const char* p) {
  return *reinterpret_cast<const T*>(p);
}

LT_HOST_DEVICE Wide load_wide(int32_t dtype, const char* p) {
  switch (static_cast<DType>(dtype)) {
    case DType::Float32: return {static_cast<double>(load_elem<float>(p)), 0, true};
    case DType::Float64: return {load_elem<double>(p), 0, true};
    case DType::Float16: return {static_cast<double>(static_cast<float>(load_elem<Half>(p))), 0, true};
    case DType::BFloat16: return {static_cast<double>(static_cast<float>(load_elem<BFloat16>(p))), 0, true};
    case DType::Int32: return {0.0, load_elem<int32_t>(p), false};
    case DType::Int64: return {0.0, load_elem<int64_t>(p), false};
    case DType::UInt8: return {0.0, load_elem<uint8_t>(p), false};
    case DType::Int8: return {0.0, load_elem<int8_t>(p), false};
    case DType::Int16: return {0.0, load_elem<int16_t>(p), false};
    case DType::Bool: break;
  }
  return {0.0, load_elem<unsigned char>(p) != 0 ? 1 : 0, false};
}

template <typename T>
LT_HOST_DEVICE void store_elem(char* p, const Wide& w) {
  *reinterpret_cast<T*>(p) = w.is_float ? cast_value<T, double>(w.f) : cast_value<T, int64_t>(w.i);
}

LT_HOST_DEVICE void store_wide(int32_t dtype, char* p, const Wide& w) {
  switch (static_cast<DType>(dtype)) {
    case DType::Float32: return store_elem<float>(p, w);
    case DType::Float64: return store_elem<double>(p, w);
    case DType::Float16: return store_elem<Half>(p, w);
    case DType::BFloat16: return store_elem<BFloat16>(p, w);
    case DType::Int32: return store_elem<int32_t>(p, w);
    case DType::Int64: return store_elem<int64_t>(p, w);
    case DType::UInt8: return store_elem<uint8_t>(p, w);
    case DType::Int8: return store_elem<int8_t>(p, w);
    case DType::Int16: return store_elem<int16_t>(p, w);
    case DType::Bool: return store_elem<bool>(p, w);
  }
}

}  // namespace lt::cuda
