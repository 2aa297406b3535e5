// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Regularisation, owned by the host (plugin API 4.0). Every solver minimises the same objective
//
//     Φ(m) = ‖W_d (d − f(m))‖² + λ·R(m),      W_d = diag(1/σ) (I when σ is unknown),
//
// where R is one of (u = m − m_ref, m_ref the reference model, 0 when none is given):
//   none        R = 0: the plain weighted least squares of API 3.0, unchanged;
//   tikhonov    R = ‖L_k u‖², L_k the k-th order difference operator, k = 0 (L = I, damping towards
//               m_ref), 1 (first differences: flatness) or 2 (second differences: smoothness);
//   l1          R = ‖u‖₁ (sparsity);
//   tv          R = Σ_i |u(i+1) − u(i)| (total variation: blockiness).
// R applies to the whole flat model vector (the blocks' values concatenated; for the seismic traces the
// one reflectivity block).
//
// What solvers use:
//   - smooth R (none, tikhonov): value() and add_gradient(); least-squares solvers append the rows
//     √λ·L_k·u to their residuals (difference_operator()), which is how dls, gauss_newton and linear_lsq
//     minimise Φ without changing their loops;
//   - non-smooth R (l1, tv): value() and prox(), the proximal operator, for proximal-gradient solvers
//     (fista). l1's prox is the soft threshold; tv's is the exact 1-D total-variation denoiser of
//     Condat (2013, "A direct algorithm for 1-D total variation denoising", IEEE SPL 20(11)), O(n) in
//     practice, no inner iterations or tolerance;
//   - solvers that only evaluate Φ (population methods, samplers) use value(): Problem::objective().
#include <Eigen/Core>

#include <string>

#include "geoinv/export.hpp"

namespace geoinv {

enum class RegularizationKind { none, tikhonov, l1, tv };

GEOINV_API std::string to_string(RegularizationKind kind);

struct GEOINV_API Regularization {
  RegularizationKind kind = RegularizationKind::none;
  int order = 0;          // tikhonov only: 0, 1 or 2
  double lambda = 0.0;    // λ >= 0, in the units of Σ((d − f)/σ)² per unit of R
  Eigen::VectorXd reference;  // m_ref (internal units); empty means 0

  bool active() const { return kind != RegularizationKind::none && lambda > 0.0; }
  // True when R is differentiable everywhere (none, tikhonov).
  bool smooth() const { return kind == RegularizationKind::none || kind == RegularizationKind::tikhonov; }

  // R(m), without λ.
  double value(const Eigen::Ref<const Eigen::VectorXd>& model) const;
  // λ·R(m): what Φ adds to the data misfit.
  double penalty(const Eigen::Ref<const Eigen::VectorXd>& model) const { return active() ? lambda * value(model) : 0.0; }
  // gradient += λ·∇R(m). Smooth kinds only (throws for l1 and tv).
  void add_gradient(const Eigen::Ref<const Eigen::VectorXd>& model, Eigen::Ref<Eigen::VectorXd> gradient) const;
  // Replaces x by prox_{step·λ·R}(x) = argmin_z ½‖z − x‖² + step·λ·R(z). Every kind has one (tikhonov's is
  // a linear solve, done densely: meant for the non-smooth kinds).
  void prox(Eigen::Ref<Eigen::VectorXd> x, double step) const;
  // m − m_ref.
  Eigen::VectorXd offset(const Eigen::Ref<const Eigen::VectorXd>& model) const;
};

// The k-th order difference operator on n values: (n − k) x n; k = 0 is the identity. Throws for k > 2.
GEOINV_API Eigen::MatrixXd difference_operator(int order, Eigen::Index n);
// x(i) ← sign(x(i))·max(|x(i)| − threshold, 0).
GEOINV_API void soft_threshold(Eigen::Ref<Eigen::VectorXd> x, double threshold);
// x ← argmin_z ½‖z − x‖² + weight·Σ|z(i+1) − z(i)|, exactly (Condat 2013).
GEOINV_API void total_variation_denoise(Eigen::Ref<Eigen::VectorXd> x, double weight);

}  // namespace geoinv
