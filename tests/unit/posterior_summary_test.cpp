// SPDX-License-Identifier: BSD-3-Clause
// The posterior summary (running/posterior_summary.*) against ArviZ's algorithms and emcee's
// integrated_time on fixed chains: tests/unit/data/make_posterior_summary_reference.py wrote the chains and
// the reference values (numpy ports of ArviZ, since python3-arviz is not in Debian 12; emcee itself for τ).
#include "running/posterior_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

namespace geoinv {
namespace {

const std::string kData = std::string(GEOINV_TEST_SOURCE_DIR) + "/tests/unit/data/";

std::vector<std::vector<std::string>> read_rows(const std::string& file) {
  std::ifstream in(kData + file);
  EXPECT_TRUE(in) << "cannot read " << kData + file;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

ChainMatrix reference_chains() {
  ChainMatrix chains(4, 301);
  for (const auto& row : read_rows("posterior_summary_chains.csv"))
    chains(std::stoi(row[0]), std::stoi(row[1])) = std::stod(row[2]);
  return chains;
}

std::map<std::string, double> reference_values() {
  std::map<std::string, double> values;
  for (const auto& row : read_rows("posterior_summary_reference.csv")) values[row[0]] = std::stod(row[1]);
  return values;
}

PosteriorDraws as_draws(const ChainMatrix& chains) {
  PosteriorDraws draws;
  draws.chains = chains.rows();
  draws.draws = chains.cols();
  draws.parameters = 1;
  for (Eigen::Index c = 0; c < chains.rows(); ++c)
    for (Eigen::Index d = 0; d < chains.cols(); ++d) draws.values.push_back(chains(c, d));
  draws.acceptance = {0.2, 0.3, 0.4, 0.5};
  return draws;
}

TEST(PosteriorSummary, MatchesArvizAndEmceeOnFixedChains) {
  const std::map<std::string, double> expected = reference_values();
  const PosteriorSummary summary =
      summarise_posterior(as_draws(reference_chains()), {ParameterSpec{"x", "m", -1e9, 1e9, false, 1.0, ""}});
  ASSERT_EQ(summary.parameters.size(), 1u);
  const ParameterSummary& s = summary.parameters.front();
  const std::map<std::string, double> actual{{"mean", s.mean},         {"sd", s.sd},
                                             {"median", s.median},     {"hdi_low", s.hdi_low},
                                             {"hdi_high", s.hdi_high}, {"r_hat", s.r_hat},
                                             {"ess_bulk", s.ess_bulk}, {"ess_tail", s.ess_tail},
                                             {"tau", s.tau}};
  for (const auto& [name, value] : expected) {
    ASSERT_EQ(actual.count(name), 1u) << name;
    EXPECT_NEAR(actual.at(name), value, 1e-9 * std::max(1.0, std::abs(value))) << name;
  }
  EXPECT_DOUBLE_EQ(summary.acceptance, 0.35);
}

TEST(PosteriorSummary, WarnsOfUnmixedShortChains) {
  const PosteriorSummary summary =
      summarise_posterior(as_draws(reference_chains()), {ParameterSpec{"x", "m", -1e9, 1e9, false, 1.0, ""}});
  // R̂ 1.12, ESS 32 and 47, τ 11.7 > 301/50: all three warnings.
  ASSERT_EQ(summary.warnings.size(), 3u);
  EXPECT_NE(summary.warnings[0].find("R-hat"), std::string::npos);
  EXPECT_NE(summary.warnings[1].find("effective sample size"), std::string::npos);
  EXPECT_NE(summary.warnings[2].find("autocorrelation times"), std::string::npos);
}

TEST(PosteriorSummary, IndependentDrawsGiveNoWarning) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  ChainMatrix chains(8, 1000);
  for (Eigen::Index i = 0; i < chains.size(); ++i) chains(i) = normal(rng);
  const PosteriorSummary summary =
      summarise_posterior(as_draws(chains), {ParameterSpec{"x", "m", -1e9, 1e9, false, 1.0, ""}});
  EXPECT_TRUE(summary.warnings.empty()) << summary.warnings.front();
  EXPECT_LT(summary.parameters[0].r_hat, 1.01);
  EXPECT_NEAR(summary.parameters[0].tau, 1.0, 0.2);
  EXPECT_GT(summary.parameters[0].ess_bulk, 6000.0);
}

TEST(PosteriorSummary, AnglesAreSummarisedInDegrees) {
  ChainMatrix chains = ChainMatrix::Constant(2, 10, 0.5);
  chains(0, 0) = 0.6;
  const PosteriorSummary summary =
      summarise_posterior(as_draws(chains), {ParameterSpec{"theta", "rad", -10, 10, true, 1.0, ""}});
  EXPECT_NEAR(summary.parameters[0].median, 0.5 * 180.0 / M_PI, 1e-12);
}

TEST(PosteriorSummary, HdiIsTheNarrowestInterval) {
  const auto [low, high] = highest_density_interval({0, 1, 2, 3, 4, 5, 6, 7, 8, 100}, 0.5);
  EXPECT_EQ(low, 0.0);
  EXPECT_EQ(high, 5.0);
}

}  // namespace
}  // namespace geoinv
