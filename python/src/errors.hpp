// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include "bindings.hpp"
#include "geoinv/error.hpp"

namespace geoinv_python {

// Sets the Python error indicator to the geoinv.errors class of `error`'s category (ConfigError, ...),
// carrying the CLI's text. The caller returns to Python (or throws py::error_already_set).
void raise_as_python(const geoinv::Error& error);

}  // namespace geoinv_python
