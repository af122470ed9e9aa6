// The autograd graph (after torch/csrc/autograd/function.h).
//
// Note [graph ownership]: a non-leaf tensor owns its grad_fn Node; a Node owns the Nodes of its inputs
// through `next_edges` and the data it saved (SavedTensor, always detached, so a saved tensor never owns a
// Node and the graph has no cycles). Leaves own nothing of the graph; their AccumulateGrad node owns them.
// Destroying a long chain would recurse once per node, so ~Node releases its edges iteratively.
#pragma once
#include <memory>
#include <mutex>
#include <vector>

#include "core/tensor.h"

namespace lt {

class Node;

struct Edge {
  std::shared_ptr<Node> fn;  // null: that input does not need a grad
  uint32_t input_nr = 0;     // which input slot of fn receives the grad
};

// Shape and dtype of one input of a node: grads are summed back to this shape and cast to this dtype
// by the engine (Note [grad to input shape] in engine.cpp), so formulas may return broadcast-shaped grads.
struct InputMeta {
  DimVector shape;
  DType dtype = DType::Float32;
};

using TensorList = std::vector<Tensor>;

class Node {
 public:
  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  virtual ~Node();

  // Grads w.r.t. this node's outputs -> grads w.r.t. its inputs (one per next edge; undefined = zero).
  virtual TensorList apply(TensorList&& grad_outputs) = 0;
  // PyTorch's name, e.g. "SumBackward0" (shown in tensor_format as grad_fn=<...>).
  virtual const char* name() const = 0;
  // Frees saved tensors (backward without retain_graph).
  virtual void release_saved() {}
  virtual uint32_t num_outputs() const { return 1; }

  std::vector<Edge> next_edges;
  std::vector<InputMeta> input_meta;  // parallel to next_edges

  // Note [node lock]: graphs of different roots may share nodes, and backward may run on several threads
  // at once. The engine holds this lock while the node runs apply() and release_saved() (PyTorch's
  // per-node mutex_), so a SavedTensor is never read while another backward frees it: the later backward
  // either runs first or finds the saved tensors released and fails with TENSOR_ERR_AUTOGRAD.
  std::mutex node_mutex;
};

// A tensor saved for backward: a detached alias plus the storage version at save time, so using it after
// an in-place write (or after release) is an Autograd error instead of a wrong answer.
class SavedTensor {
 public:
  SavedTensor() = default;
  explicit SavedTensor(const Tensor& t);
  Tensor unpack(const char* node_name) const;
  void reset() { data_ = Tensor(); released_ = true; }
  bool defined() const { return data_.defined() || released_; }

 private:
  Tensor data_;
  uint32_t version_ = 0;
  bool released_ = false;
};

// Grad of a leaf: adds incoming grads into leaf.grad.
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(const Tensor& leaf) : leaf_(leaf) {}
  TensorList apply(TensorList&& grads) override;
  const char* name() const override { return "AccumulateGrad"; }
  // Note [orphaned accumulator]: the node holds its leaf strongly (a graph keeps its leaves alive, as
  // PyTorch's does). When an in-place op turns the leaf into a non-leaf, the leaf's new grad_fn may lead
  // back to this node (a.requires_grad = false; m = f(a earlier); a.copy_(m)), a reference cycle that
  // would leak both. set_history therefore orphans the node: it drops the tensor, and grads that still
  // reach it are discarded (the tensor is no longer a leaf, so it has no grad to accumulate into).
  void orphan();

 private:
  Tensor leaf_;  // undefined once orphaned
};

// ---- recording (record.cpp) ----
// True when grad mode is on and any of the tensors requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);
// Fills node's edges and input metadata from its inputs (an undefined tensor gives an empty edge).
void collect_inputs(Node& node, std::initializer_list<const Tensor*> inputs);
void collect_inputs(Node& node, const std::vector<Tensor>& inputs);
// Makes `out` a non-leaf output of `node`.
void set_history(const Tensor& out, const std::shared_ptr<Node>& node, uint32_t output_nr = 0);
// Same, and marks out as a view (in-place writes to it are refused while it is in the graph).
void set_view_history(const Tensor& out, const std::shared_ptr<Node>& node);
// Before an in-place write to t: refuses tensors with internal overlap (InvalidArgument), leaves that
// require grad (grad mode on) and views in the graph.
void check_inplace(const Tensor& t, const char* what);

// Builds a node of type N from inputs and attaches it to out (common one-output case).
template <class N, class... Args>
std::shared_ptr<N> record(const Tensor& out, std::initializer_list<const Tensor*> inputs, Args&&... args) {
  auto node = std::make_shared<N>(std::forward<Args>(args)...);
  collect_inputs(*node, inputs);
  set_history(out, node);
  return node;
}

// ---- the engine (engine.cpp) ----
void backward(const Tensor& root, const Tensor& grad, bool retain_graph);

}  // namespace lt
