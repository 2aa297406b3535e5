// SPDX-License-Identifier: BSD-3-Clause
#include "base/external_sort.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <memory>
#include <queue>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// Each run read while merging gets at least this much buffer when the budget allows; fewer, larger reads.
constexpr std::size_t kReadBuffer = 64 * 1024;
constexpr std::size_t kMaxFanIn = 64;

std::atomic<std::uint64_t> sorter_instances{0};

// A record on disk: a, b, c, payload size (native 64-bit words), then the payload.
void write_record(TempFileWriter& out, const SortKey& key, std::string_view payload) {
  std::uint64_t header[4];
  std::memcpy(&header[0], &key.a, sizeof key.a);
  header[1] = key.b;
  header[2] = key.c;
  header[3] = payload.size();
  out.write(header, sizeof header);
  out.write(payload.data(), payload.size());
}

struct RunCursor {
  RunCursor(const fs::path& file, std::size_t buffer) : reader(file, buffer) {}
  bool next() {
    std::uint64_t header[4];
    if (!reader.read(header, sizeof header)) return false;
    std::memcpy(&key.a, &header[0], sizeof key.a);
    key.b = header[1];
    key.c = header[2];
    payload.resize(header[3]);
    if (header[3] > 0 && !reader.read(payload.data(), payload.size()))
      throw Error(Error::Category::io, "a temporary sort file ends inside a record");
    return true;
  }
  FileReader reader;
  SortKey key;
  std::string payload;
};

}  // namespace

ExternalSorter::ExternalSorter(fs::path temp_dir, std::size_t memory_budget)
    : temp_dir_(std::move(temp_dir)),
      budget_(std::max<std::size_t>(memory_budget, 1024)),
      fan_in_(std::clamp<std::size_t>(budget_ / kReadBuffer, 2, kMaxFanIn)),
      instance_(sorter_instances++) {}

ExternalSorter::~ExternalSorter() {
  std::error_code ec;
  for (const auto& run : runs_) fs::remove(run, ec);
}

fs::path ExternalSorter::new_run_path() {
  return temp_dir_ / fmt::format(".geoinv-sort-{}-{}-{}.tmp", ::getpid(), instance_, next_run_++);
}

void ExternalSorter::add(const SortKey& key, std::string_view payload) {
  if (entries_.capacity() == 0) {
    // Reserved once, so that growing never copies (a copy would hold old and new at once). This is
    // address space: pages become resident only as records fill them, and they fill at most the budget.
    arena_.reserve(budget_);
    entries_.reserve(budget_ / sizeof(Entry));
  }
  const std::size_t used = arena_.size() + entries_.size() * sizeof(Entry);
  if (!entries_.empty() && used + payload.size() + sizeof(Entry) > budget_) spill();
  entries_.push_back({key, arena_.size(), payload.size()});
  arena_.append(payload.data(), payload.size());
}

void ExternalSorter::spill() {
  // Offsets grow with insertion, so (key, offset) orders equal keys as they were added: stable, and
  // without the extra buffer std::stable_sort would allocate.
  std::sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
    return x.key < y.key || (x.key == y.key && x.offset < y.offset);
  });
  runs_.push_back(new_run_path());
  TempFileWriter out(runs_.back(), std::clamp<std::size_t>(budget_ / 8, 4096, 1 << 20));
  for (const Entry& e : entries_)
    write_record(out, e.key, std::string_view(arena_.data() + e.offset, e.size));
  out.close();
  out.keep();
  entries_.clear();
  arena_.clear();
  ++spilled_runs_;
}

void ExternalSorter::merge(const std::function<void(const SortKey&, std::string_view)>& visit) {
  if (runs_.empty()) {  // everything fitted: sort in memory, nothing on disk
    std::sort(entries_.begin(), entries_.end(), [](const Entry& x, const Entry& y) {
      return x.key < y.key || (x.key == y.key && x.offset < y.offset);
    });
    for (const Entry& e : entries_) visit(e.key, std::string_view(arena_.data() + e.offset, e.size));
  } else {
    if (!entries_.empty()) spill();
    std::string().swap(arena_);  // the merge's read buffers take the memory from here on
    std::vector<Entry>().swap(entries_);
    // Rounds of merging `fan_in_` consecutive runs into one keep the order of runs, hence stability.
    while (runs_.size() > fan_in_) {
      std::vector<fs::path> merged;
      const std::size_t count = runs_.size();  // runs_ also lists the merged runs while they are written
      for (std::size_t first = 0; first < count; first += fan_in_) {
        const std::size_t last = std::min(first + fan_in_, count);
        if (last - first == 1) {
          merged.push_back(runs_[first]);
          continue;
        }
        const std::vector<fs::path> group(runs_.begin() + static_cast<std::ptrdiff_t>(first),
                                          runs_.begin() + static_cast<std::ptrdiff_t>(last));
        merged.push_back(new_run_path());
        runs_.push_back(merged.back());  // known to the destructor while it is written
        TempFileWriter out(merged.back(), budget_ / (fan_in_ + 1));
        merge_runs(group,
                   [&](const SortKey& key, std::string_view payload) { write_record(out, key, payload); });
        out.close();
        out.keep();
        std::error_code ec;
        for (const auto& run : group) fs::remove(run, ec);
      }
      runs_ = std::move(merged);
      ++merge_rounds_;
    }
    merge_runs(runs_, visit);
    std::error_code ec;
    for (const auto& run : runs_) fs::remove(run, ec);
  }
  runs_.clear();
  std::string().swap(arena_);
  std::vector<Entry>().swap(entries_);
}

void ExternalSorter::merge_runs(const std::vector<fs::path>& runs,
                                const std::function<void(const SortKey&, std::string_view)>& visit) {
  const std::size_t buffer = std::max<std::size_t>(budget_ / (runs.size() + 1), 512);
  std::vector<std::unique_ptr<RunCursor>> cursors;
  for (const auto& run : runs) cursors.push_back(std::make_unique<RunCursor>(run, buffer));
  // A min-heap of cursor indices by (key, index): on equal keys the earlier run first (stability).
  const auto later = [&](std::size_t x, std::size_t y) {
    const SortKey &kx = cursors[x]->key, &ky = cursors[y]->key;
    return ky < kx || (kx == ky && y < x);
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
  for (std::size_t i = 0; i < cursors.size(); ++i)
    if (cursors[i]->next()) heap.push(i);
  while (!heap.empty()) {
    const std::size_t i = heap.top();
    heap.pop();
    visit(cursors[i]->key, cursors[i]->payload);
    if (cursors[i]->next()) heap.push(i);
  }
}

void remove_stale_temporaries(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::string prefix = ".geoinv-", suffix = ".tmp";
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::size_t kind_end = name.find('-', prefix.size());
    if (kind_end == std::string::npos) continue;
    long pid = 0;
    const char* digits = name.c_str() + kind_end + 1;
    const auto [end_of_pid, error] = std::from_chars(digits, name.c_str() + name.size(), pid);
    if (error != std::errc() || end_of_pid == digits || pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace geoinv
