// The CUDA copy kernel's generic conversion (load_wide / store_wide in cuda/convert_wide.h, host and device
// code) against the CPU's direct cast_value<To, From>, on the host: every pair of the 10 dtypes over the
// edge values of dtype_edge_values.h (every 8- and 16-bit pattern). Note [conversion] argues that going
// through a double or int64 gives the direct result; this checks it without a GPU.
#include <cstring>
#include <memory>

#include "catch.hpp"
#include "core/dtype.h"
#include "core/scalar_ops.h"
#include "cuda/convert_wide.h"
#include "dtype_edge_values.h"

using namespace lt;

namespace {

// Equal bits, or both NaN for the wide floats (the GPU's float <-> double steps may change a payload;
// same-dtype copies, the one place a signalling NaN would survive, do not go through this path).
template <typename T>
bool same_value(const T& got, const T& want) {
  if (std::memcmp(&got, &want, sizeof(T)) == 0) return true;
  if constexpr (std::is_floating_point<T>::value) return got != got && want != want;
  return false;
}

template <typename To, typename From>
void check_pair(const edge_values::EdgeValues& e) {
  const DType to = dtype_of<To>::value, from = dtype_of<From>::value;
  const size_t n = static_cast<size_t>(e.count);
  std::unique_ptr<From[]> src(new From[n]);  // real From objects: load_wide reads them as From
  std::memcpy(static_cast<void*>(src.get()), e.bytes.data(), n * sizeof(From));
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < n; ++i) {
    const To want = cast_value<To, From>(src[i]);
    To got;
    cuda::store_wide(static_cast<int32_t>(to), reinterpret_cast<char*>(&got),
                     cuda::load_wide(static_cast<int32_t>(from), reinterpret_cast<const char*>(&src[i])));
    if (!same_value(got, want) && bad++ == 0) first = i;
  }
  INFO("from " << dtype_name(from) << " to " << dtype_name(to) << ": " << bad << " of " << n
               << " differ, first at element " << first);
  REQUIRE(bad == 0);
}

// Every destination but From itself: copy() moves same-dtype elements as bits and never converts them
// (through a float, a 16-bit NaN would come back as the one NaN the conversions make).
template <typename From>
void check_from(const edge_values::EdgeValues& e) {
  for (int32_t to = 0; to < kNumDTypes; ++to) {
    if (static_cast<DType>(to) == dtype_of<From>::value) continue;
    LT_DISPATCH_STORAGE(static_cast<DType>(to), "to", (check_pair<scalar_t, From>(e)));
  }
}

}  // namespace

TEST_CASE("CUDA generic conversion equals cast_value for every dtype pair", "[cuda][dtypes]") {
  for (int32_t from = 0; from < kNumDTypes; ++from) {
    const edge_values::EdgeValues e = edge_values::conversion_edge_values(static_cast<tensor_dtype>(from));
    REQUIRE(e.bytes.size() == static_cast<size_t>(e.count) * itemsize(static_cast<DType>(from)));
    LT_DISPATCH_STORAGE(static_cast<DType>(from), "from", check_from<scalar_t>(e));
  }
}
