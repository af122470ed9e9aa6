// The printing cases of issue 14's dtypes (generated from torch into format_dtypes_cases.inc by
// format_dtypes_cases.py), for the public-API test and the host-copy-path test alike. Elements are raw:
// float16/bfloat16 bit patterns, integer values of the small integers.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace format_dtypes {

struct LiteralCase {
  tensor_dtype dtype;
  std::vector<int64_t> shape;
  std::vector<int64_t> raw;
  const char* expected;
};
// Raw element i = start + i * step, wrapped to the dtype's width.
struct SeqCase {
  tensor_dtype dtype;
  int64_t n, start, step;
  std::vector<int64_t> shape;
  const char* expected;
};
struct EmptyCase {
  tensor_dtype dtype;
  std::vector<int64_t> shape;
  const char* expected;
};

#include "format_dtypes_cases.inc"

const LiteralCase kLiteral[] = {LITERAL_DTYPE_CASES};
const SeqCase kSeq[] = {SEQ_DTYPE_CASES};
const EmptyCase kEmpty[] = {EMPTY_DTYPE_CASES};

// The little-endian bytes of `raw` truncated to `item` bytes each (two's complement), plus one spare byte
// so that an empty tensor still has a valid pointer.
inline std::vector<unsigned char> raw_bytes(const std::vector<int64_t>& raw, size_t item) {
  std::vector<unsigned char> bytes(raw.size() * item + 1);
  for (size_t i = 0; i < raw.size(); ++i)
    for (size_t b = 0; b < item; ++b)
      bytes[i * item + b] = static_cast<unsigned char>(static_cast<uint64_t>(raw[i]) >> (8 * b));
  return bytes;
}

inline std::vector<int64_t> seq_raw(const SeqCase& c) {
  std::vector<int64_t> raw(static_cast<size_t>(c.n));
  for (int64_t i = 0; i < c.n; ++i) raw[static_cast<size_t>(i)] = c.start + i * c.step;
  return raw;
}

}  // namespace format_dtypes
