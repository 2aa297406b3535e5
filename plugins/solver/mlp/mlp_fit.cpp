// SPDX-License-Identifier: BSD-3-Clause
// The training loop (mlp_network.hpp: fit), as MLPRegressor._fit_stochastic: epochs of shuffled
// mini-batches, one optimiser step per batch, the monitored and early-stopping scores after each epoch,
// and scikit-learn's no-improvement stopping rule.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "mlp_network.hpp"

namespace geoinv::mlp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
template <typename T>
constexpr Index kFloatsPerLine = 64 / sizeof(T);  // values per 64-byte cache line

// The samples the epochs go over, and the early-stopping part held out of them: ceil(validation_fraction
// · n) samples of a seeded permutation, as train_test_split(test_size=...). Without early stopping every
// sample trains, in their given order, and `random` is not drawn from.
template <typename T>
struct EarlyStoppingSplit {
  using Mat = typename Network<T>::Mat;
  std::vector<Index> training;
  Mat inputs, targets, predicted;
};

template <typename T>
EarlyStoppingSplit<T> split_for_early_stopping(const typename Network<T>::Mat& inputs,
                                               const typename Network<T>::Mat& targets,
                                               const FitSettings& settings, Random& random) {
  const Index n = inputs.cols();
  EarlyStoppingSplit<T> split;
  split.training.resize(static_cast<std::size_t>(n));
  std::iota(split.training.begin(), split.training.end(), Index{0});
  if (!settings.early_stopping) return split;
  split.training = random.permutation(n);
  auto held = static_cast<Index>(std::ceil(settings.validation_fraction * static_cast<double>(n)));
  held = std::clamp<Index>(held, 1, n - 1);
  split.inputs.resize(inputs.rows(), held);
  split.targets.resize(targets.rows(), held);
  for (Index i = 0; i < held; ++i) {
    split.inputs.col(i) = inputs.col(split.training[static_cast<std::size_t>(i)]);
    split.targets.col(i) = targets.col(split.training[static_cast<std::size_t>(i)]);
  }
  split.training.erase(split.training.begin(), split.training.begin() + held);
  return split;
}

// The optimiser the settings name, behind one step().
template <typename T>
class Optimiser {
 public:
  Optimiser(const FitSettings& settings, Index size) {
    if (settings.optimizer == Optimizer::sgd) {
      sgd_.emplace(size, settings.learning_rate_init, settings.momentum, settings.nesterovs_momentum);
    } else {
      adam_.emplace(size, settings.learning_rate_init, settings.beta_1, settings.beta_2, settings.epsilon);
    }
  }
  void step(typename Network<T>::Vec& parameters, const typename Network<T>::Vec& gradient) {
    if (sgd_) {
      sgd_->step(parameters, gradient);
    } else {
      adam_->step(parameters, gradient);
    }
  }

 private:
  std::optional<Sgd<T>> sgd_;
  std::optional<Adam<T>> adam_;
};

// One epoch's passes over the training samples in `order`: batches gathered into contiguous columns,
// the loss and gradient of each, one optimiser step each. Fills the record's train_loss and train_mse.
template <typename T>
class EpochRunner {
 public:
  using Mat = typename Network<T>::Mat;
  using Vec = typename Network<T>::Vec;

  EpochRunner(const Network<T>& network, Index batch)
      : batch_(batch),
        propagator_(network.architecture(), batch),
        inputs_(network.architecture().inputs, batch),
        targets_(network.architecture().outputs, batch),
        gradient_(network.parameters().size()) {}

  Index gradient_size() const { return gradient_.size(); }

  void run(Network<T>& network, const Mat& inputs, const Mat& targets, const std::vector<Index>& order,
           WeightPenalty penalty, Optimiser<T>& optimiser, EpochRecord& record) {
    const auto n_train = static_cast<Index>(order.size());
    double loss_sum = 0.0, squared_error_sum = 0.0;
    for (Index start = 0; start < n_train; start += batch_) {
      const Index count = std::min(batch_, n_train - start);
      for (Index c = 0; c < count; ++c) {
        const Index sample = order[static_cast<std::size_t>(start + c)];
        inputs_.col(c) = inputs.col(sample);
        targets_.col(c) = targets.col(sample);
      }
      prefetch_next_batch(inputs, targets, order, start);
      double squared_error = 0.0;
      const double loss = propagator_.loss_and_gradient(network, inputs_.data(), targets_.data(), count,
                                                        penalty, gradient_, &squared_error);
      loss_sum += loss * static_cast<double>(count);
      squared_error_sum += squared_error;
      optimiser.step(network.parameters(), gradient_);
    }
    record.train_loss = loss_sum / static_cast<double>(n_train);
    record.train_mse =
        squared_error_sum / (static_cast<double>(n_train) * static_cast<double>(network.architecture().outputs));
  }

 private:
  // The next batch's columns are scattered over the training set: asking for them now lets the gather
  // find them in cache instead of waiting on memory (docs/benchmarks.md).
  void prefetch_next_batch(const Mat& inputs, const Mat& targets, const std::vector<Index>& order,
                           Index start) const {
    const auto n_train = static_cast<Index>(order.size());
    for (Index c = start + batch_; c < std::min(start + 2 * batch_, n_train); ++c) {
      const T* column = inputs.col(order[static_cast<std::size_t>(c)]).data();
      for (Index offset = 0; offset < inputs.rows(); offset += kFloatsPerLine<T>) __builtin_prefetch(column + offset);
      __builtin_prefetch(targets.col(order[static_cast<std::size_t>(c)]).data());
    }
  }

  Index batch_;
  Propagator<T> propagator_;
  Mat inputs_, targets_;
  Vec gradient_;
};

// MLPRegressor._update_no_improvement_count: epochs in a row whose training loss (early stopping off) or
// early-stopping R² (on) did not improve on the best by tol; with early stopping, the best epoch's
// weights are kept to be restored at the end.
template <typename T>
class NoImprovementRule {
 public:
  explicit NoImprovementRule(const FitSettings& settings) : settings_(settings) {}

  // Whether training should stop after `record`.
  bool should_stop(const EpochRecord& record, const Network<T>& network, FitResult& result) {
    if (settings_.early_stopping) {
      const double score = record.early_stopping_score;
      no_improvement_ = score < best_score_ + settings_.tol ? no_improvement_ + 1 : 0;
      if (score > best_score_) {
        best_score_ = score;
        best_parameters_ = network.parameters();
        result.best_epoch = record.epoch;
      }
    } else {
      no_improvement_ = record.train_loss > best_loss_ - settings_.tol ? no_improvement_ + 1 : 0;
      best_loss_ = std::min(best_loss_, record.train_loss);
    }
    return no_improvement_ > settings_.n_iter_no_change;
  }

  // Early stopping: puts the best-scoring epoch's weights back and says so in the message.
  void restore_best(Network<T>& network, FitResult& result) const {
    if (!settings_.early_stopping || best_parameters_.size() != network.parameters().size()) return;
    network.parameters() = best_parameters_;
    result.restored_best = true;
    result.message += "; kept the weights of epoch " + std::to_string(result.best_epoch) +
                      " (best early-stopping R² " + std::to_string(best_score_) + ")";
  }

 private:
  const FitSettings& settings_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  double best_score_ = -std::numeric_limits<double>::infinity();
  typename Network<T>::Vec best_parameters_;
  Index no_improvement_ = 0;
};

std::string stopping_message(const FitSettings& settings, const FitResult& result) {
  if (!result.stopped_by_tolerance) return "reached max_iter (" + std::to_string(settings.max_iter) + " epochs)";
  return std::string(settings.early_stopping ? "the early-stopping validation score (R²)" : "the training loss") +
         " did not improve by more than tol for " + std::to_string(settings.n_iter_no_change) +
         " consecutive epochs; stopped after epoch " + std::to_string(result.history.size());
}

}  // namespace

template <typename T>
FitResult fit(Network<T>& network, const typename Network<T>::Mat& inputs,
              const typename Network<T>::Mat& targets, const FitSettings& settings, Random& random,
              const typename Network<T>::Mat& monitor_inputs, const typename Network<T>::Mat& monitor_targets,
              const std::function<void(const EpochRecord&)>& on_epoch) {
  using Mat = typename Network<T>::Mat;
  const auto started = std::chrono::steady_clock::now();
  const Architecture& architecture = network.architecture();
  FitResult result;

  EarlyStoppingSplit<T> split = split_for_early_stopping<T>(inputs, targets, settings, random);
  const auto n_train = static_cast<Index>(split.training.size());
  const Index batch = settings.batch_size == 0 ? std::min<Index>(200, n_train)
                                               : std::clamp<Index>(settings.batch_size, 1, n_train);
  EpochRunner<T> epochs(network, batch);
  Propagator<T> evaluator(architecture, std::max<Index>(batch, 256));
  Mat monitor_predicted;
  Optimiser<T> optimiser(settings, epochs.gradient_size());
  NoImprovementRule<T> rule(settings);
  const double outputs = static_cast<double>(architecture.outputs);
  result.history.reserve(static_cast<std::size_t>(std::min<Index>(settings.max_iter, 100000)));

  for (Index epoch = 1; epoch <= settings.max_iter; ++epoch) {
    if (settings.shuffle) random.shuffle(split.training);
    EpochRecord record;
    record.epoch = epoch;
    epochs.run(network, inputs, targets, split.training, {settings.alpha, settings.l1}, optimiser, record);
    record.monitor_mse = kNaN;
    record.early_stopping_score = kNaN;
    if (monitor_inputs.cols() > 0) {
      predict(network, evaluator, monitor_inputs, monitor_predicted);
      record.monitor_mse = (monitor_predicted - monitor_targets).template cast<double>().squaredNorm() /
                           (static_cast<double>(monitor_targets.cols()) * outputs);
    }
    if (settings.early_stopping) {
      predict(network, evaluator, split.inputs, split.predicted);
      record.early_stopping_score = r2_score<T>(split.targets, split.predicted);
    }
    record.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.history.push_back(record);
    if (on_epoch) on_epoch(record);
    if (!std::isfinite(record.train_loss)) {
      result.message = "the training loss is not finite after epoch " + std::to_string(epoch);
      return result;
    }
    if (rule.should_stop(record, network, result)) {
      result.stopped_by_tolerance = true;
      break;
    }
  }
  result.message = stopping_message(settings, result);
  rule.restore_best(network, result);
  return result;
}

template FitResult fit<float>(Network<float>&, const Network<float>::Mat&, const Network<float>::Mat&,
                              const FitSettings&, Random&, const Network<float>::Mat&, const Network<float>::Mat&,
                              const std::function<void(const EpochRecord&)>&);
template FitResult fit<double>(Network<double>&, const Network<double>::Mat&, const Network<double>::Mat&,
                               const FitSettings&, Random&, const Network<double>::Mat&,
                               const Network<double>::Mat&, const std::function<void(const EpochRecord&)>&);

}  // namespace geoinv::mlp
