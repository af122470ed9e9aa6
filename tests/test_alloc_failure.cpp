// Allocation-failure injection (after SQLite's malloc tests): representative programs run once per
// allocation point with that allocation failing, N = 1, 2, ... until a run gets past its last allocation.
// Every run that meets the failure must return TENSOR_ERR_OUT_OF_MEMORY with a message, free everything it
// allocated, and leave the handles created before it valid and unchanged. Runs under ASan/LSan in CI
// (scripts/ci_hardening.sh), which also catches leaks of memory the counters below cannot see.
//
// The programs are C-style: C API calls only, each checked, returning the first failing status. Nothing
// in them may allocate outside the library while injection is armed (no Catch2 macros, no std::string),
// so their results go to fixed-size arrays that are checked once the injection is disarmed.
#include <malloc.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "alloc_injection.h"
#include "core/allocator.h"
#include "test_util.h"

using alloc_injection::Depth;

#define TRY(call)                             \
  do {                                        \
    tensor_status try_st_ = (call);           \
    if (try_st_ != TENSOR_OK) return try_st_; \
  } while (0)

namespace {

// glibc's per-thread cache (tcache) keeps freed chunks that mallinfo2 still reports as in use, so with it
// the heap figure below moves by a chunk or two depending on which sizes happen to sit in the cache (seen
// on CI as +80..+656 bytes after a clean run). Without it, uordblks is exact. The tunable is read only at
// start-up, so the test re-executes itself once with the cache switched off.
constexpr const char* kNoTcache = "glibc.malloc.tcache_count=0";
const bool tcache_off = [] {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, kNoTcache) != nullptr) return true;
  if (std::getenv("ALLOC_FAILURE_REEXECED") != nullptr) return false;  // never loop
  setenv("GLIBC_TUNABLES", kNoTcache, 1);
  setenv("ALLOC_FAILURE_REEXECED", "1", 1);
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    for (std::string arg; std::getline(cmdline, arg, '\0');) args.push_back(arg);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(self, argv.data());  // returns only on failure: go on with the cache on
  }
  return false;
}();

// What the process holds: live operator-new allocations and bytes in use in glibc's heap (the latter
// reads 0 under ASan, whose allocator glibc does not see; LeakSanitizer covers that case).
struct Memory {
  int64_t live;
  size_t heap;
};
Memory memory_now() {
  lt::cpu_allocator_empty_cache();  // cached tensor blocks are not leaks
  REQUIRE(tcache_off);  // see kNoTcache
  return {alloc_injection::live(), mallinfo2().uordblks};
}

// Walks a failure through every allocation of `program` at `depth`. `check_ok` validates a run that
// succeeded (the last one, or one whose failed allocation the library absorbed); `unharmed` checks the
// handles made before the program after a failed run; `settle` drops state a run may leave on purpose
// (accumulated grads) before memory is measured. Returns the number of allocation points walked.
int64_t walk(Depth depth, const std::function<tensor_status()>& program, const std::function<void()>& check_ok,
             const std::function<void()>& unharmed, const std::function<void()>& settle = [] {}) {
  // A dry run first, and one failing call: lazy one-time set-up (of the library, of exception handling)
  // is not a leak.
  REQUIRE_OK(program());
  check_ok();
  const int64_t negative[] = {-1};
  Handle bad;
  REQUIRE(tensor_zeros(bad.out(), negative, 1, nullptr) == TENSOR_ERR_INVALID_ARGUMENT);
  for (int64_t n = 1;; ++n) {
    settle();
    Memory before = memory_now();
    alloc_injection::arm(depth, n);
    tensor_status st = program();
    int64_t seen = alloc_injection::seen(depth);
    alloc_injection::disarm();
    settle();
    Memory after = memory_now();
    INFO((depth == Depth::Tensors ? "tensor" : "C++") << " allocation " << n << " failed; the program returned "
                                                       << tensor_status_string(st) << ": " << tensor_last_error());
    if (st == TENSOR_OK) {  // a run that succeeds may keep what it made (a grown graph): no memory check
      check_ok();
      if (seen < n) return n - 1;  // the program ran past its last allocation
      continue;
    }
    REQUIRE(after.live == before.live);
    REQUIRE(after.heap == before.heap);
    REQUIRE(st == TENSOR_ERR_OUT_OF_MEMORY);
    REQUIRE(std::strncmp(tensor_last_error(), "tensor_", 7) == 0);
    REQUIRE(std::strstr(tensor_last_error(), "out of memory") != nullptr);
    unharmed();
  }
}

template <typename T, size_t N>
void require_close(const T (&got)[N], const std::vector<double>& want, double tol) {
  REQUIRE(want.size() == N);
  for (size_t i = 0; i < N; ++i) {
    INFO("element " << i);
    REQUIRE(static_cast<double>(got[i]) == Approx(want[i]).margin(tol));
  }
}

template <typename T>
std::vector<T> read(const tensor* t) {
  return values<T>(t);
}

// Copies the shape of t into dst[n] when t has n dims (allocation-free; zeros stay otherwise).
void copy_shape(const tensor* t, int64_t* dst, int32_t n) {
  if (tensor_ndim(t) == n) std::memcpy(dst, tensor_shape(t), sizeof(int64_t) * static_cast<size_t>(n));
}

// ---- the seed notebook ------------------------------------------------------------------------------
struct NotebookOut {
  float linspace[5];
  int64_t arange_sum;
  float broadcast_row[5];
  int64_t image_shape[3], images_shape[4];
  float stats[4];  // mean, std, max, min of [0.5, 13, 4]
  double column_means[4];
  int64_t mean_batch_shape[3], mean_channel_shape[3], max_channel_shape[3];
  float pow_sum;
  float grad[4];
  char grad_text[96];
  int64_t product_shape[2];
};

tensor_status notebook(NotebookOut& o) {
  std::memset(&o, 0, sizeof o);
  tensor_options f64 = opts_of(TENSOR_FLOAT64), i64 = opts_of(TENSOR_INT64);
  // n = np.linspace(0, 1, 5)
  Handle lin;
  TRY(tensor_linspace(lin.out(), 0, 1, 5, nullptr));
  TRY(tensor_copy_to_host(lin, o.linspace, sizeof o.linspace));
  // t = torch.arange(48).reshape(3, 4, 4)
  Handle ar, ar3, ar_sum;
  const int64_t s344[] = {3, 4, 4};
  TRY(tensor_arange(ar.out(), 0, 48, 1, &i64));
  TRY(tensor_reshape(ar3.out(), ar, s344, 3));
  TRY(tensor_sum(ar_sum.out(), ar3, nullptr, 0, false));
  TRY(tensor_copy_to_host(ar_sum, &o.arange_sum, sizeof o.arange_sum));
  // torch.ones((6, 5)) + torch.arange(5).reshape(1, 5)
  Handle ones, ar5, ar15, sum65, row;
  const int64_t s65[] = {6, 5}, s15[] = {1, 5};
  TRY(tensor_ones(ones.out(), s65, 2, nullptr));
  TRY(tensor_arange(ar5.out(), 0, 5, 1, &i64));
  TRY(tensor_reshape(ar15.out(), ar5, s15, 2));
  TRY(tensor_add(sum65.out(), ones, ar15));
  TRY(tensor_select(row.out(), sum65, 0, 5));
  TRY(tensor_copy_to_host(row, o.broadcast_row, sizeof o.broadcast_row));
  // Image * Scale, Images * Scale.reshape(2, 1, 1, 3) (images shrunk to 32 x 32)
  const float scale_values[] = {0.5f, 1.5f, 1.0f, 1.1f, 0.7f, 0.6f};
  const int64_t s3[] = {3}, s6[] = {6}, image[] = {32, 32, 3}, images[] = {2, 32, 32, 3}, s2113[] = {2, 1, 1, 3};
  Handle scale, img, res, scale6, scale2113, imgs, ress;
  TRY(tensor_from_data(scale.out(), scale_values, s3, 1, nullptr));
  TRY(tensor_randn(img.out(), image, 3, nullptr));
  TRY(tensor_mul(res.out(), img, scale));
  copy_shape(res, o.image_shape, 3);
  TRY(tensor_from_data(scale6.out(), scale_values, s6, 1, nullptr));
  TRY(tensor_reshape(scale2113.out(), scale6, s2113, 4));
  TRY(tensor_randn(imgs.out(), images, 4, nullptr));
  TRY(tensor_mul(ress.out(), imgs, scale2113));
  copy_shape(ress, o.images_shape, 4);
  // torch.mean(t), torch.std(t), torch.max(t), torch.min(t) of t = [0.5, 13, 4]
  const float t3[] = {0.5f, 13.0f, 4.0f};
  Handle t, mean, stdev, mx, mn;
  TRY(tensor_from_data(t.out(), t3, s3, 1, nullptr));
  TRY(tensor_mean(mean.out(), t, nullptr, 0, false));
  TRY(tensor_std(stdev.out(), t, nullptr, 0, 1, false));
  TRY(tensor_max(mx.out(), t));
  TRY(tensor_min(mn.out(), t));
  TRY(tensor_copy_to_host(mean, &o.stats[0], 4));
  TRY(tensor_copy_to_host(stdev, &o.stats[1], 4));
  TRY(tensor_copy_to_host(mx, &o.stats[2], 4));
  TRY(tensor_copy_to_host(mn, &o.stats[3], 4));
  // torch.arange(20, dtype=float).reshape(5, 4).mean(axis=0)
  Handle a20, a54, cm;
  const int64_t s54[] = {5, 4};
  const int32_t dim0[] = {0}, dim_last[] = {-1};
  TRY(tensor_arange(a20.out(), 0, 20, 1, &f64));
  TRY(tensor_reshape(a54.out(), a20, s54, 2));
  TRY(tensor_mean(cm.out(), a54, dim0, 1, false));
  TRY(tensor_copy_to_host(cm, o.column_means, sizeof o.column_means));
  // t = torch.rand(5, H, W, 3): mean over the batch, over the channels, max over the channels
  const int64_t batch[] = {5, 16, 16, 3};
  Handle r, mb, mc, mv, mi;
  TRY(tensor_rand(r.out(), batch, 4, nullptr));
  TRY(tensor_mean(mb.out(), r, dim0, 1, false));
  TRY(tensor_mean(mc.out(), r, dim_last, 1, false));
  TRY(tensor_max_dim(mv.out(), mi.out(), r, -1, false));
  copy_shape(mb, o.mean_batch_shape, 3);
  copy_shape(mc, o.mean_channel_shape, 3);
  copy_shape(mi, o.max_channel_shape, 3);
  // x = tensor([[5., 8.], [4., 6.]], requires_grad=True); y = x.pow(3).sum(); y.backward(); x.grad
  const float xv[] = {5, 8, 4, 6};
  const int64_t s22[] = {2, 2};
  tensor_options grad_opts = TENSOR_OPTIONS_INIT;
  grad_opts.requires_grad = true;
  Handle x, x3, y, g;
  TRY(tensor_from_data(x.out(), xv, s22, 2, &grad_opts));
  TRY(tensor_pow_scalar(x3.out(), x, 3));
  TRY(tensor_sum(y.out(), x3, nullptr, 0, false));
  TRY(tensor_backward(y, nullptr, false));
  TRY(tensor_copy_to_host(y, &o.pow_sum, sizeof o.pow_sum));
  TRY(tensor_grad(g.out(), x));
  if (!g) return TENSOR_ERR_INTERNAL;
  TRY(tensor_copy_to_host(g, o.grad, sizeof o.grad));
  if (tensor_format(g, o.grad_text, sizeof o.grad_text) < 0)
    return std::strstr(tensor_last_error(), "out of memory") ? TENSOR_ERR_OUT_OF_MEMORY : TENSOR_ERR_INTERNAL;
  // A = torch.rand((1000, 1000)) (shrunk): A @ A
  const int64_t sq[] = {48, 48};
  Handle A, AA;
  TRY(tensor_rand(A.out(), sq, 2, nullptr));
  TRY(tensor_matmul(AA.out(), A, A));
  copy_shape(AA, o.product_shape, 2);
  return TENSOR_OK;
}

void check_notebook(const NotebookOut& o) {
  require_close(o.linspace, {0, 0.25, 0.5, 0.75, 1}, 0);
  REQUIRE(o.arange_sum == 1128);
  require_close(o.broadcast_row, {1, 2, 3, 4, 5}, 0);
  require_close(o.image_shape, {32, 32, 3}, 0);
  require_close(o.images_shape, {2, 32, 32, 3}, 0);
  require_close(o.stats, {5.833333492279053, 6.448513984680176, 13, 0.5}, 1e-5);  // PyTorch's values
  require_close(o.column_means, {8, 9, 10, 11}, 0);
  require_close(o.mean_batch_shape, {16, 16, 3}, 0);
  require_close(o.mean_channel_shape, {5, 16, 16}, 0);
  require_close(o.max_channel_shape, {5, 16, 16}, 0);
  REQUIRE(o.pow_sum == 917);
  require_close(o.grad, {75, 192, 48, 108}, 0);
  REQUIRE(std::string(o.grad_text) == "tensor([[ 75., 192.],\n        [ 48., 108.]])");
  require_close(o.product_shape, {48, 48}, 0);
}

// ---- a training step: a two-layer MLP, MSE loss, backward, SGD ----------------------------------------
struct Mlp {
  Handle X, Y, W1, b1, W2, b2;
};

Mlp make_mlp() {
  // The same values as the PyTorch reference in check_training (see the comment there).
  std::vector<float> x(32), y(8), w1(24), b1(6), w2(6);
  for (int i = 0; i < 32; ++i) x[i] = (i - 12) / 10.0f;
  for (int i = 0; i < 8; ++i) y[i] = i / 4.0f;
  for (int i = 0; i < 24; ++i) w1[i] = (i - 11) / 20.0f;
  for (int i = 0; i < 6; ++i) b1[i] = i / 10.0f - 0.2f;
  for (int i = 0; i < 6; ++i) w2[i] = (i - 2) / 5.0f;
  Mlp m;
  m.X = make<float>(x, {8, 4});
  m.Y = make<float>(y, {8, 1});
  m.W1 = make<float>(w1, {4, 6});
  m.b1 = make<float>(b1, {6});
  m.W2 = make<float>(w2, {6, 1});
  m.b2 = make<float>({0.1f}, {1});
  for (tensor* p : {m.W1.get(), m.b1.get(), m.W2.get(), m.b2.get()}) REQUIRE_OK(tensor_set_requires_grad(p, true));
  return m;
}

struct TrainOut {
  float loss;
  float gW1[24], gb1[6], gW2[6], gb2[1];
  float nW1[24], nb1[6], nW2[6], nb2[1];
};

constexpr double kLearningRate = 0.5;

tensor_status grad_and_step(tensor* p, float* grad, float* updated, size_t nbytes) {
  Handle g, step, next;
  TRY(tensor_grad(g.out(), p));
  if (!g) return TENSOR_ERR_INTERNAL;
  TRY(tensor_copy_to_host(g, grad, nbytes));
  TRY(tensor_mul_scalar(step.out(), g, kLearningRate));
  TRY(tensor_sub(next.out(), p, step));
  return tensor_copy_to_host(next, updated, nbytes);
}

tensor_status train_step(Mlp& m, TrainOut& o) {
  std::memset(&o, 0, sizeof o);
  for (tensor* p : {m.W1.get(), m.b1.get(), m.W2.get(), m.b2.get()}) TRY(tensor_zero_grad(p));
  Handle xw, h0, h, hw, pred, diff, sq, loss;
  TRY(tensor_matmul(xw.out(), m.X, m.W1));
  TRY(tensor_add(h0.out(), xw, m.b1));
  TRY(tensor_relu(h.out(), h0));
  TRY(tensor_matmul(hw.out(), h, m.W2));
  TRY(tensor_add(pred.out(), hw, m.b2));
  TRY(tensor_sub(diff.out(), pred, m.Y));
  TRY(tensor_pow_scalar(sq.out(), diff, 2));
  TRY(tensor_mean(loss.out(), sq, nullptr, 0, false));
  TRY(tensor_backward(loss, nullptr, false));
  TRY(tensor_copy_to_host(loss, &o.loss, sizeof o.loss));
  // SGD without recording; new tensors, so a failed step leaves the parameters as they were.
  bool was_enabled = tensor_set_grad_enabled(false);
  tensor_status st = grad_and_step(m.W1, o.gW1, o.nW1, sizeof o.gW1);
  if (st == TENSOR_OK) st = grad_and_step(m.b1, o.gb1, o.nb1, sizeof o.gb1);
  if (st == TENSOR_OK) st = grad_and_step(m.W2, o.gW2, o.nW2, sizeof o.gW2);
  if (st == TENSOR_OK) st = grad_and_step(m.b2, o.gb2, o.nb2, sizeof o.gb2);
  tensor_set_grad_enabled(was_enabled);
  return st;
}

void check_training(const TrainOut& o, const Mlp& m) {
  // PyTorch: X = (arange(32).reshape(8,4) - 12) / 10, Y = arange(8).reshape(8,1) / 4,
  // W1 = ((arange(24) - 11) / 20).reshape(4,6), b1 = arange(6) / 10 - 0.2, W2 = ((arange(6) - 2) / 5).reshape(6,1),
  // b2 = [0.1]; loss = ((relu(X @ W1 + b1) @ W2 + b2 - Y) ** 2).mean(); loss.backward()
  REQUIRE(o.loss == Approx(0.02319798618555069).margin(1e-6));
  require_close(o.gW1,
                {-0.029760004952549934, -0.014880002476274967, 0.0, -0.021919984370470047, -0.05487997084856033,
                 -0.0823199599981308,   -0.02590000443160534,  -0.012400002218782902, 0.0, -0.027819981798529625,
                 -0.06575997173786163,  -0.09863995760679245,  -0.022040003910660744, -0.009920001961290836, 0.0,
                 -0.0337199792265892,   -0.07663996517658234,  -0.1149599477648735,  -0.01818000338971615,
                 -0.007440002169460058, 0.0, -0.03961997851729393, -0.08751995861530304, -0.13127994537353516},
                1e-6);
  require_close(o.gb1, {0.03860000520944595, 0.024800000712275505, 0.0, -0.058999985456466675, -0.10879996418952942,
                        -0.16319996118545532},
                1e-6);
  require_close(o.gW2, {-0.019145002588629723, -0.017360005527734756, -0.04424998536705971, -0.10451996326446533,
                        -0.16639994084835052, -0.22919991612434387},
                1e-6);
  require_close(o.gb2, {-0.2949999272823334}, 1e-6);
  std::vector<float> w1 = read<float>(m.W1);
  for (size_t i = 0; i < w1.size(); ++i) REQUIRE(o.nW1[i] == Approx(w1[i] - kLearningRate * o.gW1[i]).margin(1e-6));
  REQUIRE(o.nb2[0] == Approx(0.1 - kLearningRate * o.gb2[0]).margin(1e-6));
}

// The parameters and data keep their values and stay leaves that require grad.
void check_mlp_unharmed(const Mlp& m, const Mlp& fresh) {
  for (auto pair : {std::make_pair(m.X.get(), fresh.X.get()), std::make_pair(m.Y.get(), fresh.Y.get()),
                    std::make_pair(m.W1.get(), fresh.W1.get()), std::make_pair(m.b1.get(), fresh.b1.get()),
                    std::make_pair(m.W2.get(), fresh.W2.get()), std::make_pair(m.b2.get(), fresh.b2.get())})
    REQUIRE(read<float>(pair.first) == read<float>(pair.second));
  for (tensor* p : {m.W1.get(), m.b1.get(), m.W2.get(), m.b2.get()})
    REQUIRE((tensor_requires_grad(p) && tensor_is_leaf(p)));
  REQUIRE(tensor_is_grad_enabled());
}

// ---- in-place writes to a tensor made before the program ---------------------------------------------
// Each stage is one in-place call; a failed call must leave P exactly as the previous stage left it.
struct InplaceOut {
  int stage;
};

tensor_status inplace_program(tensor* P, const tensor* Q, InplaceOut& o) {
  o.stage = 0;
  TRY(tensor_add_(P, Q));  // float64 += float32: Q is converted first
  o.stage = 1;
  Handle row0;
  TRY(tensor_slice(row0.out(), P, 0, 0, 1, 1));
  TRY(tensor_copy_(P, row0));  // source overlaps the destination
  o.stage = 2;
  Handle row1;
  TRY(tensor_slice(row1.out(), P, 0, 1, 2, 1));
  TRY(tensor_mul_(P, row1));  // operand aliases the target with another layout
  o.stage = 3;
  return TENSOR_OK;
}

// P after each stage, from P0 = arange(12).reshape(3, 4) and Q = [1, 2, 3, 4].
std::vector<double> inplace_expected(int stage) {
  std::vector<double> p(12);
  for (int i = 0; i < 12; ++i) p[i] = i;
  if (stage >= 1)
    for (int i = 0; i < 12; ++i) p[i] += i % 4 + 1;
  if (stage >= 2)
    for (int i = 4; i < 12; ++i) p[i] = p[i % 4];
  if (stage >= 3) {
    std::vector<double> row1(p.begin() + 4, p.begin() + 8);  // read before any element is written
    for (int i = 0; i < 12; ++i) p[i] *= row1[i % 4];
  }
  return p;
}

// ---- in-place writes to a tensor in the graph -----------------------------------------------------------
// y = x * 2 is made before the program; the program writes to y in place. A failed call must leave y's
// values and its history as they were: backward through y still gives the grad of the old y.
struct GraphTarget {
  Handle x, y, one;
  explicit GraphTarget(const std::vector<double>& xv) {
    tensor_options o = opts_of(TENSOR_FLOAT64);
    o.requires_grad = true;
    const int64_t s4[] = {4};
    REQUIRE_OK(tensor_from_data(x.out(), xv.data(), s4, 1, &o));
    REQUIRE_OK(tensor_ones(one.out(), s4, 1, &o));  // requires grad too: the write records both inputs
    remake();
  }
  void remake() { REQUIRE_OK(tensor_mul_scalar(y.out(), x, 2)); }
  // d(sum(y))/dx after zeroing x's grad (no grad reaching x reads as zeros).
  std::vector<double> grad_through_y() {
    Handle s, g;
    REQUIRE_OK(tensor_zero_grad(x));
    REQUIRE_OK(tensor_sum(s.out(), y, nullptr, 0, false));
    REQUIRE_OK(tensor_backward(s, nullptr, false));
    REQUIRE_OK(tensor_grad(g.out(), x));
    return g.get() ? read<double>(g) : std::vector<double>(4, 0.0);
  }
};

// ---- autograd: an in-place op on a non-leaf, two backward passes through a retained graph ---------------
struct AutogradOut {
  double grad[4];
};

tensor_status autograd_program(tensor* x, AutogradOut& o) {
  std::memset(&o, 0, sizeof o);
  Handle y, one, s, e, se, z, g;
  TRY(tensor_zero_grad(x));
  TRY(tensor_mul_scalar(y.out(), x, 2));
  TRY(tensor_ones_like(one.out(), y));
  TRY(tensor_add_(y, one));
  TRY(tensor_sin(s.out(), y));
  TRY(tensor_exp(e.out(), y));
  TRY(tensor_add(se.out(), s, e));
  TRY(tensor_sum(z.out(), se, nullptr, 0, false));
  TRY(tensor_backward(z, nullptr, true));
  TRY(tensor_backward(z, nullptr, false));
  TRY(tensor_grad(g.out(), x));
  if (!g) return TENSOR_ERR_INTERNAL;
  return tensor_copy_to_host(g, o.grad, sizeof o.grad);
}

}  // namespace

TEST_CASE("every allocation failure in the seed notebook returns OUT_OF_MEMORY cleanly", "[alloc]") {
  REQUIRE_OK(tensor_set_num_threads(1));  // one thread: the allocation order is the same every run
  for (Depth depth : {Depth::Tensors, Depth::Everything}) {
    NotebookOut o;
    tensor_manual_seed(7);
    int64_t walked = walk(
        depth, [&] { return notebook(o); }, [&] { check_notebook(o); }, [] { REQUIRE(tensor_is_grad_enabled()); });
    WARN("notebook: " << walked << " allocation points");
    REQUIRE(walked > 60);  // the walk really went through the program
  }
}

TEST_CASE("every allocation failure in a training step leaves the model intact", "[alloc]") {
  REQUIRE_OK(tensor_set_num_threads(1));
  Mlp m = make_mlp(), fresh = make_mlp();
  for (Depth depth : {Depth::Tensors, Depth::Everything}) {
    TrainOut o;
    int64_t walked = walk(
        depth, [&] { return train_step(m, o); }, [&] { check_training(o, m); },
        [&] { check_mlp_unharmed(m, fresh); },
        [&] {
          for (tensor* p : {m.W1.get(), m.b1.get(), m.W2.get(), m.b2.get()}) REQUIRE_OK(tensor_zero_grad(p));
        });
    REQUIRE(walked > 20);
  }
}

TEST_CASE("a failed in-place call leaves its target unchanged", "[alloc]") {
  REQUIRE_OK(tensor_set_num_threads(1));
  std::vector<double> p0 = inplace_expected(0);
  Handle P = make<double>(p0, {3, 4});
  Handle Q = make<float>({1, 2, 3, 4}, {4});
  Handle original = make<double>(p0, {3, 4});
  for (Depth depth : {Depth::Tensors, Depth::Everything}) {
    InplaceOut o{};
    int64_t walked = walk(
        depth, [&] { return inplace_program(P, Q, o); },
        [&] {
          REQUIRE(read<double>(P) == inplace_expected(3));
          REQUIRE_OK(tensor_copy_(P, original));  // back to P0 for the next run
        },
        [&] {
          INFO("failed in stage " << o.stage);
          REQUIRE(read<double>(P) == inplace_expected(o.stage));
          REQUIRE_OK(tensor_copy_(P, original));
          REQUIRE(read<float>(Q) == std::vector<float>{1, 2, 3, 4});
        });
    REQUIRE(walked > 2);
  }
}

TEST_CASE("every allocation failure in backward through a retained graph is clean", "[alloc]") {
  REQUIRE_OK(tensor_set_num_threads(1));
  const std::vector<double> xv = {0.5, -1.0, 2.0, 0.25};
  tensor_options o64 = opts_of(TENSOR_FLOAT64);
  o64.requires_grad = true;
  Handle x;
  REQUIRE_OK(tensor_from_data(x.out(), xv.data(), std::vector<int64_t>{4}.data(), 1, &o64));
  for (Depth depth : {Depth::Tensors, Depth::Everything}) {
    AutogradOut o;
    int64_t walked = walk(
        depth, [&] { return autograd_program(x, o); },
        [&] {
          // PyTorch: y = x * 2; y.add_(1); z = (y.sin() + y.exp()).sum(); z.backward(retain_graph=True);
          // z.backward() accumulates twice: x.grad = 2 * 2 * (cos(y) + exp(y)).
          require_close(o.grad, {27.891637049534033, 3.6327269881583284, 594.7872851521593, 18.20970508802307},
                        1e-9);
        },
        [&] {
          REQUIRE(read<double>(x) == xv);
          REQUIRE((tensor_requires_grad(x) && tensor_is_leaf(x)));
        },
        [&] { REQUIRE_OK(tensor_zero_grad(x)); });
    REQUIRE(walked > 10);
  }
}

TEST_CASE("a failed in-place call on a tensor in the graph leaves its values and history", "[alloc]") {
  REQUIRE_OK(tensor_set_num_threads(1));
  const std::vector<double> xv = {0.5, -1.0, 2.0, 0.25};
  std::vector<double> twice(4), twice_plus_one(4);
  for (int i = 0; i < 4; ++i) twice[i] = 2 * xv[i], twice_plus_one[i] = 2 * xv[i] + 1;
  GraphTarget g(xv);
  struct Case {
    const char* name;
    std::function<tensor_status()> write;
    std::vector<double> value_after;
    std::vector<double> grad_after;  // d(sum(y))/dx once the write succeeded
  };
  const std::vector<Case> cases = {
      {"tensor_add_", [&] { return tensor_add_(g.y, g.one); }, twice_plus_one, {2, 2, 2, 2}},
      {"tensor_mul_", [&] { return tensor_mul_(g.y, g.y); }, {1, 4, 16, 0.25}, {4, -8, 16, 2}},
      {"tensor_copy_", [&] { return tensor_copy_(g.y, g.one); }, {1, 1, 1, 1}, {0, 0, 0, 0}},
      {"tensor_fill_", [&] { return tensor_fill_(g.y, 3); }, {3, 3, 3, 3}, {0, 0, 0, 0}},
  };
  for (const Case& c : cases) {
    for (Depth depth : {Depth::Tensors, Depth::Everything}) {
      INFO(c.name);
      walk(
          depth, c.write,
          [&] {
            REQUIRE(read<double>(g.y) == c.value_after);
            REQUIRE(g.grad_through_y() == c.grad_after);
            g.remake();
          },
          [&] {
            REQUIRE(read<double>(g.y) == twice);
            REQUIRE(g.grad_through_y() == std::vector<double>{2, 2, 2, 2});
            g.remake();
          },
          [&] { REQUIRE_OK(tensor_zero_grad(g.x)); });
    }
  }
}
