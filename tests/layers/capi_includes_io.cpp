// Must compile (tests/layers.cmake): the C shims may include the file formats (src/io).
#include "io/io.h"
