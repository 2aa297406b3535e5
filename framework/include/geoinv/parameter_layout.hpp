// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Where each declared parameter sits in the flat model vector (parameter.hpp: a scalar takes one value,
// a block `size` values, concatenated in declaration order).
//
//   ParameterLayout layout(model.parameters());    // after configure(): every size final
//   layout.offset(b), layout.size(b)                // the values of parameter b: model.segment(offset, size)
//   layout.block_of(j), layout.value_name(j)        // flat index j -> its parameter, "x0" or "r[17]"
//   layout.flattened()                              // one size-1 spec per value, named as value_name
//
// A model without blocks has offset(b) == b and flattened() equal to its declarations, so code written
// for scalars sees no difference. Problem::parameters() is the flattened list (one spec per value), so
// every solver that indexes parameters()[j] for j < num_parameters() works unchanged on a block model.
// Added in plugin API 4.0.
#include <Eigen/Core>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "geoinv/export.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv {

class GEOINV_API ParameterLayout {
 public:
  ParameterLayout() = default;
  // Throws geoinv::Error (plugin) when a size is 0 (a block not yet sized: call after configure()).
  // Names are not checked here (the forward conformance suite holds plugins to unique names).
  explicit ParameterLayout(ParameterSpecs specs);

  const ParameterSpecs& specs() const { return specs_; }
  std::size_t count() const { return specs_.size(); }  // declared parameters (a block counts once)
  Eigen::Index total_size() const { return total_; }   // length of the flat model vector
  bool has_blocks() const { return has_blocks_; }      // any parameter with size != 1

  Eigen::Index offset(std::size_t parameter) const { return offsets_[parameter]; }
  Eigen::Index size(std::size_t parameter) const { return static_cast<Eigen::Index>(specs_[parameter].size); }
  bool is_block(std::size_t parameter) const { return specs_[parameter].size != 1; }

  // The declared parameter that flat index `j` (0 <= j < total_size()) belongs to.
  std::size_t block_of(Eigen::Index j) const;
  // "x0" for a scalar, "r[17]" for value 17 of block r (0-based).
  std::string value_name(Eigen::Index j) const;
  // The index of the first parameter called `name`, or nullopt.
  std::optional<std::size_t> find(const std::string& name) const;

  // One size-1 spec per flat value, named by value_name, with its block's unit, bounds, scale and doc.
  ParameterSpecs flattened() const;

 private:
  ParameterSpecs specs_;
  std::vector<Eigen::Index> offsets_;
  Eigen::Index total_ = 0;
  bool has_blocks_ = false;
};

}  // namespace geoinv
