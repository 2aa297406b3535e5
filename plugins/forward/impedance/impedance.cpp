// SPDX-License-Identifier: BSD-3-Clause
// The `impedance` forward plugin: the convolutional trace of the `convolution` plugin, parameterised by
// the log-impedance z = ln I below each sample instead of the reflectivity (README.md):
//
//   r_i = (I_{i+1} − I_i) / (I_{i+1} + I_i) = tanh((z_{i+1} − z_i) / 2),   s = G r,
//
// with z_0 fixed by the option log_impedance_top, so the block z = (z_1 .. z_n) has one value per
// sample and no constant shift of it is invisible to the data. Nonlinear; the Jacobian is analytic,
// J = G·D with D the bidiagonal derivative of r by z.
#include <cmath>
#include <string>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "seismic/convolution.hpp"
#include "seismic/trace_settings.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

struct ImpedanceSettings {
  geoinv::seismic::TraceSettings trace;
  double log_impedance_top = 0.0;  // z_0 = ln I_0 above the first sample; 0: impedances relative to I_0
};

geoinv::OptionBindings<ImpedanceSettings> declare_options() {
  geoinv::OptionBindings<ImpedanceSettings> options;
  geoinv::seismic::add_trace_options(options, &ImpedanceSettings::trace);
  options.add("log_impedance_top", &ImpedanceSettings::log_impedance_top,
              "ln of the impedance above the first sample, z_0 (0: impedances relative to it)");
  return options;
}

class ImpedanceModel final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpec z;
    z.name = "z";
    z.unit = "";
    z.lower = -5.0;  // impedances within e^±5 of I_0
    z.upper = 5.0;
    z.scale = 0.1;
    z.doc = "log-impedance ln(I/I_0) below each trace sample (a block, one value per sample), unitless";
    z.size = static_cast<std::size_t>(samples_);  // 0 until configure()
    return {z};
  }
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& values, const Vector& stations) override {
    settings_ = bindings_.fill(values);
    wavelet_ = geoinv::seismic::make_wavelet(settings_.trace, geoinv::seismic::sample_interval(stations));
    samples_ = stations.size();
  }

  // Allocates the reflectivity, one n-vector per prediction.
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    Vector r(model.size());
    for (Eigen::Index i = 0; i < model.size(); ++i) r(i) = std::tanh(0.5 * (model(i) - above(model, i)));
    geoinv::seismic::convolve_same(wavelet_, r, data);
  }

  bool has_jacobian() const override { return true; }
  // Column m of J = G·D: r_m rises with z_m (its lower impedance) and r_{m+1} falls with it.
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    const Eigen::Index n = model.size();
    Vector r(n), slope(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      r(i) = std::tanh(0.5 * (model(i) - above(model, i)));
      slope(i) = 0.5 * (1.0 - r(i) * r(i));  // d tanh(u/2) / du
    }
    geoinv::seismic::convolve_same(wavelet_, r, data);
    geoinv::seismic::convolution_matrix(wavelet_, jacobian);
    // In increasing m, column m + 1 still holds G's own column when column m needs it.
    for (Eigen::Index m = 0; m < n; ++m) {
      jacobian.col(m) *= slope(m);
      if (m + 1 < n) jacobian.col(m) -= slope(m + 1) * jacobian.col(m + 1);
    }
  }

  geoinv::DataQuantity data_quantity() const override { return {"amplitude", ""}; }
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  double above(const Eigen::Ref<const Vector>& model, Eigen::Index i) const {
    return i == 0 ? settings_.log_impedance_top : model(i - 1);
  }

  geoinv::OptionBindings<ImpedanceSettings> bindings_ = declare_options();
  ImpedanceSettings settings_;
  Vector wavelet_;
  Eigen::Index samples_ = 0;
};

}  // namespace

GEOINV_FORWARD_PLUGIN(ImpedanceModel, "impedance", "1.0.0",
                      "seismic trace from a log-impedance block through r = tanh(dz/2), wavelet * r ('same')")
