// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The scaling D that a damping λ multiplies in (JᵀJ + λ·D) x = Jᵀr.
//
// Marquardt (1963) used diag(JᵀJ) at the current model, which makes the step invariant to rescaling a
// parameter (Scaling::current). Moré (1978, MINPACK) keeps the largest diag(JᵀJ) met so far in the solve
// instead (Scaling::running_max): D never shrinks, so a parameter whose column was large once stays damped.
// The minimiser updates D after every linearisation (minimizer.hpp); dls lets the user choose the rule
// (option `scaling`), gauss_newton uses the current diagonal for its singular-system fallback.
#include <Eigen/Core>

#include "geoinv/option_choices.hpp"

namespace geoinv::lsq {

enum class Scaling { running_max, current };
// The words of the option `scaling` (dls).
inline const OptionChoices<Scaling> kScalingWords{
    {"running_max", Scaling::running_max},
    {"current", Scaling::current},
};

// A diagonal entry of JᵀJ is zero only when a parameter does not affect the data; its row of JᵀJ and its
// gradient are then zero too, so its step is zero whatever the scaling is. The floor only keeps the
// damped matrix definite; relative to the largest entry, it sits far below any real ratio of scales.
constexpr double kRelativeScalingFloor = 1e-24;

// `largest` is the running maximum (or current diagonal) kept between calls; `scaling` is D, floored.
template <typename NormalType, typename VectorType>
void update_scaling(Scaling rule, const NormalType& normal, VectorType& largest, VectorType& scaling) {
  if (rule == Scaling::running_max) {
    largest = largest.cwiseMax(normal.diagonal());
  } else {
    largest = normal.diagonal();
  }
  const double top = largest.maxCoeff();
  scaling = largest.cwiseMax(top > 0.0 ? kRelativeScalingFloor * top : 1.0);
}

}  // namespace geoinv::lsq
