// Must NOT compile (tests/layers.cmake): a backend runs kernels and never reaches up into ops.
#include "ops/ops.h"
