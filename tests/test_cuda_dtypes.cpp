// The storage dtypes (float16, bfloat16, uint8, int8, int16) on CUDA against the CPU: every one of the
// 10 x 10 conversions bit for bit (every 8- and 16-bit pattern as a source, the rounding and range edges
// of the wider ones), fill, same-dtype strided copies, one op of each family on each new dtype, and
// float16/bfloat16 matmul (cublasGemmEx with float32 accumulation) against a float32 reference and the
// CPU's half matmul.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "dtype_edge_values.h"
#include "test_cuda_util.h"

namespace {

using namespace edge_values;

const tensor_dtype kAll[] = {TENSOR_FLOAT32, TENSOR_FLOAT64,  TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL,
                             TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8,  TENSOR_INT16};
const tensor_dtype kNew[] = {TENSOR_FLOAT16, TENSOR_BFLOAT16, TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16};
const tensor_dtype kHalves[] = {TENSOR_FLOAT16, TENSOR_BFLOAT16};

bool is_half(tensor_dtype dt) { return dt == TENSOR_FLOAT16 || dt == TENSOR_BFLOAT16; }

// A CPU tensor of dtype dt from raw element bytes.
Handle from_bytes(tensor_dtype dt, const std::vector<unsigned char>& bytes, const std::vector<int64_t>& shape) {
  Handle h;
  tensor_options o = opts_of(dt);
  std::vector<unsigned char> b = bytes;
  b.push_back(0);  // never an empty vector's null data()
  REQUIRE_OK(tensor_from_data(h.out(), b.data(), shape.data(), static_cast<int32_t>(shape.size()), &o));
  return h;
}

// conversion_source (dtype_edge_values.h) as a CPU tensor.
Handle conversion_source(tensor_dtype dt) {
  const EdgeValues e = conversion_edge_values(dt);
  return from_bytes(dt, e.bytes, {e.count});
}

// got (any device) equals want bit for bit, except that any NaN equals any NaN in float32/float64 (the
// GPU's float <-> double conversions do not keep NaN payloads; the 16-bit conversions make one NaN).
void require_bits(const tensor* got, const tensor* want) {
  REQUIRE(tensor_get_dtype(got) == tensor_get_dtype(want));
  REQUIRE(shape_of(got) == shape_of(want));
  const tensor_dtype dt = tensor_get_dtype(want);
  const std::vector<unsigned char> g = bytes_of(got), w = bytes_of(want);
  const size_t es = tensor_dtype_size(dt), n = w.size() / es;
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < n; ++i) {
    bool same = std::memcmp(&g[i * es], &w[i * es], es) == 0;
    if (!same && dt == TENSOR_FLOAT32) {
      float a, b;
      std::memcpy(&a, &g[i * es], 4);
      std::memcpy(&b, &w[i * es], 4);
      same = std::isnan(a) && std::isnan(b);
    } else if (!same && dt == TENSOR_FLOAT64) {
      double a, b;
      std::memcpy(&a, &g[i * es], 8);
      std::memcpy(&b, &w[i * es], 8);
      same = std::isnan(a) && std::isnan(b);
    }
    if (!same && bad++ == 0) first = i;
  }
  INFO("mismatches: " << bad << " of " << n << ", first at element " << first);
  REQUIRE(bad == 0);
}

// The elements of t (any device) as doubles, converted on the CPU (exact for every dtype but int64).
std::vector<double> host_doubles(const tensor* t) {
  Handle c = to_cpu(t);
  return values<double>(c);
}

// got and want agree within `ulps` units of want's dtype at max(|want|, 1) (float16 2^-10, bfloat16
// 2^-7, float32 2^-23); NaN and infinities must match exactly. Other dtypes, and ulps 0: bit for bit.
void require_close(const tensor* got, const tensor* want, double ulps) {
  const tensor_dtype dt = tensor_get_dtype(want);
  if (ulps == 0 || (dt != TENSOR_FLOAT16 && dt != TENSOR_BFLOAT16 && dt != TENSOR_FLOAT32))
    return require_same(got, want, 0);
  REQUIRE(tensor_get_dtype(got) == dt);
  REQUIRE(shape_of(got) == shape_of(want));
  const double eps = dt == TENSOR_FLOAT16 ? 0x1p-10 : dt == TENSOR_BFLOAT16 ? 0x1p-7 : 0x1p-23;
  const std::vector<double> g = host_doubles(got), w = host_doubles(want);
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    bool ok;
    if (std::isnan(w[i]))
      ok = std::isnan(g[i]);
    else if (std::isinf(w[i]))
      ok = g[i] == w[i];
    else
      ok = std::fabs(g[i] - w[i]) <= ulps * eps * std::max(1.0, std::fabs(w[i]));
    if (!ok && bad++ == 0) first = i;
  }
  INFO("mismatches: " << bad << " of " << w.size() << "; first at " << first << ": cuda " << (bad ? g[first] : 0.0)
                      << " vs reference " << (bad ? w[first] : 0.0));
  REQUIRE(bad == 0);
}

Handle convert(const tensor* t, tensor_dtype dt) {
  Handle h;
  REQUIRE_OK(tensor_to_dtype(h.out(), t, dt));
  return h;
}

// Test data in dtype dt on the CPU: test_values (floats in [-4, 4] without specials, integers in
// [-40, 40]) converted by the CPU, so that the 16-bit floats hold exactly what both devices read.
Handle make_data(tensor_dtype dt, const std::vector<int64_t>& shape, uint32_t seed) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  Handle base = is_half(dt) ? make<float>(test_values<float>(static_cast<size_t>(n), seed, false), shape)
                            : make<int32_t>(test_values<int32_t>(static_cast<size_t>(n), seed), shape);
  return convert(base, dt);
}

Handle view(tensor_status (*fn)(tensor**, const tensor*, int32_t, int32_t), const tensor* t, int32_t a, int32_t b) {
  Handle h;
  REQUIRE_OK(fn(h.out(), t, a, b));
  return h;
}
Handle slice(const tensor* t, int32_t dim, int64_t start, int64_t end, int64_t step) {
  Handle h;
  REQUIRE_OK(tensor_slice(h.out(), t, dim, start, end, step));
  return h;
}

}  // namespace

TEST_CASE("cuda dtypes: every conversion pair equals the CPU's, bit for bit", "[cuda][dtypes]") {
  for (tensor_dtype from : kAll) {
    Handle src = conversion_source(from);
    Handle src_gpu = to_cuda(src);
    const int64_t n = tensor_numel(src);
    // A strided, misaligned view of the source: the Nd kernels instead of the vectorised rows.
    Handle src_odd = slice(src, 0, 1, n, 3), src_odd_gpu = slice(src_gpu, 0, 1, n, 3);
    for (tensor_dtype to : kAll) {
      INFO("from dtype " << from << " to dtype " << to);
      Handle want = convert(src, to), got = convert(src_gpu, to);
      REQUIRE(tensor_get_device(got).type == TENSOR_CUDA);
      require_bits(got, want);
      Handle want_odd = convert(src_odd, to), got_odd = convert(src_odd_gpu, to);
      require_bits(got_odd, want_odd);
      // copy_ into a strided destination of the other dtype (every second element of a fresh tensor).
      tensor_options o = opts_of(to);
      const int64_t dn = 2 * tensor_numel(src_odd);
      Handle dst_cpu, dst_gpu;
      REQUIRE_OK(tensor_zeros(dst_cpu.out(), &dn, 1, &o));
      o.device = cuda_device();
      REQUIRE_OK(tensor_zeros(dst_gpu.out(), &dn, 1, &o));
      Handle dv_cpu = slice(dst_cpu, 0, 0, dn, 2), dv_gpu = slice(dst_gpu, 0, 0, dn, 2);
      REQUIRE(tensor_numel(dv_cpu) == tensor_numel(src_odd));
      REQUIRE_OK(tensor_copy_(dv_cpu, src_odd));
      REQUIRE_OK(tensor_copy_(dv_gpu, src_odd_gpu));
      require_bits(dst_gpu, dst_cpu);
    }
  }
}

TEST_CASE("cuda dtypes: broadcast conversion sources", "[cuda][dtypes]") {
  for (tensor_dtype from : kAll) {
    Handle src = conversion_source(from);
    Handle row = slice(src, 0, 0, 37, 1);
    const int64_t shape[2] = {5, 37};
    Handle wide_cpu, wide_gpu, row_gpu = to_cuda(row);
    REQUIRE_OK(tensor_expand(wide_cpu.out(), row, shape, 2));
    REQUIRE_OK(tensor_expand(wide_gpu.out(), row_gpu, shape, 2));
    for (tensor_dtype to : kAll) {
      INFO("from dtype " << from << " to dtype " << to);
      Handle want = convert(wide_cpu, to), got = convert(wide_gpu, to);
      require_bits(got, want);
    }
  }
}

TEST_CASE("cuda dtypes: fill and full write every dtype as the CPU does", "[cuda][dtypes]") {
  const double values[] = {0.0,
                           -0.0,
                           1.5,
                           -2.5,
                           255.0,
                           300.0,
                           -1.0,
                           65504.0,
                           70000.0,
                           1e10,
                           std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity()};
  const int64_t shape[2] = {7, 9};
  for (tensor_dtype dt : kAll) {
    for (double v : values) {
      INFO("dtype " << dt << ", value " << v);
      tensor_options o = opts_of(dt);
      Handle want, got;
      const tensor_status st_cpu = tensor_full(want.out(), shape, 2, v, &o);
      o.device = cuda_device();
      const tensor_status st_gpu = tensor_full(got.out(), shape, 2, v, &o);
      REQUIRE(st_gpu == st_cpu);
      if (st_cpu != TENSOR_OK) continue;
      require_bits(got, want);
      // fill_ of a strided view (every second column of a transposed tensor) leaves the rest alone.
      Handle base_cpu = make_data(dt == TENSOR_BOOL ? TENSOR_INT8 : dt, {9, 7}, 7);
      if (dt == TENSOR_BOOL) base_cpu = convert(base_cpu, TENSOR_BOOL);
      Handle base_gpu = to_cuda(base_cpu);
      Handle t_cpu = view(tensor_transpose, base_cpu, 0, 1), t_gpu = view(tensor_transpose, base_gpu, 0, 1);
      Handle s_cpu = slice(t_cpu, 1, 0, 9, 2), s_gpu = slice(t_gpu, 1, 0, 9, 2);
      REQUIRE(tensor_fill_(s_gpu, v) == tensor_fill_(s_cpu, v));
      require_bits(base_gpu, base_cpu);
    }
  }
}

namespace {

// Runs op(out, device) with device 0 (the CPU operands) and 1 (their CUDA copies); both succeed, the
// CUDA result lives on CUDA, and the results agree within `ulps` (require_close; 0: bit for bit).
template <class Op>
void check_both(double ulps, Op op) {
  Handle want, got;
  REQUIRE_OK(op(want.out(), 0));
  REQUIRE_OK(op(got.out(), 1));
  REQUIRE(tensor_get_device(got).type == TENSOR_CUDA);
  require_close(got, want, ulps);
}

// A tensor and its CUDA copy, indexed by check_both's device.
struct Pair {
  Handle h[2];
  explicit Pair(Handle cpu) {
    h[1] = to_cuda(cpu);
    h[0] = std::move(cpu);
  }
  const tensor* operator[](int d) const { return h[d].get(); }
};

}  // namespace

TEST_CASE("cuda dtypes: same-dtype strided copies move every item size", "[cuda][dtypes]") {
  for (tensor_dtype dt : kAll) {
    INFO("dtype " << dt);
    Pair a(convert(make_data(TENSOR_INT32, {33, 65}, 3), dt));
    check_both(0, [&](tensor** out, int d) {
      Handle t = view(tensor_transpose, a[d], 0, 1);
      return tensor_contiguous(out, t);
    });
    check_both(0, [&](tensor** out, int d) {  // an odd start: misaligned for 16-byte vectors
      Handle t = slice(a[d], 1, 1, 65, 1);
      return tensor_contiguous(out, t);
    });
  }
}

// One op of each family on each new dtype, CUDA against the CPU on the same inputs. Ops that round a
// float32 result into a 16-bit float may land one unit apart when the two devices' float32 results
// straddle a rounding boundary (transcendentals, different summation orders): those get 1-2 units.
TEST_CASE("cuda dtypes: elementwise ops on the new dtypes", "[cuda][dtypes]") {
  for (tensor_dtype dt : kNew) {
    INFO("dtype " << dt);
    Pair a(make_data(dt, {17, 31}, 11)), b(make_data(dt, {17, 31}, 12));
    check_both(0, [&](tensor** out, int d) { return tensor_add(out, a[d], b[d]); });
    check_both(0, [&](tensor** out, int d) { return tensor_mul(out, a[d], b[d]); });
    // A scalar that the narrow integer types wrap (scalars do not widen the dtype).
    const double s = is_half(dt) ? 0.1 : 300.0;
    check_both(0, [&](tensor** out, int d) { return tensor_add_scalar(out, a[d], s); });
    // Integers give a float32 result: 2 ulps per device.
    check_both(is_half(dt) ? 1 : 4, [&](tensor** out, int d) { return tensor_exp(out, a[d]); });
  }
  // Integer scalars beyond the dtype wrap into it, as on the CPU (scalar_value).
  for (tensor_dtype dt : {TENSOR_INT32, TENSOR_UINT8, TENSOR_INT8, TENSOR_INT16}) {
    INFO("dtype " << dt);
    Pair a(make_data(dt, {3, 5}, 4));
    check_both(0, [&](tensor** out, int d) { return tensor_add_scalar(out, a[d], 3e9); });
  }
}

TEST_CASE("cuda dtypes: reductions on the new dtypes", "[cuda][dtypes]") {
  for (tensor_dtype dt : kNew) {
    INFO("dtype " << dt);
    Pair a(make_data(dt, {23, 129}, 21));
    const int32_t dim1 = 1;
    check_both(1, [&](tensor** out, int d) { return tensor_sum(out, a[d], &dim1, 1, false); });
    check_both(1, [&](tensor** out, int d) { return tensor_sum(out, a[d], nullptr, 0, false); });
    check_both(0, [&](tensor** out, int d) { return tensor_max(out, a[d]); });
  }
}

TEST_CASE("cuda dtypes: indexing and sorting on the new dtypes", "[cuda][dtypes]") {
  Pair index(make<int64_t>({4, 0, 9, 9, 2}, {5}));
  for (tensor_dtype dt : kNew) {
    INFO("dtype " << dt);
    Pair a(make_data(dt, {10, 37}, 31));
    check_both(0, [&](tensor** out, int d) { return tensor_index_select(out, a[d], 0, index[d]); });
    // Stable: equal keys keep their order on both devices, so the indices agree too.
    check_both(0, [&](tensor** out, int d) {
      Handle indices;
      return tensor_sort(out, indices.out(), a[d], 1, false, true);
    });
    check_both(0, [&](tensor** out, int d) {
      Handle values;
      return tensor_sort(values.out(), out, a[d], 1, false, true);
    });
  }
}

TEST_CASE("cuda dtypes: softmax and conv2d on float16 and bfloat16", "[cuda][dtypes]") {
  for (tensor_dtype dt : kHalves) {
    INFO("dtype " << dt);
    Pair a(make_data(dt, {6, 50}, 41));
    check_both(2, [&](tensor** out, int d) { return tensor_softmax(out, a[d], 1); });
    Pair x(make_data(dt, {2, 3, 9, 8}, 42)), w(make_data(dt, {4, 3, 3, 3}, 43)), bias(make_data(dt, {4}, 44));
    const int64_t stride[2] = {1, 2}, padding[2] = {1, 0}, dilation[2] = {1, 1};
    check_both(
        1, [&](tensor** out, int d) { return tensor_conv2d(out, x[d], w[d], bias[d], stride, padding, dilation, 1); });
  }
}

namespace {

// The reference for a half matmul: the same operands in float32 on the CPU, the product rounded once.
Handle half_matmul_reference(const tensor* a, const tensor* b, tensor_dtype dt) {
  Handle a32 = convert(a, TENSOR_FLOAT32), b32 = convert(b, TENSOR_FLOAT32), p;
  REQUIRE_OK(tensor_matmul(p.out(), a32, b32));
  return convert(p, dt);
}

void check_half_matmul(tensor_dtype dt, const tensor* a, const tensor* b) {
  Handle a_gpu = to_cuda(a), b_gpu = to_cuda(b), got;
  REQUIRE_OK(tensor_matmul(got.out(), a_gpu, b_gpu));
  REQUIRE(tensor_get_dtype(got) == dt);
  REQUIRE(tensor_get_device(got).type == TENSOR_CUDA);
  // float32 sums in another order (and tensor cores' own accumulation) may round to the neighbouring half
  // value: 2 units. Accumulating in 16 bits would be off by many units at these k.
  Handle ref = half_matmul_reference(a, b, dt);
  require_close(got, ref, 2);
  Handle cpu;
  REQUIRE_OK(tensor_matmul(cpu.out(), a, b));
  require_close(got, cpu, 2);
}

}  // namespace

TEST_CASE("cuda dtypes: float16 and bfloat16 matmul", "[cuda][dtypes][matmul]") {
  for (tensor_dtype dt : kHalves) {
    INFO("dtype " << dt);
    SECTION("2-d, with a k that is not a multiple of the tensor-core tile") {
      Handle a = make_data(dt, {64, 45}, 51), b = make_data(dt, {45, 80}, 52);
      check_half_matmul(dt, a, b);
    }
    SECTION("large enough for tensor-core tiles") {
      Handle a = make_data(dt, {256, 512}, 53), b = make_data(dt, {512, 192}, 54);
      check_half_matmul(dt, a, b);
    }
    SECTION("transposed operands (op T) and a sliced one (copied)") {
      Handle a = make_data(dt, {40, 24}, 55), b = make_data(dt, {32, 40}, 56);
      Handle at = view(tensor_transpose, a, 0, 1), bt = view(tensor_transpose, b, 0, 1);
      check_half_matmul(dt, at, bt);
      Handle c = make_data(dt, {24, 90}, 57);
      Handle cs = slice(c, 1, 3, 90, 3);
      check_half_matmul(dt, at, cs);
    }
    SECTION("batched and broadcast") {
      Handle a = make_data(dt, {3, 4, 16, 20}, 58), b = make_data(dt, {4, 20, 12}, 59);
      check_half_matmul(dt, a, b);
      Handle c = make_data(dt, {20, 7}, 60);
      check_half_matmul(dt, a, c);
    }
    SECTION("vectors and empty sizes") {
      Handle v = make_data(dt, {33}, 61), m = make_data(dt, {33, 5}, 62), w = make_data(dt, {5, 33}, 63);
      check_half_matmul(dt, v, m);
      check_half_matmul(dt, w, v);
      check_half_matmul(dt, v, v);
      Handle e = make_data(dt, {4, 0}, 64), f = make_data(dt, {0, 6}, 65);
      check_half_matmul(dt, e, f);  // k == 0: zeros
    }
    SECTION("grads of a half matmul are half and match the CPU's") {
      Handle a = make_data(dt, {12, 20}, 66), b = make_data(dt, {20, 9}, 67);
      Handle a_gpu = to_cuda(a), b_gpu = to_cuda(b);
      Handle grads[2][2];
      const tensor* cpu_in[2] = {a, b};
      const tensor* gpu_in[2] = {a_gpu, b_gpu};
      for (int d = 0; d < 2; ++d) {
        Handle x, y;
        REQUIRE_OK(tensor_detach(x.out(), d ? gpu_in[0] : cpu_in[0]));
        REQUIRE_OK(tensor_detach(y.out(), d ? gpu_in[1] : cpu_in[1]));
        REQUIRE_OK(tensor_set_requires_grad(x, true));
        REQUIRE_OK(tensor_set_requires_grad(y, true));
        Handle p, s;
        REQUIRE_OK(tensor_matmul(p.out(), x, y));
        REQUIRE_OK(tensor_sum(s.out(), p, nullptr, 0, false));
        REQUIRE_OK(tensor_backward(s, nullptr, false));
        REQUIRE_OK(tensor_grad(grads[d][0].out(), x));
        REQUIRE_OK(tensor_grad(grads[d][1].out(), y));
        REQUIRE(tensor_get_dtype(grads[d][0]) == dt);
        REQUIRE(tensor_get_dtype(grads[d][1]) == dt);
      }
      require_close(grads[1][0], grads[0][0], 2);
      require_close(grads[1][1], grads[0][1], 2);
    }
  }
}
