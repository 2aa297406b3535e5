// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/trace.hpp"

#include "geoinv/error.hpp"

namespace geoinv {

Trace::Trace(std::vector<std::string> columns) : columns_(std::move(columns)) {}

void Trace::add_row(std::initializer_list<double> values) {
  if (values.size() != columns_.size())
    throw Error(Error::Category::plugin, "trace row has " + std::to_string(values.size()) +
                                             " values for " + std::to_string(columns_.size()) + " columns");
  values_.insert(values_.end(), values.begin(), values.end());
}

void Trace::add_row(const std::vector<double>& values) {
  if (values.size() != columns_.size())
    throw Error(Error::Category::plugin, "trace row has " + std::to_string(values.size()) +
                                             " values for " + std::to_string(columns_.size()) + " columns");
  values_.insert(values_.end(), values.begin(), values.end());
}

}  // namespace geoinv
