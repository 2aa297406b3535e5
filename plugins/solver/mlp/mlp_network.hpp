// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The multilayer perceptron of the `mlp` solver: dense layers, a linear output layer, the squared loss
// with an L2 penalty, back-propagation, and scikit-learn's stochastic optimisers (SGD with momentum,
// Adam), written on Eigen. No plugin machinery here: mlp_network_test.cpp tests it directly.
//
// Conventions, after scikit-learn's MLPRegressor (sklearn/neural_network/_multilayer_perceptron.py):
//   * A batch is a column-major matrix with one sample per COLUMN (features × samples), so a layer is
//     one product Z = W·A + b with W of shape (units out × units in).
//   * Loss of a batch of b samples with o outputs (what MLPRegressor calls loss_, per batch):
//         loss = Σ (p − y)² / (2·b·o)  +  α/(2·b) · Σ ‖W‖²  +  λ₁/b · Σ |W|   (biases are not penalised)
//     The L1 term (λ₁, option `l1`; 0 by default, so the loss is scikit-learn's) is Kim & Nakata's "NN with
//     L1"; it is scaled by 1/b like scikit-learn's L2 term, and its gradient is λ₁·sign(W)/b (0 at W = 0).
//   * Its gradient, as scikit-learn computes it: the output delta is (p − y) — not divided by o — so the
//     gradient is that of  J = Σ (p − y)² / (2·b) + α/(2·b)·Σ ‖W‖²,  the sum over outputs. For one output
//     the two agree; mlp_network_test.cpp checks the gradient against finite differences of J.
//   * Hidden activations identity, logistic, tanh, relu; the output layer is always the identity.
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "mlp_kernels.hpp"

namespace geoinv::mlp {

enum class Activation { identity, logistic, tanh, relu };
std::string to_string(Activation activation);
std::optional<Activation> activation_from_string(const std::string& word);

enum class Optimizer { sgd, adam };
std::string to_string(Optimizer optimizer);
std::optional<Optimizer> optimizer_from_string(const std::string& word);

struct Architecture {
  Index inputs = 0;
  std::vector<Index> hidden;  // units per hidden layer; may be empty (a linear model)
  Index outputs = 0;
  Activation activation = Activation::relu;  // hidden layers; the output layer is linear

  // inputs, hidden..., outputs
  std::vector<Index> layer_sizes() const;
  Index num_layers() const { return static_cast<Index>(hidden.size()) + 1; }  // weight matrices
  Index num_weights() const;
  Index num_biases() const;
  // "101-64-64-5 tanh"
  std::string to_string() const;
};

// The distribution of a network's initial weights (option `init`, README.md "Initial weights").
enum class InitialDistribution {
  glorot_uniform,  // scikit-learn's _init_coef (Network::initialize); `scale` is not used
  normal,          // N(0, scale²): every weight and hidden bias; the output biases start at 0
  uniform,         // U(−scale, scale): the same weights and biases; the output biases start at 0
};
std::string to_string(InitialDistribution distribution);
std::optional<InitialDistribution> initial_distribution_from_string(const std::string& word);

struct InitialWeights {
  InitialDistribution distribution = InitialDistribution::glorot_uniform;
  // normal: the standard deviation; uniform: the half-width. In the standardised units the network sees
  // (inputs and targets scaled to unit variance), so dimensionless.
  double scale = 1.0;
};

// Deterministic random numbers that do not depend on the standard library's distributions (which are
// implementation-defined): a 64-bit Mersenne twister, uniform doubles from its top 53 bits, unbiased
// integers by rejection, Fisher-Yates shuffles, standard normals by Box–Muller (one per two uniforms).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  double uniform();  // [0, 1)
  double uniform(double low, double high);
  double normal();  // N(0, 1)
  Index below(Index n);  // [0, n)
  void shuffle(std::vector<Index>& values);
  // A random permutation of 0..n-1.
  std::vector<Index> permutation(Index n);

 private:
  std::mt19937_64 engine_;
};

// Weights and biases in one flat vector, so that an optimiser step is one pass over one array: all
// weight matrices first (layer by layer, each column-major, units out × units in), then all biases.
template <typename T>
class Network {
 public:
  using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

  Network() = default;
  explicit Network(Architecture architecture);

  const Architecture& architecture() const { return architecture_; }
  Index num_layers() const { return architecture_.num_layers(); }

  Vec& parameters() { return parameters_; }
  const Vec& parameters() const { return parameters_; }
  Eigen::Map<Mat> weights(Index layer);
  Eigen::Map<const Mat> weights(Index layer) const;
  Eigen::Map<Vec> biases(Index layer);
  Eigen::Map<const Vec> biases(Index layer) const;
  Index weight_offset(Index layer) const { return weight_offsets_[static_cast<std::size_t>(layer)]; }
  Index bias_offset(Index layer) const { return bias_offsets_[static_cast<std::size_t>(layer)]; }

  // Draws the initial weights and biases layer by layer, weights (row by row of W, i.e. scikit-learn's
  // (fan_in, fan_out) coef_ column by column) then biases. glorot_uniform (the default) is scikit-learn's
  // _init_coef (Glorot & Bengio 2010): weights and biases of a layer uniform in ±sqrt(f / (fan_in +
  // fan_out)), f = 2 for the logistic activation and 6 otherwise. normal and uniform draw every weight
  // and hidden bias from N(0, scale²) or U(−scale, scale), whatever the layer's fan, and start the output
  // biases at 0, as Russell's (2019) 1-2-1 network and its NumPy peer do: large random starts are what
  // leave that network in local minima.
  void initialize(Random& random, const InitialWeights& init = {});

 private:
  Architecture architecture_;
  Vec parameters_;
  std::vector<Index> sizes_, weight_offsets_, bias_offsets_;  // sizes_: Architecture::layer_sizes()
};

// The weight penalties of the loss (header comment): α (scikit-learn's L2 `alpha`) and λ₁ (L1, `l1`).
// Implicit from a double, the L2 α alone, as scikit-learn's loss takes it.
struct WeightPenalty {
  double alpha = 0.0;
  double l1 = 0.0;
  WeightPenalty(double alpha_l2 = 0.0, double lambda_l1 = 0.0) : alpha(alpha_l2), l1(lambda_l1) {}  // NOLINT
};

// Forward and backward passes over batches of up to `capacity` samples, in buffers allocated once.
template <typename T>
class Propagator {
 public:
  using Vec = typename Network<T>::Vec;
  using Mat = typename Network<T>::Mat;

  Propagator() = default;
  Propagator(const Architecture& architecture, Index capacity);
  Index capacity() const { return capacity_; }

  // Outputs (outputs × count, column-major, leading dimension `outputs`) for `count` ≤ capacity samples
  // given as inputs × count, column-major (leading dimension `inputs`). The pointer stays valid until
  // the next call.
  const T* forward(const Network<T>& network, const T* inputs, Index count);

  // The batch loss (header comment) and its gradient, in the layout of Network::parameters().
  // `squared_error` (optional) receives Σ (p − y)² of the batch.
  double loss_and_gradient(const Network<T>& network, const T* inputs, const T* targets, Index count,
                           WeightPenalty penalty, Vec& gradient, double* squared_error = nullptr);

 private:
  Index capacity_ = 0;
  std::vector<Mat> activations_;  // per layer 1..L: units × capacity (the last one is the output)
  std::vector<Mat> deltas_;       // per layer 1..L: d J / d Z
  std::vector<Mat> transposed_;   // Wᵀ of each layer but the first, for the backward products
};

// scikit-learn's SGDOptimizer (constant learning rate) and AdamOptimizer, on the flat parameter vector.
template <typename T>
class Sgd {
 public:
  Sgd(Index size, double learning_rate, double momentum, bool nesterov);
  void step(typename Network<T>::Vec& parameters, const typename Network<T>::Vec& gradient);

 private:
  typename Network<T>::Vec velocity_;
  T learning_rate_, momentum_;
  bool nesterov_;
};

template <typename T>
class Adam {
 public:
  Adam(Index size, double learning_rate, double beta_1, double beta_2, double epsilon);
  void step(typename Network<T>::Vec& parameters, const typename Network<T>::Vec& gradient);

 private:
  typename Network<T>::Vec first_, second_;
  double learning_rate_, beta_1_, beta_2_, epsilon_;
  double beta_1_power_ = 1.0, beta_2_power_ = 1.0;  // β^t
};

// MLPRegressor's training options (same names and defaults).
struct FitSettings {
  Optimizer optimizer = Optimizer::adam;
  double alpha = 1e-4;
  double l1 = 0.0;       // λ₁ of the L1 weight penalty (header comment); not in MLPRegressor
  Index batch_size = 0;  // 0: "auto", min(200, samples)
  double learning_rate_init = 1e-3;
  Index max_iter = 200;  // epochs
  bool shuffle = true;
  bool early_stopping = false;
  double validation_fraction = 0.1;
  Index n_iter_no_change = 10;
  double tol = 1e-4;
  double momentum = 0.9;
  bool nesterovs_momentum = true;
  double beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-8;
};

struct EpochRecord {
  Index epoch = 0;                    // 1-based
  double train_loss = 0.0;            // MLPRegressor's loss_: batch losses (header) averaged over the epoch
  double train_mse = 0.0;             // Σ (p − y)² / (samples · outputs) over the epoch's batches
  double monitor_mse = 0.0;           // the same on the monitoring set after the epoch; NaN without one
  double early_stopping_score = 0.0;  // R² on the early-stopping set; NaN when early_stopping is off
  double elapsed_s = 0.0;             // since fit() started
};

struct FitResult {
  std::vector<EpochRecord> history;
  bool stopped_by_tolerance = false;  // n_iter_no_change epochs without improving by tol
  bool restored_best = false;         // early stopping: the best-scoring epoch's weights were restored
  Index best_epoch = 0;               // early stopping: the epoch whose weights were kept
  std::string message;                // why it stopped, in words
};

// Trains `network` (already initialised) on inputs (inputs × samples) and targets (outputs × samples),
// column-major, as MLPRegressor._fit_stochastic does: per epoch a fresh shuffle (when `shuffle`), then
// batches of batch_size (the last one shorter), one optimiser step each. Stopping: after max_iter epochs,
// or when the training loss (early_stopping off) or the early-stopping R² (on) has not improved by tol
// for more than n_iter_no_change epochs; early stopping holds out ceil(validation_fraction · samples)
// samples, chosen by `random`, and restores the best-scoring weights at the end.
// `monitor_*` (optional, may be empty) is scored each epoch into EpochRecord::monitor_mse; `on_epoch` (may
// be empty) sees each record as it is made.
template <typename T>
FitResult fit(Network<T>& network, const typename Network<T>::Mat& inputs,
              const typename Network<T>::Mat& targets, const FitSettings& settings, Random& random,
              const typename Network<T>::Mat& monitor_inputs = {},
              const typename Network<T>::Mat& monitor_targets = {},
              const std::function<void(const EpochRecord&)>& on_epoch = {});

// Predictions (outputs × samples) for inputs (inputs × samples), in chunks of the propagator's capacity.
template <typename T>
void predict(const Network<T>& network, Propagator<T>& propagator, const typename Network<T>::Mat& inputs,
             typename Network<T>::Mat& outputs);

// scikit-learn's r2_score(multioutput="uniform_average") with samples as columns.
template <typename T>
double r2_score(const typename Network<T>::Mat& truth, const typename Network<T>::Mat& predicted);

}  // namespace geoinv::mlp
