// SPDX-License-Identifier: BSD-3-Clause
// geoinv.register_forward_model(cls): a Python class as a forward model every solver and campaign can use,
// registered in the plugin registry under its name (geoinv/in_process_plugins.hpp), so a YAML
// experiment names it in `forward: {plugin: NAME}` (docs/python.md, "Forward models in Python").
//
// Threads: each call into Python holds the GIL, so a Python model serialises a campaign's solver
// threads (they still overlap in C++ between calls). Worker processes: a fork of the interpreter cannot
// safely run Python code, so a Python model refuses to be made in one, naming executor="threads".
// Copies: the model vector and the stations reach Python as read-only NumPy views (no copy); the data
// (and Jacobian) Python returns are copied once into the host's buffers.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "geoinv/error.hpp"
#include "geoinv/in_process_plugins.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/version.hpp"

namespace geoinv_python {

namespace {

// A read-only NumPy view of memory the caller keeps alive for the duration of the Python call.
py::array borrowed_view(const double* data, Eigen::Index size) {
  py::array view(py::dtype::of<double>(), {size}, {sizeof(double)}, data, py::capsule(data, [](void*) {}));
  py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return view;
}

geoinv::ParameterSpecs read_parameters(const py::list& declared) {
  geoinv::ParameterSpecs parameters;
  for (const auto& item : declared) {
    const auto entry = item.cast<py::dict>();
    geoinv::ParameterSpec spec;
    spec.name = entry["name"].cast<std::string>();
    spec.unit = entry["unit"].cast<std::string>();
    spec.lower = entry["lower"].cast<double>();
    spec.upper = entry["upper"].cast<double>();
    spec.is_angle = entry["angle"].cast<bool>();
    spec.scale = entry["scale"].cast<double>();
    spec.doc = entry["doc"].cast<std::string>();
    parameters.push_back(std::move(spec));
  }
  return parameters;
}

// Runs `body` under the GIL and returns what it returns; a Python exception becomes a plugin Error,
// "Python forward model 'NAME' DOING: the exception".
template <typename Body>
auto call_python(const std::string& model, const char* doing, Body&& body) {
  try {
    return body();
  } catch (py::error_already_set& raised) {
    const std::string what = raised.what();
    raised.restore();
    PyErr_Clear();
    throw geoinv::Error(geoinv::Error::Category::plugin,
                        fmt::format("Python forward model '{}' {}: {}", model, doing, what));
  }
}

struct Declaration {
  std::string name;
  py::object cls;  // the registered class; released only with the GIL (see ~PythonForwardModel)
  geoinv::ParameterSpecs parameters;
  bool has_jacobian = false;
  bool has_canonicalize = false;
  geoinv::DataQuantity quantity;
  pid_t process = 0;  // the process that registered it: a forked worker is another one

  Declaration() = default;
  Declaration(const Declaration&) = delete;
  Declaration& operator=(const Declaration&) = delete;
  // The registry's table outlives the interpreter at process exit: the class is then leaked, not freed.
  ~Declaration() {
    if (!Py_IsInitialized()) {
      cls.release();
      return;
    }
    py::gil_scoped_acquire acquire;
    cls = py::object();
  }
};

class PythonForwardModel final : public geoinv::ForwardModel {
 public:
  explicit PythonForwardModel(std::shared_ptr<const Declaration> declaration)
      : declaration_(std::move(declaration)), instance_(declaration_->cls()) {}

  ~PythonForwardModel() override {
    if (!Py_IsInitialized()) {  // at interpreter exit: leak rather than touch a dead interpreter
      instance_.release();
      stations_array_.release();
      return;
    }
    py::gil_scoped_acquire acquire;
    instance_ = py::object();
    stations_array_ = py::object();
  }

  geoinv::ParameterSpecs parameters() const override { return declaration_->parameters; }

  void configure(const geoinv::OptionValues&, const geoinv::Vector& stations) override {
    stations_ = stations;
    py::gil_scoped_acquire acquire;
    stations_array_ = borrowed_view(stations_.data(), stations_.size());
    call_python(declaration_->name, "raised", [&] {
      if (py::hasattr(instance_, "configure")) instance_.attr("configure")(stations_array_);
    });
  }

  void predict(const Eigen::Ref<const geoinv::Vector>& model, Eigen::Ref<geoinv::Vector> data) const override {
    py::gil_scoped_acquire acquire;
    call_python(declaration_->name, "raised", [&] {
      const py::object out = instance_.attr("predict")(borrowed_view(model.data(), model.size()), stations_array_);
      copy_checked(out, "predict", data.size(), 1, data.data());
    });
  }

  bool has_jacobian() const override { return declaration_->has_jacobian; }

  void predict_with_jacobian(const Eigen::Ref<const geoinv::Vector>& model, Eigen::Ref<geoinv::Vector> data,
                             Eigen::Ref<geoinv::Matrix> jacobian) const override {
    predict(model, data);
    py::gil_scoped_acquire acquire;
    call_python(declaration_->name, "raised", [&] {
      const py::object out = instance_.attr("jacobian")(borrowed_view(model.data(), model.size()), stations_array_);
      copy_checked(out, "jacobian", jacobian.rows(), jacobian.cols(), nullptr, &jacobian);
    });
  }

  // The model's `canonicalize(model) -> ndarray`, when it has one: its exact symmetries, as a C++ plugin's.
  void canonicalize(Eigen::Ref<geoinv::Vector> model) const override {
    if (!declaration_->has_canonicalize) return;
    py::gil_scoped_acquire acquire;
    call_python(declaration_->name, "raised", [&] {
      const py::object out = instance_.attr("canonicalize")(borrowed_view(model.data(), model.size()));
      copy_checked(out, "canonicalize", model.size(), 1, model.data());
    });
  }

  geoinv::DataQuantity data_quantity() const override { return declaration_->quantity; }

  std::string example_yaml() const override {
    return fmt::format("# a Python forward model: geoinv.register_forward_model first\nforward:\n  plugin: {}\n",
                       declaration_->name);
  }

 private:
  // Checks that `out` is a float array of shape (rows,) or (rows, cols) and copies it: into `flat`, or
  // into `matrix` when given.
  void copy_checked(const py::object& out, const char* method, Eigen::Index rows, Eigen::Index cols,
                    double* flat, Eigen::Ref<geoinv::Matrix>* matrix = nullptr) const {
    const auto array = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(out);
    const bool vector = matrix == nullptr;
    const bool ok = array && array.ndim() == (vector ? 1 : 2) && array.shape(0) == rows &&
                    (vector || array.shape(1) == cols);
    if (!ok)
      throw geoinv::Error(geoinv::Error::Category::plugin,
                          fmt::format("Python forward model '{}': {}() must return a float array of shape {}; got {}",
                                      declaration_->name, method,
                                      vector ? fmt::format("({},)", rows) : fmt::format("({}, {})", rows, cols),
                                      py::repr(array ? py::object(array.attr("shape")) : out).cast<std::string>()));
    if (vector) {
      std::copy(array.data(), array.data() + rows, flat);
    } else {
      *matrix = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          array.data(), rows, cols);
    }
  }

  std::shared_ptr<const Declaration> declaration_;
  py::object instance_;
  geoinv::Vector stations_;
  py::object stations_array_;
};

std::unique_ptr<geoinv::ForwardModel> make_model(const std::shared_ptr<const Declaration>& declaration) {
  if (::getpid() != declaration->process)
    throw geoinv::Error(geoinv::Error::Category::usage,
                        fmt::format("the Python forward model '{}' cannot run in a campaign's worker process "
                                    "(a fork of the Python interpreter): run the campaign on threads, "
                                    "geoinv.campaign(..., executor=\"threads\") (geoinv campaign --executor threads)",
                                    declaration->name));
  py::gil_scoped_acquire acquire;
  return call_python(declaration->name, "failed to construct",
                     [&] { return std::make_unique<PythonForwardModel>(declaration); });
}

void register_model(const std::string& name, const py::object& cls, const py::list& parameters,
                    bool has_jacobian, const std::string& quantity, const std::string& unit,
                    const std::string& summary) {
  auto declaration = std::make_shared<Declaration>();
  declaration->name = name;
  declaration->cls = cls;
  declaration->parameters = read_parameters(parameters);
  declaration->has_jacobian = has_jacobian;
  declaration->has_canonicalize = py::hasattr(cls, "canonicalize");
  declaration->quantity = {quantity, unit};
  declaration->process = ::getpid();
  geoinv::InProcessForwardModel model;
  model.info.name = name;
  model.info.kind = geoinv::PluginKind::forward;
  model.info.version = "python";
  model.info.summary = summary;
  model.info.file = fmt::format("<python: {}.{}>", py::str(cls.attr("__module__")).cast<std::string>(),
                                py::str(cls.attr("__qualname__")).cast<std::string>());
  model.info.api_major = geoinv::kApiMajor;
  model.info.api_minor = geoinv::kApiMinor;
  model.info.abi_tag = geoinv::abi_tag();  // compiled into this process: its ABI is the host's
  std::shared_ptr<const Declaration> shared = std::move(declaration);
  model.factory = [shared] { return make_model(shared); };
  geoinv::register_in_process_forward_model(std::move(model));
}

py::list registered_names() {
  py::list names;
  for (const auto& model : geoinv::in_process_forward_models()) names.append(model.info.name);
  return names;
}

}  // namespace

void bind_python_models(py::module_& module) {
  module.def("register_forward_model", &register_model, py::arg("name"), py::arg("cls"), py::arg("parameters"),
             py::arg("has_jacobian"), py::arg("quantity"), py::arg("unit"), py::arg("summary"));
  module.def("unregister_forward_model", &geoinv::unregister_in_process_forward_model, py::arg("name"));
  module.def("registered_forward_models", &registered_names);
}

}  // namespace geoinv_python
