// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <optional>
#include <string>

#include "geoinv/export.hpp"

namespace geoinv {

// Why a solver stopped, in Ceres Solver's vocabulary. The first three, no_iterations and samples_drawn
// are convergence.
enum class Termination {
  function_tolerance,   // relative decrease of the cost fell below function_tolerance
  gradient_tolerance,   // max-norm of the (projected) gradient fell below gradient_tolerance
  parameter_tolerance,  // relative step fell below parameter_tolerance
  max_iterations,       // the solver's own iteration limit
  budget_exhausted,     // the host's evaluation or wall-time budget (Problem) ran out
  numerical_failure,    // non-finite values, or a linear system that could not be solved
  plugin_failure,       // a plugin threw; the message is the plugin's
  no_iterations,        // a non-iterative solver (e.g. a trained network): one evaluation, no convergence test
  samples_drawn,        // a sampler drew every update it was asked for (API 3.0); its chain's diagnostics
                        // (R-hat, ESS) say whether they suffice
};

// Ceres' three-way classification of a termination.
enum class RunStatus { converged, not_converged, failed };

GEOINV_API RunStatus status_of(Termination termination);
GEOINV_API std::string to_string(Termination termination);
GEOINV_API std::string to_string(RunStatus status);
// Inverse of to_string; nullopt for an unknown word.
GEOINV_API std::optional<Termination> termination_from_string(const std::string& word);

}  // namespace geoinv
