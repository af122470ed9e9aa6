// The sizes of one 2-D convolution, shared by the CPU (cpu/conv_kernels.cpp) and CUDA (cuda/conv.cu)
// kernels so that both read the same geometry the same way. A plain struct: CUDA kernels take it by value.
#pragma once
#include <cstdint>

#include "core/conv_args.h"
#include "core/dim_vector.h"

namespace lt {

// From the input-side shape (N, C, H, W), the weight's (O, Cg, KH, KW) and the output side's (N, O, OH, OW).
struct ConvGeom {
  int64_t n, c, h, w, o, kh, kw, oh, ow, groups, cg, og, ckk, ohw, hw;
  int64_t sh, sw, ph, pw, dh, dw;
  bool pointwise;  // 1x1, stride 1, no padding: the im2col matrix is the image itself
};

inline ConvGeom conv_geom(const DimVector& in, const DimVector& wt, const DimVector& out, const ConvArgs& a) {
  ConvGeom g{};
  g.n = in[0], g.c = in[1], g.h = in[2], g.w = in[3];
  g.o = wt[0], g.cg = wt[1], g.kh = wt[2], g.kw = wt[3];
  g.oh = out[2], g.ow = out[3];
  g.groups = a.groups;
  g.og = g.o / g.groups;
  g.ckk = g.cg * g.kh * g.kw;
  g.ohw = g.oh * g.ow;
  g.hw = g.h * g.w;
  g.sh = a.stride[0], g.sw = a.stride[1], g.ph = a.padding[0], g.pw = a.padding[1];
  g.dh = a.dilation[0], g.dw = a.dilation[1];
  g.pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
  return g;
}

}  // namespace lt
