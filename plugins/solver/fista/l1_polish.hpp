// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The support solve that ends fista on an L1-regularised linear problem exactly. Once proximal gradient
// has found the support S of u = m − m_ref and its signs s, the minimiser of
// Φ = mᵀGm − 2cᵀm + q + λ‖u‖₁ solves the smooth system on S,
//
//     G_SS u_S = c_S − (G m_ref)_S − (λ/2) s,     u = 0 off S,
//
// and it is the minimiser exactly when the optimality conditions hold: sign(u_S) = s and
// |∇Q(m)_j| <= λ for j off S (∇Q = 2(Gm − c)). The check is strict, so a wrong support is never
// accepted; the iterations then simply continue. This is the active-set refinement of homotopy and
// LARS-type methods, used here as a finishing step (README.md, "Support solve").
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <optional>
#include <vector>

#include "geoinv/problem.hpp"
#include "geoinv_linear/gram.hpp"

namespace geoinv::fista {

inline std::optional<Vector> l1_support_solve(const linear::Gram& gram, const Problem& problem, const Vector& x) {
  const Regularization& reg = problem.regularization();
  const Vector ref = reg.reference.size() == 0 ? Vector::Zero(x.size()) : reg.reference;
  std::vector<Eigen::Index> support;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (x(i) != ref(i)) support.push_back(i);
  const auto k = static_cast<Eigen::Index>(support.size());
  Vector g_ref(x.size());
  linear::symmetric_band_product(gram.g, ref, g_ref);
  Matrix system(k, k);
  Vector rhs(k), signs(k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const Eigen::Index i = support[static_cast<std::size_t>(a)];
    signs(a) = x(i) > ref(i) ? 1.0 : -1.0;
    rhs(a) = gram.c(i) - g_ref(i) - 0.5 * reg.lambda * signs(a);
    for (Eigen::Index b = 0; b < k; ++b) system(a, b) = gram.entry(i, support[static_cast<std::size_t>(b)]);
  }
  Vector m = ref;
  if (k > 0) {
    const Eigen::LLT<Matrix> factor(system);
    if (factor.info() != Eigen::Success) return std::nullopt;
    const Vector u = factor.solve(rhs);
    for (Eigen::Index a = 0; a < k; ++a) {
      if (!(u(a) * signs(a) > 0.0)) return std::nullopt;  // a sign flipped or a value reached 0
      m(support[static_cast<std::size_t>(a)]) += u(a);
    }
  }
  if (!problem.in_bounds(m)) return std::nullopt;
  Vector gm(x.size());
  linear::symmetric_band_product(gram.g, m, gm);
  const Vector gradient = 2.0 * (gm - gram.c);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (m(i) == ref(i) && std::abs(gradient(i)) > reg.lambda * (1.0 + 1e-9)) return std::nullopt;
  return m;
}

}  // namespace geoinv::fista
