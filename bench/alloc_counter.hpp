// Counts live heap bytes by replacing the global operator new/delete in the
// benchmark binary, so that m2msim and ns-3 are measured the same way.
#pragma once

#include <cstddef>

namespace m2msim::bench {
/// Bytes currently allocated through operator new (usable sizes).
std::size_t live_heap_bytes();
}  // namespace m2msim::bench
