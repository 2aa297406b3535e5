// SPDX-License-Identifier: BSD-3-Clause
// SolveContext's observer (progress and messages reach it, or nowhere when it is null) and the host's
// question "does this solver learn?" (as_learning_solver).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "geoinv/learning_solver.hpp"
#include "geoinv/solve_observer.hpp"
#include "geoinv/solver.hpp"

namespace {

class RecordingObserver final : public geoinv::SolveObserver {
 public:
  void on_progress(const geoinv::SolveProgress& progress) override {
    statuses.emplace_back(progress.status);
    steps.push_back(progress.step);
  }
  void on_message(geoinv::Severity severity, std::string_view message) override {
    messages.push_back((severity == geoinv::Severity::warning ? "warning: " : "info: ") + std::string(message));
  }
  std::vector<std::string> statuses, messages;
  std::vector<std::int64_t> steps;
};

class PlainSolver : public geoinv::Solver {
 public:
  void configure(const geoinv::OptionValues&) override {}
  geoinv::SolverOutcome solve(geoinv::Problem&, const geoinv::Vector& start, const geoinv::SolveContext&) override {
    geoinv::SolverOutcome outcome;
    outcome.estimate = start;
    return outcome;
  }
  std::string example_yaml() const override { return {}; }
};

class LearningPlainSolver final : public geoinv::LearningSolver {
 public:
  void configure(const geoinv::OptionValues&) override {}
  geoinv::SolverOutcome solve(geoinv::Problem&, const geoinv::Vector&, const geoinv::SolveContext&) override {
    return {};
  }
  std::string example_yaml() const override { return {}; }
  geoinv::TrainingReport train(const geoinv::TrainingSet&, const geoinv::SolveContext&) override { return {}; }
  void save_model(const std::filesystem::path&) const override {}
  std::string load_model(const std::filesystem::path&) override { return {}; }
};

TEST(SolveContext, WithoutObserverReportsGoNowhere) {
  const geoinv::SolveContext context;
  EXPECT_EQ(context.observer, nullptr);
  geoinv::SolveProgress progress;
  progress.status = "ignored";
  EXPECT_NO_THROW(context.progress(progress));
  EXPECT_NO_THROW(context.message(geoinv::Severity::warning, "ignored"));
}

TEST(SolveContext, ProgressAndMessagesReachTheObserver) {
  RecordingObserver observer;
  geoinv::SolveContext context;
  context.observer = &observer;
  geoinv::SolveProgress progress;
  progress.step = 3;
  progress.steps = 10;
  progress.status = "epoch 3/10";
  context.progress(progress);
  context.message(geoinv::Severity::info, "fell back to the start");
  context.message(geoinv::Severity::warning, "prior barely covers the data");
  EXPECT_EQ(observer.statuses, std::vector<std::string>{"epoch 3/10"});
  EXPECT_EQ(observer.steps, std::vector<std::int64_t>{3});
  EXPECT_EQ(observer.messages,
            (std::vector<std::string>{"info: fell back to the start", "warning: prior barely covers the data"}));
}

TEST(SolveObserver, TheBaseIgnoresEverything) {
  geoinv::SolveObserver observer;
  EXPECT_NO_THROW(observer.on_progress({}));
  EXPECT_NO_THROW(observer.on_message(geoinv::Severity::info, "x"));
}

TEST(LearningSolver, TheHostTellsLearningSolversApart) {
  PlainSolver plain;
  LearningPlainSolver learner;
  EXPECT_EQ(geoinv::as_learning_solver(plain), nullptr);
  EXPECT_EQ(geoinv::as_learning_solver(learner), &learner);
  const geoinv::Solver& as_base = learner;
  EXPECT_EQ(geoinv::as_learning_solver(as_base), &learner);
}

}  // namespace
