// SPDX-License-Identifier: BSD-3-Clause
// geoinv.ForwardModel(name, options, stations): one forward plugin (or registered Python model),
// configured as an experiment's `forward:` would configure it, for plots and checks without an
// experiment. Models are in internal units (angles in radians), as every ForwardModel takes them.
//
// Copies: none for a contiguous float64 model; the outputs are NumPy arrays the plugin writes into
// directly (the Jacobian in Fortran order, Eigen's column-major layout).
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "configuration/config_node.hpp"
#include "configuration/plugin_options.hpp"
#include "geoinv/finite_difference.hpp"
#include "plugin_paths.hpp"
#include "yaml_tree.hpp"

namespace geoinv_python {

namespace {

class BoundForwardModel {
 public:
  BoundForwardModel(const std::string& name, const py::dict& options, const DoubleArray& stations,
                    const std::vector<std::string>& plugin_paths)
      : name_(name) {
    const auto registry = make_registry(plugin_paths);
    model_ = registry->create_forward_model(name);
    YAML::Node root(YAML::NodeType::Map);
    root["options"] = yaml_tree(options, "options");
    const geoinv::ConfigNode node = geoinv::load_config_tree(root, "<forward options of " + name + ">", {});
    const geoinv::OptionValues values = geoinv::read_options(node["options"], model_->options(), name);
    stations_ = vector_view(stations, "stations");
    model_->configure(values, stations_);
    parameters_ = model_->parameters();
  }

  py::array predict(const DoubleArray& model) const {
    const auto view = vector_view(model, "model", static_cast<Eigen::Index>(parameters_.size()));
    py::array_t<double> data(stations_.size());
    Eigen::Map<geoinv::Vector> out(data.mutable_data(), stations_.size());
    {
      py::gil_scoped_release release;
      model_->predict(view, out);
    }
    return std::move(data);
  }

  // The Jacobian, analytic when the model has one, else central differences as Problem takes them.
  py::array jacobian(const DoubleArray& model) const {
    const auto view = vector_view(model, "model", static_cast<Eigen::Index>(parameters_.size()));
    const auto rows = stations_.size(), cols = static_cast<Eigen::Index>(parameters_.size());
    py::array_t<double, py::array::f_style> matrix({rows, cols});
    Eigen::Map<geoinv::Matrix> out(matrix.mutable_data(), rows, cols);
    {
      py::gil_scoped_release release;
      if (model_->has_jacobian()) {
        geoinv::Vector data(rows);
        model_->predict_with_jacobian(view, data, out);
      } else {
        geoinv::central_difference_jacobian(*model_, view, out);
      }
    }
    return std::move(matrix);
  }

  const std::string& name() const { return name_; }
  bool has_jacobian() const { return model_->has_jacobian(); }
  py::list parameters() const {
    py::list names;
    for (const auto& p : parameters_) names.append(p.name);
    return names;
  }
  py::array stations() const { return to_numpy(geoinv::Vector(stations_)); }

 private:
  std::string name_;
  std::shared_ptr<geoinv::ForwardModel> model_;
  geoinv::ParameterSpecs parameters_;
  geoinv::Vector stations_;
};

}  // namespace

void bind_forward_models(py::module_& module) {
  py::class_<BoundForwardModel>(module, "ForwardModel")
      .def(py::init<const std::string&, const py::dict&, const DoubleArray&, const std::vector<std::string>&>(),
           py::arg("name"), py::arg("options"), py::arg("stations"), py::arg("plugin_paths"))
      .def("predict", &BoundForwardModel::predict, py::arg("model"))
      .def("jacobian", &BoundForwardModel::jacobian, py::arg("model"))
      .def_property_readonly("name", &BoundForwardModel::name)
      .def_property_readonly("has_jacobian", &BoundForwardModel::has_jacobian)
      .def_property_readonly("parameters", &BoundForwardModel::parameters)
      .def_property_readonly("stations", &BoundForwardModel::stations);
}

}  // namespace geoinv_python
