// sort, argsort and topk on CUDA against the CPU on the same inputs (Note [CUDA sort] in cuda/sort.cu):
// every dtype and dim, one long line (cub::DeviceRadixSort) and many lines (DeviceSegmentedSort), NaN and
// infinities, descending. Both backends sort stably, so sort and argsort must match bit for bit, indices
// included. topk: the values must match bit for bit; the indices may differ on ties (CUDA takes the lowest
// indices, the CPU PyTorch's CPU choice), so each CUDA index must point at its value. Grads on the GPU.
#include <vector>

#include "test_cuda_util.h"

namespace {

const std::vector<tensor_dtype> kAll = {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64, TENSOR_BOOL};
const std::vector<std::vector<int64_t>> kShapes = {{9}, {5, 7}, {3, 4, 6}, {2, 1, 33}, {64, 129}, {100003}, {0, 4}};

}  // namespace

TEST_CASE("cuda sort: sort and argsort match the CPU bit for bit, indices included") {
  uint32_t seed = 900;
  for (tensor_dtype dt : kAll) {
    for (const std::vector<int64_t>& shape : kShapes) {
      Handle a = make_typed(dt, shape, seed++);
      Handle ca = to_cuda(a);
      const int32_t nd = static_cast<int32_t>(shape.size());
      for (int32_t dim = -nd; dim < nd; ++dim) {
        for (bool desc : {false, true}) {
          INFO("dtype " << dt << ", ndim " << nd << ", dim " << dim << ", descending " << desc);
          Handle v, i, cv, ci, arg, carg;
          REQUIRE_OK(tensor_sort(v.out(), i.out(), a, dim, desc, true));
          REQUIRE_OK(tensor_sort(cv.out(), ci.out(), ca, dim, desc, false));
          require_same(to_cpu(cv), v);
          require_same(to_cpu(ci), i);
          REQUIRE_OK(tensor_argsort(carg.out(), ca, dim, desc));
          require_same(to_cpu(carg), i);
        }
      }
    }
  }
}

TEST_CASE("cuda sort: topk values match the CPU, indices point at them") {
  uint32_t seed = 950;
  for (tensor_dtype dt : {TENSOR_FLOAT32, TENSOR_FLOAT64, TENSOR_INT32, TENSOR_INT64}) {
    for (const std::vector<int64_t>& shape : kShapes) {
      Handle a = make_typed(dt, shape, seed++);
      Handle ca = to_cuda(a);
      const int32_t nd = static_cast<int32_t>(shape.size());
      for (int32_t dim = -nd; dim < nd; ++dim) {
        const int64_t n = shape[static_cast<size_t>(dim < 0 ? dim + nd : dim)];
        for (int64_t k : {int64_t(0), std::min<int64_t>(n, 1), n / 2, n}) {
          for (bool largest : {true, false}) {
            INFO("dtype " << dt << ", ndim " << nd << ", dim " << dim << ", k " << k << ", largest " << largest);
            Handle v, i, cv, ci;
            REQUIRE_OK(tensor_topk(v.out(), i.out(), a, k, dim, largest, true));
            REQUIRE_OK(tensor_topk(cv.out(), ci.out(), ca, k, dim, largest, true));
            Handle cv_cpu = to_cpu(cv), ci_cpu = to_cpu(ci);
            require_same(cv_cpu, v);
            Handle picked;
            REQUIRE_OK(tensor_gather(picked.out(), a, dim, ci_cpu));
            require_same(picked, cv_cpu);
          }
        }
      }
    }
  }
}

TEST_CASE("cuda sort: SortBackward0 and TopkBackward0 on the GPU match the CPU") {
  Handle x_cpu = make<double>({3, 1, 2, 5, 4, 0, 7, 6, 9, 8, -1, 2.5}, {3, 4});
  Handle w_cpu = make<double>({1, 2, 3, 4, 5, 6}, {3, 2});
  Handle g[2];
  for (int dev = 0; dev < 2; ++dev) {
    Handle x, w;
    if (dev) {
      x = to_cuda(x_cpu);
      w = to_cuda(w_cpu);
    } else {
      REQUIRE_OK(tensor_clone(x.out(), x_cpu));
      REQUIRE_OK(tensor_clone(w.out(), w_cpu));
    }
    REQUIRE_OK(tensor_set_requires_grad(x, true));
    Handle sv, si, tv, ti, p, tot;
    REQUIRE_OK(tensor_sort(sv.out(), si.out(), x, 0, true, false));
    REQUIRE_OK(tensor_topk(tv.out(), ti.out(), sv, 2, 1, false, true));
    REQUIRE_OK(tensor_mul(p.out(), tv, w));
    REQUIRE_OK(tensor_sum(tot.out(), p, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(tot, nullptr, false));
    Handle gx;
    REQUIRE_OK(tensor_grad(gx.out(), x));
    g[dev] = dev ? to_cpu(gx) : std::move(gx);
  }
  require_same(g[1], g[0]);
}
