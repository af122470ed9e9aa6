// conv1d, conv2d and conv_transpose2d: PyTorch's argument checks, output shapes and error messages, then
// one 4-D kernel of the backend's conv rows (Note [CPU conv strategy] in cpu/conv_kernels.cpp, Note [CUDA
// conv strategy] in cuda/conv.cu). conv1d is conv2d over a unit height; an unbatched input gains a unit
// batch; conv_transpose2d is the input grad of conv2d (its weight is (C_in, C_out/groups, KH, KW)). The
// forward runs on views under NoGradGuard and ConvolutionBackward0 is recorded on the caller's tensors,
// so the result's grad_fn is torch's whatever the views were.
#include <sstream>
#include <string>

#include "autograd/grad_mode.h"
#include "core/backend.h"
#include "ops/conv_grad.h"
#include "ops/half_compute.h"
#include "ops/ops.h"

namespace lt {

namespace {

// Larger strides, paddings or dilations are refused before any size arithmetic could overflow.
constexpr int64_t kMaxConvParam = int64_t(1) << 32;

std::string list_str(const int64_t* v, int32_t n, const char* sep) {
  std::ostringstream s;
  for (int32_t i = 0; i < n; ++i) s << (i ? sep : "") << v[i];
  return s.str();
}

void check_params(const char* op, const ConvArgs& a, const int64_t* output_padding, int32_t dims) {
  for (int32_t i = 0; i < 2; ++i) {
    LT_CHECK(a.stride[i] > 0, Status::InvalidArgument, op << ": non-positive stride is not supported");
    LT_CHECK(a.padding[i] >= 0, Status::InvalidArgument, op << ": negative padding is not supported");
    LT_CHECK(a.dilation[i] > 0, Status::InvalidArgument,
             op << ": dilation should be greater than zero, but got [" << list_str(a.dilation + 2 - dims, dims, ", ")
                << "]");
    LT_CHECK(a.stride[i] <= kMaxConvParam && a.padding[i] <= kMaxConvParam && a.dilation[i] <= kMaxConvParam,
             Status::InvalidArgument, op << ": stride, padding and dilation must be at most " << kMaxConvParam);
    if (output_padding) {
      LT_CHECK(output_padding[i] >= 0, Status::InvalidArgument, op << ": negative output_padding is not supported");
      LT_CHECK(output_padding[i] <= kMaxConvParam, Status::InvalidArgument,
               op << ": output_padding must be at most " << kMaxConvParam);
    }
  }
  LT_CHECK(a.groups > 0, Status::InvalidArgument, op << ": non-positive groups is not supported");
}

void check_dtypes(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias) {
  check_same_device(input, weight);
  if (bias.defined()) check_same_device(input, bias);
  LT_CHECK(is_floating(input.dtype()), Status::DType,
           op << ": expected a floating point input, got " << dtype_name(input.dtype())
              << "; libtensor's convolutions run on float32 and float64 (convert with to_dtype first)");
  LT_CHECK(input.dtype() == weight.dtype(), Status::DType,
           op << ": Input type (" << dtype_name(input.dtype()) << ") and weight type (" << dtype_name(weight.dtype())
              << ") should be the same");
  LT_CHECK(!bias.defined() || bias.dtype() == input.dtype(), Status::DType,
           op << ": Input type (" << dtype_name(input.dtype()) << ") and bias type "
              << (bias.defined() ? dtype_name(bias.dtype()) : "") << " should be the same");
}

// The common path: `dims` spatial dims (1 or 2); args over two dims (conv1d's height entries are the
// identity); output_padding non-null only for the transposed convolution.
Tensor convolution(const char* op, const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args,
                   const int64_t* output_padding, int32_t dims) {
  const bool transposed = output_padding != nullptr;
  check_dtypes(op, input, weight, bias);
  if (runs_widened(input, {&weight, &bias}))  // Note [half compute]
    return half_result(convolution(op, widened(input), widened(weight), widened(bias), args, output_padding, dims),
                       input.dtype());
  check_params(op, args, output_padding, dims);
  LT_CHECK(weight.ndim() == dims + 2, Status::Shape,
           op << ": expected weight to be " << dims + 2 << "-dimensional ("
              << (transposed ? "in_channels, out_channels/groups" : "out_channels, in_channels/groups")
              << (dims == 2 ? ", kH, kW" : ", kW") << "), but got weight of size " << shape_str(weight.shape()));
  LT_CHECK(input.ndim() == dims + 1 || input.ndim() == dims + 2, Status::Shape,
           op << ": Expected " << dims + 1 << "D (unbatched) or " << dims + 2 << "D (batched) input to " << op
              << ", but got input of size: " << shape_str(input.shape()));
  const bool batched = input.ndim() == dims + 2;
  const int64_t g = args.groups;
  LT_CHECK(weight.size(0) % g == 0, Status::Shape,
           op << ": Given groups=" << g << ", expected weight to be divisible by " << g
              << " at dimension 0, but got weight of size [" << shape_str(weight.shape()) << "] instead");
  LT_CHECK(transposed || weight.size(0) > 0, Status::Shape,
           op << ": Given groups=" << g << ", expected weight to be at least 1 at dimension 0, but got weight of size "
              << shape_str(weight.shape()) << " instead");
  const int64_t c = input.size(batched ? 1 : 0);
  const int64_t expect_c = transposed ? weight.size(0) : weight.size(1) * g;
  if (c != expect_c) {
    DimVector shown = input.shape();  // torch reports an unbatched input with its unit batch
    if (!batched) shown.insert(0, 1);
    std::ostringstream m;
    m << op << ": Given " << (transposed ? "transposed=1" : "groups=" + std::to_string(g)) << ", weight of size "
      << shape_str(weight.shape()) << ", expected input" << shape_str(shown) << " to have " << expect_c
      << " channels, but got " << c << " channels instead";
    throw_error(Status::Shape, m.str());
  }
  const int64_t out_c = transposed ? weight.size(1) * g : weight.size(0);
  if (bias.defined())
    LT_CHECK(bias.ndim() == 1 && bias.size(0) == out_c, Status::Shape,
             op << ": Given " << (transposed ? "transposed=1, " : "") << "weight of size " << shape_str(weight.shape())
                << ", expected bias to be 1-dimensional with " << out_c << " elements, but got bias of size "
                << shape_str(bias.shape()) << " instead");

  // 4-D views: (N, C, H, W) and (O, Cg, KH, KW); conv1d gets a unit height.
  const int32_t sp = batched ? 2 : 1;  // first spatial dim of input
  int64_t in_hw[2] = {1, 1}, k_hw[2] = {1, 1};
  for (int32_t i = 0; i < dims; ++i) {
    in_hw[2 - dims + i] = input.size(sp + i);
    k_hw[2 - dims + i] = weight.size(2 + i);
  }
  // Sizes in 128 bits: a hostile shape with a zero dim elsewhere may carry a huge kernel or input extent.
  int64_t out_hw[2];
  for (int32_t i = 0; i < 2; ++i) {
    const __int128 ek = __int128(args.dilation[i]) * (k_hw[i] - 1) + 1;
    const __int128 o =
        transposed ? __int128(in_hw[i] - 1) * args.stride[i] - 2 * __int128(args.padding[i]) + ek + output_padding[i]
                   : (__int128(in_hw[i]) + 2 * __int128(args.padding[i]) - ek) / args.stride[i] + 1;
    LT_CHECK(o < (__int128(1) << 62) && ek < (__int128(1) << 62), Status::Shape,
             op << ": the output or kernel extent of input " << shape_str(input.shape()) << " and weight "
                << shape_str(weight.shape()) << " is too large");
    out_hw[i] = static_cast<int64_t>(o);
  }
  const int32_t first = 2 - dims;  // the spatial entries the caller sees
  if (transposed) {
    for (int32_t i = 0; i < 2; ++i)
      LT_CHECK(output_padding[i] < args.stride[i] || output_padding[i] < args.dilation[i], Status::Shape,
               op << ": output padding must be smaller than either stride or dilation, but got output_padding_height: "
                  << output_padding[0] << " output_padding_width: " << output_padding[1]
                  << " stride_height: " << args.stride[0] << " stride_width: " << args.stride[1]
                  << " dilation_height: " << args.dilation[0] << " dilation_width: " << args.dilation[1]);
    LT_CHECK(out_hw[0] > 0 && out_hw[1] > 0, Status::Shape,
             op << ": Given input size per channel: (" << list_str(in_hw + first, dims, " x ")
                << "). Calculated output size per channel: (" << list_str(out_hw + first, dims, " x ")
                << "). Output size is too small");
  } else {
    int64_t padded[2], ek[2];
    for (int32_t i = 0; i < 2; ++i) {
      padded[i] = in_hw[i] + 2 * args.padding[i];
      ek[i] = args.dilation[i] * (k_hw[i] - 1) + 1;
    }
    LT_CHECK(padded[0] >= ek[0] && padded[1] >= ek[1], Status::Shape,
             op << ": Calculated padded input size per channel: (" << list_str(padded + first, dims, " x ")
                << "). Kernel size: (" << list_str(ek + first, dims, " x ")
                << "). Kernel size can't be greater than actual input size");
  }

  const int64_t n = batched ? input.size(0) : 1;
  const DimVector x4_shape{n, c, in_hw[0], in_hw[1]};
  const DimVector w4_shape{weight.size(0), weight.size(1), k_hw[0], k_hw[1]};
  const DimVector out4_shape{n, out_c, out_hw[0], out_hw[1]};
  DimVector out_shape;
  if (batched) out_shape.push_back(n);
  out_shape.push_back(out_c);
  for (int32_t i = first; i < 2; ++i) out_shape.push_back(out_hw[i]);

  Tensor x4, w4, out;
  {
    NoGradGuard ng;
    x4 = contiguous(reshape(input, x4_shape));
    w4 = contiguous(reshape(weight, w4_shape));
    Tensor b = bias.defined() ? contiguous(bias) : Tensor();
    Tensor out4 = make_empty(out4_shape, input.dtype(), input.device());
    Backend& be = backend_for(input.device());
    if (transposed) {
      be.conv2d_backward_input(out4, x4, w4, args);
      if (b.defined() && out4.numel() > 0) out4 = binary(BinaryOp::Add, out4, reshape(b, DimVector{out_c, 1, 1}));
    } else {
      be.conv2d(out4, x4, w4, b, args);
    }
    out = reshape(out4, out_shape);
  }
  record_convolution(out, input, weight, bias, x4, w4, out4_shape, args, transposed);
  return out;
}

ConvArgs conv_args_1d(int64_t stride, int64_t padding, int64_t dilation, int64_t groups) {
  ConvArgs a;
  a.stride[1] = stride;
  a.padding[1] = padding;
  a.dilation[1] = dilation;
  a.groups = groups;
  return a;
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args) {
  return convolution("conv2d", input, weight, bias, args, nullptr, 2);
}

Tensor conv1d(const Tensor& input, const Tensor& weight, const Tensor& bias, int64_t stride, int64_t padding,
              int64_t dilation, int64_t groups) {
  return convolution("conv1d", input, weight, bias, conv_args_1d(stride, padding, dilation, groups), nullptr, 1);
}

Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const Tensor& bias, const ConvArgs& args,
                        const int64_t output_padding[2]) {
  return convolution("conv_transpose2d", input, weight, bias, args, output_padding, 2);
}

}  // namespace lt
