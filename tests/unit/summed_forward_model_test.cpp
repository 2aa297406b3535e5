// SPDX-License-Identifier: BSD-3-Clause
// The host-composed sum of bodies: its data and Jacobian are the bodies' own, side by side; names and
// options carry the body suffix; exchangeable bodies are sorted by their first parameter.
#include "configuration/summed_forward_model.hpp"

#include <gtest/gtest.h>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {
namespace {

PluginRegistry& registry() {
  static PluginRegistry instance;
  return instance;
}

// A sphere (minus convention) and an inclined sheet, summed, with their options merged as the host does.
struct SphereAndSheet {
  std::shared_ptr<ForwardModel> sphere = registry().create_forward_model("sphere");
  std::shared_ptr<ForwardModel> sheet = registry().create_forward_model("inclined_sheet");
  SummedForwardModel sum{{{"sphere", sphere}, {"inclined_sheet", sheet}}};
  Vector stations = Vector::LinSpaced(81, -100.0, 200.0);

  SphereAndSheet() {
    OptionValues sphere_options = OptionValues::defaults(sphere->options());
    sphere_options.set("convention", std::string("minus"));
    const OptionValues sheet_options = OptionValues::defaults(sheet->options());
    sphere->configure(sphere_options, stations);
    sheet->configure(sheet_options, stations);
    sum.configure(sum.merge_options({sphere_options, sheet_options}), stations);
  }
};

Vector sphere_and_sheet_model() {
  Vector p(9);
  p << 40.0, to_radians(300.0), 25.0, 60000.0,      // sphere: x0, theta, h, K
      120.0, 15.0, 10.0, to_radians(40.0), 100.0;  // sheet: x0, h, a, alpha, K
  return p;
}

TEST(SummedForwardModel, SuffixesEachBodysParametersAndOptions) {
  SphereAndSheet f;
  const ParameterSpecs specs = f.sum.parameters();
  ASSERT_EQ(specs.size(), 9u);
  EXPECT_EQ(specs[0].name, "x0_1");
  EXPECT_EQ(specs[3].name, "K_1");
  EXPECT_EQ(specs[4].name, "x0_2");
  EXPECT_EQ(specs[7].name, "alpha_2");
  EXPECT_TRUE(specs[7].is_angle);
  const OptionSpecs options = f.sum.options();
  ASSERT_EQ(options.size(), f.sphere->options().size() + f.sheet->options().size());
  EXPECT_EQ(options[0].name, "convention_1");
  EXPECT_EQ(options[1].name, "log_base_2");
}

TEST(SummedForwardModel, PredictsTheSumOfTheBodiesData) {
  SphereAndSheet f;
  const Vector p = sphere_and_sheet_model();
  Vector sphere_data(81), sheet_data(81), sum_data(81);
  f.sphere->predict(p.head(4), sphere_data);
  f.sheet->predict(p.tail(5), sheet_data);
  f.sum.predict(p, sum_data);
  EXPECT_LE((sum_data - (sphere_data + sheet_data)).cwiseAbs().maxCoeff(), 1e-12 * sum_data.cwiseAbs().maxCoeff());
}

TEST(SummedForwardModel, JacobianIsTheBodiesBlocksAndMatchesCentralDifferences) {
  SphereAndSheet f;
  ASSERT_TRUE(f.sum.has_jacobian());
  const Vector p = sphere_and_sheet_model();
  Vector data(81), body_data(81);
  Matrix analytic(81, 9), numeric(81, 9), sphere_block(81, 4), sheet_block(81, 5);
  f.sum.predict_with_jacobian(p, data, analytic);
  f.sphere->predict_with_jacobian(p.head(4), body_data, sphere_block);
  f.sheet->predict_with_jacobian(p.tail(5), body_data, sheet_block);
  EXPECT_TRUE((analytic.leftCols(4).array() == sphere_block.array()).all());
  EXPECT_TRUE((analytic.rightCols(5).array() == sheet_block.array()).all());
  central_difference_jacobian(f.sum, p, numeric);
  for (Eigen::Index j = 0; j < 9; ++j)
    EXPECT_LT((analytic.col(j) - numeric.col(j)).norm(), 1e-6 * (1.0 + analytic.col(j).norm())) << j;
}

TEST(SummedForwardModel, SortsExchangeableBodiesByTheirFirstParameter) {
  auto first = registry().create_forward_model("sphere");
  auto second = registry().create_forward_model("sphere");
  SummedForwardModel sum({{"sphere", first}, {"sphere", second}});
  const OptionValues options = OptionValues::defaults(first->options());
  const Vector stations = Vector::LinSpaced(31, 0.0, 300.0);
  sum.configure(sum.merge_options({options, options}), stations);
  Vector p(8), swapped(8);
  p << 200, 1.0, 30, 5000, 80, 2.0, 40, 7000;
  swapped << p.tail(4), p.head(4);
  sum.canonicalize(p);
  sum.canonicalize(swapped);
  EXPECT_TRUE((p.array() == swapped.array()).all()) << p.transpose() << " vs " << swapped.transpose();
  EXPECT_LT(p(0), p(4));
}

TEST(SummedForwardModel, BodiesWithDifferentOptionsAreNotExchanged) {
  auto first = registry().create_forward_model("sphere");
  auto second = registry().create_forward_model("sphere");
  SummedForwardModel sum({{"sphere", first}, {"sphere", second}});
  OptionValues minus = OptionValues::defaults(first->options());
  minus.set("convention", std::string("minus"));
  OptionValues plus = minus;
  plus.set("convention", std::string("plus"));
  sum.configure(sum.merge_options({minus, plus}), Vector::LinSpaced(31, 0.0, 300.0));
  Vector p(8);
  p << 200, 1.0, 30, 5000, 80, 2.0, 40, 7000;
  sum.canonicalize(p);
  EXPECT_EQ(p(0), 200.0);
  EXPECT_EQ(p(4), 80.0);
}

TEST(SummedForwardModel, InvalidBodyIsNamedBySuffix) {
  SphereAndSheet f;
  Vector p = sphere_and_sheet_model();
  p(5) = -1.0;  // the sheet's depth
  std::string why;
  EXPECT_FALSE(f.sum.is_valid(p, &why));
  EXPECT_NE(why.find("body 2 (inclined_sheet)"), std::string::npos) << why;
}

TEST(SummedForwardModel, RefusesAnEmptySum) { EXPECT_THROW(SummedForwardModel({}), Error); }

// The figures label a sum's axis as its bodies', when they all measure the same quantity.
TEST(SummedForwardModel, DeclaresTheBodiesCommonQuantity) {
  const SummedForwardModel sum{{{"sphere", registry().create_forward_model("sphere")},
                                {"inclined_sheet", registry().create_forward_model("inclined_sheet")}}};
  EXPECT_EQ(sum.data_quantity().name, "SP");
  EXPECT_EQ(sum.data_quantity().unit, "mV");
}


}  // namespace
}  // namespace geoinv
