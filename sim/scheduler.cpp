#include "sim/scheduler.hpp"

namespace m2msim {

template class BasicScheduler<RadixHeapQueue>;

}  // namespace m2msim
