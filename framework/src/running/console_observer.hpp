// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The host's SolveObserver for a solver run from the command line: progress as one status line on stderr,
// rewritten in place with \r, when stderr is a terminal (silent otherwise: logs and CI get no carriage
// returns); messages as whole lines on stderr, always.
#include <string>
#include <string_view>

#include "geoinv/solve_observer.hpp"

namespace geoinv {

// Whether solvers' progress lines are shown on a terminal (default: shown). `--quiet` turns them off for
// the whole process, whose one console it is; messages and warnings are shown either way.
void show_solver_progress(bool shown);

class ConsoleObserver final : public SolveObserver {
 public:
  // `solver` names the plugin in messages: "dls: warning: ...".
  explicit ConsoleObserver(std::string solver);
  // Ends a status line left on the terminal.
  ~ConsoleObserver() override;
  ConsoleObserver(const ConsoleObserver&) = delete;
  ConsoleObserver& operator=(const ConsoleObserver&) = delete;

  // At most ten updates a second (by the solver's own clock), and always the last step.
  void on_progress(const SolveProgress& progress) override;
  void on_message(Severity severity, std::string_view message) override;

 private:
  void end_status_line();

  std::string solver_;
  bool terminal_;
  bool status_shown_ = false;
  double last_shown_s_ = -1.0;
};

}  // namespace geoinv
