// SPDX-License-Identifier: BSD-3-Clause
// Out-of-line virtual destructors and defaults: the interfaces' vtables and RTTI live in libgeoinv only.
#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/solve_observer.hpp"
#include "geoinv/solver.hpp"

namespace geoinv {

ForwardModel::~ForwardModel() = default;

void ForwardModel::predict_with_jacobian(const Eigen::Ref<const Vector>&, Eigen::Ref<Vector>,
                                         Eigen::Ref<Matrix>) const {
  throw Error(Error::Category::plugin,
              "predict_with_jacobian() called on a forward model whose has_jacobian() is false");
}

void ForwardModel::canonicalize(Eigen::Ref<Vector>) const {}

bool ForwardModel::is_valid(const Eigen::Ref<const Vector>&, std::string*) const { return true; }

bool ForwardModel::estimate_start(const Eigen::Ref<const Vector>&, Eigen::Ref<Vector>) const { return false; }

DataQuantity ForwardModel::data_quantity() const { return {}; }

std::shared_ptr<const LinearOperator> ForwardModel::linear_operator() const { return nullptr; }

Solver::~Solver() = default;

bool Solver::needs_linear_model() const { return false; }

LearningSolver::~LearningSolver() = default;

LearningSolver* as_learning_solver(Solver& solver) { return dynamic_cast<LearningSolver*>(&solver); }

const LearningSolver* as_learning_solver(const Solver& solver) {
  return dynamic_cast<const LearningSolver*>(&solver);
}

SolveObserver::~SolveObserver() = default;

void SolveObserver::on_progress(const SolveProgress&) {}

void SolveObserver::on_message(Severity, std::string_view) {}

void SolveContext::progress(const SolveProgress& progress) const {
  if (observer != nullptr) observer->on_progress(progress);
}

void SolveContext::message(Severity severity, std::string_view text) const {
  if (observer != nullptr) observer->on_message(severity, text);
}

}  // namespace geoinv
