// SPDX-License-Identifier: BSD-3-Clause
// The `convolution` forward plugin: a seismic trace s = w ∗ r from one reflection coefficient per
// sample (the parameter block `r`), aligned "same" (seismic/convolution.hpp). Linear: its Jacobian is the
// convolution matrix G, independent of r, and linear_operator() gives it as a banded Toeplitz operator
// so that linear solvers factor the band instead of a dense matrix. README.md documents the options and
// the wavelets.
#include <cmath>
#include <memory>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/linear_operator.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "seismic/convolution.hpp"
#include "seismic/trace_settings.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

struct ConvolutionSettings {
  geoinv::seismic::TraceSettings trace;
};

geoinv::OptionBindings<ConvolutionSettings> declare_options() {
  geoinv::OptionBindings<ConvolutionSettings> options;
  geoinv::seismic::add_trace_options(options, &ConvolutionSettings::trace);
  return options;
}

class ConvolutionModel final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpec r;
    r.name = "r";
    r.unit = "";
    r.lower = -1.0;  // |r| < 1 for positive impedances
    r.upper = 1.0;
    r.scale = 0.1;
    r.doc = "reflection coefficient at each trace sample (a block, one value per sample), unitless";
    r.size = static_cast<std::size_t>(samples_);  // 0 until configure()
    return {r};
  }
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& values, const Vector& stations) override {
    const ConvolutionSettings settings = bindings_.fill(values);
    wavelet_ = geoinv::seismic::make_wavelet(settings.trace, geoinv::seismic::sample_interval(stations));
    samples_ = stations.size();
    // convolve_same's alignment: output i takes wavelet sample c + i - j of input j, c the centre.
    operator_ = std::make_shared<geoinv::BandedOperator>(
        geoinv::BandedOperator::toeplitz(wavelet_, wavelet_.size() / 2, samples_));
  }

  std::shared_ptr<const geoinv::LinearOperator> linear_operator() const override { return operator_; }

  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    geoinv::seismic::convolve_same(wavelet_, model, data);
  }

  bool has_jacobian() const override { return true; }
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    geoinv::seismic::convolve_same(wavelet_, model, data);
    geoinv::seismic::convolution_matrix(wavelet_, jacobian);
  }

  geoinv::DataQuantity data_quantity() const override { return {"amplitude", ""}; }
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  geoinv::OptionBindings<ConvolutionSettings> bindings_ = declare_options();
  Vector wavelet_;
  Eigen::Index samples_ = 0;
  std::shared_ptr<const geoinv::BandedOperator> operator_;  // G, set by configure()
};

}  // namespace

GEOINV_FORWARD_PLUGIN(ConvolutionModel, "convolution", "1.0.0",
                      "seismic trace as wavelet * reflectivity ('same' aligned), one coefficient per sample")
