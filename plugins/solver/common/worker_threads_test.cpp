// SPDX-License-Identifier: BSD-3-Clause
// WorkerThreads' contract (geoinv_population/worker_threads.hpp): every index of a round exactly once, in
// contiguous shares as equal as can be, share 0 whole on the calling thread and the others in their pieces;
// many rounds back to back and after the threads have gone to sleep; destruction while the workers spin,
// sleep or were never given a round.
#include "geoinv_population/worker_threads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using geoinv::population::WorkerThreads;

// What one round saw: how often each index ran, and the ranges the body was called with.
struct Round {
  explicit Round(std::size_t count) : runs(count) {}
  std::vector<std::atomic<int>> runs;
  std::mutex mutex;
  std::vector<WorkerThreads::Share> calls;  // under mutex
  std::thread::id first_share_thread;       // the thread that ran the range starting at 0
};

void run_round(WorkerThreads& threads, Round& round, std::size_t count) {
  const auto body = [&round](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) round.runs[i].fetch_add(1);
    std::lock_guard<std::mutex> lock(round.mutex);
    round.calls.push_back({first, last});
    if (first == 0) round.first_share_thread = std::this_thread::get_id();
  };
  threads.for_each(count, body);
}

// The number of calls in `calls` on exactly [first, last).
std::size_t calls_on(const std::vector<WorkerThreads::Share>& calls, WorkerThreads::Share range) {
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(), [&](const WorkerThreads::Share& call) {
        return call.first == range.first && call.last == range.last;
      }));
}

// The round ran each index once, as the shares WorkerThreads::share gives: contiguous, in order, their
// lengths within one of each other; share 0 whole on this thread, every other share in its pieces.
void expect_shares(const WorkerThreads& threads, Round& round, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    ASSERT_EQ(round.runs[i].load(), 1) << "index " << i << " of " << count;
  std::size_t next = 0, shortest = count, longest = 0, non_empty = 0;
  for (int t = 0; t < threads.size(); ++t) {
    const WorkerThreads::Share share = threads.share(count, t);
    ASSERT_EQ(share.first, next) << "share " << t << " of " << count;
    ASSERT_LE(share.first, share.last);
    next = share.last;
    shortest = std::min(shortest, share.last - share.first);
    longest = std::max(longest, share.last - share.first);
    if (t == 0) {
      non_empty += share.first < share.last ? 1 : 0;
      if (share.first < share.last) {
        EXPECT_EQ(calls_on(round.calls, share), 1u) << "share 0 of " << count;
      }
      continue;
    }
    std::size_t piece_start = share.first;
    for (std::size_t k = 0; k < WorkerThreads::kPieces; ++k) {
      const WorkerThreads::Share piece = WorkerThreads::piece(share, k);
      ASSERT_EQ(piece.first, piece_start) << "piece " << k << " of share " << t;
      piece_start = piece.last;
      if (piece.first == piece.last) continue;
      ++non_empty;
      EXPECT_EQ(calls_on(round.calls, piece), 1u) << "piece " << k << " of share " << t << " of " << count;
    }
    ASSERT_EQ(piece_start, share.last);
  }
  EXPECT_EQ(next, count);
  EXPECT_LE(longest - shortest, 1u);
  EXPECT_EQ(round.calls.size(), non_empty);
  if (count > 0) {
    EXPECT_EQ(round.first_share_thread, std::this_thread::get_id());
  }
}

TEST(WorkerThreads, RunEveryIndexOnceInContiguousSharesOverManyRounds) {
  const std::size_t counts[] = {0, 1, 2, 3, 5, 50, 101};
  for (int size = 1; size <= 4; ++size) {
    WorkerThreads threads(size);
    ASSERT_EQ(threads.size(), size);
    for (int repeat = 0; repeat < 300; ++repeat)
      for (std::size_t count : counts) {
        Round round(count);
        run_round(threads, round, count);
        expect_shares(threads, round, count);
        if (::testing::Test::HasFailure())
          FAIL() << size << " threads, round " << repeat << ", " << count << " indices";
      }
  }
}

TEST(WorkerThreads, RunARoundAfterTheWorkersHaveGoneToSleep) {
  WorkerThreads threads(3);
  for (int repeat = 0; repeat < 5; ++repeat) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // well past the spin: the workers sleep
    Round round(40);
    run_round(threads, round, 40);
    expect_shares(threads, round, 40);
  }
}

TEST(WorkerThreads, JoinTheirWorkersWhenDestroyedSpinningSleepingOrNeverUsed) {
  for (int size = 1; size <= 4; ++size) {
    { WorkerThreads never_used(size); }
    {
      WorkerThreads spinning(size);
      Round round(10);
      run_round(spinning, round, 10);
    }
    {
      WorkerThreads sleeping(size);
      Round round(10);
      run_round(sleeping, round, 10);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  SUCCEED();  // each destructor returned: every worker was joined
}

}  // namespace
