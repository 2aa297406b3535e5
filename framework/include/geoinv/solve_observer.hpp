// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// How a solver tells the world how it is doing, without printing: the host hands it an observer in
// SolveContext (as SimPEG hands an inversion its directives, or Ceres a problem its IterationCallback)
// and decides itself what reaches a console, a log or nothing. A plugin never writes to stdout or stderr.
#include <cstdint>
#include <string_view>

#include "geoinv/export.hpp"

namespace geoinv {

enum class Severity {
  info,     // worth knowing: what the solver decided and why (e.g. a fallback it took)
  warning,  // the result may be worse than the user expects (e.g. a prior that barely covers the data)
};

// One step of a long task (a training epoch, an iteration of a slow solver). Everything is a view into
// the caller's memory, valid during the call only.
struct GEOINV_API SolveProgress {
  std::int64_t step = 0;   // 1-based; step == steps on the last step
  std::int64_t steps = 0;  // the planned number of steps (an upper bound when the task may stop early)
  double elapsed_s = 0.0;  // seconds since the task began, measured by the solver
  // One line of status, complete in itself (e.g. "mlp: epoch 12/150  loss 0.0123 ..."): a console host may
  // show it in place of the previous one, so it carries no newline.
  std::string_view status;
};

// The host's listener. The defaults ignore everything, so a host (or a test) overrides only what it
// shows. Calls come from the thread that called solve() or train(), never concurrently for one context.
// A solver may call on_progress as often as once per step: a host that draws a console line throttles
// it itself.
class GEOINV_API SolveObserver {
 public:
  virtual ~SolveObserver();
  virtual void on_progress(const SolveProgress& progress);
  virtual void on_message(Severity severity, std::string_view message);
};

}  // namespace geoinv
