// Must NOT compile (tests/layers.cmake): core sits below autograd.
#include "autograd/autograd_meta.h"
