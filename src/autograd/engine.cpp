// The backward engine (after torch/csrc/autograd/engine.cpp; each backward runs on its calling thread,
// several may run at once: Note [node lock] in node.h).
//
// 1. Count, for every node reachable from the root, how many edges point at it (its dependencies).
// 2. Run nodes whose dependencies are all satisfied; each node's incoming grads are summed in its input
//    buffer before it runs, so a node runs once however many paths reach it.
// Note [grad to input shape]: after a node runs, each grad it produced is summed back to the shape of the
// input it belongs to (undoing broadcasting) and cast to that input's dtype. This is the only place that
// reduces broadcast grads, so no formula has to.
#include <cstdint>

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/node.h"
#include "autograd/engine_ops.h"

namespace lt {

namespace {

Edge root_edge(const Tensor& root) {
  AutogradMeta& m = autograd_meta(root);
  if (m.grad_fn) return Edge{m.grad_fn, m.output_nr};
  std::lock_guard<std::mutex> lock(m.mu);  // another thread may be making the same leaf's accumulator
  std::shared_ptr<Node> acc = m.accumulator.lock();
  if (!acc) {
    acc = std::make_shared<AccumulateGrad>(root);
    m.accumulator = acc;
  }
  return Edge{acc, 0};
}

Tensor to_input(Tensor g, const InputMeta& meta) {
  if (g.shape() != meta.shape) g = sum_to(g, meta.shape);
  if (g.dtype() != meta.dtype) g = to_dtype(g, meta.dtype);
  return g;
}

// Per-backward state: node -> (dependency count, input buffer). An open-addressing table over one
// vector keeps a small graph's backward (the seed cell has 3 nodes) free of per-node allocations.
struct GraphTask {
  struct NodeState {
    Node* node = nullptr;
    int32_t deps = 0;
    TensorList buffer;
  };
  std::vector<NodeState> nodes;
  std::vector<int32_t> table = std::vector<int32_t>(16, -1);  // slot -> index into nodes, -1 empty

  static size_t hash(const Node* n) { return (reinterpret_cast<uintptr_t>(n) >> 4) * 0x9E3779B97F4A7C15ull; }

  // Index of n's state, adding it (and setting *added) when missing.
  int32_t slot(Node* n, bool* added = nullptr) {
    size_t mask = table.size() - 1;
    for (size_t h = hash(n) & mask;; h = (h + 1) & mask) {
      int32_t k = table[h];
      if (k < 0) {
        nodes.push_back(NodeState{n, 0, {}});
        table[h] = static_cast<int32_t>(nodes.size() - 1);
        if (added) *added = true;
        if (nodes.size() * 2 > table.size()) grow();
        return static_cast<int32_t>(nodes.size() - 1);
      }
      if (nodes[static_cast<size_t>(k)].node == n) return k;
    }
  }

  void grow() {
    table.assign(table.size() * 2, -1);
    size_t mask = table.size() - 1;
    for (size_t k = 0; k < nodes.size(); ++k) {
      size_t h = hash(nodes[k].node) & mask;
      while (table[h] >= 0) h = (h + 1) & mask;
      table[h] = static_cast<int32_t>(k);
    }
  }
};

void accumulate(TensorList& buffer, uint32_t slot, Tensor&& g) {
  if (buffer.size() <= slot) buffer.resize(slot + 1);
  if (!buffer[slot].defined()) buffer[slot] = std::move(g);
  else buffer[slot] = add(buffer[slot], g);
}

}  // namespace

void backward(const Tensor& root, const Tensor& grad_in, bool retain_graph) {
  LT_CHECK(requires_grad(root), Status::Autograd,
           "the tensor does not require grad and has no grad_fn: nothing to differentiate");
  Tensor grad;
  if (!grad_in.defined()) {
    LT_CHECK(root.numel() == 1, Status::Autograd,
             "grad can be implicitly created only for one-element outputs; got shape " << shape_str(root.shape())
                                                                                       << ": pass a grad");
    grad = full_like(root, 1.0);
  } else {
    check_same_device(root, grad_in);
    LT_CHECK(grad_in.shape() == root.shape(), Status::Shape,
             "grad of shape " << shape_str(grad_in.shape()) << " does not match the tensor's shape "
                              << shape_str(root.shape()));
    grad = grad_in.dtype() == root.dtype() ? grad_in : to_dtype(grad_in, root.dtype());
  }
  NoGradGuard no_grad;
  Edge start = root_edge(root);

  // 1. dependencies: every reachable node gets a slot in the task table with its incoming-edge count.
  GraphTask task;
  task.slot(start.fn.get());
  std::vector<Node*> stack{start.fn.get()};
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next_edges) {
      if (!e.fn) continue;
      bool added = false;
      int32_t k = task.slot(e.fn.get(), &added);
      ++task.nodes[static_cast<size_t>(k)].deps;
      if (added) stack.push_back(e.fn.get());
    }
  }

  // 2. execution in dependency order
  accumulate(task.nodes[0].buffer, start.input_nr, std::move(grad));
  std::vector<std::shared_ptr<Node>> ready{start.fn};
  while (!ready.empty()) {
    std::shared_ptr<Node> node = std::move(ready.back());
    ready.pop_back();
    TensorList inputs = std::move(task.nodes[static_cast<size_t>(task.slot(node.get()))].buffer);
    if (inputs.size() < node->num_outputs()) inputs.resize(node->num_outputs());
    bool any_grad = false;
    for (const Tensor& g : inputs) any_grad = any_grad || g.defined();
    TensorList outputs;  // a node that received no grad at all contributes none
    {
      std::lock_guard<std::mutex> lock(node->node_mutex);  // Note [node lock] in node.h
      if (any_grad) outputs = node->apply(std::move(inputs));
      if (!retain_graph) node->release_saved();
    }
    for (size_t i = 0; i < node->next_edges.size(); ++i) {
      const Edge& e = node->next_edges[i];
      if (!e.fn) continue;
      GraphTask::NodeState& st = task.nodes[static_cast<size_t>(task.slot(e.fn.get()))];
      if (i < outputs.size() && outputs[i].defined())
        accumulate(st.buffer, e.input_nr, to_input(std::move(outputs[i]), node->input_meta[i]));
      if (--st.deps == 0) ready.push_back(e.fn);
    }
  }
}

}  // namespace lt
