// Tuning runs for the column (out_x) reduction of cuda/reduce_launch.h: max with indices over dim 0 of a
// (16384, 16384) float32 tensor, the case of issue 6's table, under every combination of the kernel's
// compile-time shape (OutXShape: rows in flight, residency, pipelining, streaming loads) and the
// planner's choices (block shape, waves, banded rows; set_reduce_tuning). Each variant's indices are
// checked against the default's. Prints one "info tune ..." line per variant (TB/s counting the bytes
// read), then the fastest ten; scripts/gpu_check.sh shows those beside its table. The kReduceOutX*
// defaults in cuda/reduce_launch.h come from these runs. Links the static library (internal API); not part
// of the product.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cuda/reduce_arg.cuh"
#include "core/cuda_api.h"
#include "ops/ops.h"

using namespace lt;
using namespace lt::cuda;

namespace {

constexpr int64_t kN = 16384;

struct Result {
  std::string name;
  double us, tbs;
};

struct Bench {
  Tensor x, values, indices;
  std::vector<int64_t> reference;
  std::vector<Result> results;
  int bad = 0;

  template <class S>
  double time_once(int reps) {
    const ArgReducer<float> r{static_cast<int32_t>(ReduceOp::Max)};
    cuda_synchronize(0);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) launch_reduce<ArgReducer<float>, S>(r, x, values, indices, DimVector{0}, 0, "tune");
    cuda_synchronize(0);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
  }

  template <class S>
  void run(const ReduceTuning& t) {
    set_reduce_tuning(t);
    for (int i = 0; i < 2; ++i) time_once<S>(1);
    std::vector<double> samples;
    for (int s = 0; s < 5; ++s) samples.push_back(time_once<S>(10));
    std::sort(samples.begin(), samples.end());
    const double sec = samples[2];
    std::vector<int64_t> got(kN);
    copy_to_host(indices, got.data(), got.size() * sizeof(int64_t));
    const bool ok = reference.empty() || got == reference;
    if (reference.empty()) reference = got;
    if (!ok) ++bad;
    int occupancy = 0;
    cudaOccupancyMaxActiveBlocksPerMultiprocessor(&occupancy, reduce_out_x_kernel<ArgReducer<float>, 4, S>,
                                                  t.outx_bx * t.outx_by, 0);
    const ReducePlan p = plan_reduce(x, &values, &indices, DimVector{0}, 4);
    char name[200];
    std::snprintf(name, sizeof name, "U=%d minblocks=%d pipe=%d stream=%d (fits %d) bx=%d by=%d waves=%d band=%d grid=%ux%u",
                  S::U, S::MinBlocks, int(S::Pipelined), int(S::Streaming), occupancy, int(p.bx), int(p.by),
                  t.outx_waves, t.outx_band, p.gx, p.gy);
    const double tbs = (double(kN) * kN * 4 + kN * 12.0) / sec / 1e12;
    std::printf("info tune max_dim0 %s: %.1f us, %.2f TB/s%s\n", name, sec * 1e6, tbs, ok ? "" : " WRONG INDICES");
    std::fflush(stdout);
    if (ok) results.push_back({name, sec * 1e6, tbs});
  }

  template <class S>
  void sweep() {
    const int shapes[][2] = {{32, 2}, {32, 4}, {32, 8}, {64, 1}, {64, 2}, {64, 4}, {128, 1}, {128, 2}, {256, 1}};
    for (const auto& bxy : shapes)
      for (int waves : {1, 2, 3})
        for (int band : {0, 1}) {
          ReduceTuning t;
          t.outx_bx = bxy[0];
          t.outx_by = bxy[1];
          t.outx_waves = waves;
          t.outx_band = band;
          t.outx_min_blocks = S::MinBlocks;
          run<S>(t);
        }
  }
};

}  // namespace

int main() {
  if (cuda_device_count() == 0) {
    std::printf("error tune_reduce no GPU\n");
    return 1;
  }
  const Device dev{DeviceType::CUDA, 0};
  TensorOptions o;
  o.device = dev;
  Bench b;
  b.x = randn(DimVector{kN, kN}, o);
  b.values = make_empty(DimVector{1, kN}, DType::Float32, dev);
  b.indices = make_empty(DimVector{1, kN}, DType::Int64, dev);
  set_device(0);
  // The library's default first: it is the reference the others' indices are checked against.
  b.run<DefaultOutXShape>(ReduceTuning{kReduceOutXWidth, 4, kReduceOutXWaves, kReduceOutXMinBlocks, 0});
  b.sweep<OutXShape<4, 3, false, false>>();
  b.sweep<OutXShape<4, 3, false, true>>();
  b.sweep<OutXShape<8, 2, false, false>>();
  b.sweep<OutXShape<8, 2, false, true>>();
  b.sweep<OutXShape<4, 2, true, false>>();
  b.sweep<OutXShape<4, 2, true, true>>();
  b.sweep<OutXShape<16, 1, false, false>>();
  b.sweep<OutXShape<8, 1, true, false>>();
  set_reduce_tuning(ReduceTuning());
  std::sort(b.results.begin(), b.results.end(), [](const Result& l, const Result& r) { return l.us < r.us; });
  std::printf("info tune fastest (of %zu correct, %d wrong):\n", b.results.size(), b.bad);
  for (size_t i = 0; i < b.results.size() && i < 12; ++i)
    std::printf("info tune best %2zu: %.1f us %.2f TB/s  %s\n", i + 1, b.results[i].us, b.results[i].tbs,
                b.results[i].name.c_str());
  return b.bad ? 1 : 0;
}
