// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The wavelets of the seismic trace plugins, each of odd length with its centre sample at time zero
// (convolution.hpp):
//
//   ricker(f, dt, half)   w(t) = (1 − 2π²f²t²)·exp(−π²f²t²) at t = k·dt, k = −half..half; half 0 means
//                         round(3 / (f·dt)) samples, t in [−3/f, 3/f] (101 samples at 30 Hz and 2 ms:
//                         |w| < 2e-9 beyond 1.5/f, so the tails are zeros in practice). Peak 1 at t = 0.
//   three_point(a, b, c)  (a, b, c): Russell's wavelet with negative side lobes is (−½, 1, −½).
//   read_wavelet(file)    a text file of samples separated by spaces, commas or newlines ('#' starts a
//                         comment line); an odd count, the middle one at time zero.
#include <Eigen/Core>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv::seismic {

inline Eigen::VectorXd ricker(double frequency_hz, double dt_s, Eigen::Index half_length = 0) {
  constexpr double kPi = 3.14159265358979323846;
  if (half_length <= 0) half_length = static_cast<Eigen::Index>(std::lround(3.0 / (frequency_hz * dt_s)));
  Eigen::VectorXd w(2 * half_length + 1);
  for (Eigen::Index k = -half_length; k <= half_length; ++k) {
    const double a = std::pow(kPi * frequency_hz * dt_s * static_cast<double>(k), 2);
    w(k + half_length) = (1.0 - 2.0 * a) * std::exp(-a);
  }
  return w;
}

inline Eigen::VectorXd three_point(double before, double centre, double after) {
  Eigen::VectorXd w(3);
  w << before, centre, after;
  return w;
}

// Throws geoinv::Error (config) naming the file and, for a bad number, its line.
inline Eigen::VectorXd read_wavelet(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error(Error::Category::config, "cannot read the wavelet file", {file.string()});
  std::vector<double> samples;
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    if (!line.empty() && line[0] == '#') continue;
    for (char& c : line)
      if (c == ',' || c == '\t' || c == '\r') c = ' ';
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      char* end = nullptr;
      const double value = std::strtod(word.c_str(), &end);
      if (end != word.c_str() + word.size() || !std::isfinite(value))
        throw Error(Error::Category::config,
                    "wavelet file line " + std::to_string(line_number) + ": '" + word + "' is not a finite number",
                    {file.string()});
      samples.push_back(value);
    }
  }
  if (samples.size() % 2 == 0)
    throw Error(Error::Category::config,
                "a wavelet needs an odd number of samples (the middle one at time zero); the file has " +
                    std::to_string(samples.size()),
                {file.string()});
  return Eigen::Map<const Eigen::VectorXd>(samples.data(), static_cast<Eigen::Index>(samples.size()));
}

}  // namespace geoinv::seismic
