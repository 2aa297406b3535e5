// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The threads of one solve's batch evaluations (batch_fitness.hpp): the calling thread and `threads` − 1
// workers, started with this object and joined when it is destroyed, so that no thread outlives the solve
// or runs code of a plugin the host has unloaded. (TBB's arenas, which pagmo's thread_bfe uses, keep their
// worker threads alive in libtbb after the solve; when the host unloads the plugin, and with it the last
// user of libtbb, a worker woken later crashed the process. These threads are the solve's own.)
//
// for_each(count, body) runs body(i) once for every i in [0, count), spread over the threads as they come
// free, and returns when all are done. `body` must not throw, and must write only what index i owns: the
// order in which the threads take the indices then cannot change the results.
//
// A solve calls for_each once per generation, a few microseconds apart, and a batch is short (50
// particles of the inclined sheet: ≈ 15 µs). Sleeping on a condition variable between batches cost more
// than the batch (a swarm on two threads ran at 0.4× its one-thread rate), so a thread that waits first
// yields its core in a loop for up to kSpinTime, watching for the next round (a worker) or for the
// workers to finish (the caller), and only then sleeps.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace geoinv::population {

class WorkerThreads {
 public:
  using Body = std::function<void(std::size_t)>;

  explicit WorkerThreads(int threads) {
    for (int t = 1; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~WorkerThreads() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void for_each(std::size_t count, const Body& body) {
    if (workers_.empty()) {
      for (std::size_t i = 0; i < count; ++i) body(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      count_ = count;
      next_.store(0);
      busy_.store(workers_.size());
      round_.store(round_.load() + 1);
    }
    wake_.notify_all();
    take_indices(body, count);
    if (!yield_until([this] { return busy_.load() == 0; })) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return busy_.load() == 0; });
    }
    body_ = nullptr;
  }

 private:
  static constexpr std::chrono::microseconds kSpinTime{200};

  // Yields the core until `ready()` holds or kSpinTime has passed; whether it holds.
  template <typename Ready>
  static bool yield_until(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + kSpinTime;
    while (!ready()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::yield();
    }
    return true;
  }

  void take_indices(const Body& body, std::size_t count) {
    for (std::size_t i = next_.fetch_add(1); i < count; i = next_.fetch_add(1)) body(i);
  }

  // Every worker joins every round (busy_ counts them out), so none can miss one.
  void work() {
    std::uint64_t seen = 0;
    for (;;) {
      yield_until([&] { return round_.load() != seen || stopping_.load(); });
      const Body* body = nullptr;
      std::size_t count = 0;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_.load() || round_.load() != seen; });
        if (stopping_.load()) return;
        seen = round_.load();
        body = body_;
        count = count_;
      }
      take_indices(*body, count);
      if (busy_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);  // the caller checks busy_ under the lock before it sleeps
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const Body* body_ = nullptr;  // the round's work, set under mutex_
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};  // the next index to take
  std::atomic<std::uint64_t> round_{0};  // rounds posted; changed under mutex_
  std::atomic<std::size_t> busy_{0};     // workers still in the round
  std::atomic<bool> stopping_{false};    // set under mutex_
};

}  // namespace geoinv::population
