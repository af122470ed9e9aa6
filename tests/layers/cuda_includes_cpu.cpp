// Must NOT compile (tests/layers.cmake): the two backends do not include each other.
#include "cpu/blas.h"
