// Thread safety of the C API (API.md "Thread safety"): 8 threads work on their own handles while reading
// shared ones, retain and free handles that other threads made (as garbage-collected bindings do), and
// each keeps its own error message, grad mode and random stream. Clean under ThreadSanitizer
// (scripts/ci_hardening.sh runs this binary in the tsan build, without the [openmp] cases, whose
// libgomp synchronisation TSan cannot see).
//
// Catch2 assertions are not thread-safe, so worker threads record failures in their own list and the
// main thread asserts after joining.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "test_util.h"

namespace {

constexpr int kThreads = 8;

// Releases all waiting threads once `n` of them have arrived; reusable.
class Barrier {
 public:
  explicit Barrier(int n) : n_(n) {}
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    int gen = generation_;
    if (++arrived_ == n_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    cv_.wait(lock, [&] { return gen != generation_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int n_, arrived_ = 0, generation_ = 0;
};

// What one worker thread saw go wrong.
struct Failures {
  std::vector<std::string> list;
  void expect(bool ok, const std::string& what) {
    if (!ok && list.size() < 20) list.push_back(what);
  }
  void expect_ok(tensor_status st, const char* call) {
    expect(st == TENSOR_OK, std::string(call) + " failed: " + tensor_last_error());
  }
};

// Runs body(i, failures) on kThreads threads started together; fails the test with every failure seen.
void run_threads(const std::function<void(int, Failures&)>& body) {
  std::vector<Failures> failures(kThreads);
  Barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      start.wait();
      body(i, failures[i]);
    });
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i)
    for (const std::string& f : failures[i].list) FAIL_CHECK("thread " << i << ": " << f);
}

// Allocation-free element read for worker threads (values<T> uses Catch2).
template <typename T>
std::vector<T> read(const tensor* t, Failures& f) {
  std::vector<T> r(static_cast<size_t>(tensor_numel(t)));
  f.expect_ok(tensor_copy_to_host(t, r.data(), r.size() * sizeof(T)), "tensor_copy_to_host");
  return r;
}

std::vector<float> ramp(int n, float scale, float shift) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[i] = i * scale + shift;
  return v;
}

std::string format_string(const tensor* t) {
  std::string s(static_cast<size_t>(tensor_format(t, nullptr, 0)) + 1, '\0');
  tensor_format(t, &s[0], s.size());
  s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("threads read shared handles while working on their own", "[threads]") {
  Handle A = make<float>(ramp(256, 0.01f, -1.0f), {16, 16});
  Handle B = make<float>(ramp(16, 0.5f, -3.0f), {16});
  // Reference results, computed by this thread alone.
  Handle sum_ab, prod, total, At, Atc;
  REQUIRE_OK(tensor_add(sum_ab.out(), A, B));
  REQUIRE_OK(tensor_matmul(prod.out(), A, A));
  REQUIRE_OK(tensor_sum(total.out(), sum_ab, nullptr, 0, false));
  REQUIRE_OK(tensor_transpose(At.out(), A, 0, 1));
  REQUIRE_OK(tensor_contiguous(Atc.out(), At));
  const std::vector<float> ref_add = values<float>(sum_ab), ref_mm = values<float>(prod),
                           ref_t = values<float>(Atc);
  const float ref_total = values<float>(total)[0];
  const std::string ref_text = format_string(A);

  run_threads([&](int id, Failures& f) {
    for (int iter = 0; iter < 60; ++iter) {
      Handle s, m, t, tv, tc, r, own, own2;
      f.expect_ok(tensor_add(s.out(), A, B), "tensor_add");
      f.expect(read<float>(s, f) == ref_add, "add of shared handles differs");
      f.expect_ok(tensor_matmul(m.out(), A, A), "tensor_matmul");
      f.expect(read<float>(m, f) == ref_mm, "matmul of shared handles differs");
      f.expect_ok(tensor_sum(t.out(), s, nullptr, 0, false), "tensor_sum");
      f.expect(read<float>(t, f) == std::vector<float>{ref_total}, "sum differs");
      f.expect_ok(tensor_transpose(tv.out(), A, 0, 1), "tensor_transpose");  // a view: shares A's storage
      f.expect_ok(tensor_contiguous(tc.out(), tv), "tensor_contiguous");
      f.expect(read<float>(tc, f) == ref_t, "transpose differs");
      const int64_t flat[] = {256};
      f.expect_ok(tensor_reshape(r.out(), A, flat, 1), "tensor_reshape");
      f.expect(tensor_numel(r) == 256, "reshape view has the wrong size");
      f.expect(format_string(A) == ref_text, "format of a shared handle differs");
      // Own work: in-place writes on this thread's handles only.
      own = Handle();
      const int64_t s16[] = {16};
      f.expect_ok(tensor_full(own.out(), s16, 1, id, nullptr), "tensor_full");
      f.expect_ok(tensor_add_(own, B), "tensor_add_");
      f.expect_ok(tensor_mul_scalar(own2.out(), own, 2), "tensor_mul_scalar");
      std::vector<float> got = read<float>(own2, f), want(16);
      for (int i = 0; i < 16; ++i) want[i] = 2 * (id + (i * 0.5f - 3.0f));
      f.expect(got == want, "own in-place work differs");
    }
  });
  // The shared handles are untouched.
  REQUIRE(values<float>(A) == ramp(256, 0.01f, -1.0f));
  REQUIRE(values<float>(B) == ramp(16, 0.5f, -3.0f));
}

TEST_CASE("handles are retained and freed from other threads", "[threads]") {
  constexpr int kHandles = 64;
  std::vector<tensor*> shared(kHandles);
  for (int i = 0; i < kHandles; ++i) {
    const int64_t shape[] = {8};
    REQUIRE_OK(tensor_full(&shared[i], shape, 1, i, nullptr));
    for (int k = 0; k < kThreads; ++k) REQUIRE(tensor_retain(shared[i]) == shared[i]);  // one per thread
  }
  // Each thread reads every handle, makes a view of it, then drops its reference, in its own order; the
  // views outlive the references they came from.
  run_threads([&](int id, Failures& f) {
    std::vector<Handle> views;
    for (int k = 0; k < kHandles; ++k) {
      int i = (k * 7 + id * 13) % kHandles;
      Handle view;
      f.expect_ok(tensor_slice(view.out(), shared[i], 0, 2, 6, 1), "tensor_slice");
      f.expect(read<float>(view, f) == std::vector<float>(4, static_cast<float>(i)), "view of a shared handle");
      views.push_back(std::move(view));
      tensor_free(shared[i]);
    }
    for (size_t k = 0; k < views.size(); ++k) f.expect(tensor_numel(views[k]) == 4, "view lost its shape");
  });
  for (int i = 0; i < kHandles; ++i) {
    REQUIRE(values<float>(shared[i]) == std::vector<float>(8, static_cast<float>(i)));
    tensor_free(shared[i]);  // the last reference
  }
}

TEST_CASE("results made on one thread are freed on another", "[threads]") {
  // Producers (even ids) hand their results to consumers (odd ids) through a queue, as a binding's
  // finalizer thread frees objects that other threads created. Some results are views, so the last
  // reference to a storage is dropped far from where it was allocated.
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::pair<tensor*, float>> queue;
  int producers_done = 0;
  constexpr int kItems = 200;
  Handle base = make<float>(ramp(64, 1.0f, 0.0f), {8, 8});
  run_threads([&](int id, Failures& f) {
    if (id % 2 == 0) {
      for (int k = 0; k < kItems; ++k) {
        Handle r;
        float expect_first;
        if (k % 2 == 0) {
          f.expect_ok(tensor_add_scalar(r.out(), base, k), "tensor_add_scalar");
          expect_first = static_cast<float>(k);
        } else {
          Handle tmp;
          f.expect_ok(tensor_add_scalar(tmp.out(), base, k), "tensor_add_scalar");
          f.expect_ok(tensor_select(r.out(), tmp, 0, 1), "tensor_select");  // a view; tmp's handle dies here
          expect_first = 8.0f + k;
        }
        std::lock_guard<std::mutex> lock(mu);
        queue.emplace_back(r.t, expect_first);
        r.t = nullptr;
        cv.notify_one();
      }
      std::lock_guard<std::mutex> lock(mu);
      ++producers_done;
      cv.notify_all();
    } else {
      for (;;) {
        std::pair<tensor*, float> item;
        {
          std::unique_lock<std::mutex> lock(mu);
          cv.wait(lock, [&] { return !queue.empty() || producers_done == kThreads / 2; });
          if (queue.empty()) return;
          item = queue.front();
          queue.pop_front();
        }
        f.expect(read<float>(item.first, f)[0] == item.second, "handed-over result has the wrong value");
        tensor_free(item.first);
      }
    }
  });
  REQUIRE(queue.empty());
}

TEST_CASE("error messages are per thread", "[threads]") {
  run_threads([&](int id, Failures& f) {
    const int64_t sa[] = {id + 2}, sb[] = {id + 3};
    Handle a, b, c;
    f.expect_ok(tensor_zeros(a.out(), sa, 1, nullptr), "tensor_zeros");
    f.expect_ok(tensor_zeros(b.out(), sb, 1, nullptr), "tensor_zeros");
    std::ostringstream want;
    want << "[" << id + 2 << "] and [" << id + 3 << "]";
    for (int round = 0; round < 200; ++round) {
      f.expect(tensor_add(c.out(), a, b) == TENSOR_ERR_SHAPE, "add of non-broadcastable shapes did not fail");
      std::string mine = tensor_last_error();
      f.expect(mine.rfind("tensor_add: ", 0) == 0 && mine.find(want.str()) != std::string::npos,
               "message is not this thread's: " + mine);
      std::this_thread::yield();  // let the others overwrite their own messages meanwhile
      f.expect(mine == tensor_last_error(), "message changed under another thread's error");
    }
  });
}

TEST_CASE("grad mode is per thread", "[threads]") {
  Handle w = make<float>({1, 2, 3}, {3});
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  Barrier both_set(kThreads);
  run_threads([&](int id, Failures& f) {
    bool enabled = id % 2 == 0;
    tensor_set_grad_enabled(enabled);
    both_set.wait();  // every thread has set its mode before any checks it
    for (int k = 0; k < 100; ++k) {
      Handle r;
      f.expect_ok(tensor_mul(r.out(), w, w), "tensor_mul");
      f.expect(tensor_requires_grad(r) == enabled, "recording does not follow this thread's grad mode");
      f.expect(tensor_is_grad_enabled() == enabled, "grad mode changed under another thread");
    }
  });
  REQUIRE(tensor_is_grad_enabled());  // this thread's mode was never touched
}

TEST_CASE("concurrent backward passes accumulate into a shared leaf", "[threads]") {
  Handle w = make<double>({1, 2, 3, 4}, {4});
  REQUIRE_OK(tensor_set_requires_grad(w, true));
  constexpr int kRounds = 25;
  run_threads([&](int id, Failures& f) {
    for (int k = 0; k < kRounds; ++k) {
      Handle c, wc, loss, g;
      const int64_t s4[] = {4};
      tensor_options o = opts_of(TENSOR_FLOAT64);
      f.expect_ok(tensor_full(c.out(), s4, 1, id + 1, &o), "tensor_full");
      f.expect_ok(tensor_mul(wc.out(), w, c), "tensor_mul");
      f.expect_ok(tensor_sum(loss.out(), wc, nullptr, 0, false), "tensor_sum");
      f.expect_ok(tensor_backward(loss, nullptr, false), "tensor_backward");
      f.expect_ok(tensor_grad(g.out(), w), "tensor_grad");  // read while others accumulate
      f.expect(g.get() != nullptr && tensor_numel(g) == 4, "grad missing after backward");
    }
  });
  // d(sum(w * c))/dw = c, summed over every pass of every thread: kRounds * (1 + 2 + ... + 8).
  Handle g;
  REQUIRE_OK(tensor_grad(g.out(), w));
  REQUIRE(values<double>(g) == std::vector<double>(4, kRounds * 36.0));
}

TEST_CASE("seeded random streams are per thread", "[threads]") {
  std::vector<std::vector<float>> ref(kThreads);
  const int64_t s64[] = {64};
  for (int i = 0; i < kThreads; ++i) {
    tensor_manual_seed(1000 + i);
    Handle r;
    REQUIRE_OK(tensor_rand(r.out(), s64, 1, nullptr));
    ref[i] = values<float>(r);
  }
  run_threads([&](int id, Failures& f) {
    for (int k = 0; k < 50; ++k) {
      tensor_manual_seed(1000 + id);
      Handle r;
      f.expect_ok(tensor_rand(r.out(), s64, 1, nullptr), "tensor_rand");
      f.expect(read<float>(r, f) == ref[id], "seeded stream differs from the same seed on the main thread");
    }
  });
}

TEST_CASE("threads run parallel kernels at once", "[threads][openmp]") {
  // Large enough for OpenMP regions (kGrainSize) and a multi-threaded BLAS call, from 8 threads at once.
  const int64_t big[] = {512, 1024};
  Handle a, b, sum_ab, total, prod;
  REQUIRE_OK(tensor_full(a.out(), big, 2, 1.5, nullptr));
  REQUIRE_OK(tensor_full(b.out(), big, 2, 0.25, nullptr));
  Handle sq_a, sq_b;
  const int64_t sq[] = {256, 256};
  REQUIRE_OK(tensor_full(sq_a.out(), sq, 2, 0.5, nullptr));
  REQUIRE_OK(tensor_full(sq_b.out(), sq, 2, 2.0, nullptr));
  run_threads([&](int, Failures& f) {
    for (int k = 0; k < 4; ++k) {
      Handle s, t, m, corner;
      f.expect_ok(tensor_add(s.out(), a, b), "tensor_add");
      f.expect_ok(tensor_sum(t.out(), s, nullptr, 0, false), "tensor_sum");
      f.expect(read<float>(t, f) == std::vector<float>{512 * 1024 * 1.75f}, "parallel sum differs");
      f.expect_ok(tensor_matmul(m.out(), sq_a, sq_b), "tensor_matmul");
      f.expect_ok(tensor_select(corner.out(), m, 0, 255), "tensor_select");
      f.expect(read<float>(corner, f) == std::vector<float>(256, 256.0f), "parallel matmul differs");
    }
  });
}
