// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Everything a plugin needs to make itself loadable: include this header in one .cpp of the plugin and
// write one line,
//
//   GEOINV_FORWARD_PLUGIN(SphereModel, "sphere", "1.0.0", "SP anomaly of a polarized sphere")
//   GEOINV_SOLVER_PLUGIN(DampedLeastSquares, "dls", "1.0.0", "Levenberg-Marquardt")
//
// A learning solver (geoinv/learning_solver.hpp) is a Solver too and uses GEOINV_SOLVER_PLUGIN; the host
// finds its learning interface with as_learning_solver().
//
// The line exports, in the ELF section "geoinv", a plain descriptor (API version, kind, name, plugin
// version, ABI tag) and a factory. The host reads and checks the descriptor before it calls the factory,
// so a plugin built for another API or ABI is refused with both versions named instead of crashing.
#include <boost/dll/alias.hpp>

#include <memory>

#include "geoinv/forward_model.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

// Plain data only: it is read before any of the plugin's own code runs.
struct PluginDescriptor {
  unsigned api_major;
  unsigned api_minor;
  const char* kind;     // "forward" or "solver"
  const char* name;     // what YAML files select it by: `plugin: sphere`
  const char* version;  // the plugin's own version
  const char* abi_tag;  // GEOINV_ABI_TAG as the plugin was compiled
  const char* summary;  // one line for `geoinv plugins`
};

using ForwardModelFactory = std::unique_ptr<ForwardModel>();
using SolverFactory = std::unique_ptr<Solver>();

}  // namespace geoinv

// Section and symbol names the host looks for; part of the plugin ABI.
#define GEOINV_PLUGIN_SECTION geoinv
#define GEOINV_DESCRIPTOR_SYMBOL "geoinv_plugin_descriptor"
#define GEOINV_FORWARD_FACTORY_SYMBOL "geoinv_create_forward_model"
#define GEOINV_SOLVER_FACTORY_SYMBOL "geoinv_create_solver"

#define GEOINV_DETAIL_PLUGIN(Interface, Class, kind_word, name_text, version_text, summary_text, factory_alias) \
  namespace geoinv_plugin_detail {                                                                   \
  const ::geoinv::PluginDescriptor descriptor{::geoinv::kApiMajor, ::geoinv::kApiMinor, kind_word,   \
                                              name_text,           version_text,        GEOINV_ABI_TAG, \
                                              summary_text};                                         \
  std::unique_ptr<::geoinv::Interface> create() { return std::make_unique<Class>(); }               \
  }                                                                                                  \
  BOOST_DLL_ALIAS_SECTIONED(geoinv_plugin_detail::descriptor, geoinv_plugin_descriptor, GEOINV_PLUGIN_SECTION) \
  BOOST_DLL_ALIAS_SECTIONED(geoinv_plugin_detail::create, factory_alias, GEOINV_PLUGIN_SECTION)

#define GEOINV_FORWARD_PLUGIN(Class, name_text, version_text, summary_text)                        \
  GEOINV_DETAIL_PLUGIN(ForwardModel, Class, "forward", name_text, version_text, summary_text,       \
                       geoinv_create_forward_model)

#define GEOINV_SOLVER_PLUGIN(Class, name_text, version_text, summary_text) \
  GEOINV_DETAIL_PLUGIN(Solver, Class, "solver", name_text, version_text, summary_text, geoinv_create_solver)
