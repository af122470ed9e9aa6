// Must NOT compile (tests/layers.cmake): autograd sits below ops.
#include "ops/ops.h"
