// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Ctrl-C during a campaign (docs/campaigns.md, "Interrupting and resuming"). While an InterruptionGuard
// lives, SIGINT and SIGTERM only set a flag: the run queue hands out no more runs, the executor stops its
// workers (worker processes are killed, solver threads finish the run they hold), the rows already
// received are written whole, and run_campaign returns a report saying how many runs are safely written
// and the exact --resume command. The handlers reset themselves: a second Ctrl-C ends the process at
// once (results.csv then holds whole runs and at most a torn tail, which --resume drops).
namespace geoinv {

class InterruptionGuard {
 public:
  InterruptionGuard();   // installs the handlers and clears the flag
  ~InterruptionGuard();  // restores the previous handlers
  InterruptionGuard(const InterruptionGuard&) = delete;
  InterruptionGuard& operator=(const InterruptionGuard&) = delete;
};

// Whether SIGINT or SIGTERM arrived while a guard lived (async-signal-safe to read).
bool interruption_requested();

}  // namespace geoinv
