// Out-of-line virtual destructors and defaults: the interfaces' vtables and RTTI live in libgeoinv only.
#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/solver.hpp"

namespace geoinv {

ForwardModel::~ForwardModel() = default;

void ForwardModel::predict_with_jacobian(const Eigen::Ref<const Vector>&, Eigen::Ref<Vector>,
                                         Eigen::Ref<Matrix>) const {
  throw Error(Error::Category::plugin,
              "predict_with_jacobian() called on a forward model whose has_jacobian() is false");
}

void ForwardModel::canonicalize(Eigen::Ref<Vector>) const {}

bool ForwardModel::is_valid(const Eigen::Ref<const Vector>&, std::string*) const { return true; }

bool ForwardModel::estimate_start(const Eigen::Ref<const Vector>&, Eigen::Ref<Vector>) const { return false; }

Solver::~Solver() = default;

TrainingReport Solver::train(const TrainingSet&, const SolveContext&) {
  throw Error(Error::Category::plugin, "train() called on a solver that does not learn (is_learning() is false)");
}

void Solver::save_model(const std::filesystem::path&) const {
  throw Error(Error::Category::plugin, "save_model() called on a solver that does not learn");
}

std::string Solver::load_model(const std::filesystem::path&) {
  throw Error(Error::Category::plugin, "load_model() called on a solver that does not learn");
}

}  // namespace geoinv
