// SPDX-License-Identifier: BSD-3-Clause
#include "running/solver_activity.hpp"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "geoinv/error.hpp"

namespace geoinv {

namespace {

SolverActivity own_record;
std::atomic<SolverActivity*> current_record{&own_record};
int crash_exit_code = 1;

void copy_text(std::string_view text, char (&into)[SolverActivity::kTextBytes]) {
  const std::size_t size = std::min(text.size(), SolverActivity::kTextBytes - 1);
  std::copy_n(text.data(), size, into);
  into[size] = '\0';
}

void write_text(const char* text) {
  std::size_t size = strlen(text);
  while (size > 0) {
    const ssize_t written = ::write(STDERR_FILENO, text, size);
    if (written <= 0) return;
    text += written;
    size -= static_cast<std::size_t>(written);
  }
}

// Async-signal-safe: write() of text already in memory; sigabbrev_np and sigdescr_np read static tables.
extern "C" void print_crash_and_exit(int signal_number) {
  const SolverActivity& record = *current_record.load();
  write_text("geoinv: error: ");
  if (record.started_ns.load() != 0) {
    write_text("solver '");
    write_text(record.label);
    write_text("' (plugin ");
    write_text(record.plugin);
    write_text(") crashed: SIG");
  } else {
    write_text("crashed outside a solver: SIG");
  }
  const char* abbreviation = sigabbrev_np(signal_number);
  const char* description = sigdescr_np(signal_number);
  write_text(abbreviation != nullptr ? abbreviation : "?");
  write_text(" (");
  write_text(description != nullptr ? description : "unknown signal");
  write_text(")\n");
  ::_exit(crash_exit_code);
}

// A plugin that calls exit() in its solve would end `geoinv run` with status 0 and no result.
extern "C" void refuse_exit_in_a_solver() {
  const SolverActivity& record = *current_record.load();
  if (record.started_ns.load() == 0) return;
  write_text("geoinv: error: solver '");
  write_text(record.label);
  write_text("' (plugin ");
  write_text(record.plugin);
  write_text(") called exit() during its solve\n");
  ::_exit(crash_exit_code);
}

}  // namespace

SolverActivity& solver_activity() { return *current_record.load(); }

void use_solver_activity_record(SolverActivity* record) {
  current_record.store(record != nullptr ? record : &own_record);
}

SolverActivityScope::SolverActivityScope(std::string_view label, std::string_view plugin, double wall_budget_s)
    : exceptions_in_flight_(std::uncaught_exceptions()) {
  SolverActivity& record = solver_activity();
  copy_text(label, record.label);
  copy_text(plugin, record.plugin);
  record.wall_budget_s.store(wall_budget_s);
  record.left_by_exception.store(false);
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  record.started_ns.store(std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
}

SolverActivityScope::~SolverActivityScope() {
  SolverActivity& record = solver_activity();
  record.left_by_exception.store(std::uncaught_exceptions() != exceptions_in_flight_);
  record.started_ns.store(0);
}

void report_crashes_on_stderr() {
  crash_exit_code = Error(Error::Category::plugin, "").exit_code();
  struct sigaction action {};
  action.sa_handler = print_crash_and_exit;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (const int signal_number : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(signal_number, &action, nullptr);
  std::atexit(refuse_exit_in_a_solver);
}

}  // namespace geoinv
