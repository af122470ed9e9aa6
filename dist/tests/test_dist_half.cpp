// dist/src/half.h (libtensor_dist's own float16/bfloat16 conversions, Note [half reductions]) against
// libtensor's tensor_to_dtype: every 16-bit pattern widened, and float32 values narrowed (a sweep over
// all exponents with a stride through the bits, plus every rounding boundary near the halves' ties,
// overflow and subnormal limits). No MPI.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "half.h"
#include "tensor/tensor.h"

namespace {

int failures = 0;

// libtensor's conversion of n elements of `from` (raw) into `to` (raw).
template <class In, class Out>
std::vector<Out> convert(const std::vector<In>& in, tensor_dtype from, tensor_dtype to) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = from;
  const int64_t n = static_cast<int64_t>(in.size());
  tensor *t = nullptr, *r = nullptr;
  std::vector<Out> out(in.size());
  if (tensor_from_data(&t, in.data(), &n, 1, &o) != TENSOR_OK || tensor_to_dtype(&r, t, to) != TENSOR_OK ||
      tensor_copy_to_host(r, out.data(), out.size() * sizeof(Out)) != TENSOR_OK) {
    std::fprintf(stderr, "libtensor conversion failed: %s\n", tensor_last_error());
    ++failures;
  }
  tensor_free(r);
  tensor_free(t);
  return out;
}

bool same_float(float a, float b) { return (std::isnan(a) && std::isnan(b)) || tdist::bits_of(a) == tdist::bits_of(b); }

template <class Format>
void check_format(tensor_dtype d, const char* name) {
  std::vector<uint16_t> all(65536);
  for (uint32_t i = 0; i < 65536; ++i) all[i] = static_cast<uint16_t>(i);
  const std::vector<float> wide = convert<uint16_t, float>(all, d, TENSOR_FLOAT32);
  int bad = 0;
  for (uint32_t i = 0; i < 65536; ++i) bad += !same_float(Format::widen(all[i]), wide[i]);
  // float32 inputs: a stride through all bit patterns, and the neighbours of every value that is
  // halfway between two consecutive 16-bit values (the ties) and of the values themselves.
  std::vector<float> in;
  for (uint64_t b = 0; b < (1ull << 32); b += 4099) in.push_back(tdist::float_of(static_cast<uint32_t>(b)));
  for (uint32_t i = 0; i < 65535; ++i) {
    const float a = Format::widen(static_cast<uint16_t>(i)), b = Format::widen(static_cast<uint16_t>(i + 1));
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    const float mid = a + (b - a) / 2;
    for (float x : {mid, a}) {
      in.push_back(x);
      in.push_back(std::nextafter(x, INFINITY));
      in.push_back(std::nextafter(x, -INFINITY));
    }
  }
  const std::vector<uint16_t> narrow = convert<float, uint16_t>(in, TENSOR_FLOAT32, d);
  for (size_t i = 0; i < in.size(); ++i) {
    const uint16_t mine = Format::narrow(in[i]);
    const bool ok = mine == narrow[i];  // NaN included: the same quiet NaN (float16 keeps the sign)
    if (!ok && bad < 10) std::fprintf(stderr, "%s: narrow(%a) = %#x, libtensor %#x\n", name, in[i], mine, narrow[i]);
    bad += !ok;
  }
  if (bad) {
    std::fprintf(stderr, "%s: %d conversions differ from libtensor's\n", name, bad);
    ++failures;
  } else {
    std::printf("%s: 65536 widened and %zu narrowed as libtensor does\n", name, in.size());
  }
}

}  // namespace

int main() {
  check_format<tdist::Float16Format>(TENSOR_FLOAT16, "float16");
  check_format<tdist::BFloat16Format>(TENSOR_BFLOAT16, "bfloat16");
  return failures != 0;
}
