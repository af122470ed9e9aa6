// The CUDA runtime's share of a tiny op's host time, measured alone: an empty kernel launch (with a small
// and with a libtensor-sized parameter block) on a non-blocking stream, cudaGetDevice and
// cudaGetLastError, each a median of 7 samples of host time per call without synchronising. Run by
// scripts/gpu_check.sh beside bench_gpu's "tiny add" row, so that the table can be read as
// "launch floor + libtensor's own overhead".
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace {

struct Params256 {
  char bytes[256];
};

__global__ void empty_kernel(int) {}
__global__ void empty_kernel_256(Params256) {}

template <typename F>
double host_us(F&& f, int reps) {
  std::vector<double> samples;
  for (int s = 0; s < 7; ++s) {
    auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < reps; ++r) f();
    auto t1 = std::chrono::steady_clock::now();
    samples.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / reps);
    cudaDeviceSynchronize();
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

int main() {
  cudaStream_t s;
  if (cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) != cudaSuccess) {
    std::printf("error launch_floor no usable GPU\n");
    return 1;
  }
  for (int i = 0; i < 1000; ++i) empty_kernel<<<1, 128, 0, s>>>(i);
  cudaDeviceSynchronize();
  Params256 p{};
  int dev = 0;
  std::printf("info host_us launch_empty_kernel %.3f\n", host_us([&] { empty_kernel<<<1, 128, 0, s>>>(0); }, 20000));
  std::printf("info host_us launch_256B_params %.3f\n", host_us([&] { empty_kernel_256<<<1, 128, 0, s>>>(p); }, 20000));
  std::printf("info host_us cudaGetDevice %.3f\n", host_us([&] { (void)cudaGetDevice(&dev); }, 100000));
  std::printf("info host_us cudaGetLastError %.3f\n", host_us([&] { (void)cudaGetLastError(); }, 100000));
  return cudaDeviceSynchronize() == cudaSuccess ? 0 : 1;
}
