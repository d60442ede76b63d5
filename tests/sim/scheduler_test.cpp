#include "sim/scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "sim/random.hpp"

namespace m2msim {
namespace {

using namespace time_literals;

TEST(Scheduler, RunsEventsInTimeOrder) {
  Scheduler s;
  std::vector<int> order;
  auto* o = &order;
  s.schedule_at(3_s, [o] { o->push_back(3); });
  s.schedule_at(1_s, [o] { o->push_back(1); });
  s.schedule_at(2_s, [o] { o->push_back(2); });
  s.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(s.now(), 3_s);
  EXPECT_EQ(s.executed(), 3u);
}

TEST(Scheduler, EqualTimesRunFirstInFirstOut) {
  Scheduler s;
  std::vector<int> order;
  auto* o = &order;
  for (int i = 0; i < 100; ++i) s.schedule_at(5_s, [o, i] { o->push_back(i); });
  s.run();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
}

TEST(Scheduler, EventsScheduledForNowFromAnEventRunAfterItsPeers) {
  Scheduler s;
  std::vector<int> order;
  auto* o = &order;
  auto* sp = &s;
  s.schedule_at(1_s, [o, sp] {
    o->push_back(1);
    sp->schedule_in(Time::zero(), [o] { o->push_back(3); });
  });
  s.schedule_at(1_s, [o] { o->push_back(2); });
  s.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(Scheduler, CancelledEventsDoNotRunAndCancelIsIdempotent) {
  Scheduler s;
  int ran = 0;
  auto* r = &ran;
  const EventId a = s.schedule_at(1_s, [r] { *r += 1; });
  s.schedule_at(2_s, [r] { *r += 10; });
  EXPECT_TRUE(s.is_pending(a));
  EXPECT_TRUE(s.cancel(a));
  EXPECT_FALSE(s.cancel(a));
  EXPECT_FALSE(s.is_pending(a));
  EXPECT_EQ(s.pending(), 1u);
  s.run();
  EXPECT_EQ(ran, 10);
}

TEST(Scheduler, StaleIdDoesNotCancelTheEventThatReusedItsSlot) {
  Scheduler s;
  int ran = 0;
  auto* r = &ran;
  const EventId a = s.schedule_at(1_s, [r] { *r += 1; });
  s.run();
  const EventId b = s.schedule_at(2_s, [r] { *r += 100; });
  EXPECT_EQ(a.slot, b.slot);  // the slot was recycled
  EXPECT_FALSE(s.cancel(a));
  s.run();
  EXPECT_EQ(ran, 101);
}

TEST(Scheduler, RunUntilStopsAtTheLimitAndAdvancesTheClock) {
  Scheduler s;
  int ran = 0;
  auto* r = &ran;
  s.schedule_at(1_s, [r] { ++*r; });
  s.schedule_at(2_s, [r] { ++*r; });  // exactly at the limit: runs
  s.schedule_at(3_s, [r] { ++*r; });
  s.run_until(2_s);
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(s.now(), 2_s);
  s.run_until(10_s);
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(s.now(), 10_s);
}

TEST(Scheduler, StopEndsTheRunAfterTheCurrentEvent) {
  Scheduler s;
  int ran = 0;
  auto* r = &ran;
  auto* sp = &s;
  s.schedule_at(1_s, [r, sp] {
    ++*r;
    sp->stop();
  });
  s.schedule_at(2_s, [r] { ++*r; });
  s.run();
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(s.pending(), 1u);
}

TEST(Scheduler, SchedulingInThePastIsAnError) {
  Scheduler s;
  s.schedule_at(5_s, [] {});
  s.run();
  EXPECT_THROW(s.schedule_at(4_s, [] {}), std::logic_error);
}

}  // namespace
}  // namespace m2msim

namespace m2msim {
namespace {

// Random schedules and cancellations against a reference: the list of
// (time, order) of events neither run nor cancelled. Exercises the queue's
// dropping of cancelled records while it redistributes them (and, with
// small mode kept on by the threshold, while it refills from its lists).
// Sets `most` to the most events pending at once (gtest's ASSERT needs a
// void function).
template <class Sched>
void random_schedule_and_cancel_matches_a_reference(std::size_t& most, int initial = 2000, int added_per_round = 6,
                                                    bool* ended_in_small_mode = nullptr) {
  struct Ref {
    std::int64_t time;
    std::uint64_t order;
    EventId id;
    bool live;
  };
  Sched s;
  RandomStream rng(99);
  most = 0;
  std::vector<Ref> ref;
  std::vector<std::uint64_t> ran;
  std::uint64_t order = 0;
  auto* ran_p = &ran;
  auto add = [&](std::int64_t t) {
    const std::uint64_t o = order++;
    const EventId id = s.schedule_at(Time::nanoseconds(t), [ran_p, o] { ran_p->push_back(o); });
    ref.push_back({t, o, id, true});
  };
  for (int i = 0; i < initial; ++i) add(static_cast<std::int64_t>(rng.uniform_int(1'000'000)));
  for (int round = 0; round < 400; ++round) {
    // Cancel a few random live events.
    for (int k = 0; k < 5; ++k) {
      auto& r = ref[rng.uniform_int(ref.size())];
      EXPECT_EQ(s.cancel(r.id), r.live);
      r.live = false;
    }
    // Run a little, then schedule more in the future of now.
    const std::int64_t until = s.now().ns() + 2000;
    const std::size_t before = ran.size();
    s.run_until(Time::nanoseconds(until));
    // Expected: live events with time <= until, by (time, order), not yet run.
    std::vector<Ref*> due;
    for (auto& r : ref)
      if (r.live && r.time <= until) due.push_back(&r);
    std::stable_sort(due.begin(), due.end(), [](const Ref* a, const Ref* b) {
      return a->time != b->time ? a->time < b->time : a->order < b->order;
    });
    ASSERT_EQ(ran.size() - before, due.size()) << "round " << round;
    for (std::size_t i = 0; i < due.size(); ++i) {
      ASSERT_EQ(ran[before + i], due[i]->order) << "round " << round;
      due[i]->live = false;
    }
    for (int k = 0; k < added_per_round; ++k) add(until + static_cast<std::int64_t>(rng.uniform_int(100'000)));
    most = std::max(most, s.pending());
  }
  if constexpr (requires { s.queue().in_small_mode(); }) {
    if (ended_in_small_mode != nullptr) *ended_in_small_mode = s.queue().in_small_mode();
  }
  // Every cancelled event's record is dropped exactly once, by the queue or
  // at the front, so once everything has run the queue counts none (a count
  // left above zero would keep it reading generation words for nothing).
  s.run();
  EXPECT_EQ(s.pending(), 0U);
  if constexpr (requires { s.queue().stale_records(); }) {
    EXPECT_EQ(s.queue().stale_records(), 0U);
  }
}

TEST(Scheduler, RandomScheduleAndCancelMatchesAReference) {
  std::size_t most = 0;
  random_schedule_and_cancel_matches_a_reference<Scheduler>(most);
}

TEST(Scheduler, RandomScheduleAndCancelMatchesAReferenceInSmallMode) {
  // 100 events at first, 1 more and 5 cancelled per round: the queue's
  // records (cancelled ones included) stay below the threshold.
  std::size_t most = 0;
  bool small = false;
  random_schedule_and_cancel_matches_a_reference<BasicScheduler<BasicRadixHeapQueue<4, 32, 254>>>(most, 100, 1, &small);
  EXPECT_TRUE(small) << "the workload left small mode";
}

// Small mode left in the middle of the run (the queue's records, and the
// callbacks it then starts copying beside its front run, must carry over).
TEST(Scheduler, RandomScheduleAndCancelMatchesAReferenceLeavingSmallMode) {
  // 100 events at first, 20 more and 5 cancelled per round: the queue
  // grows through the threshold while events run.
  constexpr std::size_t kThreshold = 200;
  std::size_t most = 0;
  random_schedule_and_cancel_matches_a_reference<BasicScheduler<BasicRadixHeapQueue<4, 32, kThreshold>>>(most, 100, 20);
  EXPECT_GT(most, kThreshold) << "the workload never left small mode: the test checks nothing new";
}

}  // namespace
}  // namespace m2msim
