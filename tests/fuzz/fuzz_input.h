// Decodes the fuzzer's bytes into the arguments of C API calls.
//
// Note [input format]: the input is read front to back, one byte (or a few) per decision. Every reader
// returns a value even when the input is exhausted (zero bytes), so any byte string is a valid program
// and libFuzzer's mutations (insert, erase, flip) shift decisions without ever making the input invalid.
// Values are mostly drawn from small, meaningful sets (sizes 0..5, dims in range, "interesting" doubles)
// with a rarer escape to the hostile ones (negative sizes, sizes whose product overflows int64, dims far
// out of range, NaN, INT64_MIN), so that most calls do real work and some probe the argument checks.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

namespace fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), n_(size) {}

  bool empty() const { return n_ == 0; }
  size_t remaining() const { return n_; }

  uint8_t u8() {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  uint64_t u64() { return (static_cast<uint64_t>(u32()) << 32) | u32(); }
  bool coin() { return u8() & 1; }
  // True with probability about 1/n.
  bool one_in(uint8_t n) { return u8() % n == 0; }
  // A value in [0, n).
  uint32_t below(uint32_t n) { return n == 0 ? 0 : u8() % n; }

  template <typename T, size_t N>
  T pick(const T (&options)[N]) {
    return options[u8() % N];
  }

  // A tensor size: usually 0..5, sometimes hostile (negative, or large enough that products overflow).
  int64_t size() {
    uint8_t b = u8();
    if (b < 240) return b % 6;
    static const int64_t hostile[] = {-1,
                                      -5,
                                      std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max(),
                                      int64_t(1) << 32,
                                      int64_t(1) << 45,
                                      int64_t(1) << 62,
                                      (int64_t(1) << 31) - 1,
                                      1000003,
                                      -(int64_t(1) << 40),
                                      64,
                                      7,
                                      1,
                                      2,
                                      3,
                                      4};
    return hostile[b - 240];
  }

  // A dim for a tensor of `ndim` dims: usually in [-ndim, ndim) (or [-1, 0] for 0-d, as PyTorch accepts),
  // sometimes out of range.
  int32_t dim(int32_t ndim) { return dim_in(ndim > 0 ? ndim : 1); }
  // A dim usually in [-n, n) (unsqueeze passes n = ndim + 1), sometimes out of range.
  int32_t dim_in(int32_t n) {
    uint8_t b = u8();
    if (b < 224) return static_cast<int32_t>(b % (2 * n)) - n;
    switch (b % 8) {
      case 0: return std::numeric_limits<int32_t>::min();
      case 1: return std::numeric_limits<int32_t>::max();
      case 2: return -1000;
      case 3: return 1000;
      case 4: return 64;
      case 5: return -65;
      case 6: return n;  // just past the top
      default: return -n - 1;  // just past the bottom
    }
  }

  // An index or slice bound: small, negative, or extreme.
  int64_t index() {
    uint8_t b = u8();
    if (b < 200) return static_cast<int64_t>(b % 13) - 6;
    static const int64_t hostile[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                                      std::numeric_limits<int64_t>::min() + 1, std::numeric_limits<int64_t>::max() - 1,
                                      int64_t(1) << 40, -(int64_t(1) << 40), 100, -100};
    return hostile[b % 8];
  }

  // A double argument: small integers and fractions most of the time, sometimes special values.
  double real() {
    uint8_t b = u8();
    if (b < 160) return static_cast<double>(static_cast<int32_t>(b % 17) - 8) * (b & 0x10 ? 0.5 : 1.0);
    static const double special[] = {std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(),
                                     1e300,
                                     -1e300,
                                     1e-300,
                                     -0.0,
                                     std::numeric_limits<double>::denorm_min(),
                                     2147483648.0,
                                     -2147483649.0,
                                     9.3e18,
                                     -9.3e18,
                                     0.1,
                                     3.14159,
                                     1e10,
                                     255.5};
    if (b < 224) return special[b % 16];
    double d;
    uint64_t bits = u64();
    std::memcpy(&d, &bits, sizeof d);  // any bit pattern, NaN payloads and denormals included
    return d;
  }

  // Fills `n` bytes from the input (zeros once it is exhausted).
  void bytes(void* dst, size_t n) {
    size_t k = n < n_ ? n : n_;
    if (k) std::memcpy(dst, p_, k);
    if (n > k) std::memset(static_cast<uint8_t*>(dst) + k, 0, n - k);
    p_ += k;
    n_ -= k;
  }

 private:
  const uint8_t* p_;
  size_t n_;
};

}  // namespace fuzz
