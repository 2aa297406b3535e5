// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the model's training and its file (mlp_model.cpp, mlp_model_file.cpp) share: the JSON type the
// file is written with (keys in insertion order), the plugin's error, and vectors as JSON arrays.
#include <Eigen/Core>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv::mlp {

using Json = nlohmann::ordered_json;

[[noreturn]] inline void fail(Error::Category category, const std::string& message) {
  throw Error(category, "mlp: " + message);
}

inline Json vector_json(const Eigen::Ref<const Eigen::VectorXd>& values) {
  return Json(std::vector<double>(values.data(), values.data() + values.size()));
}

}  // namespace geoinv::mlp
