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
// The line writes a descriptor (API version, kind, name, plugin version, ABI tag, summary) into the ELF
// section "geoinv_descriptor" and exports a factory. The descriptor holds no pointers, only integers and
// fixed-size inline strings, so its bytes in the file are its value: the host reads it from the file
// without loading the library, and refuses a plugin built for another API or ABI before any of the
// plugin's code (static initialisers included) runs. A name, version or summary longer than its field
// below is a compile error in the plugin, not a truncation.
#include <boost/dll/alias.hpp>

#include <cstdint>
#include <memory>

#include "geoinv/forward_model.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

// The layout of PluginDescriptor, written into every descriptor: a host meeting a layout it does not
// know refuses the file by name instead of misreading it.
inline constexpr std::uint32_t kPluginDescriptorLayout = 1;

// Plain data only, read from the file before any of the plugin's code runs. Every string is
// NUL-terminated within its field; the host reads at most the field's size either way.
struct PluginDescriptor {
  char magic[8];            // GEOINV_DESCRIPTOR_MAGIC: this is a geoinv descriptor
  std::uint32_t layout;     // kPluginDescriptorLayout
  std::uint32_t size;       // sizeof(PluginDescriptor), a second check of the layout
  std::uint32_t api_major;  // kApiMajor as the plugin was compiled
  std::uint32_t api_minor;  // kApiMinor as the plugin was compiled
  char kind[16];            // "forward" or "solver"
  char name[64];            // what YAML files select it by: `plugin: sphere`
  char version[32];         // the plugin's own version
  char abi_tag[128];        // GEOINV_ABI_TAG as the plugin was compiled
  char summary[256];        // one line for `geoinv plugins`
};
static_assert(sizeof(PluginDescriptor) == 520, "PluginDescriptor is part of the plugin ABI");

using ForwardModelFactory = std::unique_ptr<ForwardModel>();
using SolverFactory = std::unique_ptr<Solver>();

}  // namespace geoinv

// Section, magic and symbol names the host looks for; part of the plugin ABI. GEOINV_PLUGIN_SECTION
// holds the factory (Boost.DLL's alias); GEOINV_DESCRIPTOR_SECTION holds the descriptor and nothing else.
#define GEOINV_PLUGIN_SECTION geoinv
#define GEOINV_DESCRIPTOR_SECTION "geoinv_descriptor"
#define GEOINV_DESCRIPTOR_MAGIC "geoinvD"
#define GEOINV_FORWARD_FACTORY_SYMBOL "geoinv_create_forward_model"
#define GEOINV_SOLVER_FACTORY_SYMBOL "geoinv_create_solver"

// The descriptor alone, with every field given: what the macros below write with the current API and
// ABI. Test fixtures use it to claim another API or ABI; a plugin never needs it.
#define GEOINV_PLUGIN_DESCRIPTOR(api_major, api_minor, kind_word, name_text, version_text, abi_text, summary_text) \
  namespace geoinv_plugin_detail {                                                                            \
  __attribute__((used, section(GEOINV_DESCRIPTOR_SECTION))) const ::geoinv::PluginDescriptor descriptor{      \
      GEOINV_DESCRIPTOR_MAGIC, ::geoinv::kPluginDescriptorLayout, sizeof(::geoinv::PluginDescriptor),         \
      api_major,               api_minor,                          kind_word,                                 \
      name_text,               version_text,                       abi_text,                                  \
      summary_text};                                                                                          \
  }

#define GEOINV_DETAIL_PLUGIN(Interface, Class, kind_word, name_text, version_text, summary_text, factory_alias) \
  GEOINV_PLUGIN_DESCRIPTOR(::geoinv::kApiMajor, ::geoinv::kApiMinor, kind_word, name_text, version_text,      \
                           GEOINV_ABI_TAG, summary_text)                                                      \
  namespace geoinv_plugin_detail {                                                                            \
  std::unique_ptr<::geoinv::Interface> create() { return std::make_unique<Class>(); }                        \
  }                                                                                                           \
  BOOST_DLL_ALIAS_SECTIONED(geoinv_plugin_detail::create, factory_alias, GEOINV_PLUGIN_SECTION)

#define GEOINV_FORWARD_PLUGIN(Class, name_text, version_text, summary_text)                        \
  GEOINV_DETAIL_PLUGIN(ForwardModel, Class, "forward", name_text, version_text, summary_text,       \
                       geoinv_create_forward_model)

#define GEOINV_SOLVER_PLUGIN(Class, name_text, version_text, summary_text) \
  GEOINV_DETAIL_PLUGIN(Solver, Class, "solver", name_text, version_text, summary_text, geoinv_create_solver)
