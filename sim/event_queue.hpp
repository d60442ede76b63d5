// Event queues for the scheduler.
//
// A queue holds 16-byte EventRecords — the event's time, and its slot and
// generation in the scheduler's slot table (which holds the callback, and
// whose generation tells a cancelled event's record from a live one). All
// queues give the same total order: increasing time, and for equal times
// increasing insertion sequence (FIFO).
//
// The scheduler uses RadixHeapQueue (docs/performance.md has the
// measurements that chose it); the others stay for bench/ and as a
// cross-check in tests/sim/event_queue_test.cpp.
//
// The interface the scheduler relies on is the concept EventQueue below;
// its optional extensions (cancel bookkeeping, payloads kept beside the
// records) are used when a queue has them.
#pragma once

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "sim/flat_array.hpp"

namespace m2msim {

struct EventRecord {
  std::int64_t time;
  std::uint32_t slot;
  std::uint32_t generation;
};
static_assert(sizeof(EventRecord) == 16 && std::is_trivially_copyable_v<EventRecord>);

/// What the scheduler needs of its queue (its template parameter):
///   push(time, slot, generation, seq) adds a record; time is never below the
///     last popped time, and seq grows with every push, for the queues that
///     break ties with it. The fields come as scalars and are stored one by
///     one: a record built on the caller's stack and copied as one 16-byte
///     load stalls on store forwarding (measured with perf).
///   peek() is the smallest record by (time, insertion order), or nullptr;
///     it may reorganise the queue.
///   pop() removes what peek() returned.
///   size(), memory_bytes() and reserve(n) for bookkeeping and benchmarks.
template <class Q>
concept EventQueue = requires(Q q, const Q cq, std::int64_t time, std::uint32_t slot, std::uint32_t generation,
                              std::uint64_t seq, std::size_t n) {
  q.push(time, slot, generation, seq);
  { q.peek() } -> std::same_as<const EventRecord*>;
  q.pop();
  { cq.size() } -> std::convertible_to<std::size_t>;
  { cq.memory_bytes() } -> std::convertible_to<std::size_t>;
  q.reserve(n);
};

/// A heap entry: the record and its insertion sequence, ordered by (time, seq).
struct SequencedRecord {
  EventRecord record;
  std::uint64_t seq;
  friend bool operator<(const SequencedRecord& a, const SequencedRecord& b) {
    return a.record.time != b.record.time ? a.record.time < b.record.time : a.seq < b.seq;
  }
};

/// Binary heap over std::push_heap/pop_heap (what std::priority_queue does).
class BinaryHeapQueue {
 public:
  void push(std::int64_t time, std::uint32_t slot, std::uint32_t generation, std::uint64_t seq) {
    heap_.push_back(Item{EventRecord{time, slot, generation}, seq});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  const EventRecord* peek() { return heap_.empty() ? nullptr : &heap_.front().record; }
  void pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
  }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  [[nodiscard]] std::size_t memory_bytes() const { return heap_.capacity() * sizeof(Item); }
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  using Item = SequencedRecord;
  static bool later(const Item& a, const Item& b) { return b < a; }
  std::vector<Item> heap_;
};

/// Implicit 4-ary min-heap: half the depth of a binary heap, and a node's
/// children are adjacent in memory.
class QuaternaryHeapQueue {
 public:
  void push(std::int64_t time, std::uint32_t slot, std::uint32_t generation, std::uint64_t seq) {
    const Item it{EventRecord{time, slot, generation}, seq};
    std::size_t i = heap_.size();
    heap_.push_back(it);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!less(it, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = it;
  }
  const EventRecord* peek() { return heap_.empty() ? nullptr : &heap_.front().record; }
  void pop() {
    const Item last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + 4, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (less(heap_[c], heap_[best])) best = c;
      if (!less(heap_[best], last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
  }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  [[nodiscard]] std::size_t memory_bytes() const { return heap_.capacity() * sizeof(Item); }
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  using Item = SequencedRecord;
  static bool less(const Item& a, const Item& b) { return a < b; }
  std::vector<Item> heap_;
};

/// A growable array of EventRecords (the radix heap's now run and small
/// mode's unsorted array).
using RecordBucket = FlatArray<EventRecord, GrowBy8ThenHalf>;

/// Fixed-size blocks of records shared by all buckets of one radix heap.
/// Buckets take blocks as they fill and give them back when emptied, so the
/// memory held is the records in the queue (plus one partial block per
/// non-empty bucket), not the sum of every bucket's historical peak; and
/// once the pool has reached the peak total, nothing is allocated again.
class RecordBlockPool {
 public:
  static constexpr std::size_t kRecords = 32;
  struct Block {
    EventRecord records[kRecords];
    Block* next;
  };
  RecordBlockPool() = default;
  RecordBlockPool(const RecordBlockPool&) = delete;
  RecordBlockPool& operator=(const RecordBlockPool&) = delete;
  ~RecordBlockPool() {
    for (Block* b : all_) ::operator delete(b);
  }
  Block* take() {
    if (free_ == nullptr) [[unlikely]]
      return grow();
    Block* b = free_;
    free_ = b->next;
    return b;
  }
  /// Returns the chain first..last (linked by next) to the pool.
  void give_back(Block* first, Block* last) {
    last->next = free_;
    free_ = first;
  }
  [[nodiscard]] std::size_t memory_bytes() const {
    return all_.size() * sizeof(Block) + all_.capacity() * sizeof(Block*);
  }

 private:
  [[gnu::noinline]] Block* grow() {
    auto* b = static_cast<Block*>(::operator new(sizeof(Block)));
    all_.push_back(b);
    return b;
  }
  std::vector<Block*> all_;
  Block* free_ = nullptr;
};

/// A bucket as a chain of pool blocks: append at the tail, walk in order.
class BlockBucket {
 public:
  using Block = RecordBlockPool::Block;

  EventRecord& append(RecordBlockPool& pool) {
    if (tail_fill_ == RecordBlockPool::kRecords) [[unlikely]]
      add_block(pool);
    ++size_;
    return tail_->records[tail_fill_++];
  }
  void clear(RecordBlockPool& pool) {
    if (head_ != nullptr) pool.give_back(head_, tail_);
    head_ = tail_ = nullptr;
    tail_fill_ = RecordBlockPool::kRecords;
    size_ = 0;
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  /// Calls f(record) for every record, in insertion order, giving each
  /// block back to the pool as soon as its records are done (so that moving
  /// a large bucket down does not need a second copy's worth of blocks),
  /// and leaves the bucket empty. f must not append to this bucket.
  /// ahead(record) is called for every record of a block before f is called
  /// for the records of the block before it (for prefetching).
  template <class F, class Ahead>
  void drain(RecordBlockPool& pool, F&& f, Ahead&& ahead) {
    Block* b = head_;
    if (b != nullptr) {
      const std::size_t n = b == tail_ ? tail_fill_ : RecordBlockPool::kRecords;
      for (std::size_t i = 0; i < n; ++i) ahead(b->records[i]);
      if (b != tail_) prefetch_block(b->next);
    }
    while (b != nullptr) {
      const bool last = b == tail_;
      const std::size_t n = last ? tail_fill_ : RecordBlockPool::kRecords;
      Block* next = last ? nullptr : b->next;
      if (next != nullptr) {
        // Blocks come from the pool in no particular order, so each is a
        // cache miss: request the one after next (its address is in next's
        // last line, requested one block ago) before reading next's records.
        if (next != tail_) prefetch_block(next->next);
        const std::size_t m = next == tail_ ? tail_fill_ : RecordBlockPool::kRecords;
        for (std::size_t i = 0; i < m; ++i) ahead(next->records[i]);
      }
      for (std::size_t i = 0; i < n; ++i) f(b->records[i]);
      pool.give_back(b, b);
      b = next;
    }
    head_ = tail_ = nullptr;
    tail_fill_ = RecordBlockPool::kRecords;
    size_ = 0;
  }
  /// Requests every cache line of a block.
  static void prefetch_block(const Block* b) {
    const auto* p = reinterpret_cast<const char*>(b);
    for (std::size_t off = 0; off < sizeof(Block); off += 64) __builtin_prefetch(p + off);
    __builtin_prefetch(p + sizeof(Block) - 1);
  }
  /// Calls f(record) for every record, in insertion order.
  template <class F>
  void for_each(F&& f) const {
    for (const Block* b = head_; b != nullptr; b = (b == tail_ ? nullptr : b->next)) {
      const std::size_t n = b == tail_ ? tail_fill_ : RecordBlockPool::kRecords;
      for (std::size_t i = 0; i < n; ++i) f(b->records[i]);
    }
  }

 private:
  void add_block(RecordBlockPool& pool) {
    Block* b = pool.take();
    if (tail_ == nullptr) {
      head_ = b;
    } else {
      tail_->next = b;
    }
    tail_ = b;
    tail_fill_ = 0;
  }
  Block* head_ = nullptr;
  Block* tail_ = nullptr;
  std::size_t tail_fill_ = RecordBlockPool::kRecords;
  std::size_t size_ = 0;
};

/// Radix heap (Ahuja, Mehlhorn, Orlin & Tarjan, "Faster algorithms for the
/// shortest path problem", J. ACM 37(2), 1990) on the 64-bit event time,
/// with 2^kBits buckets per level (kBits = 1 is the classic binary radix heap);
/// buckets of at most kSortMax records are sorted straight into the front.
///
/// A discrete-event clock is monotone — no event is scheduled before the last
/// one taken out — which is exactly the radix heap's precondition. A record
/// with time k ≠ last lives in bucket (L, d): L = the highest kBits-wide digit
/// in which k differs from `last`, d = k's digit there; k = last lives in the
/// "now" bucket. Buckets in (L, d) order hold increasing, disjoint key ranges,
/// so the smallest record is in the lowest non-empty bucket. Pushing is an
/// append. Taking out consumes the now bucket from its front; when it is
/// empty, the lowest non-empty bucket becomes the new now bucket if it is on
/// level 0 (one key value) or holds at most kSortMax records (sorted by time,
/// stably), or else `last` is set to its minimum and it is redistributed
/// into lower buckets. A record moves down about
/// log_(2^kBits)(horizon / gap) times in its life, by sequential copies.
///
/// FIFO among equal times without storing a sequence number: equal keys always
/// share a bucket (a record's bucket depends only on its key and `last`, and
/// `last` only changes in ways that keep every other record's bucket valid);
/// buckets are appended in insertion order; redistribution walks a bucket in
/// order into buckets that are empty at that moment (all lower ones); small
/// buckets are sorted stably; and the now bucket is consumed from its front.
///
/// Small mode. The buckets (about 10 KB of headers and minima, plus a partly
/// filled 520-byte block per non-empty bucket) are not allocated until the
/// queue first holds more than kSmallMax (< 255) records. Until then the
/// same radix heap runs on small lists: each bucket is a circular list
/// linked through one-byte indices into one array of records, with one
/// byte per bucket for its last record. Pushing links a record; a refill
/// walks the lowest list once for its size and minimum (bucket mode keeps
/// those as it goes) and then sorts or redistributes it as bucket mode
/// does. At 10^2 pending this is 63 instead of 341 bytes per pending event,
/// at the same speed (docs/performance.md section 2). The queue stays in
/// bucket mode once it has left small mode (its lists become the buckets
/// of the same index, since `last` does not change). kSmallMax = 0 turns
/// small mode off.
template <int kBits, std::size_t kSortMax = 32, std::size_t kSmallMax = 0>
class BasicRadixHeapQueue {
  static_assert(kBits >= 1 && kBits <= 8);
  static constexpr std::size_t kRadix = std::size_t{1} << kBits;
  static constexpr std::size_t kLevels = (64 + kBits - 1) / kBits;
  static constexpr std::size_t kBuckets = 1 + kLevels * kRadix;  ///< [0] is the now bucket
  static constexpr std::size_t kWords = (kBuckets + 63) / 64;

 public:
  void push(std::int64_t time, std::uint32_t slot, std::uint32_t generation, std::uint64_t /*seq*/) {
    if (big_ == nullptr) {
      push_small(time, slot, generation);
      return;
    }
    EventRecord* r;
    if (time < now_max_) [[unlikely]] {
      // Earlier than the last record of the (sorted) now bucket: insert it
      // there, after any records with the same time.
      const std::size_t p = insert_into_now(time);
      insert_payload(p, slot);
      r = &now_[p];
    } else {
      const std::size_t b = bucket_of(static_cast<std::uint64_t>(time));
      if (b == 0) {
        r = &now_.append();
        insert_payload(now_.size() - 1, slot);
      } else {
        r = &add_to(b, time);
      }
    }
    r->time = time;
    r->slot = slot;
    r->generation = generation;
  }

  const EventRecord* peek() {
    if (head_ == now_.size()) [[unlikely]] {
      if (!refill()) return nullptr;
      copy_payloads();
    }
    return &now_[head_];
  }
  /// The owner's per-slot payload (set_slot_tables) of the record peek()
  /// returned, as it was when the record reached the now run (or was
  /// pushed into it): read from here, it is in a small sequential array
  /// instead of at a random place in the owner's table. Null without
  /// set_slot_tables.
  [[nodiscard]] const void* front_payload() const {
    if (payload_ == nullptr) return nullptr;
    // Small mode keeps no copies: its tables are small and cached, and
    // copies would cost it the memory it exists to save.
    return big_ != nullptr ? static_cast<const void*>(&now_payload_[head_]) : payload_of(now_[head_].slot);
  }

  // No size counter is kept: a counter decremented here and incremented in
  // push() sits next to head_, and the compiler fuses the two updates into
  // one vector add that stalls on the scalar store (measured).
  void pop() { ++head_; }
  /// The owner has cancelled an event whose record is queued (with
  /// set_slot_tables): until that record is dropped, refills check
  /// generation words. While none is queued, they read none.
  void note_cancelled() { ++stale_; }
  /// Records of cancelled events the queue still holds.
  [[nodiscard]] std::size_t stale_records() const { return stale_; }
  /// Takes out the front record, which the owner found cancelled.
  void pop_cancelled() {
    ++head_;
    if (stale_ != 0) --stale_;
  }

  /// Tells the queue where its owner keeps each slot's current generation
  /// (generations[slot · stride]) and its other per-slot data, 24 bytes at
  /// payload + slot · payload_stride; optional. With it, records whose
  /// event was cancelled (note_cancelled) are dropped whenever their bucket
  /// is redistributed instead of being carried to the front, and both words
  /// of records about to reach the front are prefetched.
  void set_slot_tables(const std::uint32_t* generations, std::size_t stride, const void* payload,
                       std::size_t payload_stride) {
    if (payload_stride < sizeof(Payload)) throw std::logic_error("event queue: per-slot payload needs 24 bytes");
    generations_ = generations;
    stride_ = stride;
    payload_ = static_cast<const unsigned char*>(payload);
    payload_stride_ = payload_stride;
  }

  [[nodiscard]] std::size_t size() const {
    std::size_t n = now_.size() - head_ + small_used_;
    if (big_ != nullptr)
      for (const auto& b : big_->buckets) n += b.size();
    return n;
  }
  [[nodiscard]] std::size_t memory_bytes() const {
    return sizeof(*this) + now_.capacity() * sizeof(EventRecord) + pool_.memory_bytes() +
           (big_ != nullptr ? sizeof(Buckets) : 0) + (small_ != nullptr ? sizeof(SmallLists) : 0) +
           small_records_.capacity() * sizeof(EventRecord) + small_next_.capacity();
  }
  void reserve(std::size_t) {}
  /// True until the queue first holds more than kSmallMax records.
  [[nodiscard]] bool in_small_mode() const { return big_ == nullptr; }

 private:
  // Opens a place in the sorted now run for a record with this time, after
  // any records with the same time; returns its position.
  std::size_t insert_into_now(std::int64_t time) {
    now_.append();
    std::size_t p = now_.size() - 1;
    while (p > head_ && now_[p - 1].time > time) {
      now_[p] = now_[p - 1];
      --p;
    }
    return p;
  }
  [[nodiscard]] std::size_t bucket_of(std::uint64_t t) const {
    const std::uint64_t x = t ^ last_;
    if (x == 0) return 0;
    const auto level = static_cast<std::size_t>(std::bit_width(x) - 1) / kBits;
    const auto digit = static_cast<std::size_t>((t >> (level * kBits)) & (kRadix - 1));
    return 1 + level * kRadix + digit;
  }
  // Appends a record with time t to bucket b >= 1.
  EventRecord& add_to(std::size_t b, std::int64_t t) {
    Buckets& k = *big_;
    BlockBucket& bucket = k.buckets[b - 1];
    if (bucket.empty()) {
      mark(b);
      k.min[b] = t;
    } else if (t < k.min[b]) {
      k.min[b] = t;
    }
    return bucket.append(pool_);
  }
  /// A copy of one slot's payload (the scheduler's callback).
  struct Payload {
    alignas(8) unsigned char bytes[24];
  };
  // After a refill: copy the payload of every record of the new now run
  // from the owner's table (independent loads, so their cache misses
  // overlap, instead of one miss per event, in series, when each runs).
  void copy_payloads() {
    if (payload_ == nullptr || big_ == nullptr) return;
    now_payload_.resize_for_overwrite(std::max(now_payload_.size(), now_.size()));
    for (std::size_t i = 0; i < now_.size(); ++i) {
      std::memcpy(&now_payload_[i], payload_of(now_[i].slot), sizeof(Payload));
    }
  }
  [[nodiscard]] const unsigned char* payload_of(std::uint32_t slot) const {
    return payload_ + static_cast<std::size_t>(slot) * payload_stride_;
  }
  // Keeps the payload copies in step with a record inserted into the now
  // run at position p (the owner has just written the slot's payload).
  void insert_payload(std::size_t p, std::uint32_t slot) {
    if (payload_ == nullptr || big_ == nullptr) return;
    const std::size_t n = now_.size();  // records after the insertion (the new one counted)
    now_payload_.resize_for_overwrite(std::max(now_payload_.size(), n));
    for (std::size_t i = n - 1; i > p; --i) now_payload_[i] = now_payload_[i - 1];
    std::memcpy(&now_payload_[p], payload_of(slot), sizeof(Payload));
  }
  // The records of the next lowest bucket, if it is small enough to become
  // the now run as it is, run right after the current now run: warm their
  // callbacks now, one now run ahead. (Warming them only when they become
  // the now run leaves no time when runs are short, as at city scale where
  // events are sparse in time; measured on the 10^5-device whole run.)
  void prefetch_next_run() const {
    const std::size_t j = lowest_marked();
    if (j == kNoBucket) return;
    const BlockBucket& next = big_->buckets[j - 1];
    if (next.size() <= kSortMax) next.for_each([this](const EventRecord& r) { prefetch_slot(r); });
  }
  // Requests the slot's generation word and callback (random places in the
  // owner's tables) for a record that will run soon, so that running it
  // does not wait for memory.
  void prefetch_slot(const EventRecord& r) const {
    if (generations_ == nullptr) return;
    __builtin_prefetch(generations_ + static_cast<std::size_t>(r.slot) * stride_);
    __builtin_prefetch(payload_of(r.slot));
  }
  // True, and one stale record fewer counted, if r's event was cancelled.
  // Reads nothing while no cancelled event's record is queued.
  bool drop_if_cancelled(const EventRecord& r) {
    if (stale_ == 0 || generations_ == nullptr ||
        generations_[static_cast<std::size_t>(r.slot) * stride_] == r.generation)
      return false;
    --stale_;
    return true;
  }
  // Occupancy in two levels: a bit per bucket, and a summary bit per mask
  // word, so that finding the lowest non-empty bucket is two bit scans.
  static_assert(kWords <= 64, "the summary word covers at most 64 mask words");
  static constexpr std::size_t kNoBucket = kBuckets;
  struct Occupancy {
    std::uint64_t mask[kWords] = {};  ///< bit b set when bucket b (b >= 1) is non-empty
    std::uint64_t summary = 0;        ///< bit w set when mask[w] != 0
    void mark(std::size_t b) {
      mask[b / 64] |= std::uint64_t{1} << (b % 64);
      summary |= std::uint64_t{1} << (b / 64);
    }
    void unmark(std::size_t b) {
      std::uint64_t& w = mask[b / 64];
      w &= ~(std::uint64_t{1} << (b % 64));
      if (w == 0) summary &= ~(std::uint64_t{1} << (b / 64));
    }
    [[nodiscard]] std::size_t lowest() const {
      if (summary == 0) return kNoBucket;
      const auto w = static_cast<std::size_t>(std::countr_zero(summary));
      return w * 64 + static_cast<std::size_t>(std::countr_zero(mask[w]));
    }
  };
  void mark(std::size_t b) { big_->occupied.mark(b); }
  void unmark(std::size_t b) { big_->occupied.unmark(b); }
  [[nodiscard]] std::size_t lowest_marked() const { return big_->occupied.lowest(); }

  // The now bucket is used up: bring the next key range down. False when
  // the queue is empty.
  bool refill() {
    if (big_ == nullptr) return refill_small();
    for (;;) {
      now_.clear();
      head_ = 0;
      const std::size_t j = lowest_marked();
      if (j == kNoBucket) return false;
      BlockBucket& src = big_->buckets[j - 1];
      unmark(j);
      last_ = static_cast<std::uint64_t>(big_->min[j]);
      if (j <= kRadix || src.size() <= kSortMax) {
        // Level 0 (one time value) or a few records: they become the now
        // bucket, in time order, FIFO among equal times.
        if (j <= kRadix || kSortMax <= 1) {  // level 0, one time value: already in order
          src.drain(
              pool_,
              [this](const EventRecord& r) {
                if (drop_if_cancelled(r)) return;
                prefetch_slot(r);  // about to run: warm its callback
                now_.push_back(r);
              },
              [](const EventRecord&) {});
        } else {
          sort_into_now(src.size(), (j - 1) / kRadix, [&](auto&& f) {
            src.for_each(f);
            src.clear(pool_);
          });
        }
        if (now_.empty()) continue;  // all were cancelled
        now_max_ = now_[now_.size() - 1].time;
        prefetch_next_run();
        return true;
      }
      const auto move_down = [this](const EventRecord& r) {
        const std::size_t b = bucket_of(static_cast<std::uint64_t>(r.time));  // < j
        if (b == 0) {
          now_.push_back(r);
        } else {
          add_to(b, r.time) = r;
        }
        // Records landing on the lowest levels reach the front within a few
        // refills: warm their generation word now (the scheduler reads it
        // then), hiding a cache miss at large sizes.
        if (b <= kPrefetchBuckets) prefetch_slot(r);
      };
      if (stale_ == 0) {
        // No cancelled event's record is queued: move the records without
        // reading their generation words (a random cache line per record
        // and move, the largest cost of a move at 10^6 pending).
        src.drain(pool_, move_down, [](const EventRecord&) {});
      } else {
        src.drain(
            pool_,
            [&](const EventRecord& r) {
              if (!drop_if_cancelled(r)) move_down(r);
            },
            [this](const EventRecord& r) {
              // The check reads each record's generation word, at random:
              // request the next block's words while this one is moved.
              if (generations_ != nullptr)
                __builtin_prefetch(generations_ + static_cast<std::size_t>(r.slot) * stride_);
            });
      }
      // The minimum lands in the now bucket unless it was cancelled; then
      // the next lowest bucket is brought down.
      if (now_.empty()) continue;
      now_max_ = now_[now_.size() - 1].time;
      prefetch_next_run();
      return true;
    }
  }

  // Sorts the live records of a small bucket on `level` (>= 1), m of them
  // with the cancelled ones, into the empty now bucket: a stable counting
  // sort on the digit below the bucket's own (2^kBits bins, about two
  // records each), then an insertion pass over the nearly sorted result.
  // Measured 20 % faster at 10^2 pending than insertion sorting the bucket
  // (O(n^2) moves and a mispredicted exit per record). take_all(f) calls
  // f(record) for each of the bucket's records in insertion order and
  // empties the bucket (a block chain in bucket mode, a list in small mode).
  template <class TakeAll>
  void sort_into_now(std::size_t m, std::size_t level, TakeAll&& take_all) {
    if (m <= 8) {  // a handful: insertion sort directly, no counting passes
      take_all([this](const EventRecord& r) {
        if (drop_if_cancelled(r)) return;
        prefetch_slot(r);  // about to run: warm its callback
        now_.push_back(r);
      });
      sort_by_time(now_.data(), now_.size());
      return;
    }
    const std::size_t shift = (level - 1) * kBits;
    EventRecord scratch[kSortMax];
    std::uint32_t start[kRadix] = {};
    std::size_t n = 0;
    take_all([&](const EventRecord& r) {
      if (drop_if_cancelled(r)) return;
      prefetch_slot(r);  // about to run: warm its callback
      scratch[n++] = r;
      ++start[(static_cast<std::uint64_t>(r.time) >> shift) & (kRadix - 1)];
    });
    std::uint32_t sum = 0;
    for (auto& c : start) {
      const std::uint32_t k = c;
      c = sum;
      sum += k;
    }
    EventRecord* out = now_.resize_for_overwrite(n);
    for (std::size_t i = 0; i < n; ++i) {
      out[start[(static_cast<std::uint64_t>(scratch[i].time) >> shift) & (kRadix - 1)]++] = scratch[i];
    }
    sort_by_time(out, n);  // within a bin
  }

  // Stable insertion sort by time (FIFO among equal times): for the few
  // records of a bucket, or runs that are already nearly in order.
  static void sort_by_time(EventRecord* a, std::size_t n) {
    for (std::size_t i = 1; i < n; ++i) {
      const EventRecord r = a[i];
      std::size_t p = i;
      while (p > 0 && a[p - 1].time > r.time) {
        a[p] = a[p - 1];
        --p;
      }
      a[p] = r;
    }
  }

  // ---- Small mode: the same radix heap, but each bucket is a circular
  // list linked through one-byte indices into one small array of records,
  // so that the memory is the records, a byte of link each and a byte per
  // bucket, instead of a 32-byte header, a minimum and a 520-byte block per
  // bucket.
  static constexpr std::uint8_t kNil = 0xff;
  static_assert(kSmallMax < kNil, "small mode indexes its records with one byte");
  struct SmallLists {
    std::uint8_t last[kBuckets];  ///< the last record of bucket b's circular list (its next is the first), or kNil
    Occupancy occupied;
  };
  // Takes a record index from the free list, or a new one at the end.
  std::uint8_t small_take() {
    ++small_used_;
    if (small_free_ != kNil) {
      const std::uint8_t i = small_free_;
      small_free_ = small_next_[i];
      return i;
    }
    small_records_.append();
    small_next_.append();
    return static_cast<std::uint8_t>(small_records_.size() - 1);
  }
  void small_give_back(std::uint8_t i) {
    --small_used_;
    small_next_[i] = small_free_;
    small_free_ = i;
  }
  // Appends a record index to the list of bucket b >= 1.
  void small_link(std::size_t b, std::uint8_t i) {
    SmallLists& l = *small_;
    const std::uint8_t last = l.last[b];
    if (last == kNil) {
      small_next_[i] = i;
      l.occupied.mark(b);
    } else {
      small_next_[i] = small_next_[last];
      small_next_[last] = i;
    }
    l.last[b] = i;
  }
  // Calls f(index) for every record of the circular list ending at `last`,
  // first to last; f may relink or give back the index it is given.
  template <class F>
  void small_for_each(std::uint8_t last, F&& f) {
    std::uint8_t i = small_next_[last];
    for (;;) {
      const std::uint8_t next = small_next_[i];
      const bool end = i == last;
      f(i);
      if (end) return;
      i = next;
    }
  }

  void push_small(std::int64_t time, std::uint32_t slot, std::uint32_t generation) {
    if (small_ == nullptr) [[unlikely]] {
      if constexpr (kSmallMax == 0) {
        leave_small_mode();
        push(time, slot, generation, 0);
        return;
      }
      start_small_mode();
    }
    if (small_used_ + (now_.size() - head_) >= kSmallMax) [[unlikely]] {
      leave_small_mode();
      push(time, slot, generation, 0);
      return;
    }
    EventRecord* r;
    if (time < now_max_) [[unlikely]] {
      // Before the end of the sorted now run: insert it there (as in bucket mode).
      r = &now_[insert_into_now(time)];
    } else {
      const std::size_t b = bucket_of(static_cast<std::uint64_t>(time));
      if (b == 0) {
        r = &now_.append();
      } else {
        const std::uint8_t i = small_take();
        small_link(b, i);
        r = &small_records_[i];
      }
    }
    r->time = time;
    r->slot = slot;
    r->generation = generation;
  }

  [[gnu::cold, gnu::noinline]] void start_small_mode() {
    small_ = std::make_unique<SmallLists>();
    std::memset(small_->last, kNil, sizeof(small_->last));
  }

  // Small mode's refill: as bucket mode's, on the lists. False when empty.
  bool refill_small() {
    if (small_ == nullptr) return false;
    SmallLists& l = *small_;
    for (;;) {
      now_.clear();
      head_ = 0;
      const std::size_t j = l.occupied.lowest();
      if (j == kNoBucket) return false;
      l.occupied.unmark(j);
      const std::uint8_t last = l.last[j];
      l.last[j] = kNil;
      // The size and the minimum (bucket mode keeps both as it goes).
      std::size_t m = 0;
      std::int64_t lo = INT64_MAX;
      small_for_each(last, [&](std::uint8_t i) {
        ++m;
        lo = std::min(lo, small_records_[i].time);
      });
      last_ = static_cast<std::uint64_t>(lo);
      if (j <= kRadix) {
        // Level 0: one time value, already in order.
        small_for_each(last, [&](std::uint8_t i) {
          if (!drop_if_cancelled(small_records_[i])) now_.push_back(small_records_[i]);
          small_give_back(i);
        });
      } else if (m <= kSortMax) {
        sort_into_now(m, (j - 1) / kRadix, [&](auto&& f) {
          small_for_each(last, [&](std::uint8_t i) {
            f(small_records_[i]);
            small_give_back(i);
          });
        });
      } else {
        // Redistribute, in list order, into the (empty) lower buckets.
        small_for_each(last, [&](std::uint8_t i) {
          const EventRecord& r = small_records_[i];
          if (drop_if_cancelled(r)) {
            small_give_back(i);
          } else if (const std::size_t b = bucket_of(static_cast<std::uint64_t>(r.time)); b == 0) {
            now_.push_back(r);
            small_give_back(i);
          } else {
            small_link(b, i);
          }
        });
      }
      if (now_.empty()) continue;  // all were cancelled
      now_max_ = now_[now_.size() - 1].time;
      return true;
    }
  }

  // Allocates the buckets and moves every list into the bucket of the same
  // index, in order (last_ is unchanged, so each record's bucket is too).
  [[gnu::cold, gnu::noinline]] void leave_small_mode() {
    big_ = std::make_unique<Buckets>();
    if (small_ != nullptr) {
      for (std::size_t b = 1; b < kBuckets; ++b) {
        if (small_->last[b] == kNil) continue;
        small_for_each(small_->last[b], [&](std::uint8_t i) { add_to(b, small_records_[i].time) = small_records_[i]; });
      }
      small_.reset();
      small_records_.release();
      small_next_.release();
      small_free_ = kNil;
      small_used_ = 0;
    }
    copy_payloads();  // records already in the now run
  }

  /// Bucket mode's state, allocated when the queue leaves small mode.
  struct Buckets {
    BlockBucket buckets[kBuckets - 1];  ///< buckets 1..kBuckets-1
    std::int64_t min[kBuckets] = {};    ///< smallest time in bucket b (valid while non-empty)
    Occupancy occupied;
  };
  std::unique_ptr<Buckets> big_;  ///< null in small mode
  // Small mode's state (null before the first push and in bucket mode).
  std::unique_ptr<SmallLists> small_;
  FlatArray<EventRecord, GrowBy8ThenHalf> small_records_;
  FlatArray<std::uint8_t, GrowBy8ThenHalf> small_next_;  ///< list link of small_records_[i], or the free list's
  std::uint8_t small_free_ = kNil;
  std::size_t small_used_ = 0;
  RecordBlockPool pool_;
  RecordBucket now_;  ///< bucket 0: records at `last_`, or a sorted run
  /// now_payload_[i]: the payload of now_[i] (bucket mode, with set_slot_tables)
  FlatArray<Payload, GrowBy8ThenHalf> now_payload_;
  std::uint64_t last_ = 0;
  std::size_t head_ = 0;  ///< next record of the now bucket
  /// Latest time in the now bucket when it was filled, plus records inserted
  /// since: every record in buckets 1.. is at or after it, so a push before
  /// it belongs in the now bucket (which is sorted by time from head_ on).
  std::int64_t now_max_ = 0;
  static constexpr std::size_t kPrefetchBuckets = 1 + 4 * kRadix;  ///< levels 0..3
  /// Records of cancelled events still queued (note_cancelled minus drops).
  std::size_t stale_ = 0;
  const std::uint32_t* generations_ = nullptr;
  std::size_t stride_ = 0;
  std::size_t payload_stride_ = 0;
  const unsigned char* payload_ = nullptr;  ///< the owner's per-slot data (callbacks), payload_stride_ apart
};

/// The radix heap the scheduler uses: 16 buckets per level, buckets of up to
/// 32 records sorted straight into the front, small mode up to 254 records
/// (measured against 2, 4 and 256 buckets per level, against sorting 1, 8
/// and 128, and against small mode off and up to 128 records in
/// bench/kernel_hold_bench.cpp; docs/performance.md).
using RadixHeapQueue = BasicRadixHeapQueue<4, 32, 254>;

static_assert(EventQueue<BinaryHeapQueue> && EventQueue<QuaternaryHeapQueue> && EventQueue<RadixHeapQueue>);

}  // namespace m2msim
