#pragma once
// What the least-squares plugins use to declare and check their options beyond the host's generic
// validation: bounds for exclusive limits, and the check configure() repeats for callers that skip it.
#include <cmath>
#include <limits>
#include <string>

#include "geoinv/error.hpp"

namespace geoinv::lsq {

// OptionSpec bounds are inclusive; these are the nearest representable values to the exclusive bounds
// "> 0" and "> 1", so that the host's generic validation already refuses 0 and 1.
constexpr double kAboveZero = std::numeric_limits<double>::denorm_min();
inline const double kAboveOne = std::nextafter(1.0, 2.0);

// Throws a config error naming the plugin when `holds` is false: configure() guards callers that skip
// the host's validation against options().
inline void require(bool holds, const char* plugin, const std::string& what) {
  if (!holds) throw Error(Error::Category::config, std::string(plugin) + ": " + what);
}

}  // namespace geoinv::lsq
