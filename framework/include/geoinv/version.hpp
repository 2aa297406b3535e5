// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include <string>

#include "geoinv/export.hpp"

namespace geoinv {

// The plugin API version. A plugin built against another major version is refused; a plugin built
// against a newer minor version than the host is refused too (it may use what the host lacks).
// 2.0: learning moved from Solver to LearningSolver (learning_solver.hpp); SolveContext::observer
//      (solve_observer.hpp); geoinv/simd.hpp no longer public.
// 3.0: the plugin descriptor holds inline strings in its own ELF section, read from the file before the
//      plugin is loaded (plugin.hpp); ForwardModel::data_quantity() (a virtual with a default);
//      SolverOutcome::posterior (a sampler's draws, posterior.hpp) and Termination::samples_drawn.
// 4.0: parameter blocks (ParameterSpec::size, parameter_layout.hpp); linear forward models
//      (ForwardModel::linear_operator(), linear_operator.hpp); host-owned regularisation
//      (regularization.hpp, Problem::objective); Solver::needs_linear_model() and
//      Solver::samples_posterior(); SolveContext::prior (prior.hpp); TrainingSet::window;
//      in-process forward models (in_process_plugins.hpp).
// 4.1: Problem::residuals_from_prediction (batch evaluation of a generation on several threads).
// 4.2: Problem::weigh_prediction and residuals_from_weighed_prediction (the batch weighed on its threads).
//      docs/plugin-api.md lists every version.
inline constexpr unsigned kApiMajor = 4;
inline constexpr unsigned kApiMinor = 2;

#define GEOINV_STRINGIFY_DETAIL(x) #x
#define GEOINV_STRINGIFY(x) GEOINV_STRINGIFY_DETAIL(x)

// What must agree between the host and a plugin for objects to cross the boundary safely: the
// compiler (C++ ABI and standard library), the Eigen version and Eigen's alignment (an Eigen object
// allocated with one alignment and freed with another corrupts the heap).
#define GEOINV_ABI_TAG                                                                           \
  "gcc-" GEOINV_STRINGIFY(__GNUC__) "/eigen-" GEOINV_STRINGIFY(EIGEN_WORLD_VERSION) "." GEOINV_STRINGIFY( \
      EIGEN_MAJOR_VERSION) "." GEOINV_STRINGIFY(EIGEN_MINOR_VERSION) "/align-" GEOINV_STRINGIFY(EIGEN_MAX_ALIGN_BYTES)

// geoinv's own version, e.g. "0.1.0".
GEOINV_API std::string version();
// The ABI tag libgeoinv itself was compiled with.
GEOINV_API std::string abi_tag();

}  // namespace geoinv
