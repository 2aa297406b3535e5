// SPDX-License-Identifier: BSD-3-Clause
#include <algorithm>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"

namespace geoinv {

Matrix trace_windows(const Eigen::Ref<const Vector>& trace, Eigen::Index width) {
  if (width < 1 || width % 2 == 0)
    throw Error(Error::Category::config,
                "a window is an odd number of samples (centred on its sample), got " + std::to_string(width));
  const Eigen::Index samples = trace.size(), half = width / 2;
  Matrix windows = Matrix::Zero(samples, width);
  for (Eigen::Index i = 0; i < samples; ++i) {
    const Eigen::Index first = std::max<Eigen::Index>(0, i - half), last = std::min(samples - 1, i + half);
    if (first <= last)
      windows.row(i).segment(first - (i - half), last - first + 1) =
          trace.segment(first, last - first + 1).transpose();
  }
  return windows;
}

}  // namespace geoinv
