// Fuzz operation for the convolutions: conv1d, conv2d and conv_transpose2d on operands built from a decoded
// geometry (batch 0..2 or unbatched, groups, channels, kernel, spatial sizes 0..8, stride, padding,
// dilation, output_padding, bias or NULL), so that most calls are valid and their result shape can be
// checked against PyTorch's formula. Planted defects: a NULL out or operand, non-positive stride /
// dilation / groups, negative padding or output_padding, parameters beyond the library's limit of 2^32
// (TENSOR_ERR_INVALID_ARGUMENT); a weight of the wrong rank, channels that do not match, a bias of the
// wrong size (TENSOR_ERR_SHAPE); an integer input (TENSOR_ERR_DTYPE). Geometries the formula rejects (a
// kernel larger than the padded input, an output_padding not below the stride or dilation, an empty
// transposed output) must fail with TENSOR_ERR_SHAPE. One call in eight takes a pool tensor as the input
// instead, where only the contract is checked. A successful call with a weight that requires grad is
// followed by a backward pass, whose weight grad must have the weight's shape.
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_ops.h"

namespace fuzz {

namespace {

// A tensor of `shape` and `dt` (float32, float64 or the planted int32), random normal when floating;
// nullptr when creation fails (it cannot for these small shapes, so that is a finding).
tensor* make_operand(const std::vector<int64_t>& shape, tensor_dtype dt, bool requires_grad) {
  tensor_options o = TENSOR_OPTIONS_INIT;
  o.dtype = dt;
  o.requires_grad = requires_grad && dt != TENSOR_INT32;
  tensor* t = nullptr;
  const tensor_status st = dt == TENSOR_INT32 ? tensor_zeros(&t, shape.data(), static_cast<int32_t>(shape.size()), &o)
                                              : tensor_randn(&t, shape.data(), static_cast<int32_t>(shape.size()), &o);
  if (st != TENSOR_OK) fail("tensor_randn", "creating a small conv operand failed", st);
  return t;
}

// A stride, padding, dilation or output_padding entry: usually in [lo, lo + 2], now and then a planted
// defect (below the minimum, or beyond 2^32).
int64_t param(Input& in, Expect& e, int64_t lo) {
  const uint8_t b = in.u8();
  if (b < 244) return lo + b % 3;
  e.defect(TENSOR_ERR_INVALID_ARGUMENT);
  return b % 2 ? lo - 1 - b % 3 : (int64_t(1) << 33) + b;
}

}  // namespace

void op_conv(Session& s) {
  Expect e;
  const uint8_t which = s.in.u8() % 3;  // conv1d, conv2d, conv_transpose2d
  const bool transposed = which == 2;
  const int32_t dims = which == 0 ? 1 : 2;
  const char* call = which == 0 ? "tensor_conv1d" : which == 1 ? "tensor_conv2d" : "tensor_conv_transpose2d";

  int64_t groups = 1 + s.in.below(3);
  const int64_t cg = 1 + s.in.below(3), og = 1 + s.in.below(3);
  const bool batched = !s.in.one_in(4);
  const int64_t n = s.in.below(3);
  int64_t k[2], hw[2], stride[2], pad[2], dil[2], opad[2];
  for (int32_t i = 0; i < dims; ++i) {
    k[i] = 1 + s.in.below(4);
    hw[i] = s.in.below(9);
    stride[i] = param(s.in, e, 1);
    pad[i] = param(s.in, e, 0);
    dil[i] = param(s.in, e, 1);
    opad[i] = transposed ? param(s.in, e, 0) : 0;
  }
  // conv: input channels cg * groups, weight (og * groups, cg, k...); transposed: input channels
  // cg * groups, weight (cg * groups, og, k...), og * groups output channels.
  int64_t c_in = cg * groups;
  const int64_t out_c = og * groups;
  std::vector<int64_t> wshape = transposed ? std::vector<int64_t>{cg * groups, og} : std::vector<int64_t>{out_c, cg};
  for (int32_t i = 0; i < dims; ++i) wshape.push_back(k[i]);
  int64_t bias_n = out_c;
  tensor_dtype dt = s.in.coin() ? TENSOR_FLOAT32 : TENSOR_FLOAT64;
  const bool with_bias = s.in.coin();
  switch (s.in.u8() % 24) {  // at most one structural defect
    case 0:
      groups = s.in.coin() ? 0 : -1;
      e.defect(TENSOR_ERR_INVALID_ARGUMENT);
      break;
    case 1:
      c_in += 1;
      e.defect(TENSOR_ERR_SHAPE);
      break;
    case 2:
      wshape.pop_back();
      e.defect(TENSOR_ERR_SHAPE);
      break;
    case 3:
      bias_n += 1;
      e.defect_if(with_bias, TENSOR_ERR_SHAPE);
      break;
    case 4:
      dt = TENSOR_INT32;
      e.defect(TENSOR_ERR_DTYPE);
      break;
    default: break;
  }
  std::vector<int64_t> xshape;
  if (batched) xshape.push_back(n);
  xshape.push_back(c_in);
  for (int32_t i = 0; i < dims; ++i) xshape.push_back(hw[i]);

  // The output extent of each dim (PyTorch's formula) and whether the geometry itself is impossible.
  bool geometry_ok = true;
  std::vector<int64_t> want;
  if (batched) want.push_back(n);
  want.push_back(out_c);
  for (int32_t i = 0; i < dims && !e.any(); ++i) {
    const int64_t ek = dil[i] * (k[i] - 1) + 1;
    if (transposed) {
      const int64_t o = (hw[i] - 1) * stride[i] - 2 * pad[i] + ek + opad[i];
      if (!(opad[i] < stride[i] || opad[i] < dil[i]) || o <= 0) geometry_ok = false;
      want.push_back(o);
    } else {
      if (hw[i] + 2 * pad[i] < ek) geometry_ok = false;
      want.push_back((hw[i] + 2 * pad[i] - ek) / stride[i] + 1);
    }
  }
  e.defect_if(!e.any() && !geometry_ok, TENSOR_ERR_SHAPE);

  const bool from_pool = s.in.one_in(8);
  const bool grad = s.in.one_in(3);
  tensor* x = nullptr;
  Expect pool_e;  // a pool input: only NULL is a known defect, the rest may or may not be valid
  if (from_pool) x = s.pool.arg(s.in, pool_e);
  tensor* own_x = from_pool ? nullptr : make_operand(xshape, dt, false);
  if (!from_pool) x = own_x;
  tensor* w = s.in.one_in(32) ? nullptr : make_operand(wshape, dt, grad);
  tensor* b = with_bias ? make_operand({bias_n}, dt, false) : nullptr;
  if (!w) (from_pool ? pool_e : e).defect(TENSOR_ERR_INVALID_ARGUMENT);
  Expect& used = from_pool ? pool_e : e;

  tensor* out;
  tensor** po = out_param(s.in, used, &out);
  tensor_status st;
  if (which == 0)
    st = tensor_conv1d(po, x, w, b, stride, pad, dil, groups);
  else if (which == 1)
    st = tensor_conv2d(po, x, w, b, stride, pad, dil, groups);
  else
    st = tensor_conv_transpose2d(po, x, w, b, stride, pad, opad, dil, groups);
  if (from_pool) used.may_run_out_of_memory();
  tensor* r = result(call, used, st, po, out);
  if (r && !from_pool) {
    FUZZ_REQUIRE(shape_of(r) == want, call, "result shape differs from PyTorch's");
    FUZZ_REQUIRE(tensor_get_dtype(r) == dt, call, "result dtype differs from the input's");
  }
  if (r && w && tensor_requires_grad(w) && tensor_requires_grad(r)) {
    tensor* total = nullptr;
    tensor_status bs = tensor_sum(&total, r, nullptr, 0, false);
    if (bs == TENSOR_OK) bs = tensor_backward(total, nullptr, false);
    if (bs != TENSOR_OK) fail(call, "the backward pass of a convolution failed", bs);
    tensor* gw = nullptr;
    if (tensor_grad(&gw, w) != TENSOR_OK || !gw) fail(call, "no weight grad after backward");
    FUZZ_REQUIRE(shape_of(gw) == wshape, call, "the weight grad's shape differs from the weight's");
    check_tensor(call, gw, kMaxKeep);
    tensor_free(gw);
    tensor_free(total);
  }
  s.pool.keep(s.in, r);
  tensor_free(own_x);
  tensor_free(w);
  tensor_free(b);
}

}  // namespace fuzz
