// The digits CNN through the C++ wrapper (include/tensor/tensor.hpp): the program of digits_cnn.c.
//
// The same data, split, model (conv1 3x3 no bias -> bn1 -> relu -> max_pool2d(2) -> conv2 3x3 -> relu ->
// adaptive_avg_pool2d(P) -> fc, torch's initialisation), cross_entropy, AdamW with the StepLR schedule and
// batches, drawn in the same order from the same stream, and the same checkpoint file
// (OUT/digits-epoch-NN.safetensors: parameters, bn1's buffers, optimizer.state.I.{step,exp_avg,exp_avg_sq},
// epoch, pool and stream state in __metadata__). So for one seed its checkpoints are bitwise digits_cnn.c's,
// which tests/digits.cmake checks, and either program resumes the other's.
//
// Usage: digits_cnn_cpp [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--pool P]
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

constexpr int64_t kSide = 8, kC1 = 16, kC2 = 32, kClasses = 10, kBatch = 64;
constexpr long kLrStep = 8;  // epochs between two lr decays (StepLR)
constexpr double kLearningRate = 1e-2, kLrGamma = 0.1, kWeightDecay = 0.01, kBnMomentum = 0.1, kBnEps = 1e-5;
const char* const kParamNames[] = {"conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight",
                                   "conv2.bias",   "fc.weight",  "fc.bias"};
const char* const kBufferNames[] = {"bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"};
const char* const kStateNames[] = {"step", "exp_avg", "exp_avg_sq"};

struct Model {
  std::vector<lt::Tensor> params;   // kParamNames order (the optimizer state indices of the checkpoint)
  std::vector<lt::Tensor> buffers;  // running_mean, running_var (C1) float32; num_batches_tracked 0-d int64
  int64_t pool = 2;
};

// A leaf that requires grad, drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (torch's conv and linear init).
lt::Tensor uniform_param(const std::vector<int64_t>& shape, int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  lt::Tensor t = lt::empty(shape);
  lt::uniform_(t, -bound, bound);
  return t.requires_grad_();
}

// Draws in module order (conv1, conv2, fc; weight before bias), as torch constructs them.
Model init_model(int64_t pool) {
  Model m;
  m.pool = pool;
  const int64_t fc_in = kC2 * pool * pool;
  m.params.push_back(uniform_param({kC1, 1, 3, 3}, 1 * 3 * 3));
  m.params.push_back(lt::full({kC1}, 1.0).requires_grad_());
  m.params.push_back(lt::full({kC1}, 0.0).requires_grad_());
  m.params.push_back(uniform_param({kC2, kC1, 3, 3}, kC1 * 3 * 3));
  m.params.push_back(uniform_param({kC2}, kC1 * 3 * 3));
  m.params.push_back(uniform_param({kClasses, fc_in}, fc_in));
  m.params.push_back(uniform_param({kClasses}, fc_in));
  m.buffers = {lt::full({kC1}, 0.0), lt::full({kC1}, 1.0), lt::full({}, 0, lt::TensorOptions().dtype(lt::kInt64))};
  return m;
}

// The logits of images x (N, 1, 8, 8). training: batch statistics, running stats updated and
// num_batches_tracked counted (torch's BatchNorm2d.forward); otherwise the running stats.
lt::Tensor forward(const lt::Tensor& x, const Model& m, bool training) {
  const std::vector<lt::Tensor>& p = m.params;
  lt::Tensor h = lt::conv2d(x, p[0], lt::Tensor(), {1}, {1});
  h = lt::batch_norm(h, m.buffers[0], m.buffers[1], p[1], p[2], training, kBnMomentum, kBnEps).relu();
  h = lt::max_pool2d(h, 2);
  h = lt::conv2d(h, p[3], p[4], {1}, {1}).relu();
  h = lt::adaptive_avg_pool2d(h, m.pool).reshape({-1, kC2 * m.pool * m.pool});
  h = lt::linear(h, p[5], p[6]);
  if (training) {
    lt::Tensor count = m.buffers[2];
    count.fill_(count.item() + 1);
  }
  return h;
}

// Parameters, buffers, then the AdamW state of each parameter: the order digits_cnn.c saves them in.
std::vector<std::pair<std::string, lt::Tensor>> entries(const Model& m, const lt::Optimizer& opt) {
  std::vector<std::pair<std::string, lt::Tensor>> e;
  for (size_t i = 0; i < m.params.size(); ++i) e.emplace_back(kParamNames[i], m.params[i]);
  for (size_t i = 0; i < m.buffers.size(); ++i) e.emplace_back(kBufferNames[i], m.buffers[i]);
  for (size_t i = 0; i < m.params.size(); ++i)
    for (const char* name : kStateNames) e.emplace_back(state_key(i, name), opt.state(int32_t(i), name));
  return e;
}

void save_checkpoint(const std::string& path, long epoch, const Model& m, const lt::Optimizer& opt) {
  const lt::RngState rng = lt::get_rng_state();
  char metadata[512];
  std::snprintf(metadata, sizeof metadata,
                "{\"format\": \"libtensor-digits-cnn-1\", \"epoch\": \"%ld\", \"pool\": \"%" PRId64
                "\", \"rng_seed\": \"%" PRIu64 "\", \"rng_offset\": \"%" PRIu64
                "\", \"optimizer\": \"AdamW\", \"lr\": \"%.17g\", \"weight_decay\": \"%.17g\"}",
                epoch, m.pool, rng.seed, rng.offset, opt.lr(), kWeightDecay);
  lt::save_safetensors(path, entries(m, opt), metadata);
}

long load_checkpoint(const std::string& path, const Model& m, const lt::Optimizer& opt) {
  lt::File f(path);
  const uint64_t epoch = metadata_u64(f, "epoch");
  if (metadata_u64(f, "pool") != static_cast<uint64_t>(m.pool))
    throw std::runtime_error("the checkpoint has another --pool: " + path);
  const lt::RngState rng{metadata_u64(f, "rng_seed"), metadata_u64(f, "rng_offset")};
  if (epoch > 1000000) throw std::runtime_error("checkpoint epoch out of range");
  {
    lt::NoGradGuard no_grad;  // writing into leaves that require grad, as torch.no_grad()
    for (const auto& [name, dst] : entries(m, opt)) restore(f, name, dst);
  }
  lt::set_rng_state(rng);
  return static_cast<long>(epoch);
}

int run(const digits::Options& o) {
  lt::manual_seed(o.seed);  // draw order as digits_cnn.c: split, initialisation, one permutation per epoch
  const Dataset d = digits::load_data(o.data, {-1, 1, kSide, kSide});
  const Model m = init_model(o.pool);
  lt::Optimizer opt = lt::Optimizer::adamw(m.params, lt::AdamOptions(kLearningRate).weight_decay(kWeightDecay));
  const auto forward_fn = [&m](const lt::Tensor& x, bool training) { return forward(x, m, training); };
  long epoch = 0;
  double acc = 0;
  if (!o.resume.empty()) {
    epoch = load_checkpoint(o.resume, m, opt);
    acc = digits::accuracy(d, forward_fn);
    std::printf("resumed from %s at epoch %ld (test accuracy %.4f)\n", o.resume.c_str(), epoch, acc);
  }
  std::printf("digits_cnn (C++): %" PRId64 " train, %" PRId64
              " test images; conv-bn-relu-pool-conv-relu-avgpool(%" PRId64 ")-linear, AdamW, batch %d\n",
              d.x_train.shape()[0], d.x_test.shape()[0], m.pool, int(kBatch));
  const auto train = [&](long e) {
    // StepLR as a function of the epoch alone, so a resumed run needs no scheduler state.
    opt.set_lr(kLearningRate * std::pow(kLrGamma, static_cast<double>((e - 1) / kLrStep)));
    return digits::train_epoch(d, kBatch, forward_fn, opt);
  };
  acc = digits::run_epochs(
      epoch + 1, o.epochs, o.out_dir, train, [&] { return digits::accuracy(d, forward_fn); },
      [&](const std::string& path, long e) { save_checkpoint(path, e, m, opt); }, acc);
  std::printf("final test accuracy: %.4f\n", acc);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    digits::Options defaults;
    defaults.epochs = 16;
    defaults.out_dir = "digits-cnn-checkpoints";
    defaults.data = DIGITS_DEFAULT_DATA;
    defaults.pool = 2;
    return run(digits::parse_options(argc, argv, defaults, 2));
  } catch (const UsageError&) {
    std::fprintf(stderr, "usage: %s [--epochs N] [--out DIR] [--resume FILE] [--data FILE] [--seed S] [--pool P]\n",
                 argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_cnn_cpp: %s\n", e.what());
    return 1;
  }
}
