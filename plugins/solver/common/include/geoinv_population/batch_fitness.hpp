// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Scores a batch of points of the unit cube (a generation of pso's generational swarm) with the results
// of scoring them one by one through population::Fitness (fitness.hpp), bit for bit, on any number of
// threads:
//
//   1. the forward model predicts the data of every point inside the cube whose model is valid, on
//      `threads` threads (worker_threads.hpp; 1: the calling thread alone). ForwardModel is const and
//      thread-safe after configure, and these predictions touch no Problem state: nothing is counted;
//   2. then, in the batch's order, each point is accounted for through Problem: residuals_from_prediction
//      with its prediction (counted, budgeted, weighed, best model tracked); a point outside the cube
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
// nothing.
#include <cstddef>
#include <cstdint>
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
      : problem_(&problem), box_(&box), dimension_(static_cast<std::size_t>(box.lower.size())), threads_(threads) {}

  // The fitness of each of the `count` points at `points` (num_parameters() values per point, one point
  // after the other) into scores[0, count), in order.
  void operator()(const double* points, std::size_t count, double* scores) {
    resize(count);
    if (!workers_) workers_ = std::make_unique<WorkerThreads>(threads_);  // at the first batch: most solves have none
    affordable_ = within_budget(points, count);
    workers_->for_each(count, [this, points](std::size_t i) { predict(i, points + i * dimension_); });
    for (std::size_t i = 0; i < count; ++i) scores[i] = account(i);
  }

 private:
  enum class State : char { outside, predicted, not_predicted };

  void resize(std::size_t count) {
    if (models_.size() >= count) return;
    models_.resize(count, Vector(problem_->num_parameters()));
    data_.resize(count, Vector(problem_->num_data()));
    states_.resize(count);
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
      states_[i] = State::outside;
      return;
    }
    box_->to_model(u, models_[i]);
    states_[i] = State::not_predicted;
    if (i >= affordable_) return;
    const ForwardModel& model = problem_->model();
    try {
      if (!model.is_valid(models_[i], nullptr)) return;
      model.predict(models_[i], data_[i]);
      states_[i] = State::predicted;
    } catch (...) {
      // Left to Problem::residuals in phase 2, which throws it again where one-by-one scoring would.
    }
  }

  // Phase 2, in order, on the calling thread.
  double account(std::size_t i) {
    if (states_[i] == State::outside) return kRejected;
    double cost = kRejected;
    const bool scored = states_[i] == State::predicted
                            ? problem_->residuals_from_prediction(models_[i], data_[i], &cost)
                            : problem_->residuals(models_[i], data_[i], &cost);
    return scored ? problem_->objective(models_[i], cost) : kRejected;
  }

  Problem* problem_;
  const SearchBox* box_;
  std::size_t dimension_;
  int threads_;
  std::unique_ptr<WorkerThreads> workers_;
  std::size_t affordable_ = 0;  // this batch's points before the first the budget cannot pay for
  std::vector<Vector> models_, data_;  // per point of the batch: its model, then its prediction and residuals
  std::vector<State> states_;
};

}  // namespace geoinv::population
