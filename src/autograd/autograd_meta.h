// Per-tensor autograd state, allocated only for tensors that take part in the graph.
#pragma once
#include <memory>
#include <mutex>

#include "core/tensor.h"
#include "core/tensor_impl.h"

namespace lt {

class Node;

// The concrete autograd state behind TensorImpl::autograd (Note [autograd metadata interface] in
// core/tensor_impl.h); meta_of reads it back.
struct AutogradMeta final : AutogradMetaInterface {
  bool requires_grad = false;        // set on leaves by the user; implied by grad_fn on non-leaves
  bool is_view = false;              // a view of a tensor in the graph: in-place writes are refused
  uint32_t output_nr = 0;            // which output of grad_fn this tensor is
  std::shared_ptr<Node> grad_fn;     // null for leaves
  std::weak_ptr<Node> accumulator;   // leaves: the AccumulateGrad node, made on first use
  Tensor grad;                       // leaves: accumulated gradient
  std::mutex mu;                     // guards grad and accumulator (backward may run on several threads)
};

inline AutogradMeta* meta_of(const TensorImpl* t) { return static_cast<AutogradMeta*>(t->autograd); }

// Whether t takes part in the graph (a leaf that requires grad, or the output of a recorded op).
inline bool requires_grad(const Tensor& t) {
  const AutogradMeta* m = meta_of(t.impl());
  return m && (m->requires_grad || m->grad_fn);
}
inline bool requires_grad(const TensorImpl* t) {
  const AutogradMeta* m = meta_of(t);
  return m && (m->requires_grad || m->grad_fn);
}
AutogradMeta& autograd_meta(const Tensor& t);  // creates it if missing

// ---- the user-facing leaf rules (leaf.cpp) ----
// Leaves only (Autograd error naming the grad_fn otherwise); requiring grad needs a floating dtype.
void set_requires_grad(const Tensor& t, bool requires);
// True for tensors not produced by a recorded op.
inline bool is_leaf(const Tensor& t) {
  const AutogradMeta* m = meta_of(t.impl());
  return !m || !m->grad_fn;
}
// The accumulated grad (undefined when none), read under the meta's lock: backward on another thread
// may be accumulating into it.
Tensor grad_of(const Tensor& t);
// Drops the accumulated grad, under the same lock.
void zero_grad(const Tensor& t);

}  // namespace lt
