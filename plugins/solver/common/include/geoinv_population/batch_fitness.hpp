// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Scores a batch of points of the unit cube (a generation of pso's generational swarm) with the results
// of scoring them one by one through population::Fitness (fitness.hpp), bit for bit, on any number of
// threads:
//
//   1. the forward model predicts the data of every point inside the cube whose model is valid, and
//      Problem::weigh_prediction weighs them, on `threads` threads (worker_threads.hpp; 1: the calling
//      thread alone). ForwardModel is const and thread-safe after configure, weigh_prediction is const,
//      and neither touches Problem's state: nothing is counted;
//   2. then, in the batch's order, each point is accounted for through Problem:
//      residuals_from_weighed_prediction with its weighed prediction (counted, budgeted, best model
//      tracked; residuals_from_prediction's results bit for bit); a point outside the cube
//      scores kRejected uncounted, as Fitness scores it; a point whose model is invalid or whose
//      prediction threw goes through Problem::residuals as Fitness sends it, which charges it and then
//      rejects it or throws the same error at the same place.
//
// So the scores, the counts, the best model, the anytime record and the evaluation at which
// BudgetExhausted is thrown are those of one-by-one scoring, whatever the thread count. Phase 1 predicts
// no point past the evaluations the budget has left (Budget::max_forward_evaluations; the points inside
// the cube are the ones counted), so the forward model sees only models that Problem then charges. A
// wall-time budget cannot be foreseen: a batch that crosses it predicts points that are then thrown away.
// Every buffer is kept from one batch to the next: after the first, a batch of no more points allocates
// nothing. Each point's slot (its state, model and prediction) fills whole cache lines of its own, so the
// threads' pieces of the batch (worker_threads.hpp: contiguous ranges of points) never write to a common
// line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "geoinv/problem.hpp"
#include "geoinv_population/fitness.hpp"
#include "geoinv_population/search_box.hpp"
#include "geoinv_population/worker_threads.hpp"

namespace geoinv::population {

class BatchFitness {
 public:
  // `box` must outlive this object (the solve's Fitness owns it). `threads` >= 1 (SolveContext::threads).
  BatchFitness(Problem& problem, const SearchBox& box, int threads)
      : problem_(&problem),
        box_(&box),
        dimension_(static_cast<std::size_t>(box.lower.size())),
        data_(static_cast<std::size_t>(problem.num_data())),
        slot_lines_(lines_for(2 + dimension_ + data_)),
        threads_(threads) {}

  // The fitness of each of the `count` points at `points` (num_parameters() values per point, one point
  // after the other) into scores[0, count), in order.
  void operator()(const double* points, std::size_t count, double* scores) {
    if (slots_.size() < count * slot_lines_) slots_.resize(count * slot_lines_);
    if (!workers_) workers_ = std::make_unique<WorkerThreads>(threads_);  // at the first batch: most solves have none
    affordable_ = within_budget(points, count);
    const auto predict_share = [this, points](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) predict(i, points + i * dimension_);
    };
    workers_->for_each(count, predict_share);
    for (std::size_t i = 0; i < count; ++i) scores[i] = account(i);
  }

 private:
  enum class State : std::uint64_t { outside, predicted, not_predicted };
  struct alignas(64) CacheLine {
    double values[8];
  };

  // A point's model as the calls below take it, made once per point: each Eigen::Ref<const Vector> made
  // from a Map holds an empty Vector whose destructor calls free().
  using ModelRef = Eigen::Ref<const Vector>;

  static std::size_t lines_for(std::size_t doubles) { return (doubles + 7) / 8; }

  // Point i's slot: its State in the first double's place (copied in and out, not aliased), the Σ r² of
  // its weighed prediction, then its model (dimension_ values), then its prediction, weighed in phase 1
  // into its residuals (data_ values).
  double* slot(std::size_t i) { return slots_[i * slot_lines_].values; }
  State state(std::size_t i) {
    State value;
    std::memcpy(&value, slot(i), sizeof value);
    return value;
  }
  void set_state(std::size_t i, State value) { std::memcpy(slot(i), &value, sizeof value); }
  double& weighed(std::size_t i) { return slot(i)[1]; }
  Eigen::Map<Vector> model(std::size_t i) { return {slot(i) + 2, static_cast<Eigen::Index>(dimension_)}; }
  Eigen::Map<Vector> data(std::size_t i) {
    return {slot(i) + 2 + dimension_, static_cast<Eigen::Index>(data_)};
  }

  // How many of the batch's first points the budget's remaining forward evaluations pay for (points
  // outside the cube cost nothing).
  std::size_t within_budget(const double* points, std::size_t count) const {
    const std::int64_t budget = problem_->budget().max_forward_evaluations;
    if (budget <= 0) return count;
    std::int64_t remaining = budget - problem_->counts().forward;
    for (std::size_t i = 0; i < count; ++i)
      if (box_->contains_unit(points + i * dimension_) && remaining-- <= 0) return i;
    return count;
  }

  // Phase 1, on any thread: touches slot i alone. A point past the budget is left unpredicted: Problem
  // throws BudgetExhausted when phase 2 reaches it.
  void predict(std::size_t i, const double* u) {
    if (!box_->contains_unit(u)) {
      set_state(i, State::outside);
      return;
    }
    box_->to_model(u, model(i));
    set_state(i, State::not_predicted);
    if (i >= affordable_) return;
    const ForwardModel& forward = problem_->model();
    const ModelRef point = model(i);
    try {
      if (!forward.is_valid(point, nullptr)) return;
      forward.predict(point, data(i));
      weighed(i) = problem_->weigh_prediction(data(i));
      set_state(i, State::predicted);
    } catch (...) {
      // Left to Problem::residuals in phase 2, which throws it again where one-by-one scoring would.
    }
  }

  // Phase 2, in order, on the calling thread.
  double account(std::size_t i) {
    const State prepared = state(i);
    if (prepared == State::outside) return kRejected;
    double cost = kRejected;
    const ModelRef point = model(i);
    const bool scored = prepared == State::predicted
                            ? problem_->residuals_from_weighed_prediction(point, data(i), weighed(i), &cost)
                            : problem_->residuals(point, data(i), &cost);
    return scored ? problem_->objective(point, cost) : kRejected;
  }

  Problem* problem_;
  const SearchBox* box_;
  std::size_t dimension_, data_;
  std::size_t slot_lines_;  // cache lines per point's slot
  int threads_;
  std::unique_ptr<WorkerThreads> workers_;
  std::size_t affordable_ = 0;  // this batch's points before the first the budget cannot pay for
  std::vector<CacheLine> slots_;  // per point of the batch, its slot (above)
};

}  // namespace geoinv::population
