// Must NOT compile (tests/layers.cmake): nothing below the C ABI layer includes it.
#include "capi/capi_common.h"
