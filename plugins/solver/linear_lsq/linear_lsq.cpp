// SPDX-License-Identifier: BSD-3-Clause
// The `linear_lsq` solver plugin: the minimiser of Φ(m) = ‖W(d − A m)‖² + λ‖L(m − m_ref)‖² for a linear
// forward model, by a direct solve of the regularised normal equations (banded or dense Cholesky, QR) or
// by CGLS. See README.md for the methods, the options and the factor cache.
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <memory>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_linear/cgls.hpp"
#include "geoinv_linear/linear_model.hpp"
#include "geoinv_linear/normal_equations.hpp"
#include "geoinv_plugin_example.hpp"
#include "linear_lsq_settings.hpp"

namespace {

using geoinv::Vector;
using geoinv::linear_lsq::Method;
using geoinv::linear_lsq::Settings;
namespace linear = geoinv::linear;

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.choice("method", &Settings::method, geoinv::linear_lsq::kMethodWords,
                 "auto: banded_cholesky when the operator has a band, dense_cholesky up to dense_limit "
                 "parameters, cgls above; qr: Householder QR of the stacked [W A; √λ L] (for ill-conditioned "
                 "problems); cgls: matrix-free conjugate gradients");
  options.add("cgls_max_iterations", &Settings::cgls_max_iterations, "CGLS iterations before giving up")
      .at_least(1);
  options
      .add("cgls_tolerance", &Settings::cgls_tolerance,
           "CGLS stops when the norm of the gradient falls below this times its value at the start")
      .greater_than(0.0)
      .less_than(1.0);
  options.add("dense_limit", &Settings::dense_limit,
              "auto uses a dense factorisation up to this many parameters and CGLS above (no band)")
      .at_least(1);
  return options;
}

// The factorisation of one operator, weights and regularisation, kept between solves: a trace after
// another of one survey reuses it (README.md, "Factor cache"). Its key holds the operator alive.
struct FactorCache {
  std::shared_ptr<const geoinv::LinearOperator> key_operator;
  Vector key_weights;
  int key_order = -1;
  double key_lambda = -1.0;
  Method method = Method::automatic;
  linear::BandedCholesky banded;
  Eigen::LLT<geoinv::Matrix> dense;

  bool matches(const geoinv::Problem& problem, const std::shared_ptr<const geoinv::LinearOperator>& op) const {
    const geoinv::Regularization& reg = problem.regularization();
    return op == key_operator && key_lambda == (reg.active() ? reg.lambda : 0.0) &&
           key_order == reg.order && key_weights.size() == problem.data_weights().size() &&
           (key_weights.array() == problem.data_weights().array()).all();
  }
};

Method resolve_method(Method method, const geoinv::LinearOperator& op, const Settings& settings) {
  if (method != Method::automatic) return method;
  if (op.band()) return Method::banded_cholesky;
  return op.cols() <= settings.dense_limit ? Method::dense_cholesky : Method::cgls;
}

class LinearLsq final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }
  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }
  bool needs_linear_model() const override { return true; }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    linear::LinearProblem lp = linear::linear_problem(problem, "linear_lsq");
    linear::require_smooth_regularization(problem, "linear_lsq", "fista");
    geoinv::SolverOutcome outcome;
    outcome.trace = geoinv::Trace({"iteration", "sse", "objective"});
    linear::record_start(problem, start, outcome.trace);
    const Method method = resolve_method(settings_.method, *lp.counted, settings_);
    Vector solution = start;
    std::string how;
    if (method == Method::cgls) {
      how = solve_cgls(problem, lp, solution, outcome);
    } else {
      solution = solve_direct(problem, lp, method);
      how = fmt::format("{} solve of the regularised normal equations", geoinv::linear_lsq::kMethodWords.word(method));
      outcome.termination = geoinv::Termination::no_iterations;
    }
    linear::finish(problem, solution, how, outcome);
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  Vector solve_direct(geoinv::Problem& problem, const linear::LinearProblem& lp, Method method);
  std::string solve_cgls(geoinv::Problem& problem, const linear::LinearProblem& lp, Vector& m,
                         geoinv::SolverOutcome& outcome) const;
  void factor(geoinv::Problem& problem, const linear::LinearProblem& lp, Method method);

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  FactorCache cache_;
};

void LinearLsq::factor(geoinv::Problem& problem, const linear::LinearProblem& lp, Method method) {
  const geoinv::Regularization& reg = problem.regularization();
  const double lambda = reg.active() ? reg.lambda : 0.0;
  cache_.key_operator = nullptr;  // invalid until the factorisation succeeds
  const geoinv::RowScaledOperator weighted(*lp.counted, problem.data_weights());
  if (method == Method::banded_cholesky) {
    if (!lp.counted->band())
      throw geoinv::Error(geoinv::Error::Category::config,
                          "linear_lsq: method banded_cholesky needs a banded operator; this model's is not banded");
    const geoinv::BandedOperator weighted_band = geoinv::BandedOperator::from_operator(weighted);
    linear::SymmetricBand normal = linear::banded_normal_matrix(weighted_band, reg.order, lambda);
    linear::trim_negligible_diagonals(normal, linear::kNegligibleDiagonal);
    if (!cache_.banded.factor(std::move(normal)))
      throw geoinv::Error(geoinv::Error::Category::numerical,
                          "linear_lsq: the normal matrix is not positive definite; use method qr or a larger lambda");
  } else {
    const geoinv::Matrix b = weighted.dense();
    geoinv::Matrix normal = b.transpose() * b;
    if (lambda > 0.0) {
      const geoinv::Matrix l = geoinv::difference_operator(reg.order, b.cols());
      normal.noalias() += lambda * (l.transpose() * l);
    }
    cache_.dense.compute(normal);
    if (cache_.dense.info() != Eigen::Success)
      throw geoinv::Error(geoinv::Error::Category::numerical,
                          "linear_lsq: the normal matrix is not positive definite; use method qr or a larger lambda");
  }
  cache_.key_operator = lp.model_operator;
  cache_.key_weights = problem.data_weights();
  cache_.key_order = reg.order;
  cache_.key_lambda = lambda;
  cache_.method = method;
}

Vector LinearLsq::solve_direct(geoinv::Problem& problem, const linear::LinearProblem& lp, Method method) {
  const geoinv::Regularization& reg = problem.regularization();
  if (method == Method::qr) return linear::qr_solution(problem, *lp.counted);
  if (!(cache_.method == method && cache_.matches(problem, lp.model_operator))) factor(problem, lp, method);
  Vector rhs(problem.num_parameters());
  lp.counted->apply_transpose(linear::weighted_squared_data(problem), rhs);  // Aᵀ W² d
  linear::add_reference_term(reg, rhs);
  if (method == Method::banded_cholesky) {
    cache_.banded.solve(rhs);
    return rhs;
  }
  return cache_.dense.solve(rhs);
}

std::string LinearLsq::solve_cgls(geoinv::Problem& problem, const linear::LinearProblem& lp, Vector& m,
                                  geoinv::SolverOutcome& outcome) const {
  const geoinv::Regularization& reg = problem.regularization();
  const geoinv::RowScaledOperator weighted(*lp.counted, problem.data_weights());
  const Vector b = problem.data_weights().size() == 0 ? problem.observed()
                                                      : Vector(problem.observed().cwiseProduct(problem.data_weights()));
  const linear::CglsResult result =
      linear::cgls(weighted, b, reg.active() ? reg.order : -1, reg.active() ? reg.lambda : 0.0, reg.reference, m,
                   static_cast<int>(settings_.cgls_max_iterations), settings_.cgls_tolerance);
  outcome.iterations = result.iterations;
  outcome.termination =
      result.converged ? geoinv::Termination::gradient_tolerance : geoinv::Termination::max_iterations;
  return fmt::format("CGLS, {} iterations, gradient reduced to {:.3g} of its start", result.iterations,
                     result.gradient_ratio);
}

}  // namespace

GEOINV_SOLVER_PLUGIN(LinearLsq, "linear_lsq", "1.0.0",
                     "linear least squares with Tikhonov regularisation: banded/dense Cholesky, QR or CGLS")
