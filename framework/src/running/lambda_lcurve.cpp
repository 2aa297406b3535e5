// SPDX-License-Identifier: BSD-3-Clause
#include <cmath>

#include "running/lambda_rules.hpp"

namespace geoinv {

namespace {

struct CurvePoint {
  double x, y;
};

// Signed Menger curvature of the circle through a, b, c; NaN when two of them coincide.
double menger_curvature(CurvePoint a, CurvePoint b, CurvePoint c) {
  const double cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  const double ab = std::hypot(b.x - a.x, b.y - a.y), bc = std::hypot(c.x - b.x, c.y - b.y),
               ac = std::hypot(c.x - a.x, c.y - a.y);
  const double lengths = ab * bc * ac;
  return lengths > 0.0 ? 2.0 * cross / lengths : std::nan("");
}

}  // namespace

std::size_t choose_lcurve_corner(std::vector<LambdaPoint>& curve) {
  std::vector<std::size_t> usable;
  std::vector<CurvePoint> points;
  for (std::size_t i = 0; i < curve.size(); ++i)
    if (curve[i].misfit > 0.0 && curve[i].regularization > 0.0) {
      usable.push_back(i);
      points.push_back({std::log10(curve[i].misfit), std::log10(curve[i].regularization)});
    }
  std::size_t chosen = usable.empty() ? 0 : usable.front();
  bool found = false;
  for (std::size_t k = 1; k + 1 < points.size(); ++k) {
    LambdaPoint& point = curve[usable[k]];
    point.curvature = menger_curvature(points[k - 1], points[k], points[k + 1]);
    if (std::isfinite(point.curvature) && (!found || point.curvature > curve[chosen].curvature)) {
      chosen = usable[k];
      found = true;
    }
  }
  return chosen;
}

}  // namespace geoinv
