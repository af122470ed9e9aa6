// The header-only C++ wrapper (include/tensor/tensor.hpp): RAII, exceptions, factories, operators and
// PyTorch-named methods. Built with -std=c++17 -Wall -Wextra -Werror -pedantic against libtensor.so only.
// Expected values were computed with PyTorch.
#include "tensor/tensor.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace lt = libtensor;
using Catch::Matchers::Contains;
using V = std::vector<float>;
using Shape = std::vector<int64_t>;

namespace {

// Element-wise closeness for float results (PyTorch's values are printed to 4 decimals).
bool close(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-4f) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i)
    if (!(std::fabs(got[i] - want[i]) <= tol)) return false;
  return true;
}

lt::Tensor m22() { return lt::from_vector<float>({1, 2, 3, 4}, {2, 2}); }

}  // namespace

TEST_CASE("cpp: copies share the tensor, moves transfer it, destruction frees", "[cpp]") {
  lt::Tensor a = lt::zeros({3});
  lt::Tensor b = a;  // retain: same handle
  CHECK(b.get() == a.get());
  b.add_(1.0);
  CHECK(a.to_vector<float>() == V{1, 1, 1});

  lt::Tensor c = std::move(b);
  CHECK_FALSE(b.defined());  // NOLINT(bugprone-use-after-move): moved-from is undefined by contract
  CHECK(c.get() == a.get());
  c = lt::ones({2});
  CHECK(a.to_vector<float>() == V{1, 1, 1});  // a is unaffected by rebinding c

  tensor* raw = lt::full({2}, 7.0).release();
  lt::Tensor adopted = lt::Tensor::adopt(raw);
  lt::Tensor borrowed = lt::Tensor::borrow(raw);
  CHECK(adopted.to_vector<float>() == V{7, 7});
  CHECK(borrowed.get() == raw);
}

TEST_CASE("cpp: failures throw lt::Error with the status and the library's message", "[cpp]") {
  lt::Tensor a = lt::zeros({3, 4}), b = lt::zeros({5});
  try {
    (void)(a + b);
    FAIL("expected an exception");
  } catch (const lt::Error& e) {
    CHECK(e.status() == TENSOR_ERR_SHAPE);
    CHECK_THAT(std::string(e.what()), Contains("tensor_add") && Contains("[3, 4]") && Contains("[5]"));
  }
  CHECK_THROWS_AS(a.permute({0, 5}), lt::Error);
  try {
    (void)a.select(0, 10);
  } catch (const lt::Error& e) {
    CHECK(e.status() == TENSOR_ERR_INDEX);
  }
  try {
    (void)lt::Tensor().exp();
    FAIL("expected an exception");
  } catch (const lt::Error& e) {
    CHECK(e.status() == TENSOR_ERR_INVALID_ARGUMENT);
  }
  try {
    (void)lt::from_vector<float>({1, 2, 3}, {2, 2});
    FAIL("expected an exception");
  } catch (const lt::Error& e) {
    CHECK(e.status() == TENSOR_ERR_SHAPE);
  }
  CHECK_THROWS_AS(a.size(2), lt::Error);
  CHECK_THROWS_AS(a.item(), lt::Error);
  CHECK(lt::Tensor().str() == "[ Tensor (undefined) ]");
}

TEST_CASE("cpp: factories", "[cpp]") {
  lt::Tensor t = lt::from_list({0.5f, 13.f, 4.f});
  CHECK(t.shape() == Shape{3});
  CHECK(t.dtype() == lt::kFloat32);
  CHECK(lt::from_list<int32_t>({1, 2, 3, 4}, {2, 2}).str() == "tensor([[1, 2],\n        [3, 4]], dtype=torch.int32)");
  CHECK(lt::from_list<bool>({true, false}).str() == "tensor([ True, False])");
  CHECK(lt::from_list<float>({1, 2}, lt::kFloat64).dtype() == lt::kFloat64);

  CHECK(lt::zeros({2, 3}, lt::kInt32).str() == "tensor([[0, 0, 0],\n        [0, 0, 0]], dtype=torch.int32)");
  CHECK(lt::ones({2}).str() == "tensor([1., 1.])");
  CHECK(lt::full({2}, 7).dtype() == lt::kInt64);  // as torch.full: the value's type
  CHECK(lt::full({2}, 7.5).str() == "tensor([7.5000, 7.5000])");
  CHECK(lt::scalar_tensor(3).str() == "tensor(3)");
  CHECK(lt::empty({4, 0}).shape() == Shape{4, 0});

  CHECK(lt::arange(5).str() == "tensor([0, 1, 2, 3, 4])");  // integers -> int64
  CHECK(lt::arange(0, 1, 0.25).str() == "tensor([0.0000, 0.2500, 0.5000, 0.7500])");
  CHECK(lt::arange(3, lt::kFloat64).str() == "tensor([0., 1., 2.], dtype=torch.float64)");
  CHECK(lt::linspace(0, 1, 5).str() == "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])");
  CHECK(lt::eye(2).str() == "tensor([[1., 0.],\n        [0., 1.]])");
  CHECK(lt::zeros_like(m22()).to_vector<float>() == V{0, 0, 0, 0});
  CHECK(lt::ones_like(m22()).to_vector<float>() == V{1, 1, 1, 1});

  lt::manual_seed(42);
  std::vector<float> r1 = lt::rand({100}).to_vector<float>();
  lt::manual_seed(42);
  CHECK(lt::rand({100}).to_vector<float>() == r1);
  for (float v : r1) CHECK((v >= 0.f && v < 1.f));
  CHECK(lt::randn({2, 3}, lt::kFloat64).dtype() == lt::kFloat64);

  lt::Tensor leaf = lt::ones({2}, lt::TensorOptions().dtype(lt::kFloat64).requires_grad(true));
  CHECK(leaf.requires_grad());
  CHECK(leaf.is_leaf());
  CHECK(lt::from_vector<float>({1, 2}, lt::TensorOptions().requires_grad(true)).requires_grad());
}

TEST_CASE("cpp: inspection and data out", "[cpp]") {
  lt::Tensor t = lt::arange(24.0).reshape({2, 3, 4});
  CHECK(t.ndim() == 3);
  CHECK(t.dim() == 3);
  CHECK(t.shape() == Shape{2, 3, 4});
  CHECK(t.sizes() == Shape{2, 3, 4});
  CHECK(t.strides() == Shape{12, 4, 1});
  CHECK(t.size(-1) == 4);
  CHECK(t.numel() == 24);
  CHECK(t.is_contiguous());
  CHECK(t.device() == lt::Device::cpu());
  CHECK(t.data_ptr() != nullptr);
  CHECK(t.to_vector<int64_t>()[23] == 23);  // converted by the library
  CHECK(lt::scalar_tensor(int64_t{1} << 60).item<int64_t>() == (int64_t{1} << 60));  // exact, not via double
  CHECK(lt::scalar_tensor(2.5).item() == 2.5);
  CHECK(lt::from_list({true, false}).to_vector<bool>() == std::vector<bool>{true, false});

  std::ostringstream os;
  os << m22() << " " << lt::kFloat64 << " " << lt::Device::cuda(1);
  CHECK(os.str() == "tensor([[1., 2.],\n        [3., 4.]]) torch.float64 cuda:1");
}

TEST_CASE("cpp: arithmetic operators with tensors and scalars on either side", "[cpp]") {
  lt::Tensor x = lt::from_list({-1.f, 0.5f, 2.f});
  CHECK((x + x).to_vector<float>() == V{-2, 1, 4});
  CHECK((x - x).to_vector<float>() == V{0, 0, 0});
  CHECK((x * x).to_vector<float>() == V{1, 0.25f, 4});
  CHECK((x / x).to_vector<float>() == V{1, 1, 1});
  CHECK((x + 1).to_vector<float>() == V{0, 1.5f, 3});
  CHECK((1 + x).to_vector<float>() == V{0, 1.5f, 3});
  CHECK((x - 1).to_vector<float>() == V{-2, -0.5f, 1});
  CHECK((2 - x).str() == "tensor([3.0000, 1.5000, 0.0000])");
  CHECK((x * 2).to_vector<float>() == V{-2, 1, 4});
  CHECK((2 * x).to_vector<float>() == V{-2, 1, 4});
  CHECK((x / 2).to_vector<float>() == V{-0.5f, 0.25f, 1});
  CHECK((2 / x).str() == "tensor([-2.,  4.,  1.])");
  CHECK((-x).to_vector<float>() == V{1, -0.5f, -2});

  // Broadcasting (the seed notebook's a + b) and PyTorch's type promotion.
  lt::Tensor a = lt::ones({6, 5});
  lt::Tensor b = lt::arange(5).reshape({1, 5});
  CHECK((a + b).dtype() == lt::kFloat32);
  CHECK((a + b).shape() == Shape{6, 5});
  lt::Tensor i = lt::from_list<int64_t>({1, 2, 3});
  CHECK((i * 2).dtype() == lt::kInt64);
  CHECK((i * 2.5).str() == "tensor([2.5000, 5.0000, 7.5000])");
  CHECK((i / 2).str() == "tensor([0.5000, 1.0000, 1.5000])");
  CHECK((2.5 - i).str() == "tensor([ 1.5000,  0.5000, -0.5000])");
}

TEST_CASE("cpp: comparisons return bool tensors", "[cpp]") {
  lt::Tensor i = lt::from_list<int64_t>({1, 2, 3});
  lt::Tensor j = lt::from_list<int64_t>({3, 2, 1});
  CHECK((i < 2.5).str() == "tensor([ True,  True, False])");
  CHECK((i == j).str() == "tensor([False,  True, False])");
  CHECK((i != j).to_vector<bool>() == std::vector<bool>{true, false, true});
  CHECK((i < j).to_vector<bool>() == std::vector<bool>{true, false, false});
  CHECK((i <= j).to_vector<bool>() == std::vector<bool>{true, true, false});
  CHECK((i > j).to_vector<bool>() == std::vector<bool>{false, false, true});
  CHECK((i >= j).to_vector<bool>() == std::vector<bool>{false, true, true});
  CHECK((i == 2).to_vector<bool>() == std::vector<bool>{false, true, false});
  CHECK((2 < i).to_vector<bool>() == std::vector<bool>{false, false, true});
  CHECK((2 >= i).to_vector<bool>() == std::vector<bool>{true, true, false});
  CHECK((i >= 2).dtype() == lt::kBool);
}

TEST_CASE("cpp: element-wise methods and free functions", "[cpp]") {
  lt::Tensor x = lt::from_list({-1.f, 0.5f, 2.f});
  CHECK(close(x.exp().to_vector<float>(), {0.3679f, 1.6487f, 7.3891f}));
  CHECK(close(lt::log(x.abs()).to_vector<float>(), {0.f, -0.6931f, 0.6931f}));
  CHECK(close(x.abs().sqrt().to_vector<float>(), {1.f, 0.7071f, 1.4142f}));
  CHECK(close(x.sin().to_vector<float>(), {-0.8415f, 0.4794f, 0.9093f}));
  CHECK(close(lt::cos(x).to_vector<float>(), {0.5403f, 0.8776f, -0.4161f}));
  CHECK(close(x.tanh().to_vector<float>(), {-0.7616f, 0.4621f, 0.9640f}));
  CHECK(close(lt::sigmoid(x).to_vector<float>(), {0.2689f, 0.6225f, 0.8808f}));
  CHECK(x.relu().to_vector<float>() == V{0, 0.5f, 2});
  CHECK(x.neg().to_vector<float>() == V{1, -0.5f, -2});
  CHECK(x.pow(2).to_vector<float>() == V{1, 0.25f, 4});
  CHECK(lt::pow(x, lt::full({3}, 2.0)).to_vector<float>() == V{1, 0.25f, 4});
  CHECK(x.maximum(lt::zeros({3})).to_vector<float>() == V{0, 0.5f, 2});
  CHECK(lt::minimum(x, lt::zeros({1})).to_vector<float>() == V{-1, 0, 0});
  CHECK(x.maximum(1.0).to_vector<float>() == V{1, 1, 2});
  CHECK(lt::where(x > 0, x, lt::zeros({1})).to_vector<float>() == V{0, 0.5f, 2});
  CHECK(lt::cat({x, x}).shape() == Shape{6});
  CHECK(lt::stack({x, x}, 1).shape() == Shape{3, 2});
}

TEST_CASE("cpp: in-place methods and compound assignment", "[cpp]") {
  lt::Tensor t = lt::zeros({2, 2});
  t += 1;
  t *= lt::from_list({2.f, 3.f});  // broadcast
  CHECK(t.to_vector<float>() == V{2, 3, 2, 3});
  t -= t;
  CHECK(t.to_vector<float>() == V{0, 0, 0, 0});
  t.fill_(4).div_(2.0).sub_(lt::ones({2}));
  CHECK(t.to_vector<float>() == V{1, 1, 1, 1});
  t /= 2;
  CHECK(t.to_vector<float>() == V{0.5f, 0.5f, 0.5f, 0.5f});
  t.copy_(m22()).mul_(2.0).add_(1.0);
  CHECK(t.to_vector<float>() == V{3, 5, 7, 9});
  t.zero_();
  CHECK(t.to_vector<float>() == V{0, 0, 0, 0});
  lt::Tensor i = lt::zeros({2}, lt::kInt64);
  CHECK_THROWS_AS(i += 0.5, lt::Error);  // the float result does not fit int64 (as PyTorch)
}

TEST_CASE("cpp: shape and view methods", "[cpp]") {
  lt::Tensor t = lt::arange(6.0).reshape({2, 3});
  CHECK(t.reshape({3, -1}).shape() == Shape{3, 2});
  CHECK(t.flatten().shape() == Shape{6});
  lt::Tensor tt = t.t();
  CHECK(tt.shape() == Shape{3, 2});
  CHECK_FALSE(tt.is_contiguous());
  CHECK(tt.str() == "tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])");
  CHECK(tt.contiguous().is_contiguous());
  CHECK(t.transpose(0, 1).to_vector<float>() == V{0, 3, 1, 4, 2, 5});
  CHECK(t.permute({1, 0}).to_vector<float>() == V{0, 3, 1, 4, 2, 5});
  CHECK(t.unsqueeze(0).shape() == Shape{1, 2, 3});
  CHECK(t.unsqueeze(0).squeeze().shape() == Shape{2, 3});
  CHECK(t.unsqueeze(-1).squeeze(-1).shape() == Shape{2, 3});
  CHECK(t.slice(1, 0, 3, 2).to_vector<float>() == V{0, 2, 3, 5});
  CHECK(t.select(1, -1).to_vector<float>() == V{2, 5});
  CHECK(t[1].to_vector<float>() == V{3, 4, 5});
  CHECK(lt::from_list({1.f, 2.f}).expand({2, 2}).to_vector<float>() == V{1, 2, 1, 2});
  CHECK(lt::ones({1, 2}).expand_as(lt::zeros({3, 2})).shape() == Shape{3, 2});
  CHECK(t.to(lt::kInt32).str() == "tensor([[0, 1, 2],\n        [3, 4, 5]], dtype=torch.int32)");
  CHECK(t.to(lt::Device::cpu()).get() == t.get());  // already there: same tensor
  CHECK(t.cpu().get() == t.get());

  lt::Tensor c = t.clone();
  c.fill_(0);
  CHECK(t.to_vector<float>() == V{0, 1, 2, 3, 4, 5});  // a clone does not share storage
  lt::Tensor v = t.reshape({6});
  v.fill_(1);
  CHECK(t.to_vector<float>() == V{1, 1, 1, 1, 1, 1});  // a view does
}

TEST_CASE("cpp: reductions (the seed notebook's values)", "[cpp]") {
  lt::Tensor t = lt::from_list({0.5f, 13.f, 4.f});
  CHECK(t.mean().str() == "tensor(5.8333)");
  CHECK(t.std().str() == "tensor(6.4485)");
  CHECK(t.max().str() == "tensor(13.)");
  CHECK(t.min().str() == "tensor(0.5000)");
  CHECK(t.sum().item() == 17.5);
  CHECK(t.prod().item() == 26.0);
  CHECK(t.var().item<float>() == Approx(41.583332f));
  CHECK(t.var(0, 0).item<float>() == Approx(27.722221f));

  lt::Tensor m = lt::arange(20, lt::kFloat64).reshape({5, 4});
  CHECK(m.mean(0).str() == "tensor([ 8.,  9., 10., 11.], dtype=torch.float64)");
  CHECK(m.sum({0, 1}).item() == 190.0);
  CHECK(m.sum(1, true).shape() == Shape{5, 1});
  CHECK(m.prod(0).shape() == Shape{4});
  CHECK(m.std(1).shape() == Shape{5});
  CHECK(m.var({0}).shape() == Shape{4});
  const std::vector<int32_t> dims = {1};
  CHECK(m.sum(dims).to_vector<double>() == std::vector<double>{6, 22, 38, 54, 70});

  auto [values, indices] = m.max(-1);
  CHECK(values.to_vector<double>() == std::vector<double>{3, 7, 11, 15, 19});
  CHECK(indices.dtype() == lt::kInt64);
  CHECK(indices.to_vector<int64_t>() == std::vector<int64_t>{3, 3, 3, 3, 3});
  lt::ValuesIndices mn = m.min(0, true);
  CHECK(mn.values.shape() == Shape{1, 4});
  CHECK(mn.indices.to_vector<int64_t>() == std::vector<int64_t>{0, 0, 0, 0});
  CHECK(m.argmax(0).to_vector<int64_t>() == std::vector<int64_t>{4, 4, 4, 4});
  CHECK(m.argmin(1).to_vector<int64_t>() == std::vector<int64_t>{0, 0, 0, 0, 0});

  lt::Tensor b = lt::from_list<bool>({true, false, true, true}, {2, 2});
  CHECK(b.all().str() == "tensor(False)");
  CHECK(b.any().str() == "tensor(True)");
  CHECK(b.all(0).to_vector<bool>() == std::vector<bool>{true, false});
  CHECK(b.any({1}).to_vector<bool>() == std::vector<bool>{true, true});

  CHECK_THROWS_AS(lt::arange(3).mean(), lt::Error);  // integer mean is a dtype error, as in PyTorch
}

TEST_CASE("cpp: matmul", "[cpp]") {
  lt::Tensor a = m22();
  CHECK(a.matmul(a).str() == "tensor([[ 7., 10.],\n        [15., 22.]])");
  CHECK(lt::matmul(a.t(), a).str() == "tensor([[10., 14.],\n        [14., 20.]])");
  CHECK(lt::matmul(lt::ones({3, 2, 4}), lt::ones({4, 5})).shape() == Shape{3, 2, 5});
}

TEST_CASE("cpp: autograd (the seed notebook's cell)", "[cpp][autograd]") {
  lt::Tensor x = lt::from_vector<float>({5, 8, 4, 6}, {2, 2}).requires_grad_();
  CHECK_FALSE(x.grad().defined());
  lt::Tensor y = x.pow(3).sum();
  CHECK(y.str() == "tensor(917., grad_fn=<SumBackward0>)");
  CHECK_FALSE(y.is_leaf());
  y.backward();
  CHECK(x.grad().str() == "tensor([[ 75., 192.],\n        [ 48., 108.]])");

  // Grads accumulate over backward calls; zero_grad drops them.
  (x * 2).sum().backward();
  CHECK(x.grad().to_vector<float>() == V{77, 194, 50, 110});
  x.zero_grad();
  CHECK_FALSE(x.grad().defined());

  // A non-scalar root takes an explicit grad.
  lt::Tensor z = x * 3;
  z.backward(lt::ones({2, 2}));
  CHECK(x.grad().to_vector<float>() == V{3, 3, 3, 3});

  lt::Tensor d = (x * 2).detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.is_leaf());
  CHECK_THROWS_AS(lt::arange(3).requires_grad_(), lt::Error);
}

TEST_CASE("cpp: NoGradGuard turns recording off for its scope", "[cpp][autograd]") {
  lt::Tensor w = lt::ones({2}).requires_grad_();
  CHECK(lt::is_grad_enabled());
  {
    lt::NoGradGuard guard;
    CHECK_FALSE(lt::is_grad_enabled());
    lt::Tensor u = w * 2;
    CHECK_FALSE(u.requires_grad());
    w.sub_(lt::full({2}, 0.5));  // in-place update of a leaf is allowed without grad mode
  }
  CHECK(lt::is_grad_enabled());
  CHECK((w * 2).requires_grad());
  CHECK(w.to_vector<float>() == V{0.5f, 0.5f});
  CHECK(lt::set_grad_enabled(true));  // returns the previous mode (on)
}

TEST_CASE("cpp: runtime information", "[cpp]") {
  CHECK(std::string(lt::version()) == std::to_string(TENSOR_VERSION_MAJOR) + "." +
                                          std::to_string(TENSOR_VERSION_MINOR) + "." +
                                          std::to_string(TENSOR_VERSION_PATCH));
  CHECK(lt::cuda_device_count() >= 0);
  CHECK(lt::cuda_available() == (lt::cuda_device_count() > 0));
  const int32_t threads = lt::get_num_threads();
  lt::set_num_threads(1);
  CHECK(lt::get_num_threads() == 1);
  lt::set_num_threads(threads);
  CHECK_THROWS_AS(lt::set_num_threads(0), lt::Error);
}

TEST_CASE("cpp: sort, argsort and topk (free functions and methods)", "[cpp]") {
  using I = std::vector<int64_t>;
  lt::Tensor a = lt::from_vector<float>({3, 1, 2, 1}, {4});
  lt::ValuesIndices s = a.sort();
  CHECK(s.values.to_vector<float>() == std::vector<float>{1, 1, 2, 3});
  CHECK(s.indices.to_vector<int64_t>() == I{1, 3, 2, 0});  // stable: the two 1s keep their order
  CHECK(lt::sort(a, 0, true).indices.to_vector<int64_t>() == I{0, 2, 1, 3});
  CHECK(lt::argsort(a).to_vector<int64_t>() == I{1, 3, 2, 0});
  CHECK(a.argsort(-1, true).to_vector<int64_t>() == I{0, 2, 1, 3});
  lt::ValuesIndices t = lt::topk(a, 2);
  CHECK(t.values.to_vector<float>() == std::vector<float>{3, 2});
  CHECK(t.indices.to_vector<int64_t>() == I{0, 2});
  CHECK(a.topk(1, 0, false).values.to_vector<float>() == std::vector<float>{1});
  CHECK_THROWS_AS(a.topk(5), lt::Error);
}

TEST_CASE("cpp: random draws and the stream state", "[cpp]") {
  lt::manual_seed(17);
  const lt::RngState start = lt::get_rng_state();
  CHECK(start.seed == 17);
  CHECK(start.offset == 0);
  lt::Tensor r = lt::randint(0, 10, {6});
  CHECK(r.dtype() == lt::kInt64);
  lt::Tensor p = lt::randperm(5);
  CHECK(p.dtype() == lt::kInt64);
  lt::Tensor f = lt::randperm(5, lt::kFloat32);
  CHECK(f.dtype() == lt::kFloat32);
  lt::set_rng_state(start);
  CHECK(lt::randint(0, 10, {6}).to_vector<int64_t>() == r.to_vector<int64_t>());
  CHECK(lt::randperm(5).to_vector<int64_t>() == p.to_vector<int64_t>());
  lt::Tensor ones = lt::ones({8});
  CHECK(lt::bernoulli(ones).to_vector<float>() == V(8, 1.0f));
  CHECK(lt::multinomial(lt::from_vector<float>({0, 1}, {2}), 3, true).to_vector<int64_t>() ==
        std::vector<int64_t>{1, 1, 1});
  CHECK(lt::dropout(ones, 0.5, false).to_vector<float>() == V(8, 1.0f));
  for (float x : lt::dropout(ones).to_vector<float>()) CHECK((x == 0.0f || x == 2.0f));
  lt::Tensor u = lt::zeros({100});
  lt::uniform_(u, 3, 4);
  for (float x : u.to_vector<float>()) CHECK((x >= 3 && x < 4));
  lt::normal_(u, 5, 0);
  CHECK(u.to_vector<float>() == V(100, 5.0f));
  CHECK_THROWS_AS(lt::randint(3, 3, {1}), lt::Error);
}
