// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The linearised uncertainty of an estimate (docs/outputs.md, "Uncertainty") and what a reader must be
// told about it: why it is withheld, and which parameters trade off.
#include <string>
#include <vector>

#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "running/run_result.hpp"

namespace geoinv {

// Above this |r| two parameters are reported as strongly correlated: the data resolve a combination of
// them rather than each (e.g. depth and amplitude of a sphere).
inline constexpr double kStrongCorrelation = 0.95;

// Above this condition number of the column-scaled JᵀJ the standard errors are flagged as unreliable.
inline constexpr double kIllConditioned = 1e10;

// σ̂²·(JᵀJ)⁻¹ from the Jacobian of the weighted residuals at the estimate and their sum of squares, with
// the condition number and correlation matrix. Not available (and `note` says why) without degrees of
// freedom, with a parameter that has no influence, or with a singular JᵀJ; available but noted when the
// condition number exceeds kIllConditioned.
Uncertainty linearised_uncertainty(const Matrix& weighted_jacobian, double weighted_sse);

// Why an estimate that stopped with `termination` gets no uncertainty, or empty when it gets one. A
// solver that did not converge (or failed) stopped at a point where the misfit is not at a minimum, so
// a linearisation there (possibly at the start itself) would print a standard error that means nothing.
std::string withheld_uncertainty_note(Termination termination);

// One warning per pair of parameters whose correlation exceeds kStrongCorrelation in magnitude, naming
// both and r, in the parameters' order. Empty for an empty matrix.
std::vector<std::string> strong_correlation_warnings(const std::vector<std::string>& names,
                                                     const Matrix& correlation);

}  // namespace geoinv
