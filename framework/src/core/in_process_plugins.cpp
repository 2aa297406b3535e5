// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/in_process_plugins.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace geoinv {

namespace {
std::mutex& table_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::map<std::string, InProcessForwardModel>& table() {
  static std::map<std::string, InProcessForwardModel> models;
  return models;
}
}  // namespace

void register_in_process_forward_model(InProcessForwardModel model) {
  model.info.kind = PluginKind::forward;
  const std::lock_guard<std::mutex> lock(table_mutex());
  const std::string name = model.info.name;
  table()[name] = std::move(model);
}

bool unregister_in_process_forward_model(const std::string& name) {
  const std::lock_guard<std::mutex> lock(table_mutex());
  return table().erase(name) > 0;
}

std::vector<InProcessForwardModel> in_process_forward_models() {
  const std::lock_guard<std::mutex> lock(table_mutex());
  std::vector<InProcessForwardModel> models;
  for (const auto& entry : table()) models.push_back(entry.second);
  return models;
}

}  // namespace geoinv
