// The seed notebook ("Numpy Vs. PyTorch") through libtensor's header-only C++ wrapper.
//
// Prints the same text as examples/notebook.c (and as PyTorch: examples/notebook_torch.py): a header
// "In [N]: <the PyTorch code>" per cell, then what PyTorch prints for it. Cells with random data print
// shapes and facts that hold for any draw; the "[time]" line of the last cell is not compared.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <string>
#include <tuple>

#include "tensor/tensor.hpp"

namespace lt = libtensor;

namespace {

void cell(const std::string& number, const std::string& code) { std::cout << "In [" << number << "]: " << code << "\n"; }

// torch.Size([a, b, c])
std::string size(const lt::Tensor& t) {
  std::string s = "torch.Size([";
  const std::vector<int64_t> shape = t.shape();
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "])";
}

// Python's repr of a tuple of tensors.
std::string tuple(std::initializer_list<lt::Tensor> ts) {
  std::string s = "(";
  for (const lt::Tensor& t : ts) s += (s.size() > 1 ? ", " : "") + t.str();
  return s + ")";
}

void creation_cells() {
  cell("9", "t = torch.linspace(0,1,5)");
  std::cout << lt::linspace(0, 1, 5) << "\n\n";

  cell("8", "t = torch.arange(48).reshape(3,4,4)");
  std::cout << lt::arange(48).reshape({3, 4, 4}) << "\n\n";
}

void broadcast_cell() {
  cell("29", "a = torch.ones((6,5)); b = torch.arange(5).reshape(1,5); a+b");
  lt::Tensor a = lt::ones({6, 5});
  lt::Tensor b = lt::arange(5).reshape({1, 5});
  std::cout << a + b << "\n\n";
}

void image_scale_cells() {
  cell("31", "Scale = torch.tensor([0.5,1.5,1]); Image = torch.randn((256,256,3)); Result = Image*Scale");
  lt::Tensor scale = lt::from_list({0.5f, 1.5f, 1.f});
  lt::Tensor image = lt::randn({256, 256, 3});
  lt::Tensor result = image * scale;
  std::cout << "Result.shape: " << size(result) << "\n";
  std::cout << "(Result[..., 0] == Image[..., 0] * 0.5).all(): "
            << (result.select(-1, 0) == image.select(-1, 0) * 0.5).all() << "\n";
  std::cout << "(Result[..., 2] == Image[..., 2]).all(): " << (result.select(-1, 2) == image.select(-1, 2)).all()
            << "\n\n";

  cell("45",
       "Images = torch.randn(2,256,256,3); Scale = torch.tensor([0.5,1.1,0.7,0.6,0.3,0.9]).reshape(2,1,1,3); "
       "Results = Images*Scale");
  lt::Tensor images = lt::randn({2, 256, 256, 3});
  lt::Tensor scales = lt::from_list({0.5f, 1.1f, 0.7f, 0.6f, 0.3f, 0.9f}).reshape({2, 1, 1, 3});
  lt::Tensor results = images * scales;
  std::cout << "Scale.shape: " << size(scales) << "\n";
  std::cout << "Results.shape: " << size(results) << "\n\n";
}

void reduction_cells() {
  cell("48", "t = torch.tensor([0.5,13,4]); torch.mean(t), torch.std(t), torch.max(t), torch.min(t)");
  lt::Tensor t = lt::from_list({0.5f, 13.f, 4.f});
  std::cout << tuple({t.mean(), t.std(), t.max(), t.min()}) << "\n\n";

  cell("57", "t = torch.arange(20, dtype=float).reshape(5,4); torch.mean(t, axis=0)");
  std::cout << lt::arange(20, lt::kFloat64).reshape({5, 4}).mean(0) << "\n\n";
}

void batch_cells() {
  cell("61", "t = torch.rand(5,256,256,3); torch.mean(t,axis=0).shape");
  lt::Tensor t = lt::rand({5, 256, 256, 3});
  std::cout << size(t.mean(0)) << "\n\n";

  cell("None", "torch.mean(t,axis=-1).shape");
  std::cout << size(t.mean(-1)) << "\n\n";

  cell("65", "values, indices = torch.max(t,axis=-1); values.shape");
  auto [values, indices] = t.max(-1);
  std::cout << size(values) << "\n";
  std::cout << "indices.dtype: " << indices.dtype() << "\n";
  std::cout << "(indices < 3).all(): " << (indices < 3).all() << "\n";
  std::cout << "(values >= t[..., 0]).all(): " << (values >= t.select(-1, 0)).all() << "\n\n";
}

void autograd_cells() {
  cell("69", "x = torch.tensor([[5.,8.],[4.,6.]], requires_grad=True); y = x.pow(3).sum(); y");
  lt::Tensor x = lt::from_vector<float>({5, 8, 4, 6}, {2, 2}).requires_grad_();
  lt::Tensor y = x.pow(3).sum();
  std::cout << y << "\n\n";

  cell("70", "y.backward(); x.grad");
  y.backward();
  std::cout << x.grad() << "\n\n";
}

void matmul_cell() {
  cell("None", "A = torch.rand((1000,1000)); A@A");
  lt::Tensor a = lt::rand({1000, 1000});
  const auto start = std::chrono::steady_clock::now();
  lt::Tensor p = a.matmul(a);
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  std::cout << "(A@A).shape: " << size(p) << "\n";
  std::cout << "[time] A@A: " << std::fixed << std::setprecision(3) << elapsed.count() << " ms\n";
}

}  // namespace

int main() {
  try {
    lt::manual_seed(0);
    creation_cells();
    broadcast_cell();
    image_scale_cells();
    reduction_cells();
    batch_cells();
    autograd_cells();
    matmul_cell();
  } catch (const lt::Error& e) {
    std::cerr << "notebook.cpp: " << e.what() << " (" << tensor_status_string(e.status()) << ")\n";
    return 1;
  }
  return 0;
}
