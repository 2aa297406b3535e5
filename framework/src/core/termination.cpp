// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/termination.hpp"

#include <array>
#include <utility>

namespace geoinv {

namespace {
constexpr std::array<std::pair<Termination, const char*>, 9> kNames{{
    {Termination::function_tolerance, "function_tolerance"},
    {Termination::gradient_tolerance, "gradient_tolerance"},
    {Termination::parameter_tolerance, "parameter_tolerance"},
    {Termination::max_iterations, "max_iterations"},
    {Termination::budget_exhausted, "budget_exhausted"},
    {Termination::numerical_failure, "numerical_failure"},
    {Termination::plugin_failure, "plugin_failure"},
    {Termination::no_iterations, "no_iterations"},
    {Termination::samples_drawn, "samples_drawn"},
}};
}  // namespace

RunStatus status_of(Termination termination) {
  switch (termination) {
    case Termination::function_tolerance:
    case Termination::gradient_tolerance:
    case Termination::parameter_tolerance:
    case Termination::no_iterations:
    case Termination::samples_drawn: return RunStatus::converged;
    case Termination::max_iterations:
    case Termination::budget_exhausted: return RunStatus::not_converged;
    case Termination::numerical_failure:
    case Termination::plugin_failure: return RunStatus::failed;
  }
  return RunStatus::failed;
}

std::string to_string(Termination termination) {
  for (const auto& [value, name] : kNames)
    if (value == termination) return name;
  return "unknown";
}

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::converged: return "converged";
    case RunStatus::not_converged: return "not_converged";
    case RunStatus::failed: return "failed";
  }
  return "unknown";
}

std::optional<Termination> termination_from_string(const std::string& word) {
  for (const auto& [value, name] : kNames)
    if (word == name) return value;
  return std::nullopt;
}

}  // namespace geoinv
