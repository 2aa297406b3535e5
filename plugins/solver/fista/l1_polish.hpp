// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The support solve that ends fista on an L1-regularised linear problem exactly. For a support S of
// u = m − m_ref with signs s, the minimiser of Φ = mᵀGm − 2cᵀm + q + λ‖u‖₁ restricted to that support
// solves the smooth system
//
//     G_SS u_S = c_S − (G m_ref)_S − (λ/2) s,     u = 0 off S,
//
// and it is the minimiser of Φ exactly when the optimality conditions hold: sign(u_S) = s and
// |∇Q(m)_j| <= λ for j off S (∇Q = 2(Gm − c)). Starting from the support and signs of the current FISTA
// iterate, up to kSupportRounds rounds of a primal-dual active-set update (Hintermüller, Ito & Kunisch
// 2002) correct the guess: coefficients whose sign flipped leave S, coordinates off S whose gradient
// exceeds λ enter it with the sign that lowers Φ. A result is returned only when the conditions hold, so a
// wrong support is never accepted; the iterations then simply continue (README.md, "Support solve").
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <optional>
#include <vector>

#include "geoinv/problem.hpp"
#include "geoinv_linear/gram.hpp"

namespace geoinv::fista {

inline constexpr int kSupportRounds = 4;

namespace detail {

// u on `support` with `signs` from the smooth system above; nullopt when G_SS is not positive definite.
inline std::optional<Vector> solve_on_support(const linear::Gram& gram, const Vector& g_ref, double lambda,
                                              const std::vector<Eigen::Index>& support, const Vector& signs) {
  const auto k = static_cast<Eigen::Index>(support.size());
  Matrix system(k, k);
  Vector rhs(k);
  for (Eigen::Index a = 0; a < k; ++a) {
    const Eigen::Index i = support[static_cast<std::size_t>(a)];
    rhs(a) = gram.c(i) - g_ref(i) - 0.5 * lambda * signs(a);
    for (Eigen::Index b = 0; b < k; ++b) system(a, b) = gram.entry(i, support[static_cast<std::size_t>(b)]);
  }
  if (k == 0) return Vector(0);
  const Eigen::LLT<Matrix> factor(system);
  if (factor.info() != Eigen::Success) return std::nullopt;
  return Vector(factor.solve(rhs));
}

}  // namespace detail

inline std::optional<Vector> l1_support_solve(const linear::Gram& gram, const Problem& problem, const Vector& x) {
  const double lambda = problem.regularization().lambda;
  const Vector ref = problem.regularization().reference.size() == 0 ? Vector::Zero(x.size())
                                                                    : problem.regularization().reference;
  Vector g_ref(x.size()), gm(x.size());
  linear::symmetric_band_product(gram.g, ref, g_ref);
  std::vector<Eigen::Index> support;
  std::vector<double> sign_list;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (x(i) != ref(i)) {
      support.push_back(i);
      sign_list.push_back(x(i) > ref(i) ? 1.0 : -1.0);
    }
  for (int round = 0; round < kSupportRounds; ++round) {
    const Vector signs = Eigen::Map<const Vector>(sign_list.data(), static_cast<Eigen::Index>(sign_list.size()));
    const std::optional<Vector> u = detail::solve_on_support(gram, g_ref, lambda, support, signs);
    if (!u) return std::nullopt;
    Vector m = ref;
    for (std::size_t a = 0; a < support.size(); ++a) m(support[a]) += (*u)(static_cast<Eigen::Index>(a));
    linear::symmetric_band_product(gram.g, m, gm);
    const Vector gradient = 2.0 * (gm - gram.c);
    // The next guess: keep the coefficients whose sign held, add the violators off the support.
    std::vector<Eigen::Index> next_support;
    std::vector<double> next_signs;
    std::vector<bool> on_support(static_cast<std::size_t>(x.size()), false);
    bool optimal = true;
    for (std::size_t a = 0; a < support.size(); ++a) {
      on_support[static_cast<std::size_t>(support[a])] = true;
      if ((*u)(static_cast<Eigen::Index>(a)) * sign_list[a] > 0.0) {
        next_support.push_back(support[a]);
        next_signs.push_back(sign_list[a]);
      } else {
        optimal = false;
      }
    }
    for (Eigen::Index j = 0; j < x.size(); ++j)
      if (!on_support[static_cast<std::size_t>(j)] && std::abs(gradient(j)) > lambda * (1.0 + 1e-9)) {
        optimal = false;
        next_support.push_back(j);
        next_signs.push_back(gradient(j) > 0.0 ? -1.0 : 1.0);
      }
    if (optimal) return problem.in_bounds(m) ? std::optional<Vector>(m) : std::nullopt;
    // Keep the support sorted, so that G_SS stays banded-like and the rounds are reproducible.
    std::vector<std::size_t> order(next_support.size());
    for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return next_support[a] < next_support[b]; });
    support.clear();
    sign_list.clear();
    for (std::size_t a : order) {
      support.push_back(next_support[a]);
      sign_list.push_back(next_signs[a]);
    }
  }
  return std::nullopt;
}

}  // namespace geoinv::fista
