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
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "digits_common.hpp"
#include "tensor/tensor.hpp"

namespace lt = libtensor;

#ifndef DIGITS_DEFAULT_DATA
#define DIGITS_DEFAULT_DATA "digits.npz"
#endif

namespace {

using digits::Dataset;
using digits::metadata_u64;
using digits::restore;
using digits::state_key;
using digits::UsageError;

constexpr int64_t kFeatures = 64, kHidden = 256, kClasses = 10, kBatch = 64;
constexpr double kLearningRate = 1e-3, kWeightDecay = 0.01;
const char* const kParamNames[] = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"};
const char* const kStateNames[] = {"step", "exp_avg", "exp_avg_sq"};

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

int run(const digits::Options& o) {
  lt::manual_seed(o.seed);  // draw order as digits.c: split, initialisation, one permutation per epoch
  const Dataset d = digits::load_data(o.data);
  const std::vector<lt::Tensor> params = init_params();
  lt::Optimizer opt = lt::Optimizer::adamw(params, lt::AdamOptions(kLearningRate).weight_decay(kWeightDecay));
  const auto forward_fn = [&params](const lt::Tensor& x, bool) { return forward(x, params); };
  long epoch = 0;
  double acc = 0;
  if (!o.resume.empty()) {
    epoch = load_checkpoint(o.resume, params, opt);
    acc = digits::accuracy(d, forward_fn);
    std::printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume.c_str(), epoch, acc);
  }
  std::printf("digits (C++): %" PRId64 " train, %" PRId64 " test rows; MLP 64-256-256-10, AdamW, batch %d\n",
              d.x_train.shape()[0], d.x_test.shape()[0], int(kBatch));
  acc = digits::run_epochs(
      epoch + 1, o.epochs, o.out_dir, [&](long) { return digits::train_epoch(d, kBatch, forward_fn, opt); },
      [&] { return digits::accuracy(d, forward_fn); },
      [&](const std::string& path, long e) { save_checkpoint(path, e, params, opt); }, acc);
  std::printf("final test accuracy: %.4f\n", acc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    digits::Options defaults;
    defaults.out_dir = "digits-checkpoints";
    defaults.data = DIGITS_DEFAULT_DATA;
    return run(digits::parse_options(argc, argv, defaults, 0));
  } catch (const UsageError&) {
    std::fprintf(stderr, "usage: %s [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S]\n", argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_cpp: %s\n", e.what());
    return 1;
  }
}
