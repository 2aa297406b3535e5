// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The objective a run's solvers minimised, as one line for the console summary and report.html (issue 13:
// "dls, gauss_newton and the new solvers minimise the same objective. The report states it"):
//
//   ‖W_d(d − f(m))‖²                          no regularisation (every SP run)
//   ‖W_d(d − f(m))‖² + 3241.9·‖m‖²            tikhonov, order 0
//   ‖W_d(d − f(m))‖² + 0.5·‖D₁m‖²             tikhonov, order 1 (D_k: k-th differences; order 2: D₂)
//   ‖W_d(d − f(m))‖² + 946.85·‖m‖₁            l1
//   ‖W_d(d − f(m))‖² + 2·‖D₁m‖₁               tv (Σ|m(i+1) − m(i)|)
//
// with m replaced by (m − m_ref) when a reference model is given, λ printed with 6 significant digits,
// and W_d = diag(1/σ) (I when σ is unknown), as geoinv/regularization.hpp defines Φ. A regularisation of
// λ = 0 adds nothing and is stated as such: the misfit alone. The console reads these from the
// experiment, report.html from result.json's "regularization" entry (SolverRecord::objective), so both
// say the same.
#include <string>

#include "geoinv/regularization.hpp"

namespace geoinv {

// What the statement needs: kind, order and λ, and whether there is a reference model.
struct ObjectiveTerms {
  RegularizationKind kind = RegularizationKind::none;
  int order = 0;
  double lambda = 0.0;
  bool reference = false;
};

ObjectiveTerms objective_terms(const Regularization& regularization);

std::string objective_statement(const ObjectiveTerms& terms);

}  // namespace geoinv
