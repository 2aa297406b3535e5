// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A forward model that is the sum of several bodies, each any forward plugin: the host builds it from
// `forward: {sum: [{plugin: ..., options: ...}, ...]}` (docs/experiment-schema.md, "Summed bodies"), and
// every solver sees one ForwardModel.
//
// Naming. Body k (1-based, in the order of the list) contributes its parameters and its options with the
// suffix `_k`: two spheres give x0_1, alpha_1, h_1, K_1, x0_2, alpha_2, h_2, K_2, and a sphere's option
// `convention` becomes `convention_1` and `convention_2`. The parameter vector is the bodies' vectors one
// after the other; a background (BackgroundModel) wraps the sum and appends its coefficients unsuffixed.
//
// Contract, composed from the bodies':
//   - predict: the sum of the bodies' data;
//   - has_jacobian: when every body has one; the Jacobian is the bodies' blocks side by side;
//   - is_valid: every body valid (the first invalid body's reason, named by its suffix);
//   - canonicalize: each body canonicalized, then bodies that are exchangeable (same plugin, same
//     options) are sorted by their first parameter, ascending (x0 for every SP plugin), so that the
//     same pair of bodies found in either order reports the same numbers;
//   - estimate_start: body 1 from the observed data, each later body from what the earlier ones'
//     starts leave unexplained; false when any body offers none.
//
// It lives in the host (configuration room) beside the background, not in libgeoinv: it is how the host
// composes plugins from an experiment file, and a plugin never builds one.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "geoinv/forward_model.hpp"

namespace geoinv {

// One body of a sum: its plugin's name (for messages and exchangeability) and the model itself.
struct SummedBody {
  std::string plugin;
  std::shared_ptr<ForwardModel> model;
};

// The suffix of body `index` (0-based): "_1" for the first.
std::string body_suffix(std::size_t index);

class SummedForwardModel final : public ForwardModel {
 public:
  // At least one body; throws geoinv::Error (config) on none.
  explicit SummedForwardModel(std::vector<SummedBody> bodies);

  ParameterSpecs parameters() const override;
  OptionSpecs options() const override;
  // Splits the suffixed options among the bodies and configures each with the same stations.
  void configure(const OptionValues& options, const Vector& stations) override;
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override;
  bool has_jacobian() const override;
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override;
  void canonicalize(Eigen::Ref<Vector> model) const override;
  bool is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const override;
  bool estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const override;
  // Empty: a sum is written in an experiment file by hand, it has no example of its own.
  std::string example_yaml() const override;
  // The bodies' quantity when they all declare the same one (data of one kind add up); else empty.
  DataQuantity data_quantity() const override;

  // Body `index`'s own options out of the sum's suffixed ones (for the resolved configuration).
  OptionValues body_options(std::size_t index, const OptionValues& options) const;
  // The sum's suffixed options from each body's own (validated) options, in body order.
  OptionValues merge_options(const std::vector<OptionValues>& per_body) const;

 private:
  std::vector<SummedBody> bodies_;
  std::vector<Eigen::Index> offsets_, sizes_;  // each body's slice of the parameter vector
  std::vector<std::size_t> exchange_class_;    // bodies with equal classes may swap (set by configure)
};

}  // namespace geoinv
