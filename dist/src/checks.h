// The local half of Note [agree before moving data]: what a rank checks about its own arguments and the
// header fields it then compares with the other ranks.
#pragma once
#include <functional>

#include "agree.h"
#include "comm.h"

namespace tdist {

// Calls identify themselves in the header, so that ranks in different calls are caught too.
enum Call : int64_t { kAllReduce = 1, kBroadcast, kAllGather, kReduceScatter, kAllReduceGrads };

struct TensorRule {
  bool writable = false;  // the call writes into t
  bool has_op = false;    // the call takes a reduction operator
  int32_t op = 0;
  bool has_root = false;  // the call takes a root rank
  int32_t root = 0;
  bool split_dim0 = false;  // dim 0 is split into world-size chunks
};

// The header for a collective over one tensor: local checks of t under `rule`, then `more` (staging,
// allocation: anything that may fail before data moves), with a failure recorded instead of thrown.
Header tensor_header(const tensor_comm* c, Call call, const tensor* t, const TensorRule& rule,
                     const std::function<void()>& more);

// Runs fn, recording a failure into h instead of throwing (a rank must still join the exchange).
void capture(Header& h, const std::function<void()>& fn);

}  // namespace tdist
