// SPDX-License-Identifier: BSD-3-Clause
// Checks of the finite_vertical_cylinder plugin, loaded the way geoinv loads it (PluginRegistry):
//   1. its closed form against numerical integration of the point-dipole formula along the axis;
//   2. a very short cylinder against the polarized sphere (docs/models/shape-factor.md, reference S1);
//   3. its analytic Jacobian against central differences (geoinv::central_difference_jacobian);
//   4. its symmetries: canonicalize() never changes the predicted curve;
//   5. no heap allocation in predict(), predict_with_jacobian() and canonicalize();
//   6. estimate_start() on a noise-free profile.
// Usage: finite_vertical_cylinder_check PATH/TO/geoinv_finite_vertical_cylinder.so (ctest passes it).
// Prints one line per failed check and exits non-zero if any failed.
#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/plugin_registry.hpp"

// Counts every heap allocation of the process, the plugin's included: a plugin's calls to malloc resolve
// to this executable's. Everything is forwarded to glibc's allocator.
namespace {
std::atomic<long> heap_allocations{0};
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* pointer, std::size_t size) noexcept;
void __libc_free(void* pointer) noexcept;

void* malloc(std::size_t size) noexcept {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) noexcept {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(pointer, size);
}
void free(void* pointer) noexcept { __libc_free(pointer); }
}

namespace {

using geoinv::Matrix;
using geoinv::to_radians;
using geoinv::Vector;

int failures = 0;

void expect(bool ok, const std::string& what) {
  if (!ok) {
    ++failures;
    std::cout << "FAILED: " << what << "\n";
  }
}

// Model vector (x0, θ, h, L, K), θ given in degrees.
Vector model_of(double x0, double theta_degrees, double h, double length, double k) {
  Vector m(5);
  m << x0, to_radians(theta_degrees), h, length, k;
  return m;
}

std::shared_ptr<geoinv::ForwardModel> configured(const geoinv::PluginRegistry& registry,
                                                 const std::string& convention, const Vector& stations) {
  auto model = registry.create_forward_model("finite_vertical_cylinder");
  geoinv::OptionValues options = geoinv::OptionValues::defaults(model->options());
  options.set("convention", convention);
  model->configure(options, stations);
  return model;
}

// The reference: the point dipole (the polarized sphere's anomaly per unit moment) integrated along the
// axis from h to h + L with 400 panels of 5-point Gauss-Legendre, written independently of the plugin.
double integrated_dipoles(double x, const Vector& m, double sign) {
  static constexpr double kNodes[5] = {0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640,
                                       0.9061798459386640};
  static constexpr double kWeights[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665,
                                         0.2369268850561891, 0.2369268850561891};
  const double u = x - m(0), c = std::cos(m(1)), s = sign * std::sin(m(1));
  const int panels = 400;
  const double width = m(3) / panels;
  double sum = 0.0;
  for (int p = 0; p < panels; ++p) {
    const double middle = m(2) + (p + 0.5) * width;
    for (int j = 0; j < 5; ++j) {
      const double z = middle + 0.5 * width * kNodes[j];
      const double r2 = u * u + z * z;
      sum += kWeights[j] * (u * c + z * s) / (r2 * std::sqrt(r2));
    }
  }
  return m(4) * sum * width / 2.0;
}

Vector profile(Eigen::Index count, double from, double to) { return Vector::LinSpaced(count, from, to); }

void check_against_integration(const geoinv::PluginRegistry& registry) {
  const Vector stations = profile(61, -60.0, 120.0);
  for (const std::string convention : {"plus", "minus"}) {
    const double sign = convention == "plus" ? 1.0 : -1.0;
    auto model = configured(registry, convention, stations);
    for (const Vector& m : {model_of(0, 60, 5, 20, 1000), model_of(10, 300, 8, 4, 2500),
                            model_of(30, 135, 2, 0.5, -300), model_of(-5, 10, 15, 80, 50)}) {
      Vector data(stations.size());
      model->predict(m, data);
      Vector reference(stations.size());
      for (Eigen::Index i = 0; i < stations.size(); ++i)
        reference(i) = integrated_dipoles(stations(i), m, sign);
      const double worst = (data - reference).cwiseAbs().maxCoeff() / reference.cwiseAbs().maxCoeff();
      expect(worst < 1e-9, "closed form = integrated dipoles (" + convention +
                               "): worst relative difference " + std::to_string(worst));
    }
  }
}

// A cylinder of length ε and moment K/ε per unit length is the sphere of moment K
// (docs/models/shape-factor.md, S1: plus form, K = -600, x0 = 0, h = 20, θ = 40°).
void check_sphere_limit(const geoinv::PluginRegistry& registry) {
  Vector stations(3);
  stations << -20.0, 0.0, 20.0;
  auto model = configured(registry, "plus", stations);
  const double epsilon = 1e-3;
  Vector data(3);
  model->predict(model_of(0, 40, 20 - epsilon / 2, epsilon, -600 / epsilon), data);
  const double expected[3] = {0.065367, -0.964181, -0.747146};
  for (int i = 0; i < 3; ++i)
    expect(
        std::abs(data(i) - expected[i]) < 2e-6,
        "short cylinder = sphere S1 at x = " + std::to_string(stations(i)) + ": " + std::to_string(data(i)));
}

void check_jacobian(const geoinv::PluginRegistry& registry) {
  Vector stations = profile(101, 0.0, 150.0);
  std::mt19937_64 random(20240607);
  std::uniform_real_distribution<double> x0(-20, 170), theta(0, 360), h(0.5, 40), length(0.05, 120),
      k(-3e3, 3e3);
  for (const std::string convention : {"plus", "minus"}) {
    auto model = configured(registry, convention, stations);
    for (int trial = 0; trial < 100; ++trial) {
      // Every fourth model sits exactly under a station (u = 0 there).
      const Vector m = model_of(trial % 4 == 0 ? stations(trial % 101) : x0(random), theta(random), h(random),
                                length(random), k(random));
      Vector data(stations.size());
      Matrix analytic(stations.size(), 5), numeric(stations.size(), 5);
      model->predict_with_jacobian(m, data, analytic);
      geoinv::central_difference_jacobian(*model, m, numeric);
      for (Eigen::Index j = 0; j < 5; ++j) {
        const double scale = numeric.col(j).cwiseAbs().maxCoeff() + 1e-12 * data.cwiseAbs().maxCoeff();
        const double error = (analytic.col(j) - numeric.col(j)).cwiseAbs().maxCoeff() / scale;
        if (error > 1e-6) {
          expect(false, convention + " Jacobian column " + std::to_string(j) + " of model " +
                            std::to_string(trial) + ": relative error " + std::to_string(error));
        }
      }
      Vector predicted(stations.size());
      model->predict(m, predicted);
      expect((predicted - data).cwiseAbs().maxCoeff() <= 1e-12 * data.cwiseAbs().maxCoeff(),
             "predict() and predict_with_jacobian() give the same data");
    }
  }
}

void check_symmetries(const geoinv::PluginRegistry& registry) {
  const Vector stations = profile(51, -50.0, 100.0);
  for (const std::string convention : {"plus", "minus"}) {
    auto model = configured(registry, convention, stations);
    const Vector body = model_of(20, 235, 6, 18, 1200);
    // (K, θ+180°), the mirror above ground (top at -h-L, θ -> -θ), and the segment written from its bottom.
    for (const Vector& twin : {model_of(20, 55, 6, 18, -1200), model_of(20, -235, -24, 18, 1200),
                               model_of(20, 235, 24, -18, -1200), model_of(20, 235 + 720, 6, 18, 1200)}) {
      Vector canonical = twin;
      model->canonicalize(canonical);
      Vector data_twin(stations.size()), data_body(stations.size()), data_canonical(stations.size());
      model->predict(twin, data_twin);
      model->predict(body, data_body);
      model->predict(canonical, data_canonical);
      const double tolerance = 1e-11 * data_body.cwiseAbs().maxCoeff();
      expect((data_twin - data_body).cwiseAbs().maxCoeff() < tolerance, convention + ": a symmetric twin");
      expect((canonical - body).cwiseAbs().maxCoeff() < 1e-9, convention + ": canonical form of a twin");
      expect((data_canonical - data_body).cwiseAbs().maxCoeff() < tolerance,
             convention + ": canonicalize keeps the curve");
    }
  }
}

void check_no_allocation(const geoinv::PluginRegistry& registry) {
  const Vector stations = profile(101, 0.0, 150.0);
  auto model = configured(registry, "plus", stations);
  const Vector m = model_of(62, 235, 6, 18, 1200);
  Vector data(stations.size());
  Matrix jacobian(stations.size(), 5);
  Vector twin = model_of(62, 55, 6, 18, -1200);
  const long before = heap_allocations.load();
  model->predict(m, data);
  model->predict_with_jacobian(m, data, jacobian);
  model->canonicalize(twin);
  // Read the counter before expect(): building its message allocates.
  const long allocations = heap_allocations.load() - before;
  expect(allocations == 0, "predict, predict_with_jacobian and canonicalize allocate nothing (" +
                               std::to_string(allocations) + " allocations)");
  // The counter does see allocations; otherwise the check above proves nothing.
  const long before_allocation = heap_allocations.load();
  Vector allocated(stations.size());
  const long counted = heap_allocations.load() - before_allocation;
  expect(counted > 0 && allocated.size() == stations.size(), "the allocation counter counts");
}

void check_estimate_start(const geoinv::PluginRegistry& registry) {
  const Vector stations = profile(101, 0.0, 150.0);
  for (const std::string convention : {"plus", "minus"}) {
    auto model = configured(registry, convention, stations);
    const Vector truth = model_of(62, convention == "plus" ? 235 : 125, 6, 18, 1200);
    Vector observed(stations.size());
    model->predict(truth, observed);
    Vector start = Vector::Zero(5);
    const bool estimated = model->estimate_start(observed, start);
    expect(estimated && start.allFinite(), convention + ": estimate_start gives a start");
    if (!estimated) continue;
    Vector predicted(stations.size());
    model->predict(start, predicted);
    const double relative_misfit = (predicted - observed).norm() / observed.norm();
    expect(std::abs(start(0) - truth(0)) < 10.0 && relative_misfit < 0.5,
           convention + ": estimate_start is near the body (x0 " + std::to_string(start(0)) +
               ", relative misfit " + std::to_string(relative_misfit) + ")");
    expect(!model->estimate_start(Vector::Zero(stations.size()), start), "no start from a flat profile");
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: finite_vertical_cylinder_check PATH/TO/geoinv_finite_vertical_cylinder.so\n";
    return 2;
  }
  try {
    geoinv::PluginRegistry registry;
    registry.add_path(argv[1]);  // throws, naming the file, if it is not a loadable geoinv plugin
    check_against_integration(registry);
    check_sphere_limit(registry);
    check_jacobian(registry);
    check_symmetries(registry);
    check_no_allocation(registry);
    check_estimate_start(registry);
  } catch (const std::exception& error) {
    std::cout << "FAILED: " << error.what() << "\n";
    return 1;
  }
  std::cout << (failures == 0 ? "all checks passed\n" : std::to_string(failures) + " check(s) failed\n");
  return failures == 0 ? 0 : 1;
}
