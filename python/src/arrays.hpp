// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Eigen <-> NumPy without copies where the layouts allow (docs/python.md, "Copies"):
//  - a Vector or Matrix the host made and hands over is moved into a capsule that the NumPy array owns
//    (to_numpy): no copy; a Matrix keeps Eigen's column-major (Fortran) order;
//  - a NumPy float64 array that is contiguous reaches C++ as an Eigen::Map over its buffer
//    (model_from_numpy): no copy. Any other dtype or stride is converted once, by NumPy.
#include <pybind11/numpy.h>

#include <string>

#include "bindings.hpp"
#include "geoinv/forward_model.hpp"

namespace geoinv_python {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array to_numpy(geoinv::Vector&& vector);
py::array to_numpy(geoinv::Matrix&& matrix);

// A 1-D float64 view of `array` (converted once when it is not float64 or not contiguous). A wrong
// number of dimensions, or a length other than `expected_size` (when >= 0), is a UsageError naming `what`,
// the shape given and the shape expected.
Eigen::Map<const geoinv::Vector> vector_view(const DoubleArray& array, const char* what,
                                             Eigen::Index expected_size = -1);

}  // namespace geoinv_python
