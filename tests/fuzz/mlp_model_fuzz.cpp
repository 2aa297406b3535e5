// SPDX-License-Identifier: BSD-3-Clause
// The mlp plugin's model file reader (plugins/solver/mlp, mlp::Model::load) on any bytes.
#include "fuzz_support.hpp"
#include "geoinv/error.hpp"
#include "mlp_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = geoinv::fuzz::write_scratch_file("model.json", geoinv::fuzz::as_text(data, size));
  try {
    geoinv::mlp::Model model;
    model.load(file);
  } catch (const geoinv::Error&) {
  }
  return 0;
}
