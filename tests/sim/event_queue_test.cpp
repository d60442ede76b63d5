// Every queue against a reference: a stable sort of (time, insertion order).
// Random workloads with many equal times, pushes interleaved with pops, and
// the monotone-time rule of a discrete-event clock.
#include "sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/random.hpp"

namespace m2msim {
namespace {

template <class Queue>
class EventQueueTest : public ::testing::Test {};

// Small mode (third parameter) with thresholds the workloads below cross:
// 8 (left at once), 200 (left by the wide-spread and growing workloads, kept
// by the small one).
using Queues = ::testing::Types<RadixHeapQueue, BasicRadixHeapQueue<1>, BasicRadixHeapQueue<2>, BasicRadixHeapQueue<8>,
                                BasicRadixHeapQueue<4, 32, 8>, BasicRadixHeapQueue<4, 32, 200>, QuaternaryHeapQueue,
                                BinaryHeapQueue>;
TYPED_TEST_SUITE(EventQueueTest, Queues);

struct Pushed {
  std::int64_t time;
  std::uint32_t id;
};

// Pushes `id` with time `t`; the record's slot carries the id.
template <class Queue>
void push(Queue& q, std::int64_t t, std::uint32_t id, std::uint64_t seq) {
  q.push(t, id, 0, seq);
}

// Runs a hold-like workload: `initial` records, then `steps` pops, each
// followed by min_pushes–max_pushes (0–2 unless given) pushes at now +
// delay, where delays are drawn from a small set so that equal times are
// frequent. Every popped record must be the
// earliest pending one, and among equal times the earliest pushed.
template <class Queue>
void check_against_reference(std::uint64_t seed, int initial, int steps, std::int64_t spread,
                             std::uint64_t max_pushes = 2, std::uint64_t min_pushes = 0,
                             bool* ended_in_small_mode = nullptr) {
  Queue q;
  RandomStream rng(seed);
  std::vector<Pushed> pending;  // the reference, in push order
  std::uint32_t next_id = 0;
  std::uint64_t seq = 0;
  std::int64_t now = 0;
  auto add = [&](std::int64_t t) {
    push(q, t, next_id, seq++);
    pending.push_back({t, next_id++});
  };
  for (int i = 0; i < initial; ++i) add(static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(spread))));
  for (int step = 0; step < steps && !pending.empty(); ++step) {
    // Reference minimum: earliest time, then earliest push (pending is in push order).
    std::size_t best = 0;
    for (std::size_t i = 1; i < pending.size(); ++i)
      if (pending[i].time < pending[best].time) best = i;
    const EventRecord* top = q.peek();
    ASSERT_NE(top, nullptr);
    ASSERT_EQ(top->time, pending[best].time) << "step " << step;
    ASSERT_EQ(top->slot, pending[best].id) << "FIFO order broken at step " << step;
    now = top->time;
    q.pop();
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(best));
    const auto pushes = min_pushes + rng.uniform_int(max_pushes - min_pushes + 1);
    for (std::uint64_t k = 0; k < pushes; ++k) {
      // Delays 0 (same instant), small, or large.
      const std::int64_t choices[] = {0, 1, 7, 1000, spread / 3, spread};
      add(now + choices[rng.uniform_int(6)]);
    }
  }
  ASSERT_EQ(q.size(), pending.size());
  if constexpr (requires { q.in_small_mode(); }) {
    if (ended_in_small_mode != nullptr) *ended_in_small_mode = q.in_small_mode();
  }
}

TYPED_TEST(EventQueueTest, PopsInTimeThenFifoOrderSmall) { check_against_reference<TypeParam>(1, 20, 3000, 50); }

TYPED_TEST(EventQueueTest, PopsInTimeThenFifoOrderWideSpread) {
  check_against_reference<TypeParam>(2, 300, 5000, std::int64_t{1} << 40);
}

// 0–3 pushes per pop: the queue grows from 5 to about 1500 records, through
// any small-mode threshold, with every pop checked on the way.
TYPED_TEST(EventQueueTest, PopsInOrderWhileGrowing) { check_against_reference<TypeParam>(3, 5, 3000, 5000, 3); }

TYPED_TEST(EventQueueTest, ManyEqualTimesKeepInsertionOrder) {
  TypeParam q;
  for (std::uint32_t i = 0; i < 1000; ++i) push(q, 42, i, i);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(q.peek()->slot, i);
    q.pop();
  }
  EXPECT_EQ(q.peek(), nullptr);
}

TYPED_TEST(EventQueueTest, EmptyQueuePeeksNull) {
  TypeParam q;
  EXPECT_EQ(q.peek(), nullptr);
  push(q, 5, 1, 0);
  EXPECT_EQ(q.size(), 1u);
  q.peek();
  q.pop();
  EXPECT_EQ(q.peek(), nullptr);
  EXPECT_EQ(q.size(), 0u);
}

// Small mode's own path (linked bucket lists, refills, the free list) under
// a hold workload — one push per pop, so 150 records throughout, below the
// threshold — with equal times frequent and every pop checked.
TEST(RadixHeapSmallMode, AHoldWorkloadStaysInSmallModeAndPopsInOrder) {
  bool small = false;
  check_against_reference<BasicRadixHeapQueue<4, 32, 200>>(4, 150, 20000, std::int64_t{1} << 20, 1, 1, &small);
  EXPECT_TRUE(small) << "the workload left small mode: the test checks bucket mode";
}

}  // namespace
}  // namespace m2msim
