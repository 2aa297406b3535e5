// SPDX-License-Identifier: BSD-3-Clause
// The network, its passes and the optimisers (mlp_network.hpp); the training loop is mlp_fit.cpp.
#include "mlp_network.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "geoinv/parameter.hpp"  // kPi

namespace geoinv::mlp {

namespace {

constexpr const char* kActivationWords[] = {"identity", "logistic", "tanh", "relu"};
constexpr const char* kOptimizerWords[] = {"sgd", "adam"};
constexpr const char* kInitialDistributionWords[] = {"glorot_uniform", "normal", "uniform"};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Applies a hidden layer's activation in place.
template <typename T>
void activate(Activation activation, Eigen::Map<typename Network<T>::Mat> z) {
  auto a = z.array();
  switch (activation) {
    case Activation::identity:
      break;
    case Activation::logistic:
      a = (T(1) + (-a).exp()).inverse();
      break;
    case Activation::tanh:
      a = a.tanh();
      break;  // Eigen's vectorised rational tanh for float
    case Activation::relu:
      a = a.max(T(0));
      break;
  }
}

// delta ← delta ⊙ f'(z), written with the activation a = f(z) as scikit-learn's DERIVATIVES are.
template <typename T>
void multiply_by_derivative(Activation activation, Eigen::Map<const typename Network<T>::Mat> a,
                            Eigen::Map<typename Network<T>::Mat> delta) {
  switch (activation) {
    case Activation::identity:
      break;
    case Activation::logistic:
      delta.array() *= a.array() * (T(1) - a.array());
      break;
    case Activation::tanh:
      multiply_by_tanh_derivative<T>(a.data(), delta.data(), a.size());
      break;
    case Activation::relu:
      delta = (a.array() > T(0)).select(delta, T(0));
      break;
  }
}

}  // namespace

std::string to_string(Activation activation) { return kActivationWords[static_cast<int>(activation)]; }

std::optional<Activation> activation_from_string(const std::string& word) {
  for (int i = 0; i < 4; ++i)
    if (word == kActivationWords[i]) return static_cast<Activation>(i);
  return std::nullopt;
}

std::string to_string(Optimizer optimizer) { return kOptimizerWords[static_cast<int>(optimizer)]; }

std::optional<Optimizer> optimizer_from_string(const std::string& word) {
  for (int i = 0; i < 2; ++i)
    if (word == kOptimizerWords[i]) return static_cast<Optimizer>(i);
  return std::nullopt;
}

std::string to_string(InitialDistribution distribution) {
  return kInitialDistributionWords[static_cast<int>(distribution)];
}

std::optional<InitialDistribution> initial_distribution_from_string(const std::string& word) {
  for (int i = 0; i < 3; ++i)
    if (word == kInitialDistributionWords[i]) return static_cast<InitialDistribution>(i);
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------
std::vector<Index> Architecture::layer_sizes() const {
  std::vector<Index> sizes{inputs};
  sizes.insert(sizes.end(), hidden.begin(), hidden.end());
  sizes.push_back(outputs);
  return sizes;
}

Index Architecture::num_weights() const {
  const auto sizes = layer_sizes();
  Index total = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) total += sizes[l] * sizes[l + 1];
  return total;
}

Index Architecture::num_biases() const { return std::accumulate(hidden.begin(), hidden.end(), outputs); }

std::string Architecture::to_string() const {
  std::string text;
  for (Index size : layer_sizes()) text += (text.empty() ? "" : "-") + std::to_string(size);
  return text + " " + mlp::to_string(activation);
}

// ---------------------------------------------------------------------------------------------------
double Random::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double Random::uniform(double low, double high) { return low + (high - low) * uniform(); }

double Random::normal() {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));  // 1 − u in (0, 1]: log is finite
  return radius * std::cos(2.0 * kPi * uniform());
}

Index Random::below(Index n) {
  // Rejection of the top partial block keeps every value equally likely.
  const auto range = static_cast<std::uint64_t>(n);
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t value;
  do value = engine_();
  while (value >= limit);
  return static_cast<Index>(value % range);
}

void Random::shuffle(std::vector<Index>& values) {
  for (std::size_t i = values.size(); i > 1; --i)
    std::swap(values[i - 1], values[static_cast<std::size_t>(below(static_cast<Index>(i)))]);
}

std::vector<Index> Random::permutation(Index n) {
  std::vector<Index> values(static_cast<std::size_t>(n));
  std::iota(values.begin(), values.end(), Index{0});
  shuffle(values);
  return values;
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
Network<T>::Network(Architecture architecture) : architecture_(std::move(architecture)) {
  sizes_ = architecture_.layer_sizes();
  const auto& sizes = sizes_;
  Index offset = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    weight_offsets_.push_back(offset);
    offset += sizes[l] * sizes[l + 1];
  }
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    bias_offsets_.push_back(offset);
    offset += sizes[l + 1];
  }
  parameters_ = Vec::Zero(offset);
}

template <typename T>
Eigen::Map<typename Network<T>::Mat> Network<T>::weights(Index layer) {
  const auto l = static_cast<std::size_t>(layer);
  return {parameters_.data() + weight_offsets_[l], sizes_[l + 1], sizes_[l]};
}

template <typename T>
Eigen::Map<const typename Network<T>::Mat> Network<T>::weights(Index layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return {parameters_.data() + weight_offsets_[l], sizes_[l + 1], sizes_[l]};
}

template <typename T>
Eigen::Map<typename Network<T>::Vec> Network<T>::biases(Index layer) {
  const auto l = static_cast<std::size_t>(layer);
  return {parameters_.data() + bias_offsets_[l], sizes_[l + 1]};
}

template <typename T>
Eigen::Map<const typename Network<T>::Vec> Network<T>::biases(Index layer) const {
  const auto l = static_cast<std::size_t>(layer);
  return {parameters_.data() + bias_offsets_[l], sizes_[l + 1]};
}

template <typename T>
void Network<T>::initialize(Random& random, const InitialWeights& init) {
  if (init.distribution != InitialDistribution::glorot_uniform) {
    const bool normal = init.distribution == InitialDistribution::normal;
    auto draw = [&] {
      return static_cast<T>(normal ? init.scale * random.normal() : random.uniform(-init.scale, init.scale));
    };
    for (Index l = 0; l < num_layers(); ++l) {
      auto w = weights(l);
      for (Index i = 0; i < w.size(); ++i) w.data()[i] = draw();
      auto b = biases(l);
      for (Index i = 0; i < b.size(); ++i) b(i) = l + 1 < num_layers() ? draw() : T(0);
    }
    return;
  }
  const auto sizes = architecture_.layer_sizes();
  const double factor = architecture_.activation == Activation::logistic ? 2.0 : 6.0;
  for (Index l = 0; l < num_layers(); ++l) {
    const auto u = static_cast<std::size_t>(l);
    const double bound = std::sqrt(factor / static_cast<double>(sizes[u] + sizes[u + 1]));
    // Column-major W (out × in) in storage order is scikit-learn's coef_ (in × out) in C order.
    auto w = weights(l);
    for (Index i = 0; i < w.size(); ++i) w.data()[i] = static_cast<T>(random.uniform(-bound, bound));
    auto b = biases(l);
    for (Index i = 0; i < b.size(); ++i) b(i) = static_cast<T>(random.uniform(-bound, bound));
  }
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
Propagator<T>::Propagator(const Architecture& architecture, Index capacity) : capacity_(capacity) {
  const auto sizes = architecture.layer_sizes();
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    activations_.emplace_back(sizes[l], capacity);
    deltas_.emplace_back(sizes[l], capacity);
    transposed_.emplace_back(l == 1 ? Mat() : Mat(sizes[l - 1], sizes[l]));
  }
}

template <typename T>
const T* Propagator<T>::forward(const Network<T>& network, const T* inputs, Index count) {
  const Architecture& architecture = network.architecture();
  const T* previous = inputs;
  Index previous_units = architecture.inputs;
  const Index layers = network.num_layers();
  for (Index l = 0; l < layers; ++l) {
    Mat& z = activations_[static_cast<std::size_t>(l)];
    const Index units = z.rows();
    multiply<T>(units, count, previous_units, network.weights(l).data(), units, previous, 1, previous_units,
                z.data(), units);
    if (l + 1 < layers && architecture.activation == Activation::tanh) {
      bias_tanh<T>(z.data(), network.biases(l).data(), units, count);  // one fused pass
    } else {
      Eigen::Map<Mat> block(z.data(), units, count);
      block.colwise() += network.biases(l);
      if (l + 1 < layers) activate<T>(architecture.activation, block);
    }
    previous = z.data();
    previous_units = units;
  }
  return activations_.back().data();
}

template <typename T>
double Propagator<T>::loss_and_gradient(const Network<T>& network, const T* inputs, const T* targets,
                                        Index count, WeightPenalty penalty, Vec& gradient,
                                        double* squared_error) {
  const Architecture& architecture = network.architecture();
  const Index layers = network.num_layers();
  const Index outputs = architecture.outputs;
  const T* predicted = forward(network, inputs, count);
  gradient.resize(network.parameters().size());

  Eigen::Map<Mat> output_delta(deltas_.back().data(), outputs, count);
  output_delta =
      Eigen::Map<const Mat>(predicted, outputs, count) - Eigen::Map<const Mat>(targets, outputs, count);
  // Sums in T: a float sum of ~10⁴ terms is accurate to ~1e-6 relative, ample for a reported loss.
  const double sse = static_cast<double>(output_delta.squaredNorm());
  if (squared_error) *squared_error = sse;
  const Index num_weights = network.bias_offset(0);  // the weights come first
  const auto weights = network.parameters().head(num_weights);
  const double b = static_cast<double>(count);
  double loss = sse / (2.0 * b * static_cast<double>(outputs)) +
                0.5 * penalty.alpha * static_cast<double>(weights.squaredNorm()) / b;
  if (penalty.l1 > 0.0) loss += penalty.l1 * static_cast<double>(weights.template lpNorm<1>()) / b;

  for (Index l = layers - 1; l >= 0; --l) {
    const auto u = static_cast<std::size_t>(l);
    const T* previous = l == 0 ? inputs : activations_[u - 1].data();
    const Index units = activations_[u].rows();
    const Index previous_units = l == 0 ? architecture.inputs : activations_[u - 1].rows();
    const T* delta = deltas_[u].data();
    // dJ/dW = Δ · Aᵀ (before the 1/b and the penalty below), dJ/db = Δ summed over the batch.
    multiply<T>(units, previous_units, count, delta, units, previous, previous_units, 1,
                gradient.data() + network.weight_offset(l), units);
    gradient.segment(network.bias_offset(l), units) =
        Eigen::Map<const Mat>(delta, units, count).rowwise().sum();
    if (l == 0) break;
    // Δ of the layer below = Wᵀ · Δ ⊙ f'(its activations); Wᵀ copied so the kernel reads it by columns.
    Mat& transposed = transposed_[u];
    transpose<T>(network.weights(l).data(), units, previous_units, transposed.data());
    multiply<T>(previous_units, count, units, transposed.data(), previous_units, delta, 1, units,
                deltas_[u - 1].data(), previous_units);
    multiply_by_derivative<T>(architecture.activation,
                              Eigen::Map<const Mat>(activations_[u - 1].data(), previous_units, count),
                              Eigen::Map<Mat>(deltas_[u - 1].data(), previous_units, count));
  }
  const T inverse = T(1) / static_cast<T>(count);
  gradient.head(num_weights) =
      (gradient.head(num_weights) + static_cast<T>(penalty.alpha) * weights) * inverse;
  if (penalty.l1 > 0.0)
    gradient.head(num_weights) += (static_cast<T>(penalty.l1) * inverse) * weights.array().sign().matrix();
  gradient.tail(gradient.size() - num_weights) *= inverse;
  return loss;
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
Sgd<T>::Sgd(Index size, double learning_rate, double momentum, bool nesterov)
    : velocity_(Network<T>::Vec::Zero(size)),
      learning_rate_(static_cast<T>(learning_rate)),
      momentum_(static_cast<T>(momentum)),
      nesterov_(nesterov) {}

template <typename T>
void Sgd<T>::step(typename Network<T>::Vec& parameters, const typename Network<T>::Vec& gradient) {
  velocity_ = momentum_ * velocity_ - learning_rate_ * gradient;
  if (nesterov_) {
    parameters += momentum_ * velocity_ - learning_rate_ * gradient;
  } else {
    parameters += velocity_;
  }
}

template <typename T>
Adam<T>::Adam(Index size, double learning_rate, double beta_1, double beta_2, double epsilon)
    : first_(Network<T>::Vec::Zero(size)),
      second_(Network<T>::Vec::Zero(size)),
      learning_rate_(learning_rate),
      beta_1_(beta_1),
      beta_2_(beta_2),
      epsilon_(epsilon) {}

template <typename T>
void Adam<T>::step(typename Network<T>::Vec& parameters, const typename Network<T>::Vec& gradient) {
  beta_1_power_ *= beta_1_;
  beta_2_power_ *= beta_2_;
  const auto rate = static_cast<T>(learning_rate_ * std::sqrt(1.0 - beta_2_power_) / (1.0 - beta_1_power_));
  adam_update<T>(parameters.data(), first_.data(), second_.data(), gradient.data(), parameters.size(),
                 static_cast<T>(beta_1_), static_cast<T>(beta_2_), rate, static_cast<T>(epsilon_));
}

// ---------------------------------------------------------------------------------------------------
template <typename T>
void predict(const Network<T>& network, Propagator<T>& propagator, const typename Network<T>::Mat& inputs,
             typename Network<T>::Mat& outputs) {
  using Mat = typename Network<T>::Mat;
  const Index n = inputs.cols(), o = network.architecture().outputs;
  outputs.resize(o, n);
  for (Index start = 0; start < n; start += propagator.capacity()) {
    const Index count = std::min(propagator.capacity(), n - start);
    outputs.middleCols(start, count) =
        Eigen::Map<const Mat>(propagator.forward(network, inputs.col(start).data(), count), o, count);
  }
}

template <typename T>
double r2_score(const typename Network<T>::Mat& truth, const typename Network<T>::Mat& predicted) {
  const Index outputs = truth.rows();
  if (outputs == 0 || truth.cols() == 0) return kNaN;
  double total = 0.0;
  for (Index j = 0; j < outputs; ++j) {
    const Eigen::VectorXd y = truth.row(j).transpose().template cast<double>();
    const Eigen::VectorXd p = predicted.row(j).transpose().template cast<double>();
    const double residual = (y - p).squaredNorm();
    const double spread = (y.array() - y.mean()).square().sum();
    total += spread != 0.0 ? 1.0 - residual / spread : (residual == 0.0 ? 1.0 : 0.0);
  }
  return total / static_cast<double>(outputs);
}

#define GEOINV_MLP_INSTANTIATE(T)                                                                            \
  template class Network<T>;                                                                                 \
  template class Propagator<T>;                                                                              \
  template class Sgd<T>;                                                                                     \
  template class Adam<T>;                                                                                    \
  template void predict<T>(const Network<T>&, Propagator<T>&, const Network<T>::Mat&, Network<T>::Mat&);     \
  template double r2_score<T>(const Network<T>::Mat&, const Network<T>::Mat&);

GEOINV_MLP_INSTANTIATE(float)
GEOINV_MLP_INSTANTIATE(double)

}  // namespace geoinv::mlp
