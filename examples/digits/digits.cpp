// Handwritten digits through the C++ wrapper (include/tensor/tensor.hpp): the program of digits.c.
//
// The same data, split, model (MLP 64-256-256-10, ReLU, torch.nn.Linear's initialisation), loss, AdamW
// and batches, drawn in the same order from the same stream, and the same checkpoint file
// (OUT/digits-epoch-NN.safetensors: parameters, optimizer.state.I.{step,exp_avg,exp_avg_sq}, epoch and
// stream state in __metadata__). So for one seed its checkpoints are bitwise digits.c's, which
// tests/digits.cmake checks, and either program resumes the other's checkpoint.
//
// Usage: digits_cpp [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S]
// Exit status: 0 done, 1 a failed call (libtensor::Error's message), 2 bad usage.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tensor/tensor.hpp"

namespace lt = libtensor;

#ifndef DIGITS_DEFAULT_DATA
#define DIGITS_DEFAULT_DATA "digits.npz"
#endif

namespace {

constexpr int64_t kFeatures = 64, kHidden = 256, kClasses = 10, kBatch = 64;
constexpr double kLearningRate = 1e-3, kWeightDecay = 0.01;
const char* const kParamNames[] = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"};
const char* const kStateNames[] = {"step", "exp_avg", "exp_avg_sq"};

struct Options {
  long epochs = 30;
  std::string out_dir = "digits-checkpoints", resume, data = DIGITS_DEFAULT_DATA;
  uint64_t seed = 0;
};

struct UsageError {};

struct Dataset {
  lt::Tensor x_train, y_train, x_test, y_test;
};

// Rows perm[0 .. n - n/5) train, the rest test (one randperm, right after the seed).
Dataset load_data(const std::string& path) {
  lt::File f(path);
  lt::Tensor x = f.get("x"), y = f.get("y");
  if (x.dim() != 2 || x.shape()[1] != kFeatures || x.dtype() != lt::kFloat32 || y.dim() != 1 ||
      y.shape()[0] != x.shape()[0] || y.dtype() != lt::kInt64)
    throw std::runtime_error("expected x float32 (N, 64) and y int64 (N,) in " + path);
  const int64_t n = x.shape()[0], n_test = n / 5;
  lt::Tensor perm = lt::randperm(n);
  lt::Tensor train = perm.slice(0, 0, n - n_test), test = perm.slice(0, n - n_test, n);
  return {lt::index_select(x, 0, train), lt::index_select(y, 0, train), lt::index_select(x, 0, test),
          lt::index_select(y, 0, test)};
}

// torch.nn.Linear: weight and bias U(-1/sqrt(in), 1/sqrt(in)), drawn in the order fc1.weight, fc1.bias, ...
std::vector<lt::Tensor> init_params() {
  const int64_t sizes[] = {kFeatures, kHidden, kHidden, kClasses};
  std::vector<lt::Tensor> params;
  for (int layer = 0; layer < 3; ++layer) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(sizes[layer]));
    lt::Tensor w = lt::empty({sizes[layer + 1], sizes[layer]}), b = lt::empty({sizes[layer + 1]});
    lt::uniform_(w, -bound, bound);
    lt::uniform_(b, -bound, bound);
    params.push_back(w.requires_grad_());
    params.push_back(b.requires_grad_());
  }
  return params;
}

lt::Tensor forward(const lt::Tensor& x, const std::vector<lt::Tensor>& p) {
  lt::Tensor h = lt::linear(x, p[0], p[1]).relu();
  h = lt::linear(h, p[2], p[3]).relu();
  return lt::linear(h, p[4], p[5]);
}

double accuracy(const Dataset& d, const std::vector<lt::Tensor>& params) {
  lt::NoGradGuard no_grad;
  lt::Tensor pred = forward(d.x_test, params).argmax(1);
  return (pred == d.y_test).to(lt::kFloat64).mean().item();
}

double train_epoch(const Dataset& d, const std::vector<lt::Tensor>& params, lt::Optimizer& opt) {
  const int64_t n = d.x_train.shape()[0];
  lt::Tensor perm = lt::randperm(n);
  double total = 0;
  for (int64_t start = 0; start < n; start += kBatch) {
    const int64_t end = std::min(start + kBatch, n);
    lt::Tensor idx = perm.slice(0, start, end);
    lt::Tensor loss =
        lt::cross_entropy(forward(lt::index_select(d.x_train, 0, idx), params), lt::index_select(d.y_train, 0, idx));
    opt.zero_grad(true);
    loss.backward();
    opt.step();
    total += loss.item() * static_cast<double>(end - start);
  }
  return total / static_cast<double>(n);
}

std::string state_key(size_t param, const char* name) {
  return "optimizer.state." + std::to_string(param) + "." + name;
}

void save_checkpoint(const std::string& path, long epoch, const std::vector<lt::Tensor>& params,
                     const lt::Optimizer& opt) {
  std::vector<std::pair<std::string, lt::Tensor>> entries;
  for (size_t i = 0; i < params.size(); ++i) entries.emplace_back(kParamNames[i], params[i]);
  for (size_t i = 0; i < params.size(); ++i)
    for (const char* name : kStateNames) entries.emplace_back(state_key(i, name), opt.state(int32_t(i), name));
  const lt::RngState rng = lt::get_rng_state();
  char metadata[512];
  std::snprintf(metadata, sizeof metadata,
                "{\"format\": \"libtensor-digits-1\", \"epoch\": \"%ld\", \"rng_seed\": \"%" PRIu64
                "\", \"rng_offset\": \"%" PRIu64
                "\", \"optimizer\": \"AdamW\", \"lr\": \"%.17g\", "
                "\"weight_decay\": \"%.17g\"}",
                epoch, rng.seed, rng.offset, kLearningRate, kWeightDecay);
  lt::save_safetensors(path, entries, metadata);
}

// Copies the file's tensor into dst, which it must match in shape and dtype.
void restore(const lt::File& f, const std::string& name, lt::Tensor dst) {
  lt::Tensor src = f.get(name);
  if (src.shape() != dst.shape() || src.dtype() != dst.dtype())
    throw std::runtime_error("checkpoint tensor " + name + " has another shape or dtype than the model's");
  dst.copy_(src);
}

uint64_t metadata_u64(const lt::File& f, const std::string& key) {
  const std::string text = f.metadata(key);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("checkpoint __metadata__ \"" + key + "\" missing or not a number");
  return std::stoull(text);
}

long load_checkpoint(const std::string& path, const std::vector<lt::Tensor>& params, const lt::Optimizer& opt) {
  lt::File f(path);
  const uint64_t epoch = metadata_u64(f, "epoch");
  const lt::RngState rng{metadata_u64(f, "rng_seed"), metadata_u64(f, "rng_offset")};
  if (epoch > 1000000) throw std::runtime_error("checkpoint epoch out of range");
  {
    lt::NoGradGuard no_grad;  // writing into leaves that require grad, as torch.no_grad()
    for (size_t i = 0; i < params.size(); ++i) {
      restore(f, kParamNames[i], params[i]);
      for (const char* name : kStateNames) restore(f, state_key(i, name), opt.state(int32_t(i), name));
    }
  }
  lt::set_rng_state(rng);
  return static_cast<long>(epoch);
}

uint64_t parse_number(const char* text, uint64_t max) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v > max) throw UsageError();
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) throw UsageError();
    const std::string arg = argv[i];
    const char* value = argv[i + 1];
    if (arg == "--epochs")
      o.epochs = static_cast<long>(parse_number(value, 1000000));
    else if (arg == "--out")
      o.out_dir = value;
    else if (arg == "--resume")
      o.resume = value;
    else if (arg == "--data")
      o.data = value;
    else if (arg == "--seed")
      o.seed = parse_number(value, UINT64_MAX);
    else
      throw UsageError();
  }
  if (o.epochs < 1) throw UsageError();
  return o;
}

int run(const Options& o) {
  if (mkdir(o.out_dir.c_str(), 0777) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create " + o.out_dir + ": " + std::strerror(errno));
  lt::manual_seed(o.seed);  // draw order as digits.c: split, initialisation, one permutation per epoch
  const Dataset d = load_data(o.data);
  const std::vector<lt::Tensor> params = init_params();
  lt::Optimizer opt = lt::Optimizer::adamw(params, lt::AdamOptions(kLearningRate).weight_decay(kWeightDecay));
  long epoch = 0;
  double acc = 0;
  if (!o.resume.empty()) {
    epoch = load_checkpoint(o.resume, params, opt);
    acc = accuracy(d, params);
    std::printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume.c_str(), epoch, acc);
  }
  std::printf("digits (C++): %" PRId64 " train, %" PRId64 " test rows; MLP 64-256-256-10, AdamW, batch %d\n",
              d.x_train.shape()[0], d.x_test.shape()[0], int(kBatch));
  for (++epoch; epoch <= o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const double loss = train_epoch(d, params, opt);
    const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - t0;
    acc = accuracy(d, params);
    std::printf("epoch %3ld  loss %.4f  test accuracy %.4f  (%.1f ms)\n", epoch, loss, acc, ms.count());
    std::fflush(stdout);
    char name[64];
    std::snprintf(name, sizeof name, "/digits-epoch-%02ld.safetensors", epoch);
    save_checkpoint(o.out_dir + name, epoch, params, opt);
  }
  std::printf("final test accuracy: %.4f\n", acc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const UsageError&) {
    std::fprintf(stderr, "usage: %s [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S]\n", argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_cpp: %s\n", e.what());
    return 1;
  }
}
