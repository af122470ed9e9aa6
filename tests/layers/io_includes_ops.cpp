// Must NOT compile (tests/layers.cmake): the file formats (src/io) see core only; the C shims do the ops.
#include "ops/ops.h"
