// Shape and view ops: which results share storage, their strides and values.
#include "test_util.h"

namespace {
Handle arange_shape(int64_t n, std::vector<int64_t> shape, tensor_dtype dt = TENSOR_FLOAT32) {
  tensor_options o = opts_of(dt);
  Handle a, r;
  REQUIRE_OK(tensor_arange(a.out(), 0, static_cast<double>(n), 1, &o));
  REQUIRE_OK(tensor_reshape(r.out(), a, shape.data(), static_cast<int32_t>(shape.size())));
  return r;
}
}  // namespace

TEST_CASE("reshape of a contiguous tensor is a view; -1 is inferred") {
  Handle a = arange_shape(48, {3, 4, 4});
  CHECK(shape_of(a) == std::vector<int64_t>{3, 4, 4});
  int64_t s[] = {-1, 8};
  Handle r;
  REQUIRE_OK(tensor_reshape(r.out(), a, s, 2));
  CHECK(shape_of(r) == std::vector<int64_t>{6, 8});
  CHECK(tensor_data(r) == tensor_data(a));
  int64_t bad[] = {5, -1};
  CHECK(tensor_reshape(r.out(), a, bad, 2) == TENSOR_ERR_SHAPE);
  CHECK(std::string(tensor_last_error()).find("tensor_reshape: shape [5, -1] is invalid for input of size 48") == 0);
  int64_t two[] = {-1, -1};
  CHECK(tensor_reshape(r.out(), a, two, 2) == TENSOR_ERR_SHAPE);
}

TEST_CASE("reshape of a transposed tensor copies, with the right values") {
  Handle a = arange_shape(6, {2, 3});
  Handle t, r;
  REQUIRE_OK(tensor_transpose(t.out(), a, 0, 1));
  CHECK_FALSE(tensor_is_contiguous(t));
  int64_t s[] = {6};
  REQUIRE_OK(tensor_reshape(r.out(), t, s, 1));
  CHECK(tensor_data(r) != tensor_data(a));
  CHECK(values<float>(r) == std::vector<float>{0, 3, 1, 4, 2, 5});
}

namespace {
template <typename T>
void check_transposed_copy(tensor_dtype dt, int64_t rows, int64_t cols) {
  Handle a, t, c;
  if (dt == TENSOR_BOOL) {  // no bool arange: sin(k) > 0, an irregular pattern
    Handle k = arange_shape(rows * cols, {rows, cols}), sin_k, zero;
    REQUIRE_OK(tensor_sin(sin_k.out(), k));
    REQUIRE_OK(tensor_zeros_like(zero.out(), sin_k));
    REQUIRE_OK(tensor_gt(a.out(), sin_k, zero));
  } else {
    a = arange_shape(rows * cols, {rows, cols}, dt);
  }
  REQUIRE_OK(tensor_transpose(t.out(), a, 0, 1));
  REQUIRE_OK(tensor_contiguous(c.out(), t));
  const std::vector<T> in = values<T>(a), out = values<T>(c);
  int64_t wrong = 0;
  for (int64_t i = 0; i < cols; ++i)
    for (int64_t j = 0; j < rows; ++j) wrong += out[i * rows + j] != in[j * cols + i];
  CHECK(wrong == 0);
}
}  // namespace

TEST_CASE("contiguous of a transpose, tiled for large ones (Note [tiled transpose]): every dtype and edge") {
  // Below, at and above the 32-element tile; sizes that leave partial tiles; one threaded.
  const int64_t shapes[][2] = {{3, 5}, {31, 40}, {32, 32}, {33, 70}, {100, 257}, {1000, 517}};
  for (const auto& s : shapes) {
    INFO(s[0] << " x " << s[1]);
    check_transposed_copy<float>(TENSOR_FLOAT32, s[0], s[1]);
    check_transposed_copy<double>(TENSOR_FLOAT64, s[0], s[1]);
    check_transposed_copy<int32_t>(TENSOR_INT32, s[0], s[1]);
    check_transposed_copy<int64_t>(TENSOR_INT64, s[0], s[1]);
    check_transposed_copy<bool>(TENSOR_BOOL, s[0], s[1]);
  }
  // A sliced transpose (row stride not the row length) and a 3-d permute keep their own paths right.
  Handle a = arange_shape(64 * 80, {64, 80}), sl, t, c;
  REQUIRE_OK(tensor_slice(sl.out(), a, 1, 3, 75, 1));  // (64, 72), rows 80 apart
  REQUIRE_OK(tensor_transpose(t.out(), sl, 0, 1));
  REQUIRE_OK(tensor_contiguous(c.out(), t));
  const std::vector<float> out = values<float>(c);
  REQUIRE(out.size() == 72u * 64u);
  for (int64_t i = 0; i < 72; ++i)
    for (int64_t j = 0; j < 64; ++j) REQUIRE(out[static_cast<size_t>(i * 64 + j)] == static_cast<float>(j * 80 + 3 + i));
}

TEST_CASE("permute and transpose reorder strides without copying") {
  Handle a = arange_shape(24, {2, 3, 4});
  int32_t dims[] = {2, 0, 1};
  Handle p;
  REQUIRE_OK(tensor_permute(p.out(), a, dims, 3));
  CHECK(shape_of(p) == std::vector<int64_t>{4, 2, 3});
  const int64_t* st = tensor_strides(p);
  CHECK(st[0] == 1);
  CHECK(st[1] == 12);
  CHECK(st[2] == 4);
  CHECK(tensor_data(p) == tensor_data(a));
  CHECK(values<float>(p)[1] == 4.0f);  // p[0,0,1] = a[0,1,0]
  int32_t dup[] = {0, 0, 1};
  CHECK(tensor_permute(p.out(), a, dup, 3) == TENSOR_ERR_INVALID_ARGUMENT);
  int32_t few[] = {0, 1};
  CHECK(tensor_permute(p.out(), a, few, 2) == TENSOR_ERR_SHAPE);
  Handle t;
  REQUIRE_OK(tensor_transpose(t.out(), a, -1, 0));
  CHECK(shape_of(t) == std::vector<int64_t>{4, 3, 2});
  CHECK(tensor_transpose(t.out(), a, 3, 0) == TENSOR_ERR_INDEX);
}

TEST_CASE("expand broadcasts with stride 0 and checks sizes") {
  Handle a = arange_shape(3, {3, 1});
  int64_t s[] = {2, 3, 4};
  Handle e;
  REQUIRE_OK(tensor_expand(e.out(), a, s, 3));
  CHECK(shape_of(e) == std::vector<int64_t>{2, 3, 4});
  CHECK(tensor_strides(e)[0] == 0);
  CHECK(tensor_strides(e)[2] == 0);
  CHECK(values<float>(e)[4] == 1.0f);
  int64_t keep[] = {-1, 5};
  REQUIRE_OK(tensor_expand(e.out(), a, keep, 2));
  CHECK(shape_of(e) == std::vector<int64_t>{3, 5});
  int64_t bad[] = {4, 4};
  CHECK(tensor_expand(e.out(), a, bad, 2) == TENSOR_ERR_SHAPE);
}

TEST_CASE("squeeze, squeeze_all and unsqueeze") {
  Handle a = arange_shape(6, {1, 2, 1, 3});
  Handle s, all, u;
  REQUIRE_OK(tensor_squeeze(s.out(), a, 2));
  CHECK(shape_of(s) == std::vector<int64_t>{1, 2, 3});
  REQUIRE_OK(tensor_squeeze(s.out(), a, 1));  // size 2: unchanged
  CHECK(shape_of(s) == std::vector<int64_t>{1, 2, 1, 3});
  REQUIRE_OK(tensor_squeeze_all(all.out(), a));
  CHECK(shape_of(all) == std::vector<int64_t>{2, 3});
  REQUIRE_OK(tensor_unsqueeze(u.out(), all, -1));
  CHECK(shape_of(u) == std::vector<int64_t>{2, 3, 1});
  REQUIRE_OK(tensor_unsqueeze(u.out(), all, 0));
  CHECK(shape_of(u) == std::vector<int64_t>{1, 2, 3});
  CHECK(tensor_unsqueeze(u.out(), all, 3) == TENSOR_ERR_INDEX);
}

TEST_CASE("slice follows Python slicing with a step; select drops the dim") {
  Handle a = arange_shape(10, {10});
  Handle s, neg, sel;
  REQUIRE_OK(tensor_slice(s.out(), a, 0, 1, 8, 3));
  CHECK(values<float>(s) == std::vector<float>{1, 4, 7});
  REQUIRE_OK(tensor_slice(neg.out(), a, 0, -3, 100, 1));
  CHECK(values<float>(neg) == std::vector<float>{7, 8, 9});
  REQUIRE_OK(tensor_slice(neg.out(), a, 0, 5, 2, 1));
  CHECK(tensor_numel(neg) == 0);
  CHECK(tensor_slice(neg.out(), a, 0, 0, 5, 0) == TENSOR_ERR_INVALID_ARGUMENT);
  Handle m = arange_shape(12, {3, 4});
  REQUIRE_OK(tensor_select(sel.out(), m, 1, -1));
  CHECK(values<float>(sel) == std::vector<float>{3, 7, 11});
  CHECK(tensor_select(sel.out(), m, 0, 3) == TENSOR_ERR_INDEX);
  CHECK(std::string(tensor_last_error()) == "tensor_select: index 3 is out of bounds for dimension 0 with size 3");
}

TEST_CASE("contiguous returns the same storage when already contiguous; clone never does") {
  Handle a = arange_shape(6, {2, 3});
  Handle c, k, t, tc;
  REQUIRE_OK(tensor_contiguous(c.out(), a));
  CHECK(tensor_data(c) == tensor_data(a));
  REQUIRE_OK(tensor_clone(k.out(), a));
  CHECK(tensor_data(k) != tensor_data(a));
  REQUIRE_OK(tensor_transpose(t.out(), a, 0, 1));
  REQUIRE_OK(tensor_contiguous(tc.out(), t));
  CHECK(tensor_is_contiguous(tc));
  CHECK(values<float>(tc) == std::vector<float>{0, 3, 1, 4, 2, 5});
}

TEST_CASE("views share storage: writes through one are seen by the other") {
  Handle a = arange_shape(6, {2, 3});
  Handle row;
  REQUIRE_OK(tensor_select(row.out(), a, 0, 1));
  REQUIRE_OK(tensor_fill_(row, -1.0));
  CHECK(values<float>(a) == std::vector<float>{0, 1, 2, -1, -1, -1});
}

TEST_CASE("cat and stack, with dtype promotion and shape checks") {
  Handle a = arange_shape(4, {2, 2});
  Handle b = arange_shape(2, {1, 2}, TENSOR_INT64);
  const tensor* list[] = {a, b};
  Handle c;
  REQUIRE_OK(tensor_cat(c.out(), list, 2, 0));
  CHECK(shape_of(c) == std::vector<int64_t>{3, 2});
  CHECK(tensor_get_dtype(c) == TENSOR_FLOAT32);
  CHECK(values<float>(c) == std::vector<float>{0, 1, 2, 3, 0, 1});
  CHECK(tensor_cat(c.out(), list, 2, 1) == TENSOR_ERR_SHAPE);
  CHECK(tensor_cat(c.out(), list, 0, 0) == TENSOR_ERR_INVALID_ARGUMENT);
  const tensor* with_null[] = {a, nullptr};
  CHECK(tensor_cat(c.out(), with_null, 2, 0) == TENSOR_ERR_INVALID_ARGUMENT);

  Handle x = arange_shape(3, {3}), y = arange_shape(3, {3}), s;
  const tensor* pair[] = {x, y};
  REQUIRE_OK(tensor_stack(s.out(), pair, 2, 1));
  CHECK(shape_of(s) == std::vector<int64_t>{3, 2});
  CHECK(values<float>(s) == std::vector<float>{0, 0, 1, 1, 2, 2});
  const tensor* mismatched[] = {x, a};
  CHECK(tensor_stack(s.out(), mismatched, 2, 0) == TENSOR_ERR_SHAPE);
}

TEST_CASE("to_dtype converts as static_cast, bool from nonzero") {
  Handle f = make<float>({-1.7f, 0.0f, 2.9f}, {3});
  Handle i, b, same;
  REQUIRE_OK(tensor_to_dtype(i.out(), f, TENSOR_INT32));
  CHECK(values<int32_t>(i) == std::vector<int32_t>{-1, 0, 2});
  REQUIRE_OK(tensor_to_dtype(b.out(), f, TENSOR_BOOL));
  CHECK(values<int32_t>(b) == std::vector<int32_t>{1, 0, 1});
  REQUIRE_OK(tensor_to_dtype(same.out(), f, TENSOR_FLOAT32));
  CHECK(same.get() == f.get());  // a new reference to the same tensor
  CHECK(tensor_to_dtype(same.out(), f, static_cast<tensor_dtype>(17)) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("copy_to_host writes non-contiguous tensors row-major and checks the size") {
  Handle a = arange_shape(6, {2, 3});
  Handle t;
  REQUIRE_OK(tensor_transpose(t.out(), a, 0, 1));
  float buf[6];
  REQUIRE_OK(tensor_copy_to_host(t, buf, sizeof(buf)));
  CHECK(std::vector<float>(buf, buf + 6) == std::vector<float>{0, 3, 1, 4, 2, 5});
  CHECK(tensor_copy_to_host(t, buf, sizeof(buf) - 1) == TENSOR_ERR_INVALID_ARGUMENT);
  double v;
  CHECK(tensor_item(t, &v) == TENSOR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("to_device to the CPU is the identity; CUDA without a GPU is a device error") {
  Handle a = arange_shape(3, {3});
  Handle b;
  tensor_device cpu = {TENSOR_CPU, 0};
  REQUIRE_OK(tensor_to_device(b.out(), a, cpu));
  CHECK(b.get() == a.get());
  if (!tensor_cuda_available()) {
    tensor_device gpu = {TENSOR_CUDA, 0};
    CHECK(tensor_to_device(b.out(), a, gpu) == TENSOR_ERR_DEVICE);
    CHECK(std::string(tensor_last_error()).find("tensor_to_device: ") == 0);
  }
}
