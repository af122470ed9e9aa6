// Source values for dtype conversion tests: every bit pattern of the 8- and 16-bit dtypes; for the wider
// ones the edges of every destination's range and rounding (float16/bfloat16 ties and their neighbours,
// the integer limits, values that round twice through float32) plus random bit patterns. Shared by the
// CUDA-vs-CPU test (test_cuda_dtypes.cpp) and the host check of the CUDA conversion
// (test_cuda_convert_wide.cpp).
#pragma once
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "tensor/tensor.h"

namespace edge_values {

struct EdgeValues {
  std::vector<unsigned char> bytes;  // `count` elements of the dtype, native byte order
  int64_t count;
};

template <typename T>
inline void append(std::vector<unsigned char>& bytes, T v) {
  unsigned char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  bytes.insert(bytes.end(), b, b + sizeof(T));
}

inline float bits_to_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Source values for converting from dt: every bit pattern of the 8- and 16-bit dtypes; for the wider ones
// the edges of every destination's range and rounding, plus random bit patterns.
inline EdgeValues conversion_edge_values(tensor_dtype dt) {
  std::vector<unsigned char> bytes;
  std::mt19937_64 gen(1234u + static_cast<unsigned>(dt));
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> edges = {0.0,
                                     -0.0,
                                     0.5,
                                     -0.5,
                                     1.5,
                                     2.5,
                                     -1.0,
                                     127.5,
                                     128.0,
                                     -128.5,
                                     -129.0,
                                     255.0,
                                     255.5,
                                     256.0,
                                     300.0,
                                     -300.0,
                                     32767.5,
                                     32768.0,
                                     -32769.0,
                                     65504.0,
                                     65519.99,
                                     65520.0,
                                     70000.0,
                                     2147483520.0,
                                     2147483648.0,
                                     -2147483648.0,
                                     -2147483904.0,
                                     9.2233720368547758e18,
                                     -9.2233720368547758e18,
                                     1e20,
                                     3.3895313892515355e38,
                                     3.4028235e38,
                                     1e300,
                                     inf,
                                     -inf,
                                     nan,
                                     -nan,
                                     1e-45,
                                     5.9604644775390625e-8,
                                     2.98023223876953125e-8,
                                     2.9802322387695314e-8,
                                     6.103515625e-5,
                                     1e-310,
                                     1.0 + 0x1p-11 + 0x1p-40,
                                     1.0 + 0x1p-8 + 0x1p-40,
                                     16777217.0};
  switch (dt) {
    case TENSOR_FLOAT16:
    case TENSOR_BFLOAT16:
    case TENSOR_INT16:
      for (uint32_t u = 0; u < 65536; ++u) append<uint16_t>(bytes, static_cast<uint16_t>(u));
      return {bytes, 65536};
    case TENSOR_UINT8:
    case TENSOR_INT8:
      for (uint32_t u = 0; u < 256; ++u) append<uint8_t>(bytes, static_cast<uint8_t>(u));
      return {bytes, 256};
    case TENSOR_BOOL:
      for (int i = 0; i < 64; ++i) append<uint8_t>(bytes, static_cast<uint8_t>(i % 3 == 0));
      return {bytes, 64};
    case TENSOR_FLOAT32: {
      size_t n = 0;
      for (double e : edges) {
        if (std::isfinite(e) && std::fabs(e) > std::numeric_limits<float>::max()) continue;  // UB as a float
        append<float>(bytes, static_cast<float>(e));
        ++n;
      }
      // float16 and bfloat16 rounding: the midpoints between neighbours and one float32 ulp either side.
      for (int i = 0; i < 2048; ++i, n += 6) {
        const uint32_t h = static_cast<uint32_t>(gen() % 0x7c00u);  // a finite float16 magnitude
        const uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff;
        const double v = e == 0 ? m * 0x1p-24 : std::ldexp(1.0 + m / 1024.0, static_cast<int>(e) - 15);
        const double ulp = e == 0 ? 0x1p-24 : std::ldexp(1.0, static_cast<int>(e) - 25);
        const float mid = static_cast<float>(v + ulp / 2);  // exact in float32
        uint32_t mb;
        std::memcpy(&mb, &mid, 4);
        append<float>(bytes, mid);
        append<float>(bytes, bits_to_float(mb + 1));
        append<float>(bytes, bits_to_float(mb - 1));
        const uint32_t b = static_cast<uint32_t>(gen()) & 0xffff0000u;  // bfloat16 ties and neighbours
        append<float>(bytes, bits_to_float(b | 0x8000u));
        append<float>(bytes, bits_to_float(b | 0x7fffu));
        append<float>(bytes, bits_to_float(b | 0x18000u));
      }
      for (int i = 0; i < 4096; ++i, ++n) append<uint32_t>(bytes, static_cast<uint32_t>(gen()));
      return {bytes, static_cast<int64_t>(n)};
    }
    case TENSOR_FLOAT64: {
      size_t n = edges.size();
      for (double e : edges) append<double>(bytes, e);
      std::uniform_real_distribution<double> wide(-70000.0, 70000.0);
      for (int i = 0; i < 4096; ++i, n += 2) {
        append<double>(bytes, wide(gen));
        append<uint64_t>(bytes, gen());
      }
      return {bytes, static_cast<int64_t>(n)};
    }
    case TENSOR_INT32: {
      const std::vector<int32_t> ie = {0,     1,        -1,       127,       128,       -128,     -129,
                                       255,   256,      32767,    32768,     -32769,    65504,    65520,
                                       70000, 16777217, 16777219, INT32_MAX, INT32_MIN, -16777217};
      size_t n = ie.size();
      for (int32_t v : ie) append<int32_t>(bytes, v);
      for (int i = 0; i < 4096; ++i, ++n) append<uint32_t>(bytes, static_cast<uint32_t>(gen()));
      return {bytes, static_cast<int64_t>(n)};
    }
    case TENSOR_INT64:
    default: {
      const std::vector<int64_t> ie = {0,
                                       1,
                                       -1,
                                       255,
                                       256,
                                       -129,
                                       65520,
                                       2147483648,
                                       -2147483649,
                                       4294967296 + 5,
                                       INT64_MAX,
                                       INT64_MIN,
                                       (int64_t(1) << 53) + 1,
                                       (int64_t(1) << 24) + 1};
      size_t n = ie.size();
      for (int64_t v : ie) append<int64_t>(bytes, v);
      for (int i = 0; i < 4096; ++i, ++n) append<uint64_t>(bytes, gen());
      return {bytes, static_cast<int64_t>(n)};
    }
  }
}

}  // namespace edge_values
