// MUST compile (tests/layers.cmake): the control case, a downward include through the same mechanism.
#include "autograd/autograd_meta.h"
#include "core/tensor.h"
