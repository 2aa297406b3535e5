// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The threads of one solve's batch evaluations (batch_fitness.hpp): the calling thread and `threads` − 1
// workers, started with this object and joined when it is destroyed, so that no thread outlives the solve
// or runs code of a plugin the host has unloaded. (TBB's arenas, which pagmo's thread_bfe uses, keep their
// worker threads alive in libtbb after the solve; when the host unloads the plugin, and with it the last
// user of libtbb, a worker woken later crashed the process. These threads are the solve's own.)
//
// for_each(count, body) splits [0, count) into size() contiguous shares, as equal as can be (share(), the
// first count mod size() shares one index longer), and returns when body(first, last) has run on all of
// them. The caller runs share 0, whole, first. A worker's share is cut into kPieces pieces (piece()): the
// worker takes them from the first, the caller, once through share 0, from the last (claim(): one of the
// two wins each piece). So a worker that is asleep, or waits for a core the machine gives to another
// process, holds the round up by at most the piece it is running; an awake worker takes its first piece
// within a fraction of a microsecond. body is called once per non-empty piece (share 0: once).
// `body` must not throw, and must write only what its indices own: which thread runs which piece then
// cannot change the results. A body that writes per index should keep what neighbouring indices write on
// separate cache lines, or the two threads at a piece's boundary trade that line.
//
// A solve calls for_each once per generation, a few microseconds apart, and a batch is short (50
// particles of the inclined sheet: ≈ 5 µs of predictions). So a round costs no lock and no system call:
//   - the caller posts a round by storing its number in round_ (its own cache line); a worker, spinning
//     on it, claims the pieces of its share and runs them with the round's work (run_, context_, count_,
//     written before the store);
//   - each worker's claims and finished rounds, per piece, sit in cache lines of its own (Worker), which
//     the caller reads once per round: no counter that every thread writes;
//   - a thread that waits spins with the CPU's pause instruction (no system call; std::this_thread::yield()
//     is one, and hands the core to any other runnable process, a niced one included, for its whole time
//     slice) for up to kSpinTime, then sleeps on a condition variable, so that a solve idle between
//     batches does not keep a core busy. A sleeper is woken only when it has said it sleeps (sleepers_),
//     so the lock and the notification are paid only after a long pause;
//   - the caller never waits for a piece nobody has taken (above): when the machine has no core free for
//     a worker, or the scheduler has put it on the caller's core, the caller runs the whole batch and the
//     round costs what one thread costs, where waiting for the worker's share cost up to 14 times that.
// Before, indices were handed out one at a time through one shared atomic, and threads waited with
// std::this_thread::yield() and a mutex per round: two threads ran the swarm at 0.7× one thread's rate.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace geoinv::population {

class WorkerThreads {
 public:
  explicit WorkerThreads(int threads) : workers_(threads > 1 ? static_cast<std::size_t>(threads - 1) : 0) {
    for (std::size_t t = 0; t < workers_.size(); ++t)
      workers_[t].thread = std::thread([this, t] { work(t + 1); });
  }
  ~WorkerThreads() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (Worker& worker : workers_) worker.thread.join();
  }
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Share `t` (0 <= t < size()) of [0, count): [first, last).
  struct Share {
    std::size_t first, last;
  };
  Share share(std::size_t count, int t) const {
    return split({0, count}, static_cast<std::size_t>(size()), static_cast<std::size_t>(t));
  }
  // A worker's share is run in kPieces pieces, each taken by the worker (from the first) or by the caller
  // (from the last), piece k of `whole` cut as share() cuts the batch.
  static constexpr std::size_t kPieces = 4;
  static Share piece(Share whole, std::size_t k) { return split(whole, kPieces, k); }

  // Runs body(first, last) on every share of [0, count) (above). `Body` is called as a template on the
  // calling thread and through one function pointer per share on the workers.
  template <typename Body>
  void for_each(std::size_t count, const Body& body) {
    const Share mine = share(count, 0);
    if (workers_.empty()) {
      if (mine.first < mine.last) body(mine.first, mine.last);
      return;
    }
    run_ = [](const void* context, std::size_t first, std::size_t last) {
      (*static_cast<const Body*>(context))(first, last);
    };
    context_ = &body;
    count_ = count;
    const std::uint64_t round = round_.value.load(std::memory_order_relaxed) + 1;
    round_.value.store(round);
    if (sleepers_.load() > 0) {
      { std::lock_guard<std::mutex> lock(mutex_); }  // a worker between its check and its wait has it
      wake_.notify_all();
    }
    if (mine.first < mine.last) body(mine.first, mine.last);
    for (std::size_t t = 0; t < workers_.size(); ++t)  // the pieces no worker has taken yet, from the last
      for (std::size_t k = kPieces; k-- > 0;)
        if (claim(workers_[t].claimed[k], round))
          run_piece(workers_[t], share(count, static_cast<int>(t) + 1), k, round, body);
    const auto all_done = [&] {
      for (const Worker& worker : workers_)
        for (const auto& done : worker.done)
          if (done.load() != round) return false;
      return true;
    };
    if (!spin_until(all_done)) sleep_until(caller_sleeps_, done_, all_done);
  }

 private:
  static constexpr std::chrono::microseconds kSpinTime{200};

  struct alignas(64) Worker {
    std::thread thread;
    std::atomic<std::uint64_t> claimed[kPieces]{};  // per piece: the last round it was taken in (by anyone)
    std::atomic<std::uint64_t> done[kPieces]{};     // per piece: the last round it was finished in
  };
  struct alignas(64) Round {
    std::atomic<std::uint64_t> value{0};  // rounds posted
  };

  // Part k of `parts` of `whole`, as equal as can be, the first whole.size mod parts one longer.
  static Share split(Share whole, std::size_t parts, std::size_t k) {
    const std::size_t size = whole.last - whole.first, base = size / parts, longer = size % parts;
    const std::size_t first = whole.first + k * base + std::min(k, longer);
    return {first, first + base + (k < longer ? 1 : 0)};
  }

  // Takes a piece for `round` for the calling thread, unless it is taken: one thread of the two that try
  // wins. `claimed` only grows, so a worker that comes late to a round cannot take a piece again.
  static bool claim(std::atomic<std::uint64_t>& claimed, std::uint64_t round) {
    std::uint64_t last = claimed.load();
    while (last < round)
      if (claimed.compare_exchange_weak(last, round)) return true;
    return false;
  }

  // Runs piece k, taken for `round`, of `whole`, worker's share.
  template <typename Body>
  static void run_piece(Worker& worker, Share whole, std::size_t k, std::uint64_t round, const Body& body) {
    const Share part = piece(whole, k);
    if (part.first < part.last) body(part.first, part.last);
    worker.done[k].store(round);
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  // Spins until `ready()` holds or kSpinTime has passed; whether it holds. The clock is read every 16
  // pauses (a pause is about 25 ns, a clock read about the same).
  template <typename Ready>
  static bool spin_until(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + kSpinTime;
    for (unsigned spins = 1; !ready(); ++spins) {
      pause();
      if (spins % 16 == 0 && std::chrono::steady_clock::now() > until) return ready();
    }
    return true;
  }

  // Sleeps on `signal` until `ready()` holds. `flag` tells the threads that would make it hold to
  // notify: raised before `ready()` is checked under the lock, and read by them after the store that makes
  // it hold, all sequentially consistent, so at least one side sees the other's write.
  template <typename Ready>
  void sleep_until(std::atomic<int>& flag, std::condition_variable& signal, Ready ready) {
    std::unique_lock<std::mutex> lock(mutex_);
    flag.fetch_add(1);
    signal.wait(lock, ready);
    flag.fetch_sub(1, std::memory_order_relaxed);
  }

  void work(int t) {
    Worker& me = workers_[static_cast<std::size_t>(t - 1)];
    std::uint64_t seen = 0;
    for (;;) {
      const auto posted = [&] { return round_.value.load() != seen || stopping_.load(); };
      if (!spin_until(posted)) sleep_until(sleepers_, wake_, posted);
      if (stopping_.load()) return;
      seen = round_.value.load();
      const auto run = [this](std::size_t first, std::size_t last) { run_(context_, first, last); };
      for (std::size_t k = 0; k < kPieces;
           ++k)  // count_ is read once a piece is taken: the caller waits for it
        if (claim(me.claimed[k], seen)) run_piece(me, share(count_, t), k, seen, run);
      if (caller_sleeps_.load() > 0) {
        { std::lock_guard<std::mutex> lock(mutex_); }  // the caller between its check and its wait has it
        done_.notify_one();
      }
    }
  }

  std::vector<Worker> workers_;
  // The round's work, written by the caller before it posts the round, read by the workers after.
  void (*run_)(const void*, std::size_t, std::size_t) = nullptr;
  const void* context_ = nullptr;
  std::size_t count_ = 0;
  Round round_;
  std::atomic<bool> stopping_{false};  // set under mutex_, by the destructor
  std::atomic<int> sleepers_{0};       // workers asleep on wake_, or about to be
  std::atomic<int> caller_sleeps_{0};  // the caller asleep on done_, or about to be
  std::mutex mutex_;
  std::condition_variable wake_, done_;
};

}  // namespace geoinv::population
