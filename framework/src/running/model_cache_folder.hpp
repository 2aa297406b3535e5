// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The private folder where a process keeps the models it trains (run folders keep copies of the models
// they used, so the folder is scratch space).
//
// Its name, geoinv-models-<pid>-XXXXXX, is made by mkdtemp: unpredictable, created with mode 0700, so
// no other user can plant or read a model in it. The pid in the name lets a later process recognise a
// folder left behind by one that was killed (kill -9, an MPI rank torn down): before creating its own,
// a process removes every such folder of the same user whose process no longer runs.
#include <filesystem>

namespace geoinv {

// Removes, in `temp`, the folders geoinv-models-<pid>-* owned by this user whose process <pid> is gone.
// Folders of running processes, of other users, and anything that cannot be removed are left alone.
// Returns how many folders were removed.
int remove_stale_model_cache_folders(const std::filesystem::path& temp);

// Creates `temp`/geoinv-models-<pid>-XXXXXX (mode 0700) after removing the stale ones; throws an io
// Error naming the folder and the system's reason when it cannot.
std::filesystem::path create_model_cache_folder(const std::filesystem::path& temp);

}  // namespace geoinv
