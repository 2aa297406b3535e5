// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include <memory>
#include <string>

#include "geoinv/export.hpp"
#include "geoinv/linear_operator.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

// A forward model: predicts data at a fixed set of stations from a parameter vector of any size.
//
// The host calls, in order:
//   parameters(), options()         - declarations, any time, cheap;
//   configure(options, stations)    - once per problem: options validated against options(), every
//                                     default filled in; stations are positions along the profile (m).
//                                     Precompute here whatever depends on them;
//   predict(...) / predict_with_jacobian(...) - many times. They are const and must not touch shared
//                                     state, so each worker thread may own its own instance.
//
// Evaluation is batched: one call fills the whole data vector (no virtual call per station). The output
// arguments are already sized by the caller (num_stations, and num_stations x num_parameters for the
// Jacobian), so an implementation never allocates in the hot path.
//
// A plugin without an analytic Jacobian leaves has_jacobian() false; the host then uses central
// differences (Problem). A plugin that throws from any method fails the run with the plugin's message.
// What a forward model's data measure, for axis labels and result.json ("forward": "quantity", "unit"):
// `name` a short word or symbol ("SP", "gravity anomaly"), `unit` its unit as the model computes it
// ("mV"); either may be empty when the model does not say. An experiment's data.unit, when given, is the
// unit shown instead (the data's own declaration wins over the model's).
struct DataQuantity {
  std::string name;
  std::string unit;
};

class GEOINV_API ForwardModel {
 public:
  virtual ~ForwardModel();

  virtual ParameterSpecs parameters() const = 0;
  virtual OptionSpecs options() const { return {}; }

  virtual void configure(const OptionValues& options, const Vector& stations) = 0;

  // data(i) = V(stations(i); model). Model in internal units (angles in radians).
  virtual void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const = 0;

  virtual bool has_jacobian() const { return false; }
  // data as predict(); jacobian(i, j) = d data(i) / d model(j). Only called when has_jacobian().
  virtual void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                                     Eigen::Ref<Matrix> jacobian) const;

  // Rewrites `model` in place into the canonical member of its class of exact symmetries (models that
  // give identical data), so that two solvers that found the same body report the same numbers.
  // Default: no symmetry.
  virtual void canonicalize(Eigen::Ref<Vector> model) const;

  // Physical constraints beyond the box bounds (e.g. a sheet's top below ground). Returns false and says
  // why (when `why` is not null) when `model` violates one. Called on every evaluation a solver asks
  // for, so keep it cheap. Default: every model within bounds is valid.
  virtual bool is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const;

  // A start model estimated from the observed data alone (e.g. for SP: x0 at the extremum, h from the
  // half-width), for `start: {strategy: data_driven}`. Returns false when the model offers none.
  // Each plugin documents its rule in its README.
  virtual bool estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const;

  // What the data measure (DataQuantity above). Optional: the default, {"", ""}, labels the axes
  // "data [<data.unit or data unit>]". Added in plugin API 3.0 (docs/plugin-api.md).
  virtual DataQuantity data_quantity() const;

  // A linear model (data = A·model for a matrix A fixed at configure()) returns A here, so that solvers
  // use it instead of finite differences or repeated Jacobians (linear_operator.hpp); predict() must
  // equal A·model. Called after configure(); the operator may be shared and must stay valid while the
  // model lives. Default: null, not linear. Added in plugin API 4.0.
  virtual std::shared_ptr<const LinearOperator> linear_operator() const;

  // A complete, copy-pasteable experiment (YAML) that uses this model: printed by `geoinv describe`,
  // kept in the plugin's README, and run by the tests. Paths in it must not depend on the caller.
  virtual std::string example_yaml() const = 0;
};

}  // namespace geoinv
