#include "core/parallel.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

namespace lt {

namespace {
int32_t default_threads() {
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int32_t>(hc);
}
std::atomic<int32_t> g_threads{default_threads()};
}  // namespace

int32_t get_num_threads() { return g_threads.load(std::memory_order_relaxed); }
int32_t max_num_threads() { return default_threads(); }
void set_num_threads(int32_t n) {
  n = std::clamp(n, 1, max_num_threads());  // Note [thread cap]
  g_threads.store(n);
  blas_set_num_threads(n);
}
bool in_parallel_region() { return omp_in_parallel() != 0; }

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  int64_t nt = std::min<int64_t>(get_num_threads(), grain > 0 ? n / grain : n);
  if (nt <= 1 || in_parallel_region()) {
    fn(0, n);
    return;
  }
  // Exceptions must not escape an OpenMP region: capture the first and rethrow after the join.
  std::exception_ptr error;
  std::atomic<bool> failed{false};
#pragma omp parallel num_threads(static_cast<int>(nt))
  {
    int64_t t = omp_get_thread_num(), team = omp_get_num_threads();
    int64_t chunk = (n + team - 1) / team;
    int64_t b = t * chunk, e = std::min(n, b + chunk);
    if (b < e) {
      try {
        fn(b, e);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace lt
