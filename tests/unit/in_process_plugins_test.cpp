// SPDX-License-Identifier: BSD-3-Clause
// Forward models registered in-process (geoinv/in_process_plugins.hpp, the Python module's
// register_forward_model): registries made afterwards list and create them by name, a name a plugin file
// also holds is a clash, and unregistering removes them.
#include "geoinv/in_process_plugins.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/version.hpp"

namespace {

class Constant final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override { return {{"c", "mV"}}; }
  void configure(const geoinv::OptionValues&, const geoinv::Vector&) override {}
  void predict(const Eigen::Ref<const geoinv::Vector>& model, Eigen::Ref<geoinv::Vector> data) const override {
    data.setConstant(model(0));
  }
  std::string example_yaml() const override { return ""; }
};

geoinv::InProcessForwardModel constant_model(const std::string& name) {
  geoinv::InProcessForwardModel model;
  model.info.name = name;
  model.info.version = "1";
  model.info.summary = "a constant";
  model.info.file = "<in-process test>";
  model.info.api_major = geoinv::kApiMajor;
  model.info.api_minor = geoinv::kApiMinor;
  model.factory = [] { return std::make_unique<Constant>(); };
  return model;
}

bool lists(const geoinv::PluginRegistry& registry, const std::string& name) {
  const auto plugins = registry.list();
  return std::any_of(plugins.begin(), plugins.end(), [&](const geoinv::PluginInfo& p) { return p.name == name; });
}

TEST(InProcessPlugins, ARegistryMadeAfterRegistrationListsAndCreatesTheModel) {
  const geoinv::PluginRegistry before;
  geoinv::register_in_process_forward_model(constant_model("test_constant"));
  const geoinv::PluginRegistry after;
  EXPECT_FALSE(lists(before, "test_constant"));  // a registry is a snapshot
  ASSERT_TRUE(lists(after, "test_constant"));
  auto model = after.create_forward_model("test_constant");
  geoinv::Vector data(3), parameters(1);
  parameters << 2.5;
  model->predict(parameters, data);
  EXPECT_EQ(data, geoinv::Vector::Constant(3, 2.5));
  EXPECT_TRUE(geoinv::unregister_in_process_forward_model("test_constant"));
  EXPECT_FALSE(geoinv::unregister_in_process_forward_model("test_constant"));
  EXPECT_FALSE(lists(geoinv::PluginRegistry(), "test_constant"));
}

TEST(InProcessPlugins, ANameAPluginFileHoldsIsAClash) {
  geoinv::register_in_process_forward_model(constant_model("sphere"));
  const geoinv::PluginRegistry registry;
  geoinv::unregister_in_process_forward_model("sphere");
  try {
    registry.create_forward_model("sphere");
    FAIL() << "an in-process 'sphere' beside the built-in one must clash";
  } catch (const geoinv::Error& error) {
    EXPECT_THAT(error.what(), testing::HasSubstr("2 forward plugins are named 'sphere'"));
    EXPECT_THAT(error.what(), testing::HasSubstr("<in-process test>"));
  }
}

TEST(InProcessPlugins, AFactoryErrorKeepsItsCategory) {
  auto model = constant_model("test_refusing");
  model.factory = []() -> std::unique_ptr<geoinv::ForwardModel> {
    throw geoinv::Error(geoinv::Error::Category::usage, "not in this process");
  };
  geoinv::register_in_process_forward_model(model);
  const geoinv::PluginRegistry registry;
  geoinv::unregister_in_process_forward_model("test_refusing");
  try {
    registry.create_forward_model("test_refusing");
    FAIL() << "the factory's Error must reach the caller";
  } catch (const geoinv::Error& error) {
    EXPECT_EQ(error.category(), geoinv::Error::Category::usage);
    EXPECT_EQ(error.message(), "not in this process");
  }
}

}  // namespace
