// Allocation-failure injection for tests (after SQLite's malloc tests), at two depths:
//
//  - Tensors: lt::set_fail_allocation_at (src/core/allocator.h) fails the N-th allocation of tensor
//    memory, tensor objects and autograd metadata, as a real out-of-memory device would.
//  - Everything: alloc_injection.cpp's replacement of the global operator new fails the N-th C++ allocation of
//    the process (graph nodes, shape vectors, error-message strings, hash maps in the engine ...).
//
// Both count allocations only while armed. The replacement operator new also keeps a count of live
// allocations, so a test can see an object that a failed call forgot to free even without LeakSanitizer.
// Link alloc_injection.cpp into the test executable (it replaces the global operator new).
#pragma once
#include <cstdint>

namespace alloc_injection {

enum class Depth { Tensors, Everything };

// Fails the n-th allocation from now on at the given depth (n >= 1).
void arm(Depth depth, int64_t n);
void disarm();
// Allocations counted since the last arm (at the given depth).
int64_t seen(Depth depth);
// Live operator-new allocations of the whole process.
int64_t live();

}  // namespace alloc_injection
