// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Exact quartiles of more values than memory may hold, for summary.csv and the campaign figures
// (docs/campaigns.md, "Memory"). Values are kept in memory up to a byte budget and appended to a temporary
// file beyond it; the quartiles are the exact order statistics either way (the same bits), selected by
// nth_element in memory or by a radix selection over the file, and do not depend on the order the values
// arrived in.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "base/file_io.hpp"  // TempFileWriter

namespace geoinv {

// The order-preserving 64-bit key of a double that is not NaN: key(x) < key(y) exactly when x < y, and
// -0 < +0.
std::uint64_t order_key(double value);
double from_order_key(std::uint64_t key);
// The same order as a signed integer, for SortKey::a.
std::int64_t signed_order_key(double value);
double from_signed_order_key(std::int64_t key);

// The rows of one group (a solver at a condition, a solver over a campaign): `quantities` numbers per
// row, NaN where a row has none.
class BoundedValues {
 public:
  // `budget`: bytes of rows held in memory (at least one row); `temp_file`: where the rest goes, created
  // only when needed and removed by clear() and the destructor.
  BoundedValues(std::size_t quantities, std::size_t budget, std::filesystem::path temp_file);

  void add(const double* row);
  // Per quantity: q25, q50, q75 with linear interpolation between order statistics (R's type 7,
  // numpy's default); NaN without values.
  std::vector<std::array<double, 3>> quartiles();
  // Every row added since the last clear(), in an unspecified order.
  void for_each(const std::function<void(const double* row)>& visit);
  // Forgets the rows: ready for the next group.
  void clear();

 private:
  void spill();
  void seal();  // every row in the file, the file closed: before reading it back
  std::vector<std::array<double, 3>> select_in_memory();
  std::vector<std::array<double, 3>> select_from_file();
  template <class Visit>
  void read_file(Visit visit);

  std::size_t quantities_, max_rows_;
  std::vector<std::uint64_t> counts_;  // values (not NaN) of each quantity
  std::vector<double> rows_;           // rows not in the file (none once sealed)
  std::vector<std::uint64_t> keys_;    // of one quantity, while selecting in memory
  std::filesystem::path path_;
  std::optional<TempFileWriter> file_;
  bool sealed_ = false;
  std::uint64_t file_rows_ = 0;
};

}  // namespace geoinv
