// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// wedge_summary.csv: the resolved thickness (wedge_resolution.hpp) of each solver on a wedge campaign,
// one row per solver and combination of the other sweep keys (e.g. noise levels), from the kept run
// folders' estimates (keep_details: all).
//
// A campaign is a wedge campaign when one of its sweep keys is <model>.<block>.wedge.thickness, the
// block value form of docs/experiment-schema.md ("Parameter blocks"); the wedge's top and amplitudes come
// from the base experiment (base.yaml), or from the sweep when it sweeps them too. Columns:
//
//   <other sweep keys>, solver, traces, resolved_thickness
//
// `traces` counts the runs whose folder was kept and whose solver did not fail (a failed solver's trace
// counts as unresolved); resolved_thickness is in samples, empty when the thickest trace is unresolved.
#include <filesystem>

namespace geoinv {

// Writes DIR/wedge_summary.csv atomically when DIR holds a wedge campaign; does nothing otherwise.
// Returns whether it wrote the file.
bool write_wedge_summary(const std::filesystem::path& dir);

}  // namespace geoinv
