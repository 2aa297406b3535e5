// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options the seismic trace plugins share: which wavelet, and its settings. A trace's stations are
// its sample times (s), equally spaced; their spacing is the sample interval dt of the Ricker wavelet.
#include <cmath>
#include <cstdint>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/option_choices.hpp"
#include "seismic/wavelet.hpp"

namespace geoinv::seismic {

enum class WaveletKind { ricker, three_point };

inline const OptionChoices<WaveletKind> kWaveletWords{{"ricker", WaveletKind::ricker},
                                                      {"three_point", WaveletKind::three_point}};

struct TraceSettings {
  WaveletKind wavelet = WaveletKind::ricker;  // the wavelet's shape
  double frequency_hz = 30.0;                 // Ricker peak frequency, Hz, > 0
  std::int64_t ricker_half_length = 0;        // Ricker samples each side of the centre; 0: round(3/(f·dt))
  double three_point_before = -0.5;           // three_point weights: before, at and after the centre
  double three_point_centre = 1.0;
  double three_point_after = -0.5;
  std::string wavelet_file;  // a wavelet read from this file instead (wavelet.hpp); empty: none
};

// Declares the options of TraceSettings for a plugin whose settings struct holds one at `trace`.
template <typename Settings>
void add_trace_options(OptionBindings<Settings>& options, TraceSettings Settings::*trace) {
  options.choice("wavelet", nested(trace, &TraceSettings::wavelet), kWaveletWords,
                 "the wavelet: ricker (frequency_hz, ricker_half_length, dt from the stations) or three_point "
                 "(three_point_before, _centre, _after)");
  options.add("frequency_hz", nested(trace, &TraceSettings::frequency_hz), "Ricker peak frequency")
      .greater_than(0.0)
      .unit("Hz");
  options
      .add("ricker_half_length", nested(trace, &TraceSettings::ricker_half_length),
           "Ricker samples on each side of the centre; 0: round(3 / (frequency_hz * dt)), t in [-3/f, 3/f]")
      .at_least(0)
      .at_most(100000)
      .unit("samples");
  options.add("three_point_before", nested(trace, &TraceSettings::three_point_before),
              "three_point weight one sample before");
  options.add("three_point_centre", nested(trace, &TraceSettings::three_point_centre),
              "three_point weight at the centre");
  options.add("three_point_after", nested(trace, &TraceSettings::three_point_after),
              "three_point weight one sample after");
  options.add("wavelet_file", nested(trace, &TraceSettings::wavelet_file),
              "a text file of wavelet samples (odd count, middle one at time zero), absolute or relative to the "
              "working folder; when given it is the wavelet, and `wavelet` must be left at ricker; empty: none");
}

// The trace's sample interval from its stations (sample times, s): they must be at least two, increasing
// and equally spaced (to 1e-6 of the interval).
inline double sample_interval(const Vector& stations) {
  if (stations.size() < 2)
    throw Error(Error::Category::config, "a trace needs at least two samples (stations are the sample times, s)");
  const double dt = (stations(stations.size() - 1) - stations(0)) / static_cast<double>(stations.size() - 1);
  for (Eigen::Index i = 1; i < stations.size(); ++i)
    if (!(std::abs(stations(i) - stations(i - 1) - dt) <= 1e-6 * dt))
      throw Error(Error::Category::config,
                  "a trace's stations (sample times, s) must increase with a constant interval; station " +
                      std::to_string(i) + " breaks it");
  return dt;
}

inline Vector make_wavelet(const TraceSettings& settings, double dt_s) {
  if (!settings.wavelet_file.empty()) {
    if (settings.wavelet != WaveletKind::ricker)
      throw Error(Error::Category::config, "give either wavelet_file or wavelet: three_point, not both");
    return read_wavelet(settings.wavelet_file);
  }
  if (settings.wavelet == WaveletKind::three_point)
    return three_point(settings.three_point_before, settings.three_point_centre, settings.three_point_after);
  return ricker(settings.frequency_hz, dt_s, static_cast<Eigen::Index>(settings.ricker_half_length));
}

}  // namespace geoinv::seismic
