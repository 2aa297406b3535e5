#pragma once
// What the iterative least-squares solvers (dls, gauss_newton) share, in one place: the normal equations
// JᵀJ and Jᵀr, the small Cholesky solve of (JᵀJ + λ·D) x = b, the scaling D, the projected gradient, the
// termination tests with their options and messages, the trace columns and the workspace. The solvers
// differ only in how they choose a step (README.md of each). Bounds are handled one way for all of them:
// every trial model is projected into the box with Problem::project.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/options.hpp"
#include "geoinv/problem.hpp"
#include "simd/simd.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/termination.hpp"
#include "geoinv/trace.hpp"

namespace geoinv::lsq {

using Eigen::Index;

// ---------------------------------------------------------------------------------------------------
// The loops are compiled for a parameter count N: Eigen::Dynamic serves any count, and a fixed N lets
// Eigen keep the model, the step and JᵀJ in registers and unroll the small Cholesky solve; with the
// dynamic types every operation on a 4-vector paid a loop, size checks and a call, about 1000
// instructions per iteration on the seed profile (callgrind), as much as the sphere's forward model.
// Solvers run with Workspaces::visit(), which picks a fixed N for the counts in kFixedSizes.
template <int N>
using ParameterVector = Eigen::Matrix<double, N, 1>;
template <int N>
using NormalMatrix = Eigen::Matrix<double, N, N>;
template <int N>
using JacobianMatrix = Eigen::Matrix<double, Eigen::Dynamic, N>;  // column-major, contiguous columns

// ---------------------------------------------------------------------------------------------------
// Short numeric text for messages, exactly as printf's %.3g. Every solve writes at least one (its
// termination message): snprintf cost 2.5 % of a seed solve, and std::to_chars with a precision still
// ~80 ns per number, so values with 1e-20 <= |x| < 1e20 are written from their three rounded digits here
// (the unit test compares with snprintf), and anything else (0, ±inf, NaN, extreme exponents) by to_chars.
namespace detail {

// Writes |value| in that range as %.3g from `out` and returns the end; returns nullptr outside it.
inline char* write_three_digits(char* out, double value) {
  static constexpr double kPowers[] = {1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12,
                                       1e-11, 1e-10, 1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,
                                       1e0,   1e1,   1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,
                                       1e11,  1e12,  1e13,  1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,
                                       1e22};  // exact doubles, so one product or quotient rounds once
  auto power = [](int exponent) { return kPowers[exponent + 22]; };
  const double magnitude = std::abs(value);
  if (!(magnitude >= 1e-20 && magnitude < 1e20)) return nullptr;
  if (value < 0.0) *out++ = '-';
  // The decimal exponent: an estimate from the binary one, then corrected against the exact powers.
  int binary = 0;
  std::frexp(magnitude, &binary);
  int exponent = static_cast<int>(std::floor((binary - 1) * 0.30102999566398120));
  if (magnitude >= power(exponent + 1)) {
    ++exponent;
  } else if (magnitude < power(exponent)) {
    --exponent;
  }
  // The three significant digits, rounded half to even on the exact value as printf does.
  const double factor = exponent <= 2 ? power(2 - exponent) : power(exponent - 2);
  const double scaled = exponent <= 2 ? magnitude * factor : magnitude / factor;
  const double below = std::floor(scaled);
  int digits = static_cast<int>(std::nearbyint(scaled));
  if (scaled - below == 0.5) {  // a tie after rounding: the exact error says on which side the value lies
    const double error = exponent <= 2 ? std::fma(magnitude, factor, -scaled) : std::fma(-scaled, factor, magnitude);
    if (error != 0.0) digits = static_cast<int>(error > 0.0 ? below + 1.0 : below);
  }
  if (digits >= 1000) {  // 999.5 rounded up
    digits /= 10;
    ++exponent;
  }
  const char digit[3] = {static_cast<char>('0' + digits / 100), static_cast<char>('0' + digits / 10 % 10),
                         static_cast<char>('0' + digits % 10)};
  const int significant = digit[2] != '0' ? 3 : digit[1] != '0' ? 2 : 1;  // %g drops trailing zeros
  if (exponent < -4 || exponent >= 3) {  // %e style: d.dde±XX
    *out++ = digit[0];
    if (significant > 1) {
      *out++ = '.';
      for (int k = 1; k < significant; ++k) *out++ = digit[k];
    }
    *out++ = 'e';
    *out++ = exponent < 0 ? '-' : '+';
    const int size = std::abs(exponent);
    *out++ = static_cast<char>('0' + size / 10);
    *out++ = static_cast<char>('0' + size % 10);
  } else if (exponent >= 0) {  // ddd, dd.d, d.dd
    for (int k = 0; k <= exponent; ++k) *out++ = digit[k];
    if (significant > exponent + 1) {
      *out++ = '.';
      for (int k = exponent + 1; k < significant; ++k) *out++ = digit[k];
    }
  } else {  // 0.0…ddd
    *out++ = '0';
    *out++ = '.';
    for (int k = 1; k < -exponent; ++k) *out++ = '0';
    for (int k = 0; k < significant; ++k) *out++ = digit[k];
  }
  return out;
}

// Writes `value` as %.3g into [out, end), which must hold 32 characters; returns the end of the text.
inline char* write_number(char* out, char* end, double value) {
  if (char* written = write_three_digits(out, value)) return written;
  return std::to_chars(out, end, value, std::chars_format::general, 3).ptr;
}

}  // namespace detail

inline std::string number(double value) {
  char text[32];
  return std::string(text, detail::write_number(text, text + sizeof text, value));
}

// *message = before + number(first) + between + number(second), built with one allocation.
inline void write_message(std::string* message, std::string_view before, double first, std::string_view between,
                          double second) {
  char first_text[32], second_text[32];
  const std::string_view first_view(
      first_text, static_cast<std::size_t>(detail::write_number(first_text, first_text + 32, first) - first_text));
  const std::string_view second_view(
      second_text,
      static_cast<std::size_t>(detail::write_number(second_text, second_text + 32, second) - second_text));
  message->clear();
  message->reserve(before.size() + first_view.size() + between.size() + second_view.size());
  message->append(before).append(first_view).append(between).append(second_view);
}

// OptionSpec bounds are inclusive; these are the nearest representable values to the exclusive bounds
// "> 0" and "> 1", so that the host's generic validation already refuses 0 and 1.
constexpr double kAboveZero = std::numeric_limits<double>::denorm_min();
inline const double kAboveOne = std::nextafter(1.0, 2.0);

// ---------------------------------------------------------------------------------------------------
// Stopping rules every iterative solver offers under the same names, defaults and meaning.
struct Tolerances {
  std::int64_t max_iterations = 200;
  double function_tolerance = 1e-10;
  double parameter_tolerance = 1e-10;
  double gradient_tolerance = 1e-12;
};

inline OptionSpec max_iterations_option(const Tolerances& defaults, const std::string& what) {
  return OptionSpec::integer("max_iterations", defaults.max_iterations, what, 1);
}

inline OptionSpecs tolerance_options(const Tolerances& defaults) {
  return {
      OptionSpec::real("function_tolerance", defaults.function_tolerance,
                       "stop when an accepted step lowers the cost by less than this fraction "
                       "(|Δsse| / sse); 0 disables",
                       0.0),
      OptionSpec::real("parameter_tolerance", defaults.parameter_tolerance,
                       "stop when |δ| <= tol * (|m| + tol), δ the (projected) step; 0 disables", 0.0),
      OptionSpec::real("gradient_tolerance", defaults.gradient_tolerance,
                       "stop when the max-norm of the projected gradient Jᵀr is <= this; in units of "
                       "sse per unit of each parameter",
                       0.0),
  };
}

// Throws a config error naming the plugin when `holds` is false: configure() guards callers that skip
// the host's validation against options().
inline void require(bool holds, const char* plugin, const std::string& what) {
  if (!holds) throw Error(Error::Category::config, std::string(plugin) + ": " + what);
}

inline Tolerances read_tolerances(const OptionValues& options, const char* plugin) {
  Tolerances t;
  t.max_iterations = options.get_int("max_iterations");
  t.function_tolerance = options.get_real("function_tolerance");
  t.parameter_tolerance = options.get_real("parameter_tolerance");
  t.gradient_tolerance = options.get_real("gradient_tolerance");
  require(t.max_iterations >= 1, plugin, "max_iterations must be >= 1");
  require(t.function_tolerance >= 0.0, plugin, "function_tolerance must be >= 0");
  require(t.parameter_tolerance >= 0.0, plugin, "parameter_tolerance must be >= 0");
  require(t.gradient_tolerance >= 0.0, plugin, "gradient_tolerance must be >= 0");
  return t;
}

// The termination tests, as small named predicates (Ceres' habit): each returns true when it fires and
// then writes why, with the numbers, into *message.
inline bool gradient_test(double gradient_norm, const Tolerances& t, std::string* message) {
  if (!(gradient_norm <= t.gradient_tolerance)) return false;
  write_message(message, "max-norm of the projected gradient ", gradient_norm, " <= gradient_tolerance ",
                t.gradient_tolerance);
  return true;
}

inline bool parameter_test(double step_norm, double model_norm, const Tolerances& t, std::string* message) {
  const double limit = t.parameter_tolerance * (model_norm + t.parameter_tolerance);
  if (!(step_norm <= limit)) return false;
  write_message(message, "step norm ", step_norm, " <= parameter_tolerance * (|m| + parameter_tolerance) = ",
                limit);
  return true;
}

inline bool function_test(double sse_before, double sse_after, const Tolerances& t, std::string* message) {
  const double relative_decrease = (sse_before - sse_after) / sse_before;
  if (!(relative_decrease < t.function_tolerance)) return false;
  write_message(message, "relative cost decrease ", relative_decrease, " < function_tolerance ",
                t.function_tolerance);
  return true;
}

inline std::string max_iterations_message(const Tolerances& t, double sse, const char* last, double value) {
  return "reached max_iterations " + std::to_string(t.max_iterations) + " without meeting a tolerance (sse " +
         number(sse) + ", " + last + " " + number(value) + ")";
}

// ---------------------------------------------------------------------------------------------------
// Normal equations. JᵀJ of a tall, skinny J is the other big cost of an iteration besides the forward
// model, and Eigen's general product spends more time packing it than multiplying (DESIGN.md, "The hot
// path"). Measured on 101 rows with SSE2: one fused pass wins up to 6 parameters, separate column dot
// products up to 16, Eigen's symmetric rank update above. Only the lower triangle of JᵀJ is written:
// it is all the Cholesky factorisations read.
constexpr Index kFusedParameterLimit = 6;
constexpr Index kColumnDotParameterLimit = 16;

// The products of one pack of rows (`row` to row + lanes − 1) added to the accumulators, or assigned to
// them for the first pack (kFirst): zeroing the accumulator arrays compiled to a `rep stos` that cost a
// fifth of the kernel (perf), and 0 + x·y is x·y exactly, so the sums are the same.
template <int N, typename Pack, bool kFirst>
GEOINV_ALWAYS_INLINE void accumulate_products(const double* const* column, Index row, Pack* products) {
  Pack values[N];
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) simd::load(values[a], column[a] + row);
  int k = 0;
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) {
#pragma GCC unroll 8
    for (int b = a; b < N; ++b, ++k) {
      if constexpr (kFirst) {
        products[k] = values[a] * values[b];
      } else {
        products[k] += values[a] * values[b];
      }
    }
  }
}

template <int N, typename Pack, bool kFirst>
GEOINV_ALWAYS_INLINE void accumulate_gradient(const double* const* column, const double* r, Index row,
                                              Pack* gradients) {
  Pack residual;
  simd::load(residual, r + row);
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) {
    Pack value;
    simd::load(value, column[a] + row);
    if constexpr (kFirst) {
      gradients[a] = value * residual;
    } else {
      gradients[a] += value * residual;
    }
  }
}

// One pass over the rows accumulating every product at once, in packs of rows (simd/simd.hpp):
// independent accumulators keep the adder busy where a single dot product waits on its own latency.
// `jacobian` is column-major with `rows` rows per column; writes the N(N+1)/2 products of the lower
// triangle, column by column, and the N entries of Jᵀr.
template <int N, typename Pack>
GEOINV_ALWAYS_INLINE void fused_normal_equations_body(const double* __restrict jacobian, Index rows,
                                                      const double* __restrict r, double* __restrict product_sums,
                                                      double* __restrict gradient_sums) {
  constexpr Index kLanes = simd::kLanes<Pack>;
  constexpr int kProducts = N * (N + 1) / 2;
  const double* column[N];
  for (int a = 0; a < N; ++a) column[a] = jacobian + a * rows;

  Index i = 0;
  if (rows >= kLanes) {
    Pack products[kProducts], gradients[N];
    // Fully unrolled, so that GCC keeps the accumulators in registers rather than in a stack array. With
    // 16 vector registers (SSE2 or AVX2), JᵀJ and Jᵀr together fit in one pass up to N = 3; from N = 4
    // the accumulators spill to the stack (measured: the 4-parameter pass cost ~200 ns, half of it
    // stores), so Jᵀr gets a second, short pass.
    constexpr bool kFuseGradient = kProducts + 2 * N + 1 <= 16;
    accumulate_products<N, Pack, true>(column, 0, products);
    if constexpr (kFuseGradient) accumulate_gradient<N, Pack, true>(column, r, 0, gradients);
    for (i = kLanes; i + kLanes <= rows; i += kLanes) {
      accumulate_products<N, Pack, false>(column, i, products);
      if constexpr (kFuseGradient) accumulate_gradient<N, Pack, false>(column, r, i, gradients);
    }
    if constexpr (!kFuseGradient) {
      accumulate_gradient<N, Pack, true>(column, r, 0, gradients);
      for (Index row = kLanes; row + kLanes <= rows; row += kLanes)
        accumulate_gradient<N, Pack, false>(column, r, row, gradients);
    }
    for (int k = 0; k < kProducts; ++k) product_sums[k] = simd::sum(products[k]);
    for (int a = 0; a < N; ++a) gradient_sums[a] = simd::sum(gradients[a]);
  } else {
    for (int k = 0; k < kProducts; ++k) product_sums[k] = 0.0;
    for (int a = 0; a < N; ++a) gradient_sums[a] = 0.0;
  }
  for (; i < rows; ++i) {  // the rows left over from the packs
    for (int a = 0, k = 0; a < N; ++a) {
      for (int b = a; b < N; ++b, ++k) product_sums[k] += column[a][i] * column[b][i];
      gradient_sums[a] += column[a][i] * r[i];
    }
  }
}

template <int N>
void fused_normal_equations_portable(const double* __restrict jacobian, Index rows, const double* __restrict r,
                                     double* __restrict product_sums, double* __restrict gradient_sums) {
  fused_normal_equations_body<N, simd::Double2>(jacobian, rows, r, product_sums, gradient_sums);
}

#if GEOINV_SIMD_AVX2
template <int N>
GEOINV_TARGET_AVX2_FMA void fused_normal_equations_avx2(const double* __restrict jacobian, Index rows,
                                                        const double* __restrict r, double* __restrict product_sums,
                                                        double* __restrict gradient_sums) {
  fused_normal_equations_body<N, simd::Double4>(jacobian, rows, r, product_sums, gradient_sums);
}
#endif

template <int N, typename JacobianType, typename NormalType, typename GradientType>
void fused_normal_equations(const JacobianType& jacobian, const Vector& residuals, NormalType& normal,
                            GradientType& gradient) {
  double product_sums[N * (N + 1) / 2], gradient_sums[N];
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) {
    fused_normal_equations_avx2<N>(jacobian.data(), jacobian.rows(), residuals.data(), product_sums, gradient_sums);
  } else
#endif
  {
    fused_normal_equations_portable<N>(jacobian.data(), jacobian.rows(), residuals.data(), product_sums,
                                       gradient_sums);
  }
  for (int a = 0, k = 0; a < N; ++a) {
    for (int b = a; b < N; ++b, ++k) normal(b, a) = product_sums[k];
    gradient(a) = gradient_sums[a];
  }
}

// normal = JᵀJ (lower triangle), gradient = Jᵀr.
template <int N>
void form_normal_equations(const JacobianMatrix<N>& jacobian, const Vector& residuals, NormalMatrix<N>& normal,
                           ParameterVector<N>& gradient) {
  if constexpr (N != Eigen::Dynamic) {
    static_assert(N >= 1 && N <= kFusedParameterLimit, "fixed sizes are for the fused kernel's range");
    fused_normal_equations<N>(jacobian, residuals, normal, gradient);
  } else {
    using Kernel = void (*)(const Matrix&, const Vector&, Matrix&, Vector&);
    static constexpr Kernel kFused[kFusedParameterLimit + 1] = {
        nullptr,
        fused_normal_equations<1, Matrix, Matrix, Vector>,
        fused_normal_equations<2, Matrix, Matrix, Vector>,
        fused_normal_equations<3, Matrix, Matrix, Vector>,
        fused_normal_equations<4, Matrix, Matrix, Vector>,
        fused_normal_equations<5, Matrix, Matrix, Vector>,
        fused_normal_equations<6, Matrix, Matrix, Vector>,
    };
    const Index n = jacobian.cols();
    if (n == 0) return;
    if (n <= kFusedParameterLimit) return kFused[n](jacobian, residuals, normal, gradient);
    if (n <= kColumnDotParameterLimit) {
      for (Index j = 0; j < n; ++j) {
        for (Index i = j; i < n; ++i) normal(i, j) = jacobian.col(i).dot(jacobian.col(j));
        gradient(j) = jacobian.col(j).dot(residuals);
      }
    } else {
      normal.template triangularView<Eigen::Lower>().setZero();
      normal.template selfadjointView<Eigen::Lower>().rankUpdate(jacobian.transpose());
      gradient.noalias() = jacobian.transpose() * residuals;
    }
  }
}

// pᵀ A p for a symmetric A of which only the lower triangle is set.
template <typename NormalType, typename StepType>
double quadratic_form(const NormalType& lower, const StepType& p) {
  double sum = 0.0;
  for (Index j = 0; j < p.size(); ++j) {
    double column = 0.5 * lower(j, j) * p(j);
    for (Index i = j + 1; i < p.size(); ++i) column += lower(i, j) * p(i);
    sum += 2.0 * p(j) * column;
  }
  return sum;
}

// The decrease of sse the linearisation predicts for a step p: ‖r‖² − ‖r + Jp‖² = −(2 gᵀp + pᵀJᵀJp),
// g = Jᵀr. Gain-ratio rules compare it with the actual decrease.
template <typename NormalType, typename VectorType>
double predicted_decrease(const NormalType& normal, const VectorType& gradient, const VectorType& step) {
  return -(2.0 * gradient.dot(step) + quadratic_form(normal, step));
}

// ---------------------------------------------------------------------------------------------------
// The system (JᵀJ + λ·D) x = b, symmetric positive definite for λ > 0 and D > 0 (or JᵀJ definite).
template <int N = Eigen::Dynamic>
class DampedSystem {
 public:
  using VectorType = ParameterVector<N>;
  using MatrixType = NormalMatrix<N>;

  void resize(Index n) {
    if constexpr (N == Eigen::Dynamic) {
      if (n > kSmallSystemLimit && large_.rows() != n) large_ = Eigen::LLT<Matrix, Eigen::Lower>(n);
    }
    damped_.resize(n, n);
    pivot_.resize(n);
    inverse_pivots_.resize(n);
  }

  // Factorises JᵀJ + λ·D; false when it is not numerically positive definite.
  bool factorize(const MatrixType& normal, const VectorType& scaling, double damping) {
    const Index n = size(normal.rows());
    size_ = n;
    if constexpr (N == Eigen::Dynamic) {
      if (n > kSmallSystemLimit) {
        damped_.template triangularView<Eigen::Lower>() = normal;
        damped_.diagonal() += damping * scaling;
        large_.compute(damped_);
        return large_.info() == Eigen::Success;
      }
    }
    if constexpr (N == 4) {
      return factorize_blocks(normal, scaling, damping);
    }
    // Small systems: the square-root-free Cholesky factorisation A = L·diag(d)·Lᵀ, L unit lower triangular.
    // Eigen's dynamic-size LLT spends more on bookkeeping than on the arithmetic of a 4×4, and in a plain
    // LLᵀ each column waits on a square root and then a division (perf: a quarter of gauss_newton's loop
    // outside the evaluations); here each column waits on one division only.
    MatrixType& factor = damped_;  // strictly lower triangle: L; d is kept as its reciprocals
    for (Index j = 0; j < n; ++j) {
      double pivot = normal(j, j) + damping * scaling(j);
      for (Index k = 0; k < j; ++k) pivot -= factor(j, k) * factor(j, k) * pivot_(k);
      if (!(pivot > 0.0)) return false;  // also refuses NaN
      pivot_(j) = pivot;
      inverse_pivots_(j) = 1.0 / pivot;
      for (Index i = j + 1; i < n; ++i) {
        double value = normal(i, j);
        for (Index k = 0; k < j; ++k) value -= factor(i, k) * factor(j, k) * pivot_(k);
        factor(i, j) = value * inverse_pivots_(j);
      }
    }
    return true;
  }

  // x = L⁻¹ b for the Cholesky factor L (L Lᵀ = JᵀJ + λ·D): ‖L⁻¹ b‖² = bᵀ(JᵀJ + λ·D)⁻¹ b, for the
  // trust-region iteration.
  void solve_lower(const VectorType& b, VectorType& x) const {
    if constexpr (N == Eigen::Dynamic) {
      if (size_ > kSmallSystemLimit) {
        x = large_.matrixL().solve(b);
        return;
      }
    }
    if constexpr (N == 4) {
      return blocks_.solve_lower(b, x);
    }
    unit_lower_solve(b, x);
    for (Index i = 0; i < size(size_); ++i) x(i) *= std::sqrt(inverse_pivots_(i));  // the Cholesky factor is L·d^½
  }

  // x = (JᵀJ + λ·D)⁻¹ b with the last factorisation.
  void solve(const VectorType& b, VectorType& x) const {
    if constexpr (N == Eigen::Dynamic) {
      if (size_ > kSmallSystemLimit) {
        x = large_.solve(b);
        return;
      }
    }
    if constexpr (N == 4) {
      return blocks_.solve(b, x);
    }
    unit_lower_solve(b, x);
    const Index n = size(size_);
    for (Index i = n - 1; i >= 0; --i) {  // diag(d)·Lᵀ x = y
      double value = x(i) * inverse_pivots_(i);
      for (Index k = i + 1; k < n; ++k) value -= damped_(k, i) * x(k);
      x(i) = value;
    }
  }

  bool solve(const MatrixType& normal, const VectorType& scaling, double damping, const VectorType& b,
             VectorType& x) {
    if (!factorize(normal, scaling, damping)) return false;
    solve(b, x);
    return true;
  }

 private:
  // Four parameters (the SP bodies), in 2×2 blocks: A = [P Qᵀ; Q R] = [I 0; G I]·[P 0; 0 S]·[I Gᵀ; 0 I] with
  // G = Q·P⁻¹ and the Schur complement S = R − G·Qᵀ, each 2×2 inverted in closed form. The chain of
  // dependent operations holds two divisions where the LDLᵀ loop holds four (each on the previous one's
  // result); in gauss_newton's loop that chain was the largest cost outside the evaluations (perf). A is
  // positive definite exactly when P and S are, which is the test (their leading minors, as LDLᵀ's pivots).
  struct Blocks {
    double p00, p10, det_p;       // P's leading entries and determinant
    double ip00, ip10, ip11;      // P⁻¹
    double g00, g01, g10, g11;    // G
    double s00, s10, det_s;       // S's leading entries and determinant
    double is00, is10, is11;      // S⁻¹

    template <typename Vector4>
    void solve(const Vector4& b, Vector4& x) const {
      const double z2 = b(2) - (g00 * b(0) + g01 * b(1)), z3 = b(3) - (g10 * b(0) + g11 * b(1));
      const double w0 = ip00 * b(0) + ip10 * b(1), w1 = ip10 * b(0) + ip11 * b(1);
      x(2) = is00 * z2 + is10 * z3;
      x(3) = is10 * z2 + is11 * z3;
      x(0) = w0 - (g00 * x(2) + g10 * x(3));
      x(1) = w1 - (g01 * x(2) + g11 * x(3));
    }

    // With the Cholesky factor L = [L₁ 0; G·L₁ L₂] (L₁ L₁ᵀ = P, L₂ L₂ᵀ = S): L⁻¹b = [L₁⁻¹b₁; L₂⁻¹(b₂ − G b₁)].
    template <typename Vector4>
    void solve_lower(const Vector4& b, Vector4& x) const {
      const double root_p = std::sqrt(p00), root_s = std::sqrt(s00);
      const double z2 = b(2) - (g00 * b(0) + g01 * b(1)), z3 = b(3) - (g10 * b(0) + g11 * b(1));
      x(0) = b(0) / root_p;
      x(1) = (b(1) - p10 / root_p * x(0)) / std::sqrt(det_p / p00);
      x(2) = z2 / root_s;
      x(3) = (z3 - s10 / root_s * x(2)) / std::sqrt(det_s / s00);
    }
  };

  bool factorize_blocks(const MatrixType& normal, const VectorType& scaling, double damping) {
    Blocks& k = blocks_;
    k.p00 = normal(0, 0) + damping * scaling(0);
    k.p10 = normal(1, 0);
    const double p11 = normal(1, 1) + damping * scaling(1);
    k.det_p = k.p00 * p11 - k.p10 * k.p10;
    if (!(k.p00 > 0.0 && k.det_p > 0.0)) return false;  // also refuses NaN
    const double inverse_det_p = 1.0 / k.det_p;
    k.ip00 = p11 * inverse_det_p;
    k.ip10 = -k.p10 * inverse_det_p;
    k.ip11 = k.p00 * inverse_det_p;
    const double q00 = normal(2, 0), q01 = normal(2, 1), q10 = normal(3, 0), q11 = normal(3, 1);
    k.g00 = q00 * k.ip00 + q01 * k.ip10;
    k.g01 = q00 * k.ip10 + q01 * k.ip11;
    k.g10 = q10 * k.ip00 + q11 * k.ip10;
    k.g11 = q10 * k.ip10 + q11 * k.ip11;
    k.s00 = normal(2, 2) + damping * scaling(2) - (k.g00 * q00 + k.g01 * q01);
    k.s10 = normal(3, 2) - (k.g10 * q00 + k.g11 * q01);
    const double s11 = normal(3, 3) + damping * scaling(3) - (k.g10 * q10 + k.g11 * q11);
    k.det_s = k.s00 * s11 - k.s10 * k.s10;
    if (!(k.s00 > 0.0 && k.det_s > 0.0)) return false;
    const double inverse_det_s = 1.0 / k.det_s;
    k.is00 = s11 * inverse_det_s;
    k.is10 = -k.s10 * inverse_det_s;
    k.is11 = k.s00 * inverse_det_s;
    return true;
  }

  // The size as a compile-time constant when N is fixed, so that the loops unroll.
  static constexpr Index size(Index dynamic_size) { return N == Eigen::Dynamic ? dynamic_size : N; }

  // L y = b with the unit lower triangle of the small factorisation.
  void unit_lower_solve(const VectorType& b, VectorType& y) const {
    for (Index i = 0; i < size(size_); ++i) {
      double value = b(i);
      for (Index k = 0; k < i; ++k) value -= damped_(i, k) * y(k);
      y(i) = value;
    }
  }

  static constexpr Index kSmallSystemLimit = 16;
  Index size_ = 0;
  MatrixType damped_;  // the damped matrix (large systems) or L of its L·diag(d)·Lᵀ factorisation (small ones)
  VectorType pivot_, inverse_pivots_;  // d and 1/d
  Eigen::LLT<Matrix, Eigen::Lower> large_;  // only for more than kSmallSystemLimit parameters
  Blocks blocks_;                           // only for N = 4
};

// ---------------------------------------------------------------------------------------------------
// The diagonal D that a damping λ multiplies. Marquardt (1963) used diag(JᵀJ) at the current model, which
// makes the step invariant to rescaling a parameter. Moré (1978, MINPACK) keeps the largest diag(JᵀJ)
// met so far instead: D never shrinks, so a parameter whose column was large once stays damped.
enum class Scaling { running_max, current };
constexpr const char* kScalingWords[] = {"running_max", "current"};

// A diagonal entry of JᵀJ is zero only when a parameter does not affect the data; its row of JᵀJ and its
// gradient are then zero too, so its step is zero whatever the scaling is. The floor only keeps the
// damped matrix definite; relative to the largest entry, it sits far below any real ratio of scales.
constexpr double kRelativeScalingFloor = 1e-24;

// `largest` is the running maximum (or current diagonal) kept between calls; `scaling` is D, floored.
template <typename NormalType, typename VectorType>
void update_scaling(Scaling rule, const NormalType& normal, VectorType& largest, VectorType& scaling) {
  if (rule == Scaling::running_max) {
    largest = largest.cwiseMax(normal.diagonal());
  } else {
    largest = normal.diagonal();
  }
  const double top = largest.maxCoeff();
  scaling = largest.cwiseMax(top > 0.0 ? kRelativeScalingFloor * top : 1.0);
}

// Max-norm of the projected gradient, x − P(x − g): the plain gradient inside the bounds, and only the
// components that could still move the model at an active bound (Ceres' convention).
template <typename VectorType>
double projected_gradient_norm(const Problem& problem, const VectorType& model, const VectorType& gradient) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  double norm = 0.0;
  for (Index i = 0; i < model.size(); ++i) {
    const double moved = std::clamp(model(i) - gradient(i), lower(i), upper(i));
    norm = std::max(norm, std::abs(model(i) - moved));
  }
  return norm;
}

// The bound handling every iterative solver shares, besides projecting each trial into the box
// (Problem::project): a parameter that the last accepted step pushed against a bound (it was clipped
// there) and whose descent direction −g still points out of the box is held at the bound for the next
// step — its row and column of JᵀJ replaced by the identity's, its gradient zeroed — so the step solves
// the normal equations of the free parameters exactly (Bertsekas 1982, projected Newton) instead of being
// clipped again, which makes damped steps creep along the bound. A parameter that merely starts at a
// bound is not held: its first step is clipped, so the others still move as if it could.
template <typename NormalType, typename VectorType>
void hold_active_bounds(const Problem& problem, const VectorType& model, const VectorType& clipped,
                        NormalType& normal, VectorType& gradient) {
  const Vector& lower = problem.lower_bounds();
  const Vector& upper = problem.upper_bounds();
  for (Index i = 0; i < model.size(); ++i) {
    if (clipped(i) == 0.0) continue;
    if (!((model(i) <= lower(i) && gradient(i) > 0.0) || (model(i) >= upper(i) && gradient(i) < 0.0))) continue;
    for (Index j = 0; j < i; ++j) normal(i, j) = 0.0;
    for (Index k = i + 1; k < model.size(); ++k) normal(k, i) = 0.0;
    normal(i, i) = 1.0;
    gradient(i) = 0.0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Everything an iteration needs, sized once per problem shape and reused across solves: the loops never
// allocate. Two residual/Jacobian buffers so that a rejected trial leaves the current point intact, and
// an accepted one is taken over by swapping rather than copying.
template <int N>
struct Workspace {
  static constexpr int kSize = N;
  using VectorType = ParameterVector<N>;
  using MatrixType = NormalMatrix<N>;

  VectorType model, trial_model, gradient, largest_diagonal, scaling, step, scratch, scratch_lower, clipped,
      trial_clipped;  // clipped: 1 where the last accepted step hit a bound
  Vector residuals, trial_residuals;
  JacobianMatrix<N> jacobian, trial_jacobian;
  MatrixType normal;
  DampedSystem<N> system;

  void resize(Index num_parameters, Index num_data) {
    for (VectorType* vector : {&model, &trial_model, &gradient, &largest_diagonal, &scaling, &step, &scratch,
                               &scratch_lower, &clipped, &trial_clipped})
      vector->resize(num_parameters);
    residuals.resize(num_data);
    trial_residuals.resize(num_data);
    jacobian.resize(num_data, num_parameters);
    trial_jacobian.resize(num_data, num_parameters);
    normal.resize(num_parameters, num_parameters);
    system.resize(num_parameters);
  }

  // trial_model ← P(trial_model), noting which parameters the projection put on a bound.
  void project_trial(const Problem& problem) {
    const Vector& lower = problem.lower_bounds();
    const Vector& upper = problem.upper_bounds();
    // At or beyond: a parameter held at its bound lands on it exactly and stays flagged.
    for (Index i = 0; i < trial_model.size(); ++i)
      trial_clipped(i) = trial_model(i) <= lower(i) || trial_model(i) >= upper(i) ? 1.0 : 0.0;
    problem.project(trial_model);
  }

  // After an accepted trial: it becomes the current point.
  void accept_trial(bool with_jacobian) {
    clipped.swap(trial_clipped);
    model.swap(trial_model);
    residuals.swap(trial_residuals);
    if (with_jacobian) jacobian.swap(trial_jacobian);
  }
};

// The parameter counts with a loop compiled for them (see ParameterVector): the SP family's bodies
// (4: sphere, cylinders; 5: free-q body, inclined sheet) and the same with a constant or linear regional
// background (5, 6). Any other count runs the Eigen::Dynamic loop, identical but for speed.
// One workspace per compiled size, each sized on first use and reused by later solves.
struct Workspaces {
  Workspace<4> four;
  Workspace<5> five;
  Workspace<6> six;
  Workspace<Eigen::Dynamic> any;

  // Calls loop(workspace) with the workspace compiled for `num_parameters`, and returns what it returns.
  template <typename Loop>
  decltype(auto) visit(Index num_parameters, Loop&& loop) {
    switch (num_parameters) {
      case 4:
        return loop(four);
      case 5:
        return loop(five);
      case 6:
        return loop(six);
      default:
        return loop(any);
    }
  }
};

// Trace rows reserved up front: a typical solve's, and few enough that the buffer (24 × 5 doubles) comes
// from glibc's per-thread cache of small blocks. Reserving max_iterations + 1 rows (8 KB by default) made
// creating and freeing the trace cost 160 ns per solve, as much as an evaluation; longer solves grow it.
constexpr std::int64_t kReservedTraceRows = 24;

// The trace every iterative solver writes: one row for the start, one per trial step.
inline Trace make_trace(const Tolerances& t) {
  // Copied from one list: building the five names from literals each time cost more than the copy.
  static const std::vector<std::string> kColumns{"iteration", "sse", "damping", "step_norm", "accepted"};
  Trace trace(kColumns);
  trace.reserve(static_cast<std::size_t>(std::min(t.max_iterations + 1, kReservedTraceRows)));
  return trace;
}

// Checks the start's size, projects it into the bounds and evaluates residuals and Jacobian there, with
// *sse = Σ r². Returns false (and fills `outcome` with numerical_failure) when they are not finite.
template <int N>
bool start_at(Problem& problem, const Vector& start, const char* plugin, Workspace<N>& work,
              SolverOutcome& outcome, double* sse) {
  const Index num_parameters = problem.num_parameters();
  if (start.size() != num_parameters)
    throw Error(Error::Category::config, std::string(plugin) + ": the start model has " +
                                             std::to_string(start.size()) + " values for " +
                                             std::to_string(num_parameters) + " parameters");
  work.resize(num_parameters, problem.num_data());
  work.model = start;
  problem.project(work.model);
  work.clipped.setZero();
  if (problem.residuals_and_jacobian(work.model, work.residuals, work.jacobian, sse)) return true;
  outcome.estimate = work.model;
  outcome.termination = Termination::numerical_failure;
  outcome.message = "the residuals or the Jacobian are not finite at the start model";
  return false;
}

}  // namespace geoinv::lsq
