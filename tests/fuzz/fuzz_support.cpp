// SPDX-License-Identifier: BSD-3-Clause
#include "fuzz_support.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include "base/file_io.hpp"

namespace geoinv::fuzz {

namespace fs = std::filesystem;

namespace {

struct ScratchFolder {
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "geoinv-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  fs::path path;
};

}  // namespace

const fs::path& scratch_folder() {
  static const ScratchFolder folder;
  return folder.path;
}

fs::path write_scratch_file(const std::string& name, std::string_view bytes) {
  const fs::path file = scratch_folder() / name;
  write_text(file, std::string(bytes));
  return file;
}

void keep_plugins_loaded() {
  for (const auto& entry : fs::directory_iterator(GEOINV_FUZZ_PLUGIN_DIR))
    if (entry.path().extension() == ".so") ::dlopen(entry.path().c_str(), RTLD_NOW | RTLD_NODELETE);
}

}  // namespace geoinv::fuzz
