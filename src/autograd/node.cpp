#include "autograd/node.h"

#include "autograd/autograd_meta.h"
#include "autograd/grad_mode.h"
#include "autograd/engine_ops.h"

namespace lt {

// Note [non-recursive node destruction]: freeing the last tensor of a 100k-op chain would run ~Node
// 100k frames deep. Instead each ~Node moves the edges it solely owns onto one thread-local worklist;
// the outermost ~Node drains it, each node found there releasing its own edges onto the list first.
// A destructor must not throw, so when the worklist cannot grow (out of memory) the child is released
// right there, one level of recursion; the reserve makes that rare (a chain needs only a few slots).
Node::~Node() {
  thread_local std::vector<std::shared_ptr<Node>>* worklist = nullptr;
  std::vector<std::shared_ptr<Node>> local;
  bool outermost = worklist == nullptr;
  if (outermost) {
    worklist = &local;
    try {
      local.reserve(16);
    } catch (...) {
    }
  }
  for (Edge& e : next_edges) {
    if (!e.fn || e.fn.use_count() != 1) continue;
    try {
      worklist->push_back(std::move(e.fn));  // strong guarantee: e.fn is untouched if this throws
    } catch (...) {
      e.fn.reset();
    }
  }
  next_edges.clear();
  if (!outermost) return;
  while (!local.empty()) {
    std::shared_ptr<Node> n = std::move(local.back());
    local.pop_back();
    n.reset();  // its destructor appends its solely-owned children to `local`
  }
  worklist = nullptr;
}

SavedTensor::SavedTensor(const Tensor& t) {
  if (!t.defined()) return;
  data_ = make_view(t, t.shape(), t.strides(), t->offset);  // detached alias: owns no graph
  version_ = t.storage()->version();
}

Tensor SavedTensor::unpack(const char* node_name) const {
  LT_CHECK(!released_, Status::Autograd,
           "trying to backward through the graph a second time (or to use saved tensors after they were "
           "freed); saved tensors of "
               << node_name << " were freed by the first backward: pass retain_graph=true to keep them");
  LT_CHECK(data_.storage()->version() == version_, Status::Autograd,
           "a tensor needed for gradient computation has been modified by an in-place operation: "
               << dtype_name(data_.dtype()) << " " << shape_str(data_.shape()) << " saved by " << node_name
               << " is at version " << data_.storage()->version() << "; expected version " << version_);
  return data_;
}

TensorList AccumulateGrad::apply(TensorList&& grads) {
  Tensor& g = grads[0];
  if (!g.defined() || !leaf_.defined()) return {};  // undefined leaf: Note [orphaned accumulator]
  AutogradMeta& m = autograd_meta(leaf_);
  std::lock_guard<std::mutex> lock(m.mu);
  if (!m.grad.defined()) {
    // Keep the incoming tensor only when nothing else can see it; otherwise the user could change
    // another tensor by writing to this grad.
    bool exclusive = g->refs.load() == 1 && g.storage()->use_count() == 1 && g.is_contiguous();
    m.grad = exclusive ? g : clone(g);
  } else {
    m.grad = add(m.grad, g);  // out of place: a grad handed out earlier keeps its value
  }
  return {};
}

void AccumulateGrad::orphan() {
  Tensor dropped;  // released after the lock: the caller still holds the tensor, so this frees nothing
  std::lock_guard<std::mutex> lock(node_mutex);  // the engine holds it while apply() reads leaf_
  dropped = std::move(leaf_);
}

}  // namespace lt
