// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/figure_staging.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

bool is_figure_file(const fs::path& file) {
  const std::string extension = file.extension().string();
  return extension == ".png" || extension == ".svg" || extension == ".pdf" || extension == ".gp" ||
         extension == ".dat";
}

}  // namespace

FigureStaging::FigureStaging(const fs::path& dir)
    : figures_(dir / "figures"), staged_(dir / fmt::format(".figures.partial-{}", ::getpid())) {
  std::error_code ec;
  fs::remove_all(staged_, ec);
  fs::create_directories(staged_, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {staged_.string()});
}

FigureStaging::~FigureStaging() {
  std::error_code ec;
  fs::remove_all(staged_, ec);
}

void FigureStaging::install() const {
  std::error_code ec;
  fs::create_directories(figures_, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {figures_.string()});
  for (const auto& entry : fs::directory_iterator(figures_, ec))
    if (entry.is_regular_file(ec) && is_figure_file(entry.path())) fs::remove(entry.path(), ec);
  for (const auto& entry : fs::directory_iterator(staged_)) {
    fs::rename(entry.path(), figures_ / entry.path().filename(), ec);
    if (ec)
      throw Error(Error::Category::io, "cannot move a figure into place: " + ec.message(),
                  {(figures_ / entry.path().filename()).string()});
  }
}

}  // namespace geoinv
