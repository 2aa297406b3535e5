// SPDX-License-Identifier: BSD-3-Clause
// The `nelder_mead` solver plugin: the downhill simplex method of Nelder and Mead (1965), with the
// standard coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2; Lagarias et al. 1998),
// bounded by projection, restarted from its best vertex once it has converged. It needs no derivatives:
// one forward evaluation per trial point. See README.md.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

using geoinv::Termination;
using geoinv::Vector;

// Three significant digits, for messages.
std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

constexpr double kReflection = 1.0, kExpansion = 2.0, kContraction = 0.5, kShrink = 0.5;

struct Settings {
  std::int64_t max_iterations = 5000;
  std::int64_t restarts = 2;
  double initial_step = 0.1;
  double function_tolerance = 1e-12;
  double parameter_tolerance = 1e-9;
};

// Each option declared once, bound to the member it fills; its default is that member's value above.
geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options
      .add("max_iterations", &Settings::max_iterations,
           "simplex iterations (reflections, expansions, contractions, shrinks), restarts included")
      .at_least(1);
  options
      .add("restarts", &Settings::restarts,
           "fresh simplices built around the best vertex after convergence, until one no longer improves "
           "the cost by more than function_tolerance")
      .at_least(0);
  options
      .add("initial_step", &Settings::initial_step,
           "edge of the first simplex, as a fraction of max(|m_j|, scale_j) (scale_j alone for an angle)")
      .greater_than(0.0);
  options
      .add("function_tolerance", &Settings::function_tolerance,
           "stop when the costs of the worst and best vertices differ by at most this times (best cost + this)")
      .at_least(0.0);
  options
      .add("parameter_tolerance", &Settings::parameter_tolerance,
           "stop when every vertex lies within this times max(|m_j|, scale_j) of the best, per parameter")
      .at_least(0.0);
  return options;
}

// The simplex: n + 1 vertices and their costs, kept sorted best first.
struct Simplex {
  std::vector<Vector> vertices;
  std::vector<double> costs;

  void sort() {
    std::vector<std::size_t> order(vertices.size());
    std::iota(order.begin(), order.end(), 0);
    // Stable: equal costs keep their order, so the run is the same on every machine.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] < costs[b]; });
    std::vector<Vector> sorted_vertices;
    std::vector<double> sorted_costs;
    for (std::size_t i : order) {
      sorted_vertices.push_back(vertices[i]);
      sorted_costs.push_back(costs[i]);
    }
    vertices = std::move(sorted_vertices);
    costs = std::move(sorted_costs);
  }
  const Vector& best() const { return vertices.front(); }
  double spread() const { return costs.back() - costs.front(); }
};

class NelderMead final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start, const geoinv::SolveContext&) override {
    problem_ = &problem;
    residuals_.resize(problem.num_data());
    geoinv::SolverOutcome outcome;
    outcome.trace = geoinv::Trace({"iteration", "sse", "spread", "diameter", "restart"});
    Vector centre = start;
    problem.project(centre);
    Simplex simplex = initial_simplex(centre);
    int iteration = 0;
    outcome.trace.add_row({0.0, simplex.costs.front(), simplex.spread(), diameter(simplex), 0.0});
    for (std::int64_t restart = 0;; ++restart) {
      const double before = simplex.costs.front();
      outcome.termination = Termination::max_iterations;
      while (iteration < settings_.max_iterations) {
        ++iteration;
        step(simplex);
        outcome.trace.add_row({static_cast<double>(iteration), simplex.costs.front(), simplex.spread(),
                               diameter(simplex), static_cast<double>(restart)});
        if (flat(simplex)) {
          outcome.termination = Termination::function_tolerance;
          break;
        }
        if (diameter(simplex) <= settings_.parameter_tolerance) {
          outcome.termination = Termination::parameter_tolerance;
          break;
        }
      }
      const bool improved = restart == 0 || before - simplex.costs.front() > settings_.function_tolerance *
                                                                                  (simplex.costs.front() + settings_.function_tolerance);
      if (outcome.termination == Termination::max_iterations || !improved || restart == settings_.restarts) {
        outcome.message = message(outcome.termination, simplex, restart);
        break;
      }
      simplex = initial_simplex(simplex.best());
    }
    outcome.estimate = simplex.best();
    outcome.iterations = iteration;
    if (!std::isfinite(simplex.costs.front())) {
      outcome.termination = Termination::numerical_failure;
      outcome.message = "no vertex of the simplex gave finite residuals";
    }
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  // Σ r² at `model` projected into the bounds; +∞ where the forward model refuses it or is not finite.
  double cost(Vector& model) {
    problem_->project(model);
    double value = 0.0;
    if (!problem_->residuals(model, residuals_, &value)) return std::numeric_limits<double>::infinity();
    return value;
  }

  // How far a parameter may reasonably move: its magnitude, or its typical scale near zero and for angles.
  double reach(Eigen::Index j, double value) const {
    const geoinv::ParameterSpec& spec = problem_->parameters()[static_cast<std::size_t>(j)];
    return spec.is_angle ? spec.scale : std::max(std::abs(value), spec.scale);
  }

  Simplex initial_simplex(const Vector& centre) {
    Simplex simplex;
    Vector first = centre;
    simplex.costs.push_back(cost(first));
    simplex.vertices.push_back(first);
    for (Eigen::Index j = 0; j < centre.size(); ++j) {
      Vector vertex = centre;
      const double edge = settings_.initial_step * reach(j, centre(j));
      vertex(j) += edge;
      // Against an upper bound the vertex goes the other way, so the simplex never collapses.
      if (vertex(j) > problem_->upper_bounds()(j)) vertex(j) = centre(j) - edge;
      simplex.costs.push_back(cost(vertex));
      simplex.vertices.push_back(vertex);
    }
    simplex.sort();
    return simplex;
  }

  // One Nelder-Mead iteration on a sorted simplex; leaves it sorted.
  void step(Simplex& s) {
    const std::size_t worst = s.vertices.size() - 1;
    Vector centroid = Vector::Zero(s.best().size());
    for (std::size_t i = 0; i < worst; ++i) centroid += s.vertices[i];
    centroid /= static_cast<double>(worst);
    const auto along = [&](double coefficient) {
      Vector point = centroid + coefficient * (centroid - s.vertices[worst]);
      const double value = cost(point);
      return std::make_pair(point, value);
    };
    auto [reflected, reflected_cost] = along(kReflection);
    if (reflected_cost < s.costs.front()) {
      auto [expanded, expanded_cost] = along(kExpansion);
      replace_worst(s, expanded_cost < reflected_cost ? expanded : reflected, std::min(expanded_cost, reflected_cost));
    } else if (reflected_cost < s.costs[worst - 1]) {
      replace_worst(s, reflected, reflected_cost);
    } else {
      const bool outside = reflected_cost < s.costs[worst];
      auto [contracted, contracted_cost] = along(outside ? kContraction : -kContraction);
      if (contracted_cost < std::min(reflected_cost, s.costs[worst])) {
        replace_worst(s, contracted, contracted_cost);
      } else {
        for (std::size_t i = 1; i < s.vertices.size(); ++i) {
          s.vertices[i] = s.best() + kShrink * (s.vertices[i] - s.best());
          s.costs[i] = cost(s.vertices[i]);
        }
      }
    }
    s.sort();
  }

  static void replace_worst(Simplex& s, const Vector& vertex, double value) {
    s.vertices.back() = vertex;
    s.costs.back() = value;
  }

  bool flat(const Simplex& s) const {
    const double best = s.costs.front();
    return std::isfinite(best) &&
           s.spread() <= settings_.function_tolerance * (best + settings_.function_tolerance);
  }

  // The largest distance of a vertex from the best, per parameter, relative to that parameter's reach.
  double diameter(const Simplex& s) const {
    double largest = 0.0;
    for (const Vector& vertex : s.vertices)
      for (Eigen::Index j = 0; j < vertex.size(); ++j)
        largest = std::max(largest, std::abs(vertex(j) - s.best()(j)) / reach(j, s.best()(j)));
    return largest;
  }

  std::string message(Termination termination, const Simplex& s, std::int64_t restart) const {
    const std::string after = " after " + std::to_string(restart) + " restart(s)";
    switch (termination) {
      case Termination::function_tolerance:
        return "the simplex's costs differ by " + short_number(s.spread()) + " <= function_tolerance" + after;
      case Termination::parameter_tolerance:
        return "the simplex is narrower than parameter_tolerance (" + short_number(diameter(s)) + ")" + after;
      default:
        return "max_iterations (" + std::to_string(settings_.max_iterations) + ") reached" + after;
    }
  }

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  geoinv::Problem* problem_ = nullptr;
  Vector residuals_;
};

}  // namespace

GEOINV_SOLVER_PLUGIN(NelderMead, "nelder_mead", "1.0.0", "Nelder-Mead downhill simplex, bounded by projection")
