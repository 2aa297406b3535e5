// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One writer per output folder (docs/campaigns.md, "One writer per folder"). Every command that writes a
// result folder — `geoinv run` (the run folder it renames into place), `geoinv campaign` (also with
// --resume, and rank 0 of an MPI campaign), `geoinv collect --out`, `geoinv plot` (it rewrites the
// figures) — holds an advisory lock on it while it writes:
//
//   - The lock is flock(LOCK_EX | LOCK_NB) on the file `<folder>.lock` beside the folder (beside, not
//     inside, because a run folder is renamed into place as a whole and a campaign folder must hold only
//     its own files). The file holds "pid <pid> host <host>" of the holder.
//   - A second writer is refused at once with an io Error naming the folder and the holder's pid and
//     host; it never waits.
//   - The kernel releases the lock when the holder dies (kill -9 included), so a killed holder never
//     blocks the next writer; its leftover lock file is simply locked again.
//   - The holder removes the lock file when it releases it. A writer that locked a file just removed
//     this way notices (the path no longer names the file it locked) and locks the new one.
//   - Within one process the lock is re-entrant: `geoinv campaign` holds its folder and draws the
//     figures at its end, which takes the same folder's lock again.
//
// Advisory: it orders geoinv processes only; on NFS flock is emulated with fcntl locks (Linux >= 2.6.12).
#include <filesystem>
#include <string>

namespace geoinv {

class FolderLock {
 public:
  // Locks `folder` (which need not exist yet; its parent must, or is created). Throws geoinv::Error (io)
  // "another geoinv process (pid P on host H) is writing this folder" naming the folder when it is held
  // elsewhere, or naming the folder (and the lock file's name) when the lock file cannot be created.
  explicit FolderLock(const std::filesystem::path& folder);
  ~FolderLock();  // releases: removes the lock file, then closes it
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  // The lock file of `folder`: `<folder>.lock` (a trailing separator ignored).
  static std::filesystem::path lock_file(const std::filesystem::path& folder);

 private:
  std::filesystem::path file_;
  int fd_ = -1;  // -1: this process held the folder already (a nested lock)
};

}  // namespace geoinv
