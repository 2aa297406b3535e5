// SPDX-License-Identifier: BSD-3-Clause
#include "base/quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

}  // namespace

// Selections by these keys are total orders, so they do not depend on the order values arrived in.
std::uint64_t order_key(double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits & kSignBit) ? ~bits : bits | kSignBit;
}

double from_order_key(std::uint64_t key) {
  const std::uint64_t bits = (key & kSignBit) ? key & ~kSignBit : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::int64_t signed_order_key(double value) { return static_cast<std::int64_t>(order_key(value) ^ kSignBit); }

double from_signed_order_key(std::int64_t key) { return from_order_key(static_cast<std::uint64_t>(key) ^ kSignBit); }

namespace {

// Quartiles with linear interpolation between order statistics: at q, position q(n-1) = below + fraction.
constexpr std::array<double, 3> kQuartiles = {0.25, 0.5, 0.75};

struct Position {
  std::uint64_t below = 0, above = 0;
  double fraction = 0;
};

Position position_of(std::uint64_t n, double q) {
  const double position = q * static_cast<double>(n - 1);
  Position p;
  p.below = static_cast<std::uint64_t>(std::floor(position));
  p.above = std::min(p.below + 1, n - 1);
  p.fraction = position - static_cast<double>(p.below);
  return p;
}

// q25, q50, q75 of n values, given their order statistics by rank (`at`, ranks from position_of).
template <class At>
std::array<double, 3> quartiles_from(std::uint64_t n, At at) {
  std::array<double, 3> result;
  result.fill(std::numeric_limits<double>::quiet_NaN());
  if (n == 0) return result;
  for (std::size_t i = 0; i < kQuartiles.size(); ++i) {
    const Position p = position_of(n, kQuartiles[i]);
    const double low = at(p.below), high = at(p.above);
    result[i] = low + p.fraction * (high - low);
  }
  return result;
}

// The ranks the quartiles of n values need, ascending, each once.
std::vector<std::uint64_t> ranks_needed(std::uint64_t n) {
  std::vector<std::uint64_t> ranks;
  if (n == 0) return ranks;
  for (double q : kQuartiles) {
    const Position p = position_of(n, q);
    ranks.push_back(p.below);
    ranks.push_back(p.above);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  return ranks;
}

}  // namespace

BoundedValues::BoundedValues(std::size_t quantities, std::size_t budget, fs::path temp_file)
    : quantities_(quantities),
      // rows_ and, while selecting, one key per row of one quantity
      max_rows_(std::max<std::size_t>(budget / ((quantities + 1) * sizeof(double)), 1)),
      counts_(quantities, 0),
      path_(std::move(temp_file)) {}

void BoundedValues::add(const double* row) {
  if (sealed_) throw std::logic_error("BoundedValues::add after reading the values back; clear() first");
  for (std::size_t q = 0; q < quantities_; ++q)
    if (!std::isnan(row[q])) ++counts_[q];
  if (rows_.size() / quantities_ >= max_rows_) spill();
  if (rows_.capacity() == 0) {
    // Reserved once for every group, so that growing never copies; pages become resident only as far
    // as the largest group fills them.
    rows_.reserve(max_rows_ * quantities_);
    keys_.reserve(max_rows_);
  }
  rows_.insert(rows_.end(), row, row + quantities_);
}

std::vector<std::array<double, 3>> BoundedValues::quartiles() {
  return file_ ? select_from_file() : select_in_memory();
}

void BoundedValues::for_each(const std::function<void(const double* row)>& visit) {
  if (file_) {
    read_file([&](const double* block, std::size_t rows) {
      for (std::size_t r = 0; r < rows; ++r) visit(block + r * quantities_);
    });
  } else {
    for (std::size_t i = 0; i < rows_.size(); i += quantities_) visit(rows_.data() + i);
  }
}

void BoundedValues::clear() {
  rows_.clear();
  file_.reset();  // removes the file
  sealed_ = false;
  file_rows_ = 0;
  std::fill(counts_.begin(), counts_.end(), 0);
}

void BoundedValues::spill() {
  if (!file_) file_.emplace(path_, std::clamp<std::size_t>(max_rows_ * sizeof(double), 4096, 1 << 20));
  file_->write(rows_.data(), rows_.size() * sizeof(double));
  file_rows_ += rows_.size() / quantities_;
  rows_.clear();
}

void BoundedValues::seal() {
  if (sealed_) return;
  spill();
  file_->close();
  sealed_ = true;
}

// Reads the file back a block of rows at a time, through rows_ as the buffer.
template <class Visit>
void BoundedValues::read_file(Visit visit) {
  seal();
  rows_.resize(max_rows_ * quantities_);
  FileReader reader(file_->path(), std::clamp<std::size_t>(max_rows_ * sizeof(double), 4096, 1 << 20));
  for (std::uint64_t done = 0; done < file_rows_;) {
    const std::size_t block = static_cast<std::size_t>(std::min<std::uint64_t>(max_rows_, file_rows_ - done));
    if (!reader.read(rows_.data(), block * quantities_ * sizeof(double)))
      throw Error(Error::Category::io, "a temporary file of values is shorter than written",
                  {file_->path().string()});
    visit(rows_.data(), block);
    done += block;
  }
  rows_.clear();
}

std::vector<std::array<double, 3>> BoundedValues::select_in_memory() {
  std::vector<std::array<double, 3>> result;
  std::vector<std::uint64_t>& keys = keys_;
  for (std::size_t q = 0; q < quantities_; ++q) {
    keys.clear();
    for (std::size_t i = q; i < rows_.size(); i += quantities_)
      if (!std::isnan(rows_[i])) keys.push_back(order_key(rows_[i]));
    // Each rank in ascending order, selected among the keys above the previous one.
    auto from = keys.begin();
    for (const std::uint64_t rank : ranks_needed(keys.size())) {
      const auto nth = keys.begin() + static_cast<std::ptrdiff_t>(rank);
      std::nth_element(from, nth, keys.end());
      from = nth + 1;
    }
    result.push_back(quartiles_from(keys.size(), [&](std::uint64_t rank) { return from_order_key(keys[rank]); }));
  }
  return result;
}

// Exact selection over the file: eight passes, each fixing the next 8 bits of every wanted rank's key
// from a 256-bucket histogram of the keys that share the bits fixed so far. Memory: one block of rows
// and 256 counters per (quantity, rank).
std::vector<std::array<double, 3>> BoundedValues::select_from_file() {
  struct Target {
    std::size_t quantity;
    std::uint64_t rank, remaining, prefix = 0;
    std::array<std::uint64_t, 256> histogram{};
  };
  std::vector<Target> targets;
  for (std::size_t q = 0; q < quantities_; ++q)
    for (const std::uint64_t rank : ranks_needed(counts_[q])) targets.push_back({q, rank, rank});
  for (int pass = 0; pass < 8; ++pass) {
    const int shift = 56 - 8 * pass;
    for (auto& t : targets) t.histogram.fill(0);
    read_file([&](const double* block, std::size_t rows) {
      for (auto& t : targets)
        for (std::size_t i = t.quantity; i < rows * quantities_; i += quantities_) {
          if (std::isnan(block[i])) continue;
          const std::uint64_t key = order_key(block[i]);
          if (pass > 0 && (key >> (shift + 8)) != (t.prefix >> (shift + 8))) continue;
          ++t.histogram[(key >> shift) & 0xff];
        }
    });
    for (auto& t : targets) {
      std::uint64_t bucket = 0;
      while (bucket < 255 && t.remaining >= t.histogram[bucket]) t.remaining -= t.histogram[bucket++];
      t.prefix |= bucket << shift;
    }
  }
  std::vector<std::array<double, 3>> result;
  for (std::size_t q = 0; q < quantities_; ++q)
    result.push_back(quartiles_from(counts_[q], [&](std::uint64_t rank) {
      for (const auto& t : targets)
        if (t.quantity == q && t.rank == rank) return from_order_key(t.prefix);
      return std::numeric_limits<double>::quiet_NaN();  // not reached: every rank is a target
    }));
  return result;
}

}  // namespace geoinv
