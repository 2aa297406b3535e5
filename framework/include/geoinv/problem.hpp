// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>

#include "geoinv/export.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/linear_operator.hpp"
#include "geoinv/regularization.hpp"
#include "geoinv/trace.hpp"

namespace geoinv {

// Limits the host enforces on every solver alike. 0 means unlimited.
struct GEOINV_API Budget {
  std::int64_t max_forward_evaluations = 0;  // forward evaluations, finite-difference ones included
  double max_wall_time_s = 0.0;              // seconds
};

struct GEOINV_API EvaluationCounts {
  std::int64_t forward = 0;   // data predictions (each finite-difference evaluation counts)
  std::int64_t jacobian = 0;  // Jacobian evaluations (analytic or finite-difference)
};

// What a solver is given: observed data with their σ, the forward model behind a counting,
// budget-enforcing wrapper, and the parameter bounds. Solvers never read files or compute the reported
// misfit themselves; the host does, identically for all of them.
//
// The misfit a solver minimises is the weighted residual r = (predicted − observed) / σ, with σ = 1 when
// the data carry no σ. Every evaluation is counted, and the best model evaluated so far (by Σr²) is
// remembered, so that a run stopped by the budget still reports its best model.
//
// When the budget is exhausted, an evaluation throws BudgetExhausted: solvers let it propagate.
// Not thread-safe: one Problem per run.
//
// Regularisation (API 4.0, regularization.hpp): the objective is Φ(m) = Σr² + λ·R(m), and the best model
// is tracked by Φ (Σr² when no regularisation is set, the default, exactly as before). The residual
// functions take r (and the Jacobian) of either size:
//   - num_data() rows: the data residuals alone; *cost = Σr² (the data misfit);
//   - num_residuals() rows: the data residuals followed by the regularisation's residual rows, so that a
//     least-squares solver minimises Φ = Σ r² without knowing R (*cost = Φ). Tikhonov appends the rows
//     √λ·L_k(m − m_ref) (Jacobian √λ·L_k); l1 and tv, which have no least-squares form, append the
//     smoothed rows √λ·(u_i² + ε²)^¼ with u = m − m_ref for l1 and u = first differences for tv,
//     ε = kSmoothingEpsilon (Σ of their squares is λ·Σ√(u_i² + ε²) ≈ λ·R). num_residuals() equals
//     num_data() when no regularisation is set.
class GEOINV_API Problem {
 public:
  // `sigma` is empty (no σ known) or one positive value per datum. `lower`/`upper` bound each parameter.
  Problem(std::shared_ptr<const ForwardModel> model, Vector stations, Vector observed, Vector sigma,
          Vector lower, Vector upper, Budget budget = {});

  Eigen::Index num_parameters() const { return lower_.size(); }
  Eigen::Index num_data() const { return observed_.size(); }
  // num_data() plus the regularisation's residual rows (see above).
  Eigen::Index num_residuals() const { return observed_.size() + regularization_rows_; }
  // ε of the smoothed l1 and tv rows, in the units of the model: |u| is replaced by √(u² + ε²).
  static constexpr double kSmoothingEpsilon = 1e-6;

  const ForwardModel& model() const { return *model_; }
  // One spec per model value: the model's declarations with every block flattened into name[i]
  // (parameter_layout.hpp), so parameters()[j] describes model(j) for every j < num_parameters().
  const ParameterSpecs& parameters() const { return parameters_; }
  const Vector& stations() const { return stations_; }
  const Vector& observed() const { return observed_; }
  bool has_sigma() const { return sigma_.size() > 0; }
  const Vector& sigma() const { return sigma_; }  // empty when unknown
  const Vector& lower_bounds() const { return lower_; }
  const Vector& upper_bounds() const { return upper_; }
  const Budget& budget() const { return budget_; }

  bool in_bounds(const Eigen::Ref<const Vector>& model) const;
  // Clamps each parameter into [lower, upper]: the bound handling every iterative solver shares.
  void project(Eigen::Ref<Vector> model) const;

  // Weighted residuals at `model`. Returns false (r unspecified) when the prediction is not finite or
  // the model violates the forward model's constraints (ForwardModel::is_valid): solvers treat both as
  // a rejected step.
  bool residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r);
  // Residuals and the Jacobian of the weighted residuals: analytic when the forward model has one,
  // central differences (Ceres' step rule) otherwise. Returns false when anything is not finite.
  bool residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                              Eigen::Ref<Matrix> jacobian);
  // The same, and when they return true (and `cost` is not null) *cost = Σ r²: the sum the best model is
  // tracked by, so that a solver need not compute it again.
  bool residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost);
  bool residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                              Eigen::Ref<Matrix> jacobian, double* cost);
  // residuals(model, r, cost) for a prediction the caller has made: on entry the data rows of `r` hold
  // model().predict(model). It counts, budgets, checks is_valid, weighs and tracks the best model exactly as
  // residuals() does, in the order the calls are made, so a solver may predict a batch of models on several
  // threads (ForwardModel is const and thread-safe) and then account for them one by one, in a fixed order,
  // with the results, counts and budget decisions of one-by-one evaluation. (API 4.1.)
  bool residuals_from_prediction(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost);
  // residuals_from_prediction in two halves, so that a batch is weighed on several threads too:
  //   - weigh_prediction (const, thread-safe, nothing counted) turns the data rows of `r`, holding
  //     model().predict(model) on entry, into the weighted residuals and returns their Σ r², which is not
  //     finite when a residual is not. `r` has num_data() or num_residuals() rows; other sizes throw Error;
  //   - then, in the batch's order, residuals_from_weighed_prediction(model, r, weighed, cost) with that
  //     sum counts, budgets, checks is_valid and finishes as residuals_from_prediction does.
  // Together they give residuals_from_prediction's results, counts and budget decisions bit for bit.
  // (API 4.2.)
  double weigh_prediction(Eigen::Ref<Vector> r) const;
  bool residuals_from_weighed_prediction(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double weighed,
                                         double* cost);

  // The regularisation of the objective; none until the host sets one (before the solve).
  void set_regularization(Regularization regularization);
  const Regularization& regularization() const { return regularization_; }
  // Φ(m) = cost + λ·R(m), for the data misfit `cost` = Σr² at `model`.
  double objective(const Eigen::Ref<const Vector>& model, double cost) const {
    return cost + regularization_.penalty(model);
  }

  // The data weights W_d = 1/σ per datum; empty when σ is unknown (W_d = I).
  const Vector& data_weights() const { return inverse_sigma_; }
  // For a linear forward model, its operator A (ForwardModel::linear_operator()) behind a counting
  // wrapper: every apply or apply_transpose is charged as one forward evaluation against the budget
  // (and may throw BudgetExhausted); dense() is charged cols() evaluations. Null when the model is not
  // linear. The wrapper refers to this Problem and must not outlive it.
  std::shared_ptr<const LinearOperator> linear_operator();

  // Unweighted prediction, not counted and not budgeted: for the host's reporting after a solve.
  void predict_uncounted(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const;

  // The host's measurement at an estimate after a solve, the one place the reported misfit comes from
  // (cost of a start, χ², optimality, uncertainty): fills `predicted` with the unweighted prediction,
  // `r` with the weighted residuals (predicted − observed)/σ and, when `jacobian` is not null, the
  // Jacobian of r (analytic, or central differences as in residuals_and_jacobian). Not counted, not
  // budgeted, and not tracked as the best model. Returns false when the prediction or the Jacobian is not
  // finite (`predicted` is filled all the same, for the run's fit.csv).
  //
  // It divides by σ where the solvers' path multiplies by 1/σ in SIMD packs: the reported numbers keep
  // the exact quotient and stay bit-identical from release to release, while the solvers' path keeps its
  // speed. The two may differ in the last bit, which no solver decision depends on.
  bool measure(const Eigen::Ref<const Vector>& model, Vector& predicted, Vector& r, Matrix* jacobian) const;
  // Σ r² of the weighted residuals at `model`, as measure() computes them; NaN when not finite.
  double measured_cost(const Eigen::Ref<const Vector>& model) const;

  // Resets counts, the clock and the best model: the host calls it before each solver runs.
  void reset();
  const EvaluationCounts& counts() const { return counts_; }
  double elapsed_s() const;

  bool has_best() const { return best_cost_ < std::numeric_limits<double>::infinity(); }
  const Vector& best_model() const { return best_model_; }
  double best_cost() const { return best_cost_; }  // Φ of best_model(): Σ r² + λ·R
  // The anytime record since reset(), kept for every solver alike: one row each time the best model
  // improves, with columns "evaluations" (forward evaluations counted so far, the improving one included,
  // finite-difference ones too) and "best_cost" (its Φ). The host writes it to result.json ("anytime").
  const Trace& best_so_far() const { return best_so_far_; }

 private:
  friend class CountedOperator;
  void charge(std::int64_t forward_evaluations);
  // The unweighted prediction into `data` and the forward model's Jacobian into `jacobian`: analytic
  // when the model has one, central differences otherwise.
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const;
  void check_sizes(Eigen::Index model_size, Eigen::Index residual_size, Eigen::Index rows, Eigen::Index columns) const;
  // The start of every residual evaluation: sizes checked, one forward evaluation charged (budget
  // enforced), and whether `model` is valid.
  bool admit(const Eigen::Ref<const Vector>& model, Eigen::Index residual_size);
  // Fills the regularisation rows of r (and of the Jacobian, when not null) below the data rows.
  void regularization_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                Eigen::Ref<Matrix>* jacobian) const;
  bool finish_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, Eigen::Ref<Matrix>* jacobian,
                        double* cost);
  // finish_residuals after the data rows of r (and of the Jacobian) are weighed, their Σ r² `sum`.
  bool finish_weighed_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                Eigen::Ref<Matrix>* jacobian, double sum, double* cost);

  std::shared_ptr<const ForwardModel> model_;
  ParameterSpecs parameters_;
  Vector stations_, observed_, sigma_, inverse_sigma_, lower_, upper_;
  Budget budget_;
  bool analytic_jacobian_ = false;
  Regularization regularization_;
  Eigen::Index regularization_rows_ = 0;  // residual rows the regularisation appends (num_residuals())

  EvaluationCounts counts_;
  std::chrono::steady_clock::time_point started_;
  Vector best_model_;
  double best_cost_ = std::numeric_limits<double>::infinity();
  Trace best_so_far_;
};

}  // namespace geoinv
