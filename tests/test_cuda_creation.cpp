// Creation and transfer on CUDA: every creation call gives the CPU's values (rand bitwise, through the
// shared Philox stream), and host <-> device round trips keep every dtype's bytes.
#include "test_cuda_util.h"

namespace {

const tensor_dtype kDtypes[] = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};

tensor_options opts(tensor_dtype dt, bool cuda) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = dt;
  if (cuda) o.device = cuda_device();
  return o;
}

}  // namespace

TEST_CASE("cuda creation: round trips keep every dtype's bytes, views included") {
  for (tensor_dtype dt : kDtypes) {
    Handle a = make_typed(dt, {7, 33}, 5);
    Handle c = to_cuda(a);
    REQUIRE(tensor_get_device(c).type == TENSOR_CUDA);
    REQUIRE(tensor_data(c) == nullptr);  // CPU only
    Handle back = to_cpu(c);
    REQUIRE(bytes_of(back) == bytes_of(a));
    // A transposed CUDA view copied to the host comes out row-major.
    Handle ct, t;
    REQUIRE_OK(tensor_transpose(ct.out(), c, 0, 1));
    REQUIRE_OK(tensor_transpose(t.out(), a, 0, 1));
    REQUIRE(bytes_of(ct) == bytes_of(t));
  }
}

TEST_CASE("cuda creation: from_data, zeros, ones, full, empty and *_like on the GPU") {
  const int64_t shape[] = {3, 5};
  for (tensor_dtype dt : kDtypes) {
    tensor_options g = opts(dt, true), c = opts(dt, false);
    Handle x, y;
    REQUIRE_OK(tensor_zeros(x.out(), shape, 2, &g));
    REQUIRE_OK(tensor_zeros(y.out(), shape, 2, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_ones(x.out(), shape, 2, &g));
    REQUIRE_OK(tensor_ones(y.out(), shape, 2, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_full(x.out(), shape, 2, -2.75, &g));
    REQUIRE_OK(tensor_full(y.out(), shape, 2, -2.75, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_empty(x.out(), shape, 2, &g));
    REQUIRE(tensor_get_device(x).type == TENSOR_CUDA);
    Handle z;
    REQUIRE_OK(tensor_ones_like(z.out(), x));
    REQUIRE(tensor_get_device(z).type == TENSOR_CUDA);
    REQUIRE_OK(tensor_ones(y.out(), shape, 2, &c));
    require_same(z, y);
    REQUIRE_OK(tensor_fill_(z, 4.0));
    REQUIRE_OK(tensor_fill_(y, 4.0));
    require_same(z, y);
    REQUIRE_OK(tensor_zero_(z));
    REQUIRE_OK(tensor_zero_(y));
    require_same(z, y);
  }
}

TEST_CASE("cuda creation: arange, linspace and eye give the CPU's values exactly") {
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64}) {
    tensor_options g = opts(dt, true), c = opts(dt, false);
    Handle x, y;
    REQUIRE_OK(tensor_arange(x.out(), -3.0, 1000.5, 0.37, &g));
    REQUIRE_OK(tensor_arange(y.out(), -3.0, 1000.5, 0.37, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_linspace(x.out(), -1.0, 7.3, 1001, &g));
    REQUIRE_OK(tensor_linspace(y.out(), -1.0, 7.3, 1001, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_linspace(x.out(), 2.0, 2.0, 1, &g));
    REQUIRE_OK(tensor_linspace(y.out(), 2.0, 2.0, 1, &c));
    require_same(x, y);
    REQUIRE_OK(tensor_eye(x.out(), 37, &g));
    REQUIRE_OK(tensor_eye(y.out(), 37, &c));
    require_same(x, y);
  }
}

TEST_CASE("cuda creation: rand gives bitwise the CPU's numbers from the same seed; randn within rounding") {
  const int64_t shape[] = {1000, 37};  // not a multiple of the 4 numbers per Philox block
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64}) {
    tensor_options g = opts(dt, true), c = opts(dt, false);
    Handle x1, x2, y1, y2;
    tensor_manual_seed(1234);
    REQUIRE_OK(tensor_rand(x1.out(), shape, 2, &g));
    REQUIRE_OK(tensor_rand(x2.out(), shape, 2, &g));  // the stream advances
    tensor_manual_seed(1234);
    REQUIRE_OK(tensor_rand(y1.out(), shape, 2, &c));
    REQUIRE_OK(tensor_rand(y2.out(), shape, 2, &c));
    REQUIRE(bytes_of(x1) == bytes_of(y1));
    REQUIRE(bytes_of(x2) == bytes_of(y2));
    REQUIRE(bytes_of(x1) != bytes_of(x2));
    tensor_manual_seed(99);
    REQUIRE_OK(tensor_randn(x1.out(), shape, 2, &g));
    tensor_manual_seed(99);
    REQUIRE_OK(tensor_randn(y1.out(), shape, 2, &c));
    require_same(x1, y1, 8);  // Box-Muller through each device's log and cos
  }
}

TEST_CASE("cuda creation: copy_ across devices and dtype conversions match the CPU") {
  for (tensor_dtype from : kDtypes) {
    Handle a = make_typed(from, {4, 50}, 9, false);
    Handle ca = to_cuda(a);
    for (tensor_dtype to : kDtypes) {
      INFO("from " << from << " to " << to);
      Handle x, y;
      REQUIRE_OK(tensor_to_dtype(x.out(), ca, to));
      REQUIRE_OK(tensor_to_dtype(y.out(), a, to));
      require_same(x, y);
      // copy_ from a CPU tensor into a CUDA tensor of another dtype, through a transposed view.
      tensor_options g = opts(to, true);
      const int64_t shape[] = {50, 4};
      Handle dst, at, cpu_dst;
      REQUIRE_OK(tensor_empty(dst.out(), shape, 2, &g));
      REQUIRE_OK(tensor_transpose(at.out(), a, 0, 1));
      REQUIRE_OK(tensor_copy_(dst, at));
      REQUIRE_OK(tensor_to_dtype(cpu_dst.out(), at, to));
      require_same(dst, cpu_dst);
    }
  }
}

TEST_CASE("cuda creation: shape ops (contiguous, cat, stack, expand, select) run on the GPU") {
  Handle a = make_typed(TENSOR_FLOAT32, {4, 6, 5}, 13), b = make_typed(TENSOR_FLOAT32, {4, 2, 5}, 14);
  Handle ca = to_cuda(a), cb = to_cuda(b);
  const tensor* cpu_in[] = {a.get(), b.get(), a.get()};
  const tensor* gpu_in[] = {ca.get(), cb.get(), ca.get()};
  Handle x, y;
  REQUIRE_OK(tensor_cat(x.out(), gpu_in, 3, 1));
  REQUIRE_OK(tensor_cat(y.out(), cpu_in, 3, 1));
  require_same(x, y);
  const tensor* cpu_same[] = {a.get(), a.get()};
  const tensor* gpu_same[] = {ca.get(), ca.get()};
  REQUIRE_OK(tensor_stack(x.out(), gpu_same, 2, 2));
  REQUIRE_OK(tensor_stack(y.out(), cpu_same, 2, 2));
  require_same(x, y);
  const int32_t perm[] = {2, 0, 1};
  Handle px, py;
  REQUIRE_OK(tensor_permute(px.out(), ca, perm, 3));
  REQUIRE_OK(tensor_permute(py.out(), a, perm, 3));
  REQUIRE_OK(tensor_contiguous(x.out(), px));
  REQUIRE_OK(tensor_contiguous(y.out(), py));
  REQUIRE(tensor_is_contiguous(x));
  require_same(x, y);
  const int64_t flat[] = {-1};
  REQUIRE_OK(tensor_reshape(x.out(), px, flat, 1));  // a copy: the permuted view cannot be flattened
  REQUIRE_OK(tensor_reshape(y.out(), py, flat, 1));
  require_same(x, y);
  Handle s = make_typed(TENSOR_INT64, {1, 5}, 15);
  Handle cs = to_cuda(s);
  const int64_t big[] = {3, 4, 5};
  Handle ex, ey;
  REQUIRE_OK(tensor_expand(ex.out(), cs, big, 3));
  REQUIRE_OK(tensor_expand(ey.out(), s, big, 3));
  REQUIRE_OK(tensor_clone(x.out(), ex));
  REQUIRE_OK(tensor_clone(y.out(), ey));
  require_same(x, y);
  REQUIRE_OK(tensor_select(x.out(), ca, 1, 3));
  REQUIRE_OK(tensor_select(y.out(), a, 1, 3));
  Handle xc, yc;
  REQUIRE_OK(tensor_clone(xc.out(), x));
  REQUIRE_OK(tensor_clone(yc.out(), y));
  require_same(xc, yc);
  double item = 0, item_cpu = 1;
  Handle one;
  REQUIRE_OK(tensor_select(one.out(), x, 0, 2));
  Handle one_s;
  REQUIRE_OK(tensor_select(one_s.out(), one, 0, 1));
  REQUIRE_OK(tensor_item(one_s, &item));
  Handle one_c, one_cs;
  REQUIRE_OK(tensor_select(one_c.out(), y, 0, 2));
  REQUIRE_OK(tensor_select(one_cs.out(), one_c, 0, 1));
  REQUIRE_OK(tensor_item(one_cs, &item_cpu));
  REQUIRE(item == item_cpu);
}
