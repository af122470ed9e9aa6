// What the C++ digits programs share (digits.cpp: the MLP, digits_cnn.cpp: the CNN), as digits_common.c does
// for the C ones: the data and its split, the epoch loop, accuracy, checkpoint reading and the command line.
// Each program keeps its model, its checkpoint layout and its options' defaults.
#ifndef DIGITS_COMMON_HPP
#define DIGITS_COMMON_HPP

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "tensor/tensor.hpp"

namespace digits {

namespace lt = libtensor;

struct Options {
  long epochs = 30;
  std::string out_dir, resume, data;
  uint64_t seed = 0;
  int64_t pool = 0;  // --pool (digits_cnn only)
};

struct UsageError {};

struct Dataset {
  lt::Tensor x_train, y_train, x_test, y_test;
};

// Reads x (N, 64) float32 and y (N,) int64 and splits them: rows perm[0 .. n - n/5) train, the rest test,
// perm one randperm (the only draw). x_shape (-1 for N) reshapes x first; empty keeps (N, 64).
inline Dataset load_data(const std::string& path, const std::vector<int64_t>& x_shape = {}) {
  lt::File f(path);
  lt::Tensor x = f.get("x"), y = f.get("y");
  if (x.dim() != 2 || x.shape()[1] != 64 || x.dtype() != lt::kFloat32 || y.dim() != 1 || y.shape()[0] != x.shape()[0] ||
      y.dtype() != lt::kInt64)
    throw std::runtime_error("expected x float32 (N, 64) and y int64 (N,) in " + path);
  if (!x_shape.empty()) x = x.reshape(x_shape);
  const int64_t n = x.shape()[0], n_test = n / 5;
  lt::Tensor perm = lt::randperm(n);
  lt::Tensor train = perm.slice(0, 0, n - n_test), test = perm.slice(0, n - n_test, n);
  return {lt::index_select(x, 0, train), lt::index_select(y, 0, train), lt::index_select(x, 0, test),
          lt::index_select(y, 0, test)};
}

// Test accuracy with grad off; forward(x, training) gives the logits (training false: eval mode).
template <typename Forward>
double accuracy(const Dataset& d, const Forward& forward) {
  lt::NoGradGuard no_grad;
  lt::Tensor pred = forward(d.x_test, false).argmax(1);
  return (pred == d.y_test).to(lt::kFloat64).mean().item();
}

// One epoch of shuffled mini-batches (one randperm, the last batch short): forward, mean cross_entropy,
// zero_grad, backward, step. Returns the mean loss over the training rows.
template <typename Forward>
double train_epoch(const Dataset& d, int64_t batch, const Forward& forward, lt::Optimizer& opt) {
  const int64_t n = d.x_train.shape()[0];
  lt::Tensor perm = lt::randperm(n);
  double total = 0;
  for (int64_t start = 0; start < n; start += batch) {
    const int64_t end = std::min(start + batch, n);
    lt::Tensor idx = perm.slice(0, start, end);
    lt::Tensor loss =
        lt::cross_entropy(forward(lt::index_select(d.x_train, 0, idx), true), lt::index_select(d.y_train, 0, idx));
    opt.zero_grad(true);
    loss.backward();
    opt.step();
    total += loss.item() * static_cast<double>(end - start);
  }
  return total / static_cast<double>(n);
}

// Epochs first .. last: train(epoch) returns the epoch's mean loss, then the test accuracy (evaluate()) is
// printed and save(path, epoch) writes OUT/digits-epoch-NN.safetensors. Returns the last accuracy (acc
// when no epoch runs).
template <typename Train, typename Evaluate, typename Save>
double run_epochs(long first, long last, const std::string& out_dir, const Train& train, const Evaluate& evaluate,
                  const Save& save, double acc) {
  for (long epoch = first; epoch <= last; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const double loss = train(epoch);
    const std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - t0;
    acc = evaluate();
    std::printf("epoch %3ld  loss %.4f  test accuracy %.4f  (%.1f ms)\n", epoch, loss, acc, ms.count());
    std::fflush(stdout);
    char name[64];
    std::snprintf(name, sizeof name, "/digits-epoch-%02ld.safetensors", epoch);
    save(out_dir + name, epoch);
  }
  return acc;
}

inline std::string state_key(size_t param, const char* name) {
  return "optimizer.state." + std::to_string(param) + "." + name;
}

// Copies the file's tensor into dst, which it must match in shape and dtype.
inline void restore(const lt::File& f, const std::string& name, lt::Tensor dst) {
  lt::Tensor src = f.get(name);
  if (src.shape() != dst.shape() || src.dtype() != dst.dtype())
    throw std::runtime_error("checkpoint tensor " + name + " has another shape or dtype than the model's");
  dst.copy_(src);
}

inline uint64_t metadata_u64(const lt::File& f, const std::string& key) {
  const std::string text = f.metadata(key);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("checkpoint __metadata__ \"" + key + "\" missing or not a number");
  return std::stoull(text);
}

inline uint64_t parse_number(const char* text, uint64_t max) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v > max) throw UsageError();
  return v;
}

// Parses argv over defaults; --pool is accepted in [1, max_pool] (max_pool 0: no such option). Throws
// UsageError on bad usage; creates the --out folder (runtime_error if it cannot).
inline Options parse_options(int argc, char** argv, Options o, int64_t max_pool) {
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
    else if (arg == "--pool" && max_pool > 0)
      o.pool = static_cast<int64_t>(parse_number(value, static_cast<uint64_t>(max_pool)));
    else
      throw UsageError();
  }
  if (o.epochs < 1 || (max_pool > 0 && o.pool < 1)) throw UsageError();
  if (mkdir(o.out_dir.c_str(), 0777) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create " + o.out_dir + ": " + std::strerror(errno));
  return o;
}

}  // namespace digits

#endif  // DIGITS_COMMON_HPP
