// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Keeps libtbb mapped until the process ends; called by a plugin that gives pagmo a batch evaluator.
//
// pagmo's bfe checks its input with tbb::parallel_for (pagmo::detail::bfe_check_input_dvs), which starts
// TBB's worker threads, and they outlive the call, asleep in libtbb. The host unloads a plugin when a run
// is over, and with it libpagmo and libtbb when nothing else holds them: a worker that woke afterwards ran
// unmapped code (SIGSEGV at the end of about one run in ten of pso with generational: true). One more
// reference to libtbb, opened RTLD_NODELETE and never closed, keeps its code where its workers are, as in a
// program linked to TBB, whose exit ends them.
#include <dlfcn.h>
#include <oneapi/tbb/task_arena.h>

namespace geoinv::pagmo_glue {

inline void keep_tbb_loaded() {
  static const bool kept = [] {
    Dl_info library;  // the file that holds one of libtbb's exported functions: libtbb itself
    if (dladdr(reinterpret_cast<void*>(&tbb::detail::r1::max_concurrency), &library) == 0 ||
        library.dli_fname == nullptr)
      return false;
    return dlopen(library.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != nullptr;
  }();
  static_cast<void>(kept);
}

}  // namespace geoinv::pagmo_glue
