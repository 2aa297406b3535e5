// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Which solver this process is running now, kept where a signal handler and another process can read it.
//
// run_experiment opens a SolverActivityScope around every solver's solve (its training included), which
// writes the solver's label, plugin, start time and wall-time budget into the current record. Two readers
// use it when a plugin misbehaves:
//
//   - `geoinv run` installs report_crashes_on_stderr(): a plugin that segfaults or aborts then ends the
//     command with one line, "geoinv: error: solver 'dls' (plugin dls) crashed: SIGSEGV (Segmentation
//     fault)", and exit code 5 (a plugin error), instead of the shell's bare "Segmentation fault".
//   - A campaign worker process (campaigns/worker_process.hpp) points the record into memory it shares
//     with its parent (use_solver_activity_record), so the parent can name the solver of a worker that
//     died, and kill one that overran its wall-time budget.
//
// The record holds plain atomics and fixed-size text: no allocation, nothing a dying process can leave
// half-built for a reader that matters (the text is read only after the writer stopped or died).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace geoinv {

struct SolverActivity {
  static constexpr std::size_t kTextBytes = 96;
  // steady_clock time (ns since its epoch, CLOCK_MONOTONIC: the same in every process of the machine)
  // when the current solver started; 0 while no solver runs.
  std::atomic<std::int64_t> started_ns{0};
  std::atomic<double> wall_budget_s{0.0};  // its budget.max_wall_time_s, s; 0: unlimited
  // The last solver was left by an exception (label and plugin still name it): what a worker that caught
  // a throw that is not a std::exception reports.
  std::atomic<bool> left_by_exception{false};
  char label[kTextBytes] = {};             // the solver's label, NUL-terminated (cut to fit)
  char plugin[kTextBytes] = {};            // its plugin's name, NUL-terminated (cut to fit)
};

// The record run_experiment writes: the process's own, or the one given to use_solver_activity_record.
SolverActivity& solver_activity();
// Makes `record` (which must outlive every later solve) the current record; nullptr restores the own one.
void use_solver_activity_record(SolverActivity* record);

// Marks a solver as running for its lifetime; left by an exception, it says so (left_by_exception).
class SolverActivityScope {
 public:
  SolverActivityScope(std::string_view label, std::string_view plugin, double wall_budget_s);
  ~SolverActivityScope();
  SolverActivityScope(const SolverActivityScope&) = delete;
  SolverActivityScope& operator=(const SolverActivityScope&) = delete;

 private:
  int exceptions_in_flight_;
};

// Installs handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that print the one-line error above
// (naming the running solver, or "outside a solver") and end the process with exit code 5, and an atexit
// handler that does the same ("called exit() during its solve") for a solver that calls exit(). For the
// single-run commands; a campaign worker keeps the default actions, so its parent sees the signal. A
// stack overflow is not caught (the handler would need an alternate stack): the shell reports it.
void report_crashes_on_stderr();

}  // namespace geoinv
