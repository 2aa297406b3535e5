// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The termination tests every least-squares solver shares, with their options and messages.
//
// The stopping rules are offered under the same names, defaults and meaning by every iterative solver
// (dls, gauss_newton): their options are declared here once, bound to the member of the solver's settings
// struct that holds them (declare_max_iterations, declare_tolerances), and the minimiser (minimizer.hpp)
// applies the tests after each step. The tests are small named predicates, as in Ceres: each returns true
// when it fires and then writes why, with the numbers, into *message (which is left alone otherwise, so a
// test costs no formatting until it fires).
//
//   gradient_test   max-norm of the projected gradient <= gradient_tolerance, after each linearisation
//   parameter_test  |p| <= parameter_tolerance · (|m| + parameter_tolerance), p the projected trial step
//   function_test   relative decrease of sse < function_tolerance, after each accepted step
//   max_iterations  the solver's iterations (dls: trials; gauss_newton: line searches) run out
#include <cstdint>
#include <string>
#include <utility>

#include "geoinv/option_binding.hpp"
#include "geoinv_lsq/message.hpp"

namespace geoinv::lsq {

// The stopping rules' values. The defaults here are the options' defaults (declare_tolerances).
struct Tolerances {
  std::int64_t max_iterations = 200;     // iterations, >= 1; what one counts is the solver's (above)
  double function_tolerance = 1e-10;     // relative decrease of sse, dimensionless; 0 disables
  double parameter_tolerance = 1e-10;    // relative step, dimensionless (in internal units); 0 disables
  double gradient_tolerance = 1e-12;     // sse per unit of each parameter (internal units); 0 disables
};

// The max_iterations option, bound to the member `tolerances` of a solver's settings struct; `what` says
// what the solver counts as an iteration. Every least-squares solver declares it first.
template <typename Settings>
void declare_max_iterations(OptionBindings<Settings>& options, Tolerances Settings::*tolerances,
                            std::string what) {
  options.add("max_iterations", nested(tolerances, &Tolerances::max_iterations), std::move(what)).at_least(1);
}

// The three tolerance options, bound to the member `tolerances` of a solver's settings struct; their
// defaults are that member's (a solver may choose its own). Every least-squares solver declares them last.
template <typename Settings>
void declare_tolerances(OptionBindings<Settings>& options, Tolerances Settings::*tolerances) {
  options
      .add("function_tolerance", nested(tolerances, &Tolerances::function_tolerance),
           "stop when an accepted step lowers the cost by less than this fraction (|Δsse| / sse); 0 disables")
      .at_least(0.0);
  options
      .add("parameter_tolerance", nested(tolerances, &Tolerances::parameter_tolerance),
           "stop when |δ| <= tol * (|m| + tol), δ the (projected) step; 0 disables")
      .at_least(0.0);
  options
      .add("gradient_tolerance", nested(tolerances, &Tolerances::gradient_tolerance),
           "stop when the max-norm of the projected gradient Jᵀr is <= this; in units of "
           "sse per unit of each parameter")
      .at_least(0.0);
}

// The termination tests, as small named predicates (Ceres' habit): each returns true when it fires and
// then writes why, with the numbers, into *message.
inline bool gradient_test(double gradient_norm, const Tolerances& t, std::string* message) {
  if (!(gradient_norm <= t.gradient_tolerance)) return false;
  write_message(message, "max-norm of the projected gradient ", gradient_norm, " <= gradient_tolerance ",
                t.gradient_tolerance);
  return true;
}

inline bool parameter_test(double step_norm, double model_norm, const Tolerances& t, std::string* message) {
  const double limit = t.parameter_tolerance * (model_norm + t.parameter_tolerance);
  if (!(step_norm <= limit)) return false;
  write_message(message, "step norm ", step_norm, " <= parameter_tolerance * (|m| + parameter_tolerance) = ",
                limit);
  return true;
}

inline bool function_test(double sse_before, double sse_after, const Tolerances& t, std::string* message) {
  const double relative_decrease = (sse_before - sse_after) / sse_before;
  if (!(relative_decrease < t.function_tolerance)) return false;
  write_message(message, "relative cost decrease ", relative_decrease, " < function_tolerance ",
                t.function_tolerance);
  return true;
}

inline std::string max_iterations_message(const Tolerances& t, double sse, const char* last, double value) {
  return "reached max_iterations " + std::to_string(t.max_iterations) + " without meeting a tolerance (sse " +
         number(sse) + ", " + last + " " + number(value) + ")";
}

}  // namespace geoinv::lsq
