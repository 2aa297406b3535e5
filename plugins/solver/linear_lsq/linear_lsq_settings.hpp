// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `linear_lsq` solver as values: one home for every default. README.md explains each.
#include <cstdint>

#include "geoinv/option_choices.hpp"

namespace geoinv::linear_lsq {

// How the regularised normal equations are solved (README.md, "Methods").
enum class Method { automatic, banded_cholesky, dense_cholesky, qr, cgls };

inline const OptionChoices<Method> kMethodWords{
    {"auto", Method::automatic},
    {"banded_cholesky", Method::banded_cholesky},
    {"dense_cholesky", Method::dense_cholesky},
    {"qr", Method::qr},
    {"cgls", Method::cgls},
};

struct Settings {
  Method method = Method::automatic;
  std::int64_t cgls_max_iterations = 1000;  // CGLS iterations (one apply and one transpose each), >= 1
  double cgls_tolerance = 1e-10;            // CGLS stops at ‖gradient‖ <= this × its start value, (0, 1)
  // auto picks dense methods up to this many parameters, CGLS above (when the operator has no band).
  std::int64_t dense_limit = 4000;
};

}  // namespace geoinv::linear_lsq
