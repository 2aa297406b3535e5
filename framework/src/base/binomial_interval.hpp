// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// How far a success rate measured on a finite number of runs can be trusted: the Wilson score interval
// of a binomial proportion, for summary.csv, the campaign figures and report.html (docs/campaigns.md).
//
// Wilson's interval (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the textbook Wald
// interval p ± z·√(p(1−p)/n)) inverts the score test, so it stays inside [0, 1], is not empty at 0 or n
// successes, and keeps close to its nominal coverage for the run counts of a campaign (tens to
// thousands):
//
//   centre    = (p + z²/2n) / (1 + z²/n)
//   half width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²),     p = successes / trials
//
// At 93 of 100 the 95 % interval is [0.863, 0.966]: 0.93 and 0.89 from 100 runs each are no evidence of a
// difference.
#include <cstdint>

namespace geoinv {

// z of a two-sided 95 % interval: the 97.5 % quantile of the standard normal distribution.
constexpr double kZ95 = 1.959963984540054;

// The bounds of a proportion's interval, each within [0, 1]; NaN when there were no trials.
struct ProportionInterval {
  double low;
  double high;
};

// Wilson's score interval of `successes` out of `trials` (0 ≤ successes ≤ trials) at the two-sided
// confidence of `z` (default 95 %).
ProportionInterval wilson_interval(std::int64_t successes, std::int64_t trials, double z = kZ95);

}  // namespace geoinv
