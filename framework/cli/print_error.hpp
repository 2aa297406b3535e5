// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// How the geoinv command reports an error that ends it: one line on stderr and the error's exit code.
#include <exception>
#include <iostream>

#include "geoinv/error.hpp"

namespace geoinv_cli {

// Prints `failure` as "geoinv: error: …" (an input or environment error, with its category's exit code)
// or "geoinv: internal error: …" (anything else, exit code 1) and returns the exit code.
inline int print_error(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const geoinv::Error& error) {
    std::cerr << "geoinv: error: " << error.what() << std::endl;
    return error.exit_code();
  } catch (const std::exception& error) {
    std::cerr << "geoinv: internal error: " << error.what() << std::endl;
  } catch (...) {
    std::cerr << "geoinv: internal error: unknown exception" << std::endl;
  }
  return 1;
}

}  // namespace geoinv_cli
