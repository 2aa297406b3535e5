// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The smooth part f of the objective Φ = f + λR_nonsmooth that fista and gradient_descent minimise:
// f(m) = ‖W(d − f(m))‖² (+ λ‖L(m − m_ref)‖² when R is Tikhonov). Two implementations:
//   - GramTerm, a linear model: f is quadratic (geoinv_linear/gram.hpp), its gradient affine, so the
//     loop extrapolates gradients instead of evaluating them and uses the fixed step 1/L, L = 2·λmax(G)
//     (power iteration, with a margin);
//   - ProblemTerm, any model with a Jacobian (analytic or finite differences) through the Problem,
//     counted against the budget: ∇f = 2Jᵀr (+ λ∇R); the loop backtracks.
#include <Eigen/Core>

#include "geoinv/problem.hpp"
#include "geoinv_linear/gram.hpp"

namespace geoinv::linear {

class SmoothTerm {
 public:
  virtual ~SmoothTerm() = default;
  // f(m), and ∇f(m) into `gradient` when not null. False when f is not finite there (or m is invalid).
  virtual bool evaluate(const Vector& m, double& value, Vector* gradient) = 0;
  // True when ∇f is affine (f quadratic): ∇f(a + β(a − b)) = ∇f(a) + β(∇f(a) − ∇f(b)).
  virtual bool affine_gradient() const = 0;
  // A Lipschitz constant of ∇f when known (affine case), else 0.
  virtual double lipschitz() const = 0;
  // The data misfit Σr² part of f(m) given f(m): f minus its Tikhonov penalty.
  virtual double misfit(const Vector& m, double value) const = 0;
};

class GramTerm final : public SmoothTerm {
 public:
  GramTerm(const Problem& problem, const LinearOperator& counted)
      : gram_(gram_of(problem, counted, true)), problem_(problem), product_(counted.cols()) {
    // 60 power iterations from the ones vector give λmax within a fraction of a percent for a
    // convolution's Gram matrix; the margin covers the rest (plugins/solver/fista/README.md, "Step").
    lipschitz_ = 2.0 * gram_.largest_eigenvalue(60) * 1.02;
  }
  bool evaluate(const Vector& m, double& value, Vector* gradient) override {
    value = gram_.evaluate(m, gradient, product_);
    return std::isfinite(value);
  }
  bool affine_gradient() const override { return true; }
  double lipschitz() const override { return lipschitz_; }
  double misfit(const Vector& m, double value) const override {
    return problem_.regularization().smooth() ? value - problem_.regularization().penalty(m) : value;
  }
  const Gram& gram() const { return gram_; }

 private:
  Gram gram_;
  const Problem& problem_;
  Vector product_;
  double lipschitz_ = 0.0;
};

class ProblemTerm final : public SmoothTerm {
 public:
  explicit ProblemTerm(Problem& problem)
      : problem_(problem), r_(problem.num_data()), jacobian_(problem.num_data(), problem.num_parameters()) {}
  bool evaluate(const Vector& m, double& value, Vector* gradient) override {
    double cost = 0.0;
    const Regularization& reg = problem_.regularization();
    if (gradient == nullptr) {
      if (!problem_.residuals(m, r_, &cost)) return false;
    } else {
      if (!problem_.residuals_and_jacobian(m, r_, jacobian_, &cost)) return false;
      gradient->noalias() = 2.0 * (jacobian_.transpose() * r_);
      if (reg.smooth()) reg.add_gradient(m, *gradient);
    }
    value = cost + (reg.smooth() ? reg.penalty(m) : 0.0);
    return std::isfinite(value);
  }
  bool affine_gradient() const override { return false; }
  double lipschitz() const override { return 0.0; }
  double misfit(const Vector& m, double value) const override {
    return problem_.regularization().smooth() ? value - problem_.regularization().penalty(m) : value;
  }

 private:
  Problem& problem_;
  Vector r_;
  Matrix jacobian_;
};

}  // namespace geoinv::linear
