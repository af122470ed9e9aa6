// The same cases as bench_libtensor.c, through libtorch's C++ API (Debian's libtorch-dev), timed by the
// same rule (bench_timer.h). Output lines: info / result / error, tab-separated (see bench_libtensor.c).
//
// Usage: bench_libtorch [--only GROUP] [--threads N]
#include <dlfcn.h>
#include <torch/torch.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

extern "C" {
#include "bench_timer.h"
}

namespace {

const char* g_only = nullptr;
std::string g_error;  // the message of the exception that stopped the last measurement

bool wanted(const char* group) { return g_only == nullptr || std::strcmp(g_only, group) == 0; }

int call_step(void* ctx) {
  auto* fn = static_cast<std::function<void()>*>(ctx);
  try {
    (*fn)();
    return 0;
  } catch (const std::exception& e) {
    g_error = e.what();
    return 1;
  }
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Measures fn and prints its row; an exception becomes that row's error.
void run(const char* name, std::function<void()> fn) {
  try {
    double t = bench_measure(call_step, &fn);
    if (t < 0) std::printf("error\t%s\t%s\n", name, first_line(g_error).c_str());
    else std::printf("result\t%s\t%.9g\n", name, t);
  } catch (const std::exception& e) {
    std::printf("error\t%s\t%s\n", name, first_line(e.what()).c_str());
  }
  std::fflush(stdout);
}

void foundation() {
  {
    torch::Tensor a = torch::tensor({1.0f, 2.0f, 3.0f}), b = torch::tensor({4.0f, 5.0f, 6.0f});
    run("add_3", [&] { torch::Tensor c = torch::add(a, b); });
  }
  {
    torch::Tensor image = torch::randn({256, 256, 3}), scale = torch::tensor({0.5f, 1.5f, 1.0f});
    run("image_scale", [&] { torch::Tensor r = image * scale; });
  }
  {
    torch::Tensor a = torch::rand({16 * 1024 * 1024}), b = torch::rand({16 * 1024 * 1024});
    run("add_16m", [&] { torch::Tensor c = a + b; });
  }
  {
    torch::Tensor a = torch::rand({4096, 4096}), b = torch::rand({4096});
    run("add_bcast_4096", [&] { torch::Tensor c = a + b; });
  }
}

void sorting() {
  torch::Tensor v = torch::rand({1000000});
  run("sort_1m", [&] { auto r = torch::sort(v, -1); });
  torch::Tensor rows = torch::rand({1000, 1000});
  run("sort_rows_1000", [&] { auto r = torch::sort(rows, -1); });
  torch::Tensor wide = torch::rand({4096, 1000});
  run("topk10_4096x1000", [&] { auto r = torch::topk(wide, 10, -1); });
}

void reductions() {
  torch::Tensor v = torch::rand({16 * 1024 * 1024});
  run("sum_16m", [&] { torch::Tensor s = v.sum(); });
  run("std_16m", [&] { torch::Tensor s = v.std(); });
  torch::Tensor images = torch::rand({5, 256, 256, 3});
  run("max_dim_last", [&] { auto r = torch::max(images, -1); });
  torch::Tensor square = torch::rand({4096, 4096});
  run("mean_dim0_4096", [&] { torch::Tensor m = square.mean(0); });
  run("mean_dim_last_4096", [&] { torch::Tensor m = square.mean(-1); });
}

void math() {
  for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
    torch::Tensor x = torch::rand({1 << 20}, torch::TensorOptions().dtype(dtype));
    if (dtype == torch::kFloat32) {
      run("exp_1m_f32", [&] { torch::Tensor y = x.exp(); });
      run("log_1m_f32", [&] { torch::Tensor y = x.log(); });
      run("sin_1m_f32", [&] { torch::Tensor y = x.sin(); });
      run("tanh_1m_f32", [&] { torch::Tensor y = x.tanh(); });
      run("sqrt_1m_f32", [&] { torch::Tensor y = x.sqrt(); });
      run("pow_1m_f32", [&] { torch::Tensor y = x.pow(2.5); });
      run("pow_half_1m_f32", [&] { torch::Tensor y = x.pow(0.5); });
      torch::Tensor other = torch::rand({1 << 20}), cond = x > 0.5;
      run("where_1m_f32", [&] { torch::Tensor y = torch::where(cond, x, other); });
      run("exp2_1m_f32", [&] { torch::Tensor y = x.exp2(); });
      run("log1p_1m_f32", [&] { torch::Tensor y = x.log1p(); });
      run("erf_1m_f32", [&] { torch::Tensor y = x.erf(); });
      run("gelu_1m_f32", [&] { torch::Tensor y = torch::gelu(x); });
      run("silu_1m_f32", [&] { torch::Tensor y = torch::silu(x); });
    } else {
      run("exp_1m_f64", [&] { torch::Tensor y = x.exp(); });
      run("sin_1m_f64", [&] { torch::Tensor y = x.sin(); });
      run("tanh_1m_f64", [&] { torch::Tensor y = x.tanh(); });
    }
  }
}

// The nn group of bench_libtensor.c: softmax, cross_entropy forward + backward, gelu(linear(x)).
void nn() {
  {
    torch::Tensor x = torch::randn({4096, 1024});
    run("softmax_4096x1024", [&] { torch::Tensor y = torch::softmax(x, -1); });
  }
  {
    torch::Tensor x = torch::randn({4096, 1000}).requires_grad_(true), target = torch::randint(0, 1000, {4096});
    run("cross_entropy_fb_4096x1000", [&] {
      torch::Tensor loss = torch::nn::functional::cross_entropy(x, target);
      loss.backward();
      x.mutable_grad() = torch::Tensor();  // zero_grad(set_to_none=True)
    });
  }
  {
    torch::Tensor x = torch::randn({4096, 1024}), w = torch::randn({1024, 1024}), b = torch::randn({1024});
    run("gelu_linear_4096", [&] { torch::Tensor y = torch::gelu(torch::linear(x, w, b)); });
    run("linear_4096", [&] { torch::Tensor y = torch::linear(x, w, b); });
    run("gelu_4m_f32", [&] { torch::Tensor y = torch::gelu(x); });
  }
}

void matmul() {
  for (auto dtype : {torch::kFloat32, torch::kFloat64}) {
    for (int n : {1000, 2048}) {
      torch::Tensor a = torch::rand({n, n}, torch::TensorOptions().dtype(dtype));
      std::string name = std::string("matmul_") + (dtype == torch::kFloat32 ? "f32_" : "f64_") + std::to_string(n);
      run(name.c_str(), [&] { torch::Tensor c = torch::matmul(a, a); });
    }
  }
}

void autograd() {
  run("autograd_seed", [] {
    torch::Tensor x = torch::tensor({{5.0f, 8.0f}, {4.0f, 6.0f}}, torch::requires_grad());
    torch::Tensor y = x.pow(3).sum();
    y.backward();
    float g[4];
    std::memcpy(g, x.grad().data_ptr<float>(), sizeof g);
  });
  torch::Tensor x = torch::rand({1 << 20}, torch::requires_grad());
  run("autograd_chain_1m", [&] {
    torch::Tensor y = (x * x + 1).exp().sum();
    y.backward();
    x.mutable_grad().reset();  // zero_grad(set_to_none=True): each step computes the grad afresh
  });
}

// One torch::optim step over a 1M-element float32 parameter with a fixed grad (as bench_libtensor.c).
void optim() {
  {
    torch::Tensor p = torch::rand({1 << 20}, torch::requires_grad());
    p.mutable_grad() = torch::rand({1 << 20});
    torch::optim::Adam adam({p}, torch::optim::AdamOptions(1e-3));
    run("adam_step_1m", [&] { adam.step(); });
  }
  {
    torch::Tensor p = torch::rand({1 << 20}, torch::requires_grad());
    p.mutable_grad() = torch::rand({1 << 20});
    torch::optim::SGD sgd({p}, torch::optim::SGDOptions(1e-3).momentum(0.9));
    run("sgd_momentum_step_1m", [&] { sgd.step(); });
  }
}
// The OpenBLAS kernel libtorch's BLAS calls run on (the process has loaded OpenBLAS through libblas.so.3).
std::string openblas_core() {
  using Fn = char* (*)();
  auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return fn ? fn() : "unknown (OpenBLAS not loaded)";
}

}  // namespace

void random_draws() {
  run("randperm_1m", [] { torch::Tensor p = torch::randperm(1000000); });
  torch::Tensor x = torch::rand({16 << 20});
  run("dropout_16m", [&] { torch::Tensor y = torch::dropout(x, 0.5, true); });
}

// The digits MLP (examples/digits) as torch::nn modules: one training step at batch 256 and one epoch of
// the example's shapes (1438 rows, batches of 64), torch::optim::AdamW (lr 1e-3, weight decay 0.01).
struct DigitsMlp : torch::nn::Module {
  torch::nn::Linear fc1{64, 256}, fc2{256, 256}, fc3{256, 10};
  DigitsMlp() {
    register_module("fc1", fc1);
    register_module("fc2", fc2);
    register_module("fc3", fc3);
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return fc3(torch::relu(fc2(torch::relu(fc1(x)))));
  }
};

void train() {
  {
    auto model = std::make_shared<DigitsMlp>();
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    torch::Tensor x = torch::rand({256, 64}), y = torch::randint(0, 10, {256});
    run("train_step_mlp_b256", [&] {
      torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
      opt.zero_grad();
      loss.backward();
      opt.step();
    });
  }
  {
    auto model = std::make_shared<DigitsMlp>();
    torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    const int64_t n = 1438;
    torch::Tensor x = torch::rand({n, 64}), y = torch::randint(0, 10, {n});
    run("digits_epoch", [&] {
      torch::Tensor perm = torch::randperm(n);
      for (int64_t start = 0; start < n; start += 64) {
        torch::Tensor idx = perm.slice(0, start, std::min(start + 64, n));
        torch::Tensor loss =
            torch::nn::functional::cross_entropy(model->forward(x.index_select(0, idx)), y.index_select(0, idx));
        opt.zero_grad();
        loss.backward();
        opt.step();
      }
    });
  }
}

void index_group() {
  {
    torch::Tensor table = torch::rand({100000, 128}), idx = torch::randint(100000, {4096}, torch::kLong);
    run("index_select_4096x128", [&] { torch::Tensor r = torch::index_select(table, 0, idx); });
  }
  {
    torch::Tensor x = torch::rand({4096, 1000}), src = torch::rand({4096, 1000}), zeros = torch::zeros({4096, 1000});
    torch::Tensor idx = torch::randint(1000, {4096, 1000}, torch::kLong);
    run("gather_dim1_4096x1000", [&] { torch::Tensor r = torch::gather(x, 1, idx); });
    run("scatter_add_dim1_4096x1000", [&] { torch::Tensor r = torch::scatter_add(zeros, 1, idx, src); });
  }
  {
    torch::Tensor v = torch::rand({16 << 20});
    run("cumsum_16m", [&] { torch::Tensor r = torch::cumsum(v, 0); });
  }
}

// The digits CNN of examples/digits/digits_cnn.c as torch::nn modules (issue 19): one training step at
// batch 256 (batch norm in training mode), torch::optim::AdamW (lr 1e-2, weight decay 0.01).
struct DigitsCnn : torch::nn::Module {
  torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(1, 16, 3).padding(1).bias(false)};
  torch::nn::BatchNorm2d bn1{16};
  torch::nn::Conv2d conv2{torch::nn::Conv2dOptions(16, 32, 3).padding(1)};
  torch::nn::Linear fc{128, 10};
  DigitsCnn() {
    register_module("conv1", conv1);
    register_module("bn1", bn1);
    register_module("conv2", conv2);
    register_module("fc", fc);
  }
  torch::Tensor forward(const torch::Tensor& x) {
    torch::Tensor h = torch::max_pool2d(torch::relu(bn1(conv1(x))), 2);
    h = torch::adaptive_avg_pool2d(torch::relu(conv2(h)), {2, 2});
    return fc(h.flatten(1));
  }
};

void train_cnn() {
  auto model = std::make_shared<DigitsCnn>();
  model->train();
  torch::optim::AdamW opt(model->parameters(), torch::optim::AdamWOptions(1e-2).weight_decay(0.01));
  torch::Tensor x = torch::rand({256, 1, 8, 8}), y = torch::randint(0, 10, {256});
  run("train_step_cnn_b256", [&] {
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
    opt.zero_grad();
    loss.backward();
    opt.step();
  });
}

void conv_group() {
  {
    torch::Tensor x = torch::rand({64, 1, 28, 28});
    torch::Tensor w = torch::rand({32, 1, 3, 3}).requires_grad_(true), b = torch::rand({32}).requires_grad_(true);
    run("conv2d_fb_b64_1x28x28", [&] {
      torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().bias(b).padding(1))
          .sum()
          .backward();
      w.mutable_grad().reset();  // zero_grad(set_to_none=True)
      b.mutable_grad().reset();
    });
  }
  {
    torch::Tensor x = torch::rand({64, 64, 56, 56}), w = torch::rand({64, 64, 3, 3});
    run("conv2d_64x64x56x56", [&] {
      torch::Tensor r = torch::nn::functional::conv2d(x, w, torch::nn::functional::Conv2dFuncOptions().padding(1));
    });
  }
}

// The norm group of bench_libtensor.c: layer_norm forward and forward + backward, a batch_norm training step.
void norm_group() {
  {
    torch::Tensor x = torch::randn({4096, 1024}).requires_grad_(true), grad = torch::randn({4096, 1024});
    torch::Tensor w = torch::ones({1024}).requires_grad_(true), b = torch::zeros({1024}).requires_grad_(true);
    run("layer_norm_4096x1024", [&] {
      torch::NoGradGuard no_grad;
      torch::Tensor y = torch::layer_norm(x, {1024}, w, b, 1e-5);
    });
    run("layer_norm_fb_4096x1024", [&] {
      torch::Tensor y = torch::layer_norm(x, {1024}, w, b, 1e-5);
      y.backward(grad);
      for (torch::Tensor* t : {&x, &w, &b}) t->mutable_grad() = torch::Tensor();  // set_to_none
    });
  }
  {
    torch::Tensor x = torch::randn({64, 64, 56, 56}).requires_grad_(true), grad = torch::randn({64, 64, 56, 56});
    torch::Tensor w = torch::ones({64}).requires_grad_(true), b = torch::zeros({64}).requires_grad_(true);
    torch::Tensor running_mean = torch::zeros({64}), running_var = torch::ones({64});
    run("batch_norm_train_64x64x56x56", [&] {
      torch::Tensor y = torch::batch_norm(x, w, b, running_mean, running_var, true, 0.1, 1e-5, false);
      y.backward(grad);
      for (torch::Tensor* t : {&x, &w, &b}) t->mutable_grad() = torch::Tensor();
    });
  }
}

void pool_group() {
  torch::Tensor x = torch::rand({64, 32, 28, 28}, torch::requires_grad()), g = torch::ones({64, 32, 14, 14});
  run("max_pool2d_fb_64x32x28", [&] {
    torch::Tensor y = torch::max_pool2d(x, {2, 2});
    y.backward(g);
    x.mutable_grad().reset();  // zero_grad(set_to_none=True), as the libtensor row
  });
}


// The dtypes group of bench_libtensor.c (issue 14). torch 1.13 has no CPU float16 matmul: that row is
// its error.
void dtypes_group() {
  for (auto [name, dtype] : {std::pair<const char*, torch::Dtype>{"dt_matmul_f32_2048", torch::kFloat32},
                             {"matmul_bf16_2048", torch::kBFloat16},
                             {"matmul_f16_2048", torch::kFloat16}}) {
    torch::Tensor a = torch::rand({2048, 2048}).to(dtype), b = torch::rand({2048, 2048}).to(dtype);
    run(name, [&] { torch::Tensor c = torch::matmul(a, b); });
  }
  const int64_t n = 16 * 1024 * 1024;
  for (auto [name, from, to] : {std::tuple<const char*, torch::Dtype, torch::Dtype>{"convert_f32_bf16_16m", torch::kFloat32, torch::kBFloat16},
                                {"convert_bf16_f32_16m", torch::kBFloat16, torch::kFloat32},
                                {"convert_f32_f16_16m", torch::kFloat32, torch::kFloat16},
                                {"convert_f16_f32_16m", torch::kFloat16, torch::kFloat32},
                                {"convert_u8_f32_16m", torch::kUInt8, torch::kFloat32},
                                {"copy_f32_16m", torch::kFloat32, torch::kFloat32}}) {
    torch::Tensor src = torch::rand({n}).to(from), dst = torch::zeros({n}, torch::TensorOptions().dtype(to));
    run(name, [&] { dst.copy_(src); });
  }
  for (auto [add, sum, dtype] : {std::tuple<const char*, const char*, torch::Dtype>{"dt_add_f32_16m", "dt_sum_f32_16m", torch::kFloat32},
                                 {"add_bf16_16m", "sum_bf16_16m", torch::kBFloat16},
                                 {"add_f16_16m", "sum_f16_16m", torch::kFloat16}}) {
    torch::Tensor a = torch::rand({n}).to(dtype), b = torch::rand({n}).to(dtype);
    run(add, [&] { torch::Tensor c = a + b; });
    run(sum, [&] { torch::Tensor s = a.sum(); });
  }
}

int main(int argc, char** argv) {
  int threads = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) g_only = argv[++i];
    else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::atoi(argv[++i]);
  }
  torch::set_num_threads(threads);
  torch::manual_seed(42);
  std::printf("info\ttorch_version\t%s\n", TORCH_VERSION);
  std::printf("info\tthreads\t%d\n", at::get_num_threads());
  if (wanted("foundation")) foundation();
  if (wanted("reductions")) reductions();
  if (wanted("math")) math();
  if (wanted("matmul")) matmul();
  if (wanted("autograd")) autograd();
  if (wanted("sorting")) sorting();
  if (wanted("optim")) optim();
  if (wanted("random")) random_draws();
  if (wanted("nn")) nn();
  if (wanted("train")) train();
  if (wanted("index")) index_group();
  if (wanted("train")) train_cnn();
  if (wanted("conv")) conv_group();
  if (wanted("norm")) norm_group();
  if (wanted("pool")) pool_group();
  if (wanted("dtypes")) dtypes_group();
  std::printf("info\tblas_core\t%s\n", openblas_core().c_str());  // after the BLAS calls: loaded by now
  return 0;
}
