// SPDX-License-Identifier: BSD-3-Clause
#include "running/objective_statement.hpp"

#include <fmt/format.h>

namespace geoinv {

ObjectiveTerms objective_terms(const Regularization& regularization) {
  return {regularization.kind, regularization.order, regularization.lambda, regularization.reference.size() > 0};
}

std::string objective_statement(const ObjectiveTerms& terms) {
  const std::string misfit = "‖W_d(d − f(m))‖²";
  if (terms.kind == RegularizationKind::none || !(terms.lambda > 0.0)) return misfit;
  const std::string u = terms.reference ? "(m − m_ref)" : "m";
  const char* const differences[] = {"", "D₁", "D₂"};
  std::string penalty;
  switch (terms.kind) {
    case RegularizationKind::tikhonov:
      penalty = fmt::format("‖{}{}‖²", terms.order >= 1 && terms.order <= 2 ? differences[terms.order] : "", u);
      break;
    case RegularizationKind::l1:
      penalty = fmt::format("‖{}‖₁", u);
      break;
    case RegularizationKind::tv:
      penalty = fmt::format("‖D₁{}‖₁", u);
      break;
    case RegularizationKind::none:
      break;
  }
  return fmt::format("{} + {:.6g}·{}", misfit, terms.lambda, penalty);
}

}  // namespace geoinv
