// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/parameter_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "geoinv/error.hpp"

namespace geoinv {

ParameterLayout::ParameterLayout(ParameterSpecs specs) : specs_(std::move(specs)) {
  offsets_.reserve(specs_.size());
  for (std::size_t p = 0; p < specs_.size(); ++p) {
    const ParameterSpec& spec = specs_[p];
    if (spec.size == 0)
      throw Error(Error::Category::plugin,
                  fmt::format("parameter '{}' is a block of size 0: a block is sized by configure()", spec.name));
    offsets_.push_back(total_);
    total_ += static_cast<Eigen::Index>(spec.size);
    if (spec.size != 1) has_blocks_ = true;
  }
}

std::size_t ParameterLayout::block_of(Eigen::Index j) const {
  const auto after = std::upper_bound(offsets_.begin(), offsets_.end(), j);
  return static_cast<std::size_t>(after - offsets_.begin()) - 1;
}

std::string ParameterLayout::value_name(Eigen::Index j) const {
  const std::size_t p = block_of(j);
  if (!is_block(p)) return specs_[p].name;
  return fmt::format("{}[{}]", specs_[p].name, j - offsets_[p]);
}

std::optional<std::size_t> ParameterLayout::find(const std::string& name) const {
  for (std::size_t p = 0; p < specs_.size(); ++p)
    if (specs_[p].name == name) return p;
  return std::nullopt;
}

ParameterSpecs ParameterLayout::flattened() const {
  if (!has_blocks_) return specs_;
  ParameterSpecs flat;
  flat.reserve(static_cast<std::size_t>(total_));
  for (Eigen::Index j = 0; j < total_; ++j) {
    ParameterSpec value = specs_[block_of(j)];
    value.name = value_name(j);
    value.size = 1;
    flat.push_back(std::move(value));
  }
  return flat;
}

}  // namespace geoinv
