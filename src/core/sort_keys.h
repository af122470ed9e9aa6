// Note [sort keys]: sort, argsort and topk compare unsigned integer keys, not the elements, on both
// backends (the CPU's comparison sorts and radix sort in src/cpu/sort_kernels.cpp, CUB's radix sorts in
// cuda/sort.cu). sort_key maps an element to an unsigned integer whose order is PyTorch's order of the
// elements:
//   - integers: the sign bit flipped (two's complement order -> unsigned order); bool: 0 / 1;
//   - floating: the IEEE bits with every bit flipped for negatives and the sign bit set for positives, so
//     -inf < ... < -0 = +0 < ... < +inf; -0.0 maps to +0.0's key (PyTorch treats them as equal, so a stable
//     sort keeps their order) and every NaN to the all-ones key, above +inf (PyTorch sorts NaN as the
//     largest value: last ascending, first descending; all NaNs are equal).
// Descending order is the complement of the key (~key), which keeps equal keys equal, so a stable sort of
// the complemented keys is PyTorch's stable descending sort. The values written out are always the
// elements themselves, read at the sorted indices (never decoded from keys), so -0.0 and NaN payloads
// survive.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/philox.h"  // LT_HOST_DEVICE

namespace lt {

// The key type of an element type: 32 bits for float, int32 and bool, 64 bits for double and int64.
template <typename T>
using SortKey = typename std::conditional<sizeof(T) == 8, uint64_t, uint32_t>::type;

template <typename T>
LT_HOST_DEVICE SortKey<T> sort_key(T v) {
  using K = SortKey<T>;
  constexpr K sign = K(1) << (sizeof(K) * 8 - 1);
  if constexpr (std::is_same<T, bool>::value) {
    return v ? 1u : 0u;
  } else if constexpr (std::is_floating_point<T>::value) {
    // Branch-free (random signs would mispredict): selects, not jumps.
    static_assert(sizeof(K) == sizeof(T), "key and element of one size");
    K bits;
    std::memcpy(&bits, &v, sizeof bits);
    bits = v == T(0) ? K(0) : bits;                                  // -0.0 -> +0.0
    const K key = bits ^ ((K(0) - (bits >> (sizeof(K) * 8 - 1))) | sign);  // negatives: all bits flipped
    return v != v ? ~K(0) : key;                                     // every NaN: the largest key
  } else {
    return static_cast<K>(v) ^ sign;
  }
}

// The key in the requested direction: smaller keys come first.
template <typename T>
LT_HOST_DEVICE SortKey<T> directed_sort_key(T v, bool descending) {
  const SortKey<T> k = sort_key(v);
  return descending ? SortKey<T>(~k) : k;
}

}  // namespace lt
