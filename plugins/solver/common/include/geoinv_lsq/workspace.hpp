// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Everything an iteration of the least-squares minimiser needs, sized once per problem shape and reused
// across solves: the minimiser and its strategies never allocate.
//
// The current point (model, residuals, Jacobian, clipped) and the trial point have a buffer each, so that
// a rejected trial leaves the current point intact and an accepted one is taken over by swapping rather
// than copying. `scratch` and `scratch_lower` belong to the strategy of the solve (minimizer.hpp): the
// minimiser never reads or writes them.
#include <Eigen/Core>

#include "geoinv/forward_model.hpp"  // Vector
#include "geoinv_lsq/damped_system.hpp"
#include "geoinv_lsq/fixed_size.hpp"

namespace geoinv::lsq {

template <int N>
struct Workspace {
  static constexpr int kSize = N;
  using VectorType = ParameterVector<N>;
  using MatrixType = NormalMatrix<N>;

  VectorType model, trial_model;
  VectorType gradient;          // Jᵀr at the current model (zero where a parameter is held at a bound)
  VectorType largest_diagonal;  // what update_scaling keeps between linearisations
  VectorType scaling;           // D
  VectorType step;              // x of (JᵀJ + λ·D) x = Jᵀr, then the projected trial step p
  VectorType scratch, scratch_lower;  // the strategy's
  VectorType clipped, trial_clipped;  // 1 where the last accepted step (the trial) hit a bound, else 0
  Vector residuals, trial_residuals;
  JacobianMatrix<N> jacobian, trial_jacobian;
  MatrixType normal;  // JᵀJ, lower triangle
  DampedSystem<N> system;

  void resize(Index num_parameters, Index num_data) {
    for (VectorType* vector : {&model, &trial_model, &gradient, &largest_diagonal, &scaling, &step, &scratch,
                               &scratch_lower, &clipped, &trial_clipped})
      vector->resize(num_parameters);
    residuals.resize(num_data);
    trial_residuals.resize(num_data);
    jacobian.resize(num_data, num_parameters);
    trial_jacobian.resize(num_data, num_parameters);
    normal.resize(num_parameters, num_parameters);
    system.resize(num_parameters);
  }

  // After an accepted trial: it becomes the current point (its Jacobian too when it was evaluated).
  void accept_trial(bool with_jacobian) {
    clipped.swap(trial_clipped);
    model.swap(trial_model);
    residuals.swap(trial_residuals);
    if (with_jacobian) jacobian.swap(trial_jacobian);
  }
};

// The parameter counts with a minimiser compiled for them (fixed_size.hpp): the SP family's bodies
// (4: sphere, cylinders; 5: free-q body, inclined sheet) and the same with a constant or linear regional
// background (5, 6). Any other count runs the Eigen::Dynamic code, identical but for speed.
// One workspace per compiled size, each sized on first use and reused by later solves.
struct Workspaces {
  Workspace<4> four;
  Workspace<5> five;
  Workspace<6> six;
  Workspace<Eigen::Dynamic> any;

  // Calls loop(workspace) with the workspace compiled for `num_parameters`, and returns what it returns.
  template <typename Loop>
  decltype(auto) visit(Index num_parameters, Loop&& loop) {
    switch (num_parameters) {
      case 4:
        return loop(four);
      case 5:
        return loop(five);
      case 6:
        return loop(six);
      default:
        return loop(any);
    }
  }
};

}  // namespace geoinv::lsq
