// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "geoinv/export.hpp"

namespace geoinv {

// One model parameter, as a forward plugin declares it (after pyGIMLi's named parameters).
// Values are in internal units: angles in radians. YAML files and outputs show angles in degrees; the
// host converts at its boundary, so plugins and solvers only ever see radians.
//
// A parameter is a scalar (size 1, the default) or a block of `size` values sharing one name, unit,
// default bounds and scale, e.g. a reflectivity `r` with one value per trace sample. A block whose size
// depends on the configuration is declared with size 0 before configure(); after configure() the model
// returns every block with its final size (>= 1). The model vector solvers see stays flat: the values of
// the parameters concatenated in declaration order (parameter_layout.hpp maps a flat index to name[i]).
// Added in plugin API 4.0.
struct GEOINV_API ParameterSpec {
  std::string name;  // key in YAML and outputs, e.g. "x0"
  std::string unit;  // display unit, e.g. "m", "deg", "mV*m^2"
  double lower = -std::numeric_limits<double>::infinity();  // default bound (internal units)
  double upper = std::numeric_limits<double>::infinity();   // default bound (internal units)
  bool is_angle = false;  // periodic; shown in degrees
  double scale = 1.0;     // typical magnitude (internal units), for finite differences and scaling
  std::string doc;        // one line for `geoinv describe`
  // The number of values of this parameter. 1 is a scalar; a block (e.g. `r`, one value per trace
  // sample) has size > 1, or 0 in a declaration made before configure() when its size depends on the
  // configuration. After configure(), parameters() returns every block with its final size. The model
  // vector every solver sees stays flat: the blocks' values concatenated in declaration order.
  std::size_t size = 1;
};

using ParameterSpecs = std::vector<ParameterSpec>;

// Degrees <-> radians, in one place.
constexpr double kPi = 3.14159265358979323846;
constexpr double to_radians(double degrees) { return degrees * (kPi / 180.0); }
constexpr double to_degrees(double radians) { return radians * (180.0 / kPi); }

// Internal value -> value shown to the user (degrees for angles), and back.
inline double to_display(const ParameterSpec& spec, double internal) {
  return spec.is_angle ? to_degrees(internal) : internal;
}
inline double from_display(const ParameterSpec& spec, double shown) {
  return spec.is_angle ? to_radians(shown) : shown;
}
// The unit shown to the user.
inline std::string display_unit(const ParameterSpec& spec) { return spec.is_angle ? "deg" : spec.unit; }

// Wraps an angle in radians into [0, 2π).
GEOINV_API double wrap_angle(double radians);

}  // namespace geoinv
