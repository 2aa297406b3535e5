// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The Eigen types the least-squares code is written in, for a parameter count N known at compile time.
//
// Every piece of the least-squares code (normal equations, damped system, workspace, minimiser, strategies)
// is a template over N. Eigen::Dynamic serves any parameter count; a fixed N lets Eigen keep the model,
// the step and JᵀJ in registers and unroll the small loops over parameters, which on a 4-parameter body
// costs as much as the forward model when it is left dynamic (docs/benchmarks.md, "Least-squares
// solvers"). Workspaces::visit (workspace.hpp) picks the N a problem runs with.
#include <Eigen/Core>

namespace geoinv::lsq {

using Eigen::Index;

template <int N>
using ParameterVector = Eigen::Matrix<double, N, 1>;
template <int N>
using NormalMatrix = Eigen::Matrix<double, N, N>;
template <int N>
using JacobianMatrix = Eigen::Matrix<double, Eigen::Dynamic, N>;  // column-major, contiguous columns

}  // namespace geoinv::lsq
