// SPDX-License-Identifier: BSD-3-Clause
#include "running/console_observer.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <utility>

namespace geoinv {

namespace {

constexpr double kMinimumInterval_s = 0.1;

// Asked once: a campaign makes an observer per solve, thousands a second.
bool stderr_is_terminal() {
  static const bool terminal = isatty(STDERR_FILENO) == 1;
  return terminal;
}

std::atomic<bool> progress_shown{true};

}  // namespace

void show_solver_progress(bool shown) { progress_shown = shown; }

ConsoleObserver::ConsoleObserver(std::string solver) : solver_(std::move(solver)), terminal_(stderr_is_terminal()) {}

ConsoleObserver::~ConsoleObserver() { end_status_line(); }

void ConsoleObserver::on_progress(const SolveProgress& progress) {
  if (!terminal_ || !progress_shown) return;
  if (progress.step != progress.steps && progress.elapsed_s - last_shown_s_ < kMinimumInterval_s) return;
  last_shown_s_ = progress.elapsed_s;
  // The trailing spaces wipe the tail of a longer previous line.
  std::fprintf(stderr, "\r%.*s   ", static_cast<int>(progress.status.size()), progress.status.data());
  std::fflush(stderr);
  status_shown_ = true;
}

void ConsoleObserver::on_message(Severity severity, std::string_view message) {
  end_status_line();
  std::fprintf(stderr, "%s: %s%.*s\n", solver_.c_str(), severity == Severity::warning ? "warning: " : "",
               static_cast<int>(message.size()), message.data());
}

void ConsoleObserver::end_status_line() {
  if (status_shown_) std::fputc('\n', stderr);
  status_shown_ = false;
}

}  // namespace geoinv
