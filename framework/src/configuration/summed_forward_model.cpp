// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/summed_forward_model.hpp"

#include <fmt/format.h>

#include <utility>

#include "geoinv/error.hpp"

namespace geoinv {

std::string body_suffix(std::size_t index) { return "_" + std::to_string(index + 1); }

SummedForwardModel::SummedForwardModel(std::vector<SummedBody> bodies) : bodies_(std::move(bodies)) {
  if (bodies_.empty()) throw Error(Error::Category::config, "a sum of forward models needs at least one body");
  Eigen::Index offset = 0;
  for (const SummedBody& body : bodies_) {
    const auto size = static_cast<Eigen::Index>(body.model->parameters().size());
    offsets_.push_back(offset);
    sizes_.push_back(size);
    offset += size;
  }
  exchange_class_.resize(bodies_.size());
  for (std::size_t k = 0; k < bodies_.size(); ++k) exchange_class_[k] = k;
}

namespace {

// Every body's declarations (parameters or options), renamed with the body's suffix and documented with
// the body they belong to.
template <typename Spec, typename Declare>
std::vector<Spec> suffixed(const std::vector<SummedBody>& bodies, Declare&& declare) {
  std::vector<Spec> all;
  for (std::size_t k = 0; k < bodies.size(); ++k) {
    for (Spec spec : declare(*bodies[k].model)) {
      spec.name += body_suffix(k);
      spec.doc = fmt::format("body {} ({}): {}", k + 1, bodies[k].plugin, spec.doc);
      all.push_back(std::move(spec));
    }
  }
  return all;
}

}  // namespace

ParameterSpecs SummedForwardModel::parameters() const {
  return suffixed<ParameterSpec>(bodies_, [](const ForwardModel& body) { return body.parameters(); });
}

OptionSpecs SummedForwardModel::options() const {
  return suffixed<OptionSpec>(bodies_, [](const ForwardModel& body) { return body.options(); });
}

OptionValues SummedForwardModel::body_options(std::size_t index, const OptionValues& options) const {
  OptionValues own;
  for (const OptionSpec& spec : bodies_[index].model->options())
    own.set(spec.name, options.at(spec.name + body_suffix(index)));
  return own;
}

OptionValues SummedForwardModel::merge_options(const std::vector<OptionValues>& per_body) const {
  OptionValues merged;
  for (std::size_t k = 0; k < bodies_.size(); ++k)
    for (const auto& [name, value] : per_body.at(k).values()) merged.set(name + body_suffix(k), value);
  return merged;
}

void SummedForwardModel::configure(const OptionValues& options, const Vector& stations) {
  std::vector<OptionValues> own;
  for (std::size_t k = 0; k < bodies_.size(); ++k) {
    own.push_back(body_options(k, options));
    bodies_[k].model->configure(own.back(), stations);
  }
  // A body is exchangeable with the first earlier body of the same plugin and the same options.
  for (std::size_t k = 0; k < bodies_.size(); ++k) {
    exchange_class_[k] = k;
    for (std::size_t j = 0; j < k; ++j) {
      if (bodies_[j].plugin == bodies_[k].plugin && own[j].values() == own[k].values()) {
        exchange_class_[k] = exchange_class_[j];
        break;
      }
    }
  }
}

void SummedForwardModel::predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const {
  // One scratch vector per thread: predict is const and may run on several threads at once.
  thread_local Vector body_data;
  bodies_[0].model->predict(model.segment(offsets_[0], sizes_[0]), data);
  for (std::size_t k = 1; k < bodies_.size(); ++k) {
    body_data.resize(data.size());
    bodies_[k].model->predict(model.segment(offsets_[k], sizes_[k]), body_data);
    data += body_data;
  }
}

bool SummedForwardModel::has_jacobian() const {
  for (const SummedBody& body : bodies_)
    if (!body.model->has_jacobian()) return false;
  return true;
}

void SummedForwardModel::predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                                               Eigen::Ref<Matrix> jacobian) const {
  thread_local Vector body_data;
  bodies_[0].model->predict_with_jacobian(model.segment(offsets_[0], sizes_[0]), data,
                                          jacobian.middleCols(offsets_[0], sizes_[0]));
  for (std::size_t k = 1; k < bodies_.size(); ++k) {
    body_data.resize(data.size());
    bodies_[k].model->predict_with_jacobian(model.segment(offsets_[k], sizes_[k]), body_data,
                                            jacobian.middleCols(offsets_[k], sizes_[k]));
    data += body_data;
  }
}

void SummedForwardModel::canonicalize(Eigen::Ref<Vector> model) const {
  for (std::size_t k = 0; k < bodies_.size(); ++k)
    bodies_[k].model->canonicalize(model.segment(offsets_[k], sizes_[k]));
  // Selection sort of each class's blocks by their first parameter: a handful of bodies at most.
  for (std::size_t k = 0; k < bodies_.size(); ++k) {
    std::size_t smallest = k;
    for (std::size_t j = k + 1; j < bodies_.size(); ++j)
      if (exchange_class_[j] == exchange_class_[k] && model(offsets_[j]) < model(offsets_[smallest])) smallest = j;
    if (smallest != k) model.segment(offsets_[k], sizes_[k]).swap(model.segment(offsets_[smallest], sizes_[k]));
  }
}

bool SummedForwardModel::is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const {
  for (std::size_t k = 0; k < bodies_.size(); ++k) {
    if (bodies_[k].model->is_valid(model.segment(offsets_[k], sizes_[k]), why)) continue;
    if (why) *why = fmt::format("body {} ({}): {}", k + 1, bodies_[k].plugin, *why);
    return false;
  }
  return true;
}

bool SummedForwardModel::estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const {
  Vector unexplained = observed;
  Vector body_data(observed.size());
  for (std::size_t k = 0; k < bodies_.size(); ++k) {
    auto block = model.segment(offsets_[k], sizes_[k]);
    if (!bodies_[k].model->estimate_start(unexplained, block)) return false;
    bodies_[k].model->predict(block, body_data);
    // A start outside the body's bounds (the host clamps it later) may predict nothing usable.
    if (body_data.allFinite()) unexplained -= body_data;
  }
  return true;
}

std::string SummedForwardModel::example_yaml() const { return ""; }

DataQuantity SummedForwardModel::data_quantity() const {
  const DataQuantity first = bodies_.front().model->data_quantity();
  for (const SummedBody& body : bodies_) {
    const DataQuantity quantity = body.model->data_quantity();
    if (quantity.name != first.name || quantity.unit != first.unit) return {};
  }
  return first;
}

}  // namespace geoinv
