// summary.csv and `geoinv collect` in memory bounded by a budget, whatever the number of runs
// (docs/campaigns.md, "Memory"): rows go through an external sort (external_sort.hpp), and quartiles are
// exact order statistics, chosen in memory when a group fits and by a radix selection over a temporary
// file when it does not.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>

#include "campaign.hpp"
#include "campaign_io.hpp"
#include "external_sort.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::size_t campaign_memory_budget() {
  const char* text = std::getenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
  if (text == nullptr || *text == '\0') return kCampaignMemoryBudget;
  char* end = nullptr;
  const unsigned long long bytes = std::strtoull(text, &end, 10);
  if (*end != '\0' || bytes == 0 || text[0] == '-')
    throw Error(
        Error::Category::usage,
        fmt::format("GEOINV_CAMPAIGN_MEMORY_BYTES must be a positive number of bytes, got '{}'", text));
  return static_cast<std::size_t>(bytes);
}

namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

// The order-preserving 64-bit key of a double that is not NaN: key(x) < key(y) exactly when x < y, and
// -0 < +0. Selections by key are total orders, so they do not depend on the order values arrived in.
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

// The values of one group (a solver at a condition): `quantities` numbers per run, NaN where a run has
// none. Held in memory up to the budget, then appended to a temporary file; the quartiles are the exact
// order statistics either way (the same bits).
class GroupValues {
 public:
  GroupValues(std::size_t quantities, std::size_t budget, fs::path temp_file)
      : quantities_(quantities),
        // rows_ and, while selecting, one key per row of one quantity
        max_rows_(std::max<std::size_t>(budget / ((quantities + 1) * sizeof(double)), 1)),
        counts_(quantities, 0),
        path_(std::move(temp_file)) {}

  void add(const double* row) {
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

  // Per quantity: q25, q50, q75 (NaN without values). Forgets the values: ready for the next group.
  std::vector<std::array<double, 3>> quartiles() {
    std::vector<std::array<double, 3>> result = file_ ? select_from_file() : select_in_memory();
    rows_.clear();
    file_.reset();  // removes the file
    file_rows_ = 0;
    std::fill(counts_.begin(), counts_.end(), 0);
    return result;
  }

 private:
  void spill() {
    if (!file_) file_.emplace(path_, std::clamp<std::size_t>(max_rows_ * sizeof(double), 4096, 1 << 20));
    file_->write(rows_.data(), rows_.size() * sizeof(double));
    file_rows_ += rows_.size() / quantities_;
    rows_.clear();
  }

  std::vector<std::array<double, 3>> select_in_memory() {
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
      result.push_back(
          quartiles_from(keys.size(), [&](std::uint64_t rank) { return from_order_key(keys[rank]); }));
    }
    return result;
  }

  // Exact selection over the file: eight passes, each fixing the next 8 bits of every wanted rank's key
  // from a 256-bucket histogram of the keys that share the bits fixed so far. Memory: one block of rows
  // and 256 counters per (quantity, rank).
  std::vector<std::array<double, 3>> select_from_file() {
    spill();
    file_->close();
    struct Target {
      std::size_t quantity;
      std::uint64_t rank, remaining, prefix = 0;
      std::array<std::uint64_t, 256> histogram{};
    };
    std::vector<Target> targets;
    for (std::size_t q = 0; q < quantities_; ++q)
      for (const std::uint64_t rank : ranks_needed(counts_[q])) targets.push_back({q, rank, rank});
    rows_.resize(max_rows_ * quantities_);
    for (int pass = 0; pass < 8; ++pass) {
      const int shift = 56 - 8 * pass;
      for (auto& t : targets) t.histogram.fill(0);
      FileReader reader(file_->path(), std::clamp<std::size_t>(max_rows_ * sizeof(double), 4096, 1 << 20));
      for (std::uint64_t done = 0; done < file_rows_;) {
        const std::size_t block =
            static_cast<std::size_t>(std::min<std::uint64_t>(max_rows_, file_rows_ - done));
        if (!reader.read(rows_.data(), block * quantities_ * sizeof(double)))
          throw Error(Error::Category::io, "a temporary summary file is shorter than written",
                      {file_->path().string()});
        for (auto& t : targets)
          for (std::size_t i = t.quantity; i < block * quantities_; i += quantities_) {
            if (std::isnan(rows_[i])) continue;
            const std::uint64_t key = order_key(rows_[i]);
            if (pass > 0 && (key >> (shift + 8)) != (t.prefix >> (shift + 8))) continue;
            ++t.histogram[(key >> shift) & 0xff];
          }
        done += block;
      }
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

  std::size_t quantities_, max_rows_;
  std::vector<std::uint64_t> counts_;  // values (not NaN) of each quantity
  std::vector<double> rows_;
  std::vector<std::uint64_t> keys_;  // of one quantity, while selecting in memory
  fs::path path_;
  std::optional<TempFileWriter> file_;
  std::uint64_t file_rows_ = 0;
};

// A whole decimal integer, or nothing.
std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The run id a CSV line starts with (its first field), or nothing.
std::optional<std::int64_t> leading_run_id(std::string_view line) {
  return parse_integer(line.substr(0, line.find(',')));
}

// Record flags of the summary's sort.
constexpr unsigned char kFailed = 1, kSucceeded = 2;

}  // namespace

void write_summary(const fs::path& dir, std::size_t memory_budget) {
  const json info = read_campaign_json(dir);
  const auto solvers = info.at("solvers").get<std::vector<std::string>>();
  const auto parameters = info.at("parameters").get<std::vector<std::string>>();
  const auto axis_columns = info.at("axis_columns").get<std::vector<std::string>>();
  const auto runs = info.at("runs").get<std::int64_t>();
  const std::string success_parameter = info.at("success").at("parameter").get<std::string>();
  const double threshold = info.at("success").at("relative_error").get<double>();
  const std::string definition = info.at("success").at("definition").get<std::string>();

  const fs::path results = dir / "results.csv";
  std::ifstream stream(results, std::ios::binary);
  if (!stream) throw Error(Error::Category::io, "cannot read results.csv", {results.string()});
  std::string line;
  std::getline(stream, line);
  const std::vector<std::string> header = split_csv_line(line);
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      throw Error(Error::Category::io, "results.csv has no column '" + name + "'", {results.string()});
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t c_run = column("run_id"), c_point = column("point"), c_solver = column("solver"),
                    c_status = column("status"), c_time = column("wall_time_s"),
                    c_evaluations = column("forward_evaluations");
  std::vector<std::size_t> c_axes, c_errors;
  for (const auto& name : axis_columns) c_axes.push_back(column(name));
  for (const auto& name : parameters) c_errors.push_back(column("relative_error_" + name));
  std::optional<std::size_t> c_success;
  if (!success_parameter.empty()) c_success = column("relative_error_" + success_parameter);

  // The statistics of each solver at each condition: the relative error of each parameter (finite values
  // only), the wall time and the forward evaluations (values that are not NaN), over the runs that did
  // not fail.
  const std::size_t quantities = parameters.size() + 2;

  // 1. Every row becomes a record keyed (point, solver, run): a group's rows are then consecutive, a
  //    (run, solver) written twice is seen twice in a row, and the order of results.csv does not matter.
  //    Record: flags, the quantities as doubles (not for failed rows), the group's sweep values as CSV.
  ExternalSorter sorter(dir, memory_budget / 2);
  std::string record;
  std::vector<double> values(quantities);
  CsvFields fields;
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line without its newline
    if (line.empty()) continue;
    fields.split(line);
    if (fields.size() != header.size()) continue;
    const auto solver_it = std::find(solvers.begin(), solvers.end(), fields[c_solver]);
    const auto run = parse_integer(fields[c_run]), point = parse_integer(fields[c_point]);
    if (solver_it == solvers.end() || !run || !point || *run < 0 || *run >= runs) continue;
    const bool failed = fields[c_status] == "failed";
    bool success = !failed;
    if (success && c_success) {
      const double value = parse_csv_number(fields[*c_success]);
      success = std::isfinite(value) && std::abs(value) <= threshold;
    }
    record.assign(1, static_cast<char>((failed ? kFailed : 0) | (success ? kSucceeded : 0)));
    if (!failed) {
      for (std::size_t p = 0; p < parameters.size(); ++p) {
        const double value = parse_csv_number(fields[c_errors[p]]);
        values[p] = std::isfinite(value) ? value : std::numeric_limits<double>::quiet_NaN();
      }
      values[parameters.size()] = parse_csv_number(fields[c_time]);
      values[parameters.size() + 1] = parse_csv_number(fields[c_evaluations]);
      record.append(reinterpret_cast<const char*>(values.data()), quantities * sizeof(double));
    }
    for (std::size_t c : c_axes) {
      record += ',';
      record += csv_field(fields[c]);
    }
    sorter.add(
        {*point, static_cast<std::uint64_t>(solver_it - solvers.begin()), static_cast<std::uint64_t>(*run)},
        record);
  }
  stream.close();

  // 2. Group by group, in (point, solver) order: counts, then the exact quartiles.
  AtomicFileWriter out(dir / "summary.csv");
  std::string text = "point";
  for (const auto& name : axis_columns) text += "," + csv_field(name);
  text += ",solver,runs,succeeded,failed,success_rate,success_definition";
  for (const auto& name : parameters)
    text += ",median_relative_error_" + name + ",iqr_relative_error_" + name;
  text += ",median_wall_time_s,median_forward_evaluations\n";
  out.write(text);

  GroupValues group_values(quantities, memory_budget / 2,
                           dir / fmt::format(".geoinv-group-{}.tmp", static_cast<long>(::getpid())));
  struct Group {
    bool open = false;
    SortKey key;  // point, solver, last run
    std::string axis_values;
    std::int64_t runs = 0, succeeded = 0, failed = 0;
  } group;
  const auto finish_group = [&] {
    if (!group.open) return;
    const std::vector<std::array<double, 3>> q = group_values.quartiles();
    text = std::to_string(group.key.a) + group.axis_values;
    text += fmt::format(",{},{},{},{},{},{}", csv_field(solvers[group.key.b]), group.runs, group.succeeded,
                        group.failed,
                        csv_number(static_cast<double>(group.succeeded) / static_cast<double>(group.runs)),
                        csv_field(definition));
    for (std::size_t p = 0; p < parameters.size(); ++p)
      text += "," + csv_number(q[p][1]) + "," + csv_number(q[p][2] - q[p][0]);
    text += "," + csv_number(q[parameters.size()][1]) + "," + csv_number(q[parameters.size() + 1][1]) + "\n";
    out.write(text);
  };
  sorter.merge([&](const SortKey& key, std::string_view payload) {
    if (group.open && key.a == group.key.a && key.b == group.key.b) {
      if (key.c == group.key.c) return;  // this (run, solver) again: it counts once, as first written
    } else {
      finish_group();
      group = Group{};
      group.open = true;
    }
    group.key = key;
    const auto flags = static_cast<unsigned char>(payload[0]);
    const bool failed = (flags & kFailed) != 0;
    const std::size_t axis_offset = 1 + (failed ? 0 : quantities * sizeof(double));
    if (group.runs == 0) group.axis_values = std::string(payload.substr(axis_offset));
    ++group.runs;
    if (failed) {
      ++group.failed;
    } else {
      std::memcpy(values.data(), payload.data() + 1, quantities * sizeof(double));
      group_values.add(values.data());
    }
    if (flags & kSucceeded) ++group.succeeded;
  });
  finish_group();
  out.commit();
}

std::int64_t collect_campaign(const std::vector<fs::path>& folders, const fs::path& out,
                              std::size_t memory_budget) {
  if (folders.empty()) throw Error(Error::Category::usage, "collect needs one or more campaign folders");
  json first = read_campaign_json(folders.front());
  for (const auto& folder : folders) {
    const json info = read_campaign_json(folder);
    if (info.at("fingerprint") != first.at("fingerprint") || info.at("runs") != first.at("runs") ||
        info.at("solvers") != first.at("solvers"))
      throw Error(
          Error::Category::io,
          fmt::format(
              "conflicting manifests: {} and {} are not folders of the same campaign (fingerprints {} "
              "and {})",
              folders.front().string(), folder.string(), first.at("fingerprint").dump(),
              info.at("fingerprint").dump()),
          {folder.string()});
  }
  const auto runs = first.at("runs").get<std::int64_t>();
  const auto solvers = first.at("solvers").get<std::vector<std::string>>();

  // The results headers agree (checked before anything is sorted), and say where the solver is.
  std::string results_header;
  for (const auto& folder : folders) {
    std::ifstream results(folder / "results.csv", std::ios::binary);
    std::string line;
    if (!results || !std::getline(results, line)) continue;
    if (results_header.empty())
      results_header = line;
    else if (line != results_header)
      throw Error(Error::Category::io, "results.csv headers differ", {(folder / "results.csv").string()});
  }
  const std::vector<std::string> columns = split_csv_line(results_header);
  const std::size_t c_solver =
      static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "solver") - columns.begin());

  // Sorting spills its runs into `out`: create it now, and remove it again if collect fails and it was
  // created here and nothing else is in it.
  std::error_code ec;
  const bool existed = fs::exists(out, ec);
  fs::create_directories(out, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {out.string()});
  struct RemoveIfCreated {
    const fs::path& folder;
    bool armed;
    ~RemoveIfCreated() {
      std::error_code ignored;
      if (armed && fs::is_empty(folder, ignored)) fs::remove(folder, ignored);
    }
  } remove_if_created{out, !existed};

  // 1. The manifests, merged by run id: the same run id must read the same everywhere.
  AtomicFileWriter manifest(out / "manifest.csv");
  {
    std::string manifest_header;
    ExternalSorter sorter(out, memory_budget);
    for (std::size_t f = 0; f < folders.size(); ++f) {
      std::ifstream stream(folders[f] / "manifest.csv", std::ios::binary);
      if (!stream) throw Error(Error::Category::io, "no manifest.csv here", {folders[f].string()});
      std::string line;
      std::getline(stream, line);
      if (manifest_header.empty()) manifest_header = line;
      while (std::getline(stream, line)) {
        if (stream.eof()) break;
        if (const auto id = leading_run_id(line)) sorter.add({*id, f, 0}, line);
      }
    }
    manifest.write(manifest_header + "\n");
    std::optional<std::int64_t> last_id;
    std::string last_line;
    sorter.merge([&](const SortKey& key, std::string_view line) {
      if (last_id == key.a) {
        if (line != last_line)
          throw Error(Error::Category::io, fmt::format("conflicting manifests: run {} differs", key.a),
                      {folders[key.b].string()});
        return;
      }
      last_id = key.a;
      last_line = line;
      manifest.write(line);
      manifest.write("\n");
    });
  }

  // 2. The results, by (run id, folder, solver): each run's rows come from the first folder (in the order
  //    given) that holds a row of every solver, one row each, in the campaign's solver order.
  AtomicFileWriter merged(out / "results.csv");
  std::int64_t runs_with_rows = 0;
  {
    ExternalSorter sorter(out, memory_budget);
    CsvFields fields;
    for (std::size_t f = 0; f < folders.size(); ++f) {
      std::ifstream stream(folders[f] / "results.csv", std::ios::binary);
      std::string line;
      if (!stream || !std::getline(stream, line)) continue;
      while (std::getline(stream, line)) {
        if (stream.eof()) break;  // torn
        const auto id = leading_run_id(line);
        if (!id) continue;
        fields.split(line);
        if (fields.size() != columns.size()) continue;
        const auto solver = std::find(solvers.begin(), solvers.end(), fields[c_solver]);
        if (solver == solvers.end()) continue;
        sorter.add({*id, f, static_cast<std::uint64_t>(solver - solvers.begin())}, line);
      }
    }
    merged.write(results_header + "\n");
    std::optional<std::int64_t> run;
    std::uint64_t folder = 0;
    bool written = false;
    std::vector<std::string> rows(solvers.size());
    std::size_t filled = 0;
    const auto finish_folder = [&] {
      if (!written && filled == solvers.size()) {
        for (const auto& row : rows) {
          merged.write(row);
          merged.write("\n");
        }
        written = true;
        if (*run >= 0 && *run < runs) ++runs_with_rows;
      }
      for (auto& row : rows) row.clear();
      filled = 0;
    };
    sorter.merge([&](const SortKey& key, std::string_view line) {
      if (run != key.a || folder != key.b) {
        if (run) finish_folder();
        if (run != key.a) written = false;
        run = key.a;
        folder = key.b;
      }
      std::string& row = rows[key.c];
      if (!written && row.empty()) {
        row = line;
        ++filled;
      }
    });
    if (run) finish_folder();
  }
  manifest.commit();
  merged.commit();
  first["shard"] = {{"index", 0}, {"count", 1}};
  first["collected_from"] = json::array();
  for (const auto& folder : folders)
    first["collected_from"].push_back(fs::absolute(folder).lexically_normal().string());
  write_atomically(out / "campaign.json", first.dump(2) + "\n");
  write_summary(out, memory_budget);
  return runs - runs_with_rows;
}

}  // namespace geoinv
