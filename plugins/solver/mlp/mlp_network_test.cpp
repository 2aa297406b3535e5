// SPDX-License-Identifier: BSD-3-Clause
// Tests of the mlp core (mlp_kernels, mlp_network, mlp_model) without the plugin machinery: the product
// kernel against Eigen, back-propagation against finite differences, the optimisers against
// scikit-learn's formulas, small fits and determinism. The model and its file: mlp_model_test.cpp.
#include "mlp_network.hpp"

#include <gtest/gtest.h>

#include <functional>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/parameter.hpp"
#include "mlp_kernels.hpp"
#include "mlp_model.hpp"

namespace {

namespace mlp = geoinv::mlp;
using mlp::Index;

// Every instruction set this machine can run, so that each test covers the AVX2 kernel and the portable
// path; IsaGuard restores the one that was active.
std::vector<mlp::Isa> available_isas() {
  std::vector<mlp::Isa> isas{mlp::Isa::portable};
  if (mlp::detected_isa() == mlp::Isa::avx2_fma) isas.push_back(mlp::Isa::avx2_fma);
  return isas;
}

struct IsaGuard {
  mlp::Isa saved = mlp::active_isa();
  ~IsaGuard() { mlp::set_isa(saved); }
};

template <typename T>
typename mlp::Network<T>::Mat random_matrix(Index rows, Index cols, mlp::Random& random, double scale = 1.0) {
  typename mlp::Network<T>::Mat m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<T>(random.uniform(-scale, scale));
  return m;
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
void check_products(double tolerance) {
  IsaGuard guard;
  mlp::Random random(3);
  // Sizes around the kernel's blocks: 16-row chunks (8 for double), 6-column blocks, masked tails.
  const Index sizes[] = {1, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 101};
  for (mlp::Isa isa : available_isas()) {
    mlp::set_isa(isa);
    for (Index m : sizes)
      for (Index n : {Index(1), Index(5), Index(6), Index(7), Index(64)})
        for (Index k : {Index(1), Index(4), Index(101)}) {
          const auto p = random_matrix<T>(m, k, random);
          const auto q = random_matrix<T>(k, n, random);
          const auto qt = random_matrix<T>(n, k, random);
          typename mlp::Network<T>::Mat c(m, n), expected = p * q;
          mlp::multiply<T>(m, n, k, p.data(), m, q.data(), 1, k, c.data(), m);
          EXPECT_LE((c - expected).cwiseAbs().maxCoeff(), tolerance * k)
              << mlp::to_string(isa) << " P·Q m=" << m << " n=" << n << " k=" << k;
          expected = p * qt.transpose();
          mlp::multiply<T>(m, n, k, p.data(), m, qt.data(), n, 1, c.data(), m);
          EXPECT_LE((c - expected).cwiseAbs().maxCoeff(), tolerance * k)
              << mlp::to_string(isa) << " P·Qᵀ m=" << m << " n=" << n << " k=" << k;
        }
  }
}

TEST(MlpKernels, ProductsMatchEigenInFloat) { check_products<float>(1e-5); }
TEST(MlpKernels, ProductsMatchEigenInDouble) { check_products<double>(1e-13); }

TEST(MlpKernels, ProductWritesOnlyItsBlockOfALargerMatrix) {
  IsaGuard guard;
  mlp::Random random(4);
  for (mlp::Isa isa : available_isas()) {
    mlp::set_isa(isa);
    const auto p = random_matrix<float>(5, 7, random), q = random_matrix<float>(7, 3, random);
    Eigen::MatrixXf c = Eigen::MatrixXf::Constant(9, 4, 42.0f);  // leading dimension 9, 5 rows used
    mlp::multiply<float>(5, 3, 7, p.data(), 5, q.data(), 1, 7, c.data(), 9);
    EXPECT_LE((c.topLeftCorner(5, 3) - p * q).cwiseAbs().maxCoeff(), 1e-5);
    EXPECT_TRUE((c.bottomRows(4).array() == 42.0f).all()) << mlp::to_string(isa);
    EXPECT_TRUE((c.col(3).array() == 42.0f).all()) << mlp::to_string(isa);
  }
}

TEST(MlpKernels, ElementwisePassesMatchTheirDefinitions) {
  IsaGuard guard;
  mlp::Random random(6);
  for (mlp::Isa isa : available_isas()) {
    mlp::set_isa(isa);
    // 13 rows: one full AVX register of floats and a masked tail.
    const Eigen::MatrixXf z = random_matrix<float>(13, 5, random, 6.0);
    Eigen::VectorXf bias = random_matrix<float>(13, 1, random, 3.0);
    bias(0) = 1e-5f - z(0, 0);  // a tiny argument, where the approximation returns x itself
    Eigen::MatrixXf out = z;
    mlp::bias_tanh<float>(out.data(), bias.data(), 13, 5);
    for (Index j = 0; j < 5; ++j)
      for (Index i = 0; i < 13; ++i)
        EXPECT_NEAR(out(i, j), std::tanh(double(z(i, j)) + double(bias(i))), 5e-7) << mlp::to_string(isa);
    Eigen::MatrixXd zd = z.cast<double>(), outd = zd;
    const Eigen::VectorXd biasd = bias.cast<double>();
    mlp::bias_tanh<double>(outd.data(), biasd.data(), 13, 5);
    EXPECT_LE((outd - (zd.colwise() + biasd).array().tanh().matrix()).cwiseAbs().maxCoeff(), 1e-15);

    for (Index rows : {1, 4, 5, 64})
      for (Index columns : {1, 3, 8, 64}) {
        const Eigen::MatrixXf w = random_matrix<float>(rows, columns, random);
        Eigen::MatrixXf wt(columns, rows);
        mlp::transpose<float>(w.data(), rows, columns, wt.data());
        EXPECT_TRUE((wt.array() == w.transpose().array()).all()) << rows << " x " << columns;
      }

    Eigen::VectorXf a = random_matrix<float>(21, 1, random), delta = random_matrix<float>(21, 1, random);
    Eigen::VectorXf expected = delta.array() * (1.0f - a.array().square());
    mlp::multiply_by_tanh_derivative<float>(a.data(), delta.data(), 21);
    EXPECT_LE((delta - expected).cwiseAbs().maxCoeff(), 1e-6f);

    Eigen::VectorXd p = random_matrix<double>(11, 1, random), m = random_matrix<double>(11, 1, random);
    Eigen::VectorXd v = random_matrix<double>(11, 1, random).cwiseAbs(),
                    g = random_matrix<double>(11, 1, random);
    const Eigen::ArrayXd m2 = 0.9 * m.array() + 0.1 * g.array();
    const Eigen::ArrayXd v2 = 0.999 * v.array() + 0.001 * g.array().square();
    const Eigen::ArrayXd p2 = p.array() - 0.01 * m2 / (v2.sqrt() + 1e-8);
    mlp::adam_update<double>(p.data(), m.data(), v.data(), g.data(), 11, 0.9, 0.999, 0.01, 1e-8);
    EXPECT_LE((p.array() - p2).abs().maxCoeff(), 1e-15);
    EXPECT_LE((m.array() - m2).abs().maxCoeff(), 1e-15);
    EXPECT_LE((v.array() - v2).abs().maxCoeff(), 1e-15);
  }
}

// ---------------------------------------------------------------------------------------------------
// The objective whose gradient scikit-learn computes (mlp_network.hpp): J = Σ(p − y)²/(2b) + α/(2b)·Σ‖W‖².
double objective(const mlp::Network<double>& network, const Eigen::MatrixXd& x, const Eigen::MatrixXd& y,
                 double alpha) {
  mlp::Propagator<double> propagator(network.architecture(), x.cols());
  const Eigen::Map<const Eigen::MatrixXd> p(propagator.forward(network, x.data(), x.cols()), y.rows(),
                                            y.cols());
  const Index num_weights = network.architecture().num_weights();
  const double b = static_cast<double>(x.cols());
  return (p - y).squaredNorm() / (2.0 * b) +
         alpha / (2.0 * b) * network.parameters().head(num_weights).squaredNorm();
}

class MlpGradient : public ::testing::TestWithParam<mlp::Activation> {};

TEST_P(MlpGradient, BackpropagationMatchesCentralDifferences) {
  IsaGuard guard;
  for (mlp::Isa isa : available_isas()) {
    mlp::set_isa(isa);
    mlp::Random random(11);
    mlp::Network<double> network(mlp::Architecture{4, {6, 5}, 3, GetParam()});
    network.initialize(random);
    const Eigen::MatrixXd x = random_matrix<double>(4, 7, random, 2.0);
    const Eigen::MatrixXd y = random_matrix<double>(3, 7, random);
    const double alpha = 0.3;
    mlp::Propagator<double> propagator(network.architecture(), 7);
    Eigen::VectorXd gradient;
    double squared_error = 0.0;
    const double loss =
        propagator.loss_and_gradient(network, x.data(), y.data(), 7, alpha, gradient, &squared_error);

    // The reported loss is scikit-learn's: mean over samples and outputs.
    const Index num_weights = network.architecture().num_weights();
    const double penalty = network.parameters().head(num_weights).squaredNorm();
    EXPECT_NEAR(loss, squared_error / (2.0 * 7 * 3) + 0.5 * alpha * penalty / 7, 1e-14);

    Eigen::VectorXd& w = network.parameters();
    double worst = 0.0;
    for (Index i = 0; i < w.size(); ++i) {
      const double saved = w(i), step = 1e-6 * std::max(1.0, std::abs(saved));
      w(i) = saved + step;
      const double up = objective(network, x, y, alpha);
      w(i) = saved - step;
      const double down = objective(network, x, y, alpha);
      w(i) = saved;
      const double numeric = (up - down) / (2.0 * step);
      worst = std::max(worst, std::abs(numeric - gradient(i)) / std::max(1e-3, std::abs(numeric)));
    }
    EXPECT_LT(worst, 1e-6) << mlp::to_string(GetParam()) << " on " << mlp::to_string(isa);
  }
}

// The L1 penalty (option l1): λ₁/b·Σ|W| in the loss, λ₁·sign(W)/b in the gradient; no weight sits at 0
// after initialisation, so central differences see the same slope.
TEST(MlpNetwork, L1PenaltyAddsToLossAndGradient) {
  mlp::Random random(13);
  mlp::Network<double> network(mlp::Architecture{4, {6}, 1, mlp::Activation::logistic});
  network.initialize(random);
  const Eigen::MatrixXd x = random_matrix<double>(4, 9, random, 2.0);
  const Eigen::MatrixXd y = random_matrix<double>(1, 9, random);
  const double alpha = 0.2, l1 = 0.7;
  mlp::Propagator<double> propagator(network.architecture(), 9);
  Eigen::VectorXd plain, penalised;
  const double plain_loss = propagator.loss_and_gradient(network, x.data(), y.data(), 9, alpha, plain);
  const double loss =
      propagator.loss_and_gradient(network, x.data(), y.data(), 9, mlp::WeightPenalty(alpha, l1), penalised);
  const Index num_weights = network.architecture().num_weights();
  const auto weights = network.parameters().head(num_weights);
  EXPECT_NEAR(loss - plain_loss, l1 * weights.lpNorm<1>() / 9.0, 1e-14);
  const Eigen::VectorXd expected = l1 / 9.0 * weights.array().sign().matrix();
  EXPECT_LT((penalised.head(num_weights) - plain.head(num_weights) - expected).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_EQ(penalised.tail(penalised.size() - num_weights), plain.tail(plain.size() - num_weights));

  Eigen::VectorXd& w = network.parameters();
  double worst = 0.0;
  for (Index i = 0; i < num_weights; ++i) {
    const double saved = w(i), step = 1e-7 * std::max(1e-3, std::abs(saved));
    auto l1_objective = [&] {
      return objective(network, x, y, alpha) + l1 * w.head(num_weights).lpNorm<1>() / 9.0;
    };
    w(i) = saved + step;
    const double up = l1_objective();
    w(i) = saved - step;
    const double down = l1_objective();
    w(i) = saved;
    worst = std::max(worst, std::abs((up - down) / (2.0 * step) - penalised(i)));
  }
  EXPECT_LT(worst, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(EachActivation, MlpGradient,
                         ::testing::Values(mlp::Activation::identity, mlp::Activation::logistic,
                                           mlp::Activation::tanh, mlp::Activation::relu),
                         [](const auto& info) { return mlp::to_string(info.param); });

// ---------------------------------------------------------------------------------------------------
TEST(MlpNetwork, InitialWeightsFollowScikitLearnsGlorotBounds) {
  for (auto activation : {mlp::Activation::tanh, mlp::Activation::logistic}) {
    mlp::Random random(5);
    mlp::Network<double> network(mlp::Architecture{101, {64, 64}, 5, activation});
    network.initialize(random);
    const double factor = activation == mlp::Activation::logistic ? 2.0 : 6.0;
    const Index sizes[] = {101, 64, 64, 5};
    for (Index l = 0; l < 3; ++l) {
      const double bound = std::sqrt(factor / static_cast<double>(sizes[l] + sizes[l + 1]));
      EXPECT_LE(network.weights(l).cwiseAbs().maxCoeff(), bound);
      EXPECT_GT(network.weights(l).cwiseAbs().maxCoeff(), 0.9 * bound);  // uniform: it reaches near the bound
      EXPECT_LE(network.biases(l).cwiseAbs().maxCoeff(), bound);
      EXPECT_NEAR(network.weights(l).mean(), 0.0, 0.1 * bound);
    }
  }
}

// init: normal and uniform (Russell's 1-2-1 network starts from N(0, 4²)): every weight and hidden bias
// from the distribution whatever the fan, the output biases at 0, the same draws for the same seed.
TEST(MlpNetwork, InitialWeightsFollowTheChosenDistribution) {
  const mlp::Architecture architecture{1, {200, 200}, 1, mlp::Activation::logistic};
  auto drawn = [&](mlp::InitialDistribution distribution, double scale, std::uint64_t seed) {
    mlp::Random random(seed);
    mlp::Network<double> network(architecture);
    network.initialize(random, mlp::InitialWeights{distribution, scale});
    return network;
  };
  const auto normal = drawn(mlp::InitialDistribution::normal, 4.0, 3);
  const Eigen::VectorXd w = normal.weights(1).reshaped();  // 40 000 draws of the 200 × 200 layer
  const double mean = w.mean(), sd = std::sqrt((w.array() - mean).square().mean());
  EXPECT_NEAR(mean, 0.0, 0.1);  // standard error 4/200 = 0.02
  EXPECT_NEAR(sd, 4.0, 0.1);    // standard error 4/√(2·40 000) = 0.014
  const double beyond_2sd =
      static_cast<double>((w.array().abs() > 8.0).count()) / static_cast<double>(w.size());
  EXPECT_NEAR(beyond_2sd, 0.0455, 0.005);  // a normal's tails, not a uniform's (none beyond 2 sd)
  EXPECT_NEAR(normal.biases(0).mean(), 0.0, 1.5);
  EXPECT_GT(normal.biases(0).cwiseAbs().maxCoeff(), 4.0);  // hidden biases drawn too
  EXPECT_EQ(normal.biases(2).cwiseAbs().maxCoeff(), 0.0);   // the output bias starts at 0
  EXPECT_EQ(drawn(mlp::InitialDistribution::normal, 4.0, 3).parameters(), normal.parameters());
  EXPECT_NE(drawn(mlp::InitialDistribution::normal, 4.0, 4).parameters(), normal.parameters());

  const auto uniform = drawn(mlp::InitialDistribution::uniform, 0.5, 3);
  const Eigen::VectorXd u = uniform.weights(1).reshaped();
  EXPECT_LE(u.cwiseAbs().maxCoeff(), 0.5);
  EXPECT_GT(u.cwiseAbs().maxCoeff(), 0.49);
  EXPECT_NEAR(std::sqrt(u.array().square().mean()), 0.5 / std::sqrt(3.0), 0.01);
  EXPECT_EQ(uniform.biases(2).cwiseAbs().maxCoeff(), 0.0);

  // The default is scikit-learn's Glorot draw, unchanged: the same numbers as initialize(random).
  mlp::Random a(9), b(9);
  mlp::Network<double> glorot(architecture), plain(architecture);
  glorot.initialize(a, mlp::InitialWeights{});
  plain.initialize(b);
  EXPECT_EQ(glorot.parameters(), plain.parameters());
  EXPECT_LE(glorot.weights(1).cwiseAbs().maxCoeff(), std::sqrt(2.0 / 400.0));
}

TEST(MlpNetwork, OptimisersFollowScikitLearnsFormulas) {
  const Eigen::VectorXd g1 = (Eigen::VectorXd(3) << 0.5, -2.0, 0.0).finished();
  const Eigen::VectorXd g2 = (Eigen::VectorXd(3) << -1.0, 0.25, 3.0).finished();
  const Eigen::VectorXd start = (Eigen::VectorXd(3) << 1.0, 2.0, 3.0).finished();
  {  // Adam: two steps by hand
    mlp::Adam<double> adam(3, 0.01, 0.9, 0.999, 1e-8);
    Eigen::VectorXd p = start;
    adam.step(p, g1);
    adam.step(p, g2);
    Eigen::ArrayXd m = Eigen::ArrayXd::Zero(3), v = Eigen::ArrayXd::Zero(3), q = start.array();
    for (int t = 1; t <= 2; ++t) {
      const Eigen::ArrayXd g = (t == 1 ? g1 : g2).array();
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g.square();
      const double rate = 0.01 * std::sqrt(1.0 - std::pow(0.999, t)) / (1.0 - std::pow(0.9, t));
      q -= rate * m / (v.sqrt() + 1e-8);
    }
    EXPECT_LE((p.array() - q).abs().maxCoeff(), 1e-15);
  }
  for (bool nesterov : {false, true}) {  // SGD with momentum
    mlp::Sgd<double> sgd(3, 0.1, 0.9, nesterov);
    Eigen::VectorXd p = start;
    sgd.step(p, g1);
    sgd.step(p, g2);
    Eigen::ArrayXd velocity = Eigen::ArrayXd::Zero(3), q = start.array();
    for (int t = 1; t <= 2; ++t) {
      const Eigen::ArrayXd g = (t == 1 ? g1 : g2).array();
      velocity = 0.9 * velocity - 0.1 * g;
      q += nesterov ? Eigen::ArrayXd(0.9 * velocity - 0.1 * g) : velocity;
    }
    EXPECT_LE((p.array() - q).abs().maxCoeff(), 1e-15) << "nesterov " << nesterov;
  }
}

TEST(MlpNetwork, R2ScoreIsScikitLearnsUniformAverage) {
  Eigen::MatrixXd truth(2, 4), predicted(2, 4);
  truth << 1, 2, 3, 4, 5, 5, 5, 5;  // the second output is constant
  predicted << 1, 2, 3, 5, 5, 5, 5, 5;
  // Output 1: 1 − 1/5; output 2: constant and exact → 1.
  EXPECT_NEAR(mlp::r2_score<double>(truth, predicted), 0.5 * (0.8 + 1.0), 1e-15);
  predicted(1, 0) = 4;  // constant truth, inexact prediction → 0
  EXPECT_NEAR(mlp::r2_score<double>(truth, predicted), 0.5 * (0.8 + 0.0), 1e-15);
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
double fit_sine(mlp::Optimizer optimizer) {
  mlp::Random random(21);
  const Index n = 400;
  typename mlp::Network<T>::Mat x(1, n), y(1, n);
  for (Index i = 0; i < n; ++i) {
    x(0, i) = static_cast<T>(random.uniform(-3.0, 3.0));
    y(0, i) = static_cast<T>(std::sin(static_cast<double>(x(0, i))));
  }
  mlp::Network<T> network(mlp::Architecture{1, {32}, 1, mlp::Activation::tanh});
  network.initialize(random);
  mlp::FitSettings settings;
  settings.optimizer = optimizer;
  settings.learning_rate_init = optimizer == mlp::Optimizer::adam ? 0.01 : 0.05;
  settings.batch_size = 32;
  settings.max_iter = 400;
  settings.tol = 0.0;
  settings.n_iter_no_change = 1000;
  const auto result = mlp::fit<T>(network, x, y, settings, random);
  EXPECT_EQ(result.history.size(), 400u);
  mlp::Propagator<T> propagator(network.architecture(), 64);
  typename mlp::Network<T>::Mat p;
  mlp::predict<T>(network, propagator, x, p);
  return static_cast<double>((p - y).squaredNorm()) / static_cast<double>(n);
}

TEST(MlpFit, LearnsASineWithAdamAndSgd) {
  EXPECT_LT(fit_sine<float>(mlp::Optimizer::adam), 1e-3);
  EXPECT_LT(fit_sine<double>(mlp::Optimizer::adam), 1e-3);
  EXPECT_LT(fit_sine<double>(mlp::Optimizer::sgd), 1e-3);
}

TEST(MlpFit, LearnsALinearMapWithoutHiddenLayers) {
  mlp::Random random(8);
  const Eigen::MatrixXd a = random_matrix<double>(3, 5, random);
  const Eigen::MatrixXd x = random_matrix<double>(5, 300, random);
  const Eigen::MatrixXd y = a * x;
  mlp::Network<double> network(mlp::Architecture{5, {}, 3, mlp::Activation::identity});
  network.initialize(random);
  mlp::FitSettings settings;
  settings.alpha = 0.0;
  settings.learning_rate_init = 0.01;
  settings.max_iter = 300;
  settings.tol = 0.0;
  mlp::fit<double>(network, x, y, settings, random);
  EXPECT_LE((network.weights(0) - a).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_LE(network.biases(0).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(MlpFit, StopsWhenTheLossStopsImprovingAsScikitLearnDoes) {
  mlp::Random random(9);
  const Eigen::MatrixXd x = random_matrix<double>(2, 100, random);
  const Eigen::MatrixXd y = x.colwise().sum();
  mlp::Network<double> network(mlp::Architecture{2, {4}, 1, mlp::Activation::tanh});
  network.initialize(random);
  mlp::FitSettings settings;
  settings.tol = 1e3;  // nothing improves by that much
  settings.n_iter_no_change = 3;
  const auto result = mlp::fit<double>(network, x, y, settings, random);
  // The first epoch improves on +inf; then more than 3 without improvement: stopped after epoch 5.
  EXPECT_TRUE(result.stopped_by_tolerance);
  EXPECT_EQ(result.history.size(), 5u);

  settings.early_stopping = true;
  network.initialize(random);
  const auto stopped = mlp::fit<double>(network, x, y, settings, random);
  EXPECT_TRUE(stopped.restored_best);
  ASSERT_EQ(stopped.history.size(), 5u);
  // The weights kept are those of the epoch with the best early-stopping R².
  std::size_t best = 0;
  for (std::size_t i = 0; i < stopped.history.size(); ++i) {
    EXPECT_TRUE(std::isfinite(stopped.history[i].early_stopping_score));
    if (stopped.history[i].early_stopping_score > stopped.history[best].early_stopping_score) best = i;
  }
  EXPECT_EQ(stopped.best_epoch, static_cast<Index>(best + 1));
}

TEST(MlpFit, SameSeedGivesBitIdenticalWeights) {
  IsaGuard guard;
  for (mlp::Isa isa : available_isas()) {
    mlp::set_isa(isa);
    auto train = [](std::uint64_t seed) {
      mlp::Random random(seed);
      const Eigen::MatrixXf x = random_matrix<float>(20, 300, random);
      const Eigen::MatrixXf y = random_matrix<float>(3, 300, random);
      mlp::Network<float> network(mlp::Architecture{20, {16, 8}, 3, mlp::Activation::tanh});
      network.initialize(random);
      mlp::FitSettings settings;
      settings.batch_size = 32;
      settings.max_iter = 20;
      settings.early_stopping = true;
      mlp::fit<float>(network, x, y, settings, random);
      return Eigen::VectorXf(network.parameters());
    };
    const Eigen::VectorXf first = train(77), second = train(77), other = train(78);
    EXPECT_TRUE((first.array() == second.array()).all()) << mlp::to_string(isa);
    EXPECT_FALSE((first.array() == other.array()).all());
  }
}

}  // namespace
