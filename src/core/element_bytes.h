// Kernels that only move elements (gather, scatter, index_select) treat them as opaque words of their
// size, so one instantiation per size (1, 2, 4, 8 bytes) serves every dtype on both backends; and the one
// message of an out-of-range index that both backends throw.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"

namespace lt {

template <size_t S>
struct ElementBytes;
template <>
struct ElementBytes<1> {
  using type = uint8_t;
};
template <>
struct ElementBytes<2> {  // float16, bfloat16, int16
  using type = uint16_t;
};
template <>
struct ElementBytes<4> {
  using type = uint32_t;
};
template <>
struct ElementBytes<8> {
  using type = unsigned long long;  // CUDA's atomics and loads take this spelling of a 64-bit word
};

// Calls f(ElementBytes<size>{}) for an element size of 1, 2, 4 or 8 bytes.
template <typename F>
void by_element_size(size_t size, F&& f) {
  switch (size) {
    case 1: f(ElementBytes<1>{}); return;
    case 2: f(ElementBytes<2>{}); return;
    case 4: f(ElementBytes<4>{}); return;
    case 8: f(ElementBytes<8>{}); return;
    default: throw_error(Status::Internal, "indexing: unexpected element size " + std::to_string(size));
  }
}

// PyTorch's wording, with the bad value, the dim and its size.
[[noreturn]] inline void throw_index_out_of_range(int64_t value, int32_t dim, int64_t size) {
  throw_error(Status::Index, "index " + std::to_string(value) + " is out of bounds for dimension " +
                                 std::to_string(dim) + " with size " + std::to_string(size));
}

}  // namespace lt
