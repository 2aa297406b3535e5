// SPDX-License-Identifier: BSD-3-Clause
// The rooms of the framework and which room may use which (docs/architecture.md), checked on the
// #include lines of every source file under framework/, plugins/ and python/. An include that crosses a room the
// wrong way fails here with the file, the line and the rule.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace geoinv_test {
namespace {

namespace fs = std::filesystem;

// Each room and the rooms it may include from (its own room is always allowed). The order is the
// layering: a room uses only rooms above it in this list.
const std::map<std::string, std::set<std::string>>& allowed_uses() {
  static const std::map<std::string, std::set<std::string>> rules = {
      {"api", {}},
      {"simd", {"api"}},
      {"core", {"api", "simd"}},
      {"base", {"api"}},
      {"configuration", {"api", "base"}},
      {"running", {"api", "base", "configuration"}},
      {"campaigns", {"api", "base", "configuration", "running"}},
      {"reporting", {"api", "base", "running", "campaigns"}},
      {"cli", {"api", "base", "configuration", "running", "campaigns", "reporting"}},
      // The Python module's glue (python/src): a host beside the CLI, never used by a room.
      {"python", {"api", "base", "configuration", "running", "campaigns", "reporting"}},
      {"plugin", {"api", "simd"}},
  };
  return rules;
}

// The room of a file, by where it lives under the source tree; nullopt for files outside the rooms.
std::optional<std::string> room_of(const fs::path& relative) {
  const auto part = [&](std::size_t i) {
    auto it = relative.begin();
    for (std::size_t k = 0; k < i && it != relative.end(); ++k) ++it;
    return it == relative.end() ? std::string() : it->string();
  };
  if (part(0) == "plugins") return "plugin";
  if (part(0) == "python") return "python";
  if (part(0) != "framework") return std::nullopt;
  if (part(1) == "include") return "api";
  if (part(1) == "cli") return "cli";
  if (part(1) == "src" && allowed_uses().count(part(2))) return part(2);
  return std::nullopt;
}

struct Violation {
  std::string where;  // file:line
  std::string text;
};

// Every quoted include in the source files under `root`/framework, `root`/plugins and `root`/python that resolves to a
// file in a room its includer may not use. Includes resolve as the build resolves them: beside the
// includer first, then from framework/src and framework/include.
std::vector<Violation> find_violations(const fs::path& root) {
  static const std::regex include_line(R"(^\s*#\s*include\s+"([^"]+)\")");
  std::vector<Violation> violations;
  for (const char* top : {"framework", "plugins", "python"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const fs::path file = entry.path();
      const std::string extension = file.extension().string();
      if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp" && extension != ".h")) continue;
      const fs::path relative = fs::relative(file, root);
      const std::optional<std::string> from = room_of(relative);
      if (!from) continue;
      std::ifstream stream(file);
      std::string line;
      for (int number = 1; std::getline(stream, line); ++number) {
        std::smatch match;
        if (!std::regex_search(line, match, include_line)) continue;
        const std::string name = match[1];
        std::optional<fs::path> target;
        for (const fs::path& base : {file.parent_path(), root / "framework/src", root / "framework/include"})
          if (fs::exists(base / name)) {
            target = fs::relative(fs::weakly_canonical(base / name), fs::weakly_canonical(root));
            break;
          }
        if (!target) continue;  // generated or external headers
        const std::optional<std::string> to = room_of(*target);
        if (!to || *to == *from) continue;
        const auto& allowed = allowed_uses().at(*from);
        if (allowed.count(*to)) continue;
        std::string valid;
        for (const auto& room : allowed) valid += (valid.empty() ? "" : ", ") + room;
        violations.push_back({relative.string() + ":" + std::to_string(number),
                              "room '" + *from + "' includes \"" + name + "\" from room '" + *to +
                                  "'; it may use only " + (valid.empty() ? "itself" : valid)});
      }
    }
  }
  return violations;
}

TEST(IncludeRules, EveryIncludeFollowsTheRooms) {
  const std::vector<Violation> violations = find_violations(GEOINV_TEST_SOURCE_DIR);
  for (const auto& violation : violations) ADD_FAILURE() << violation.where << ": " << violation.text;
  EXPECT_TRUE(violations.empty());
}

TEST(IncludeRules, EveryHostSourceLivesInARoom) {
  const fs::path src = fs::path(GEOINV_TEST_SOURCE_DIR) / "framework/src";
  for (const auto& entry : fs::directory_iterator(src)) {
    if (entry.is_regular_file()) ADD_FAILURE() << entry.path() << " lives outside every room";
    if (entry.is_directory())
      EXPECT_TRUE(allowed_uses().count(entry.path().filename().string()))
          << entry.path() << " is a folder the rules do not know; add it to allowed_uses and docs/architecture.md";
  }
}

// The checker itself: a tree with one include the wrong way and one the right way.
TEST(IncludeRules, AnIncludeAgainstTheLayeringIsFound) {
  const fs::path root = fs::temp_directory_path() / ("geoinv-include-rules-" + std::to_string(::getpid()));
  fs::create_directories(root / "framework/src/base");
  fs::create_directories(root / "framework/src/campaigns");
  fs::create_directories(root / "plugins/forward/x");
  std::ofstream(root / "framework/src/campaigns/campaign.hpp") << "#pragma once\n";
  std::ofstream(root / "framework/src/base/file_io.hpp") << "#pragma once\n";
  std::ofstream(root / "framework/src/base/file_io.cpp") << "#include \"file_io.hpp\"\n"
                                                         << "#include \"campaigns/campaign.hpp\"\n";
  std::ofstream(root / "plugins/forward/x/x.cpp") << "#include \"base/file_io.hpp\"\n";
  const std::vector<Violation> violations = find_violations(root);
  fs::remove_all(root);
  ASSERT_EQ(violations.size(), 2u);
  std::vector<std::string> where{violations[0].where, violations[1].where};
  std::sort(where.begin(), where.end());
  EXPECT_EQ(where[0], "framework/src/base/file_io.cpp:2");
  EXPECT_EQ(where[1], "plugins/forward/x/x.cpp:1");
}

}  // namespace
}  // namespace geoinv_test
