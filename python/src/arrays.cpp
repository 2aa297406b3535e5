// SPDX-License-Identifier: BSD-3-Clause
#include "arrays.hpp"

#include <fmt/format.h>

#include <utility>

#include "geoinv/error.hpp"

namespace geoinv_python {

namespace {
template <typename Owned>
py::capsule owner_of(Owned* owned) {
  return py::capsule(owned, [](void* pointer) { delete static_cast<Owned*>(pointer); });
}
}  // namespace

py::array to_numpy(geoinv::Vector&& vector) {
  auto* owned = new geoinv::Vector(std::move(vector));
  return py::array_t<double>({owned->size()}, {sizeof(double)}, owned->data(), owner_of(owned));
}

py::array to_numpy(geoinv::Matrix&& matrix) {
  auto* owned = new geoinv::Matrix(std::move(matrix));
  const auto rows = owned->rows(), cols = owned->cols();
  return py::array_t<double>({rows, cols}, {sizeof(double), sizeof(double) * static_cast<std::size_t>(rows)},
                             owned->data(), owner_of(owned));
}

Eigen::Map<const geoinv::Vector> vector_view(const DoubleArray& array, const char* what,
                                             Eigen::Index expected_size) {
  const auto shape_text = [&array] {
    std::string text = "(";
    for (py::ssize_t d = 0; d < array.ndim(); ++d) text += fmt::format("{}{}", d ? ", " : "", array.shape(d));
    return text + (array.ndim() == 1 ? ",)" : ")");
  };
  if (array.ndim() != 1 || (expected_size >= 0 && array.shape(0) != expected_size))
    throw geoinv::Error(geoinv::Error::Category::usage,
                        fmt::format("{} must be a 1-D array{}; got shape {}", what,
                                    expected_size >= 0 ? fmt::format(" of shape ({},)", expected_size) : "",
                                    shape_text()));
  return {array.data(), static_cast<Eigen::Index>(array.shape(0))};
}

}  // namespace geoinv_python
