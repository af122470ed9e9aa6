// Float32 row primitives of the normalisation kernels (cpu/norm_kernels.cpp), at the CPU's widest vectors
// (cpu/vec_dispatch.h). A layer_norm row is two passes forward (moments; the affine output) and two
// backward (the grad sums, fused with the weight/bias partials; dx); batch_norm and group_norm use the
// same loops with no per-element weight. Sums run in float lanes over chunks of 512 elements and are added
// into double (Note [norm kernels]); the float64 kernels keep the templates of norm_kernels.cpp.
#pragma once
#include <cstdint>

namespace lt::cpu {

// *s1 += sum(x - k), *s2 += sum((x - k)^2) over x[0..n).
void vec_norm_moments(const float* x, int64_t n, float k, double* s1, double* s2);
// y = (x * a + c) * w + b per element; w and b may be null (1 and 0). y may alias x.
void vec_norm_affine(const float* x, float a, float c, const float* w, const float* b, float* y, int64_t n);
// With dy = g * w (w null: dy = g): *sa += sum(dy), *sb += sum(dy * (x - m)); and when pw is not null,
// pw += g * ((x - m) * rs) and pb += g per element (a layer_norm row's share of dweight and dbias).
void vec_norm_grad_sums(const float* g, const float* x, const float* w, float m, float rs, float* pw, float* pb,
                        int64_t n, double* sa, double* sb);
// dx = (g * w) * a + x * b + c per element; w may be null (1).
void vec_norm_grad_apply(const float* g, const float* x, const float* w, float a, float b, float c, float* dx,
                         int64_t n);

}  // namespace lt::cpu
