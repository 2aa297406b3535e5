#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fails naming every tracked source file without an SPDX licence line (tools/add_spdx_headers.sh adds
# them). Source files: *.cpp *.hpp *.h *.cmake CMakeLists.txt *.sh *.py, as `git ls-files` lists them.
# A file has the line when "SPDX-License-Identifier:" appears in its first three lines (after a shebang
# and, for Python, an encoding line).
#
# Usage: tools/check_spdx_headers.sh [--root DIR] [--list]
#   --root DIR  the repository to check (default: the one holding this script)
#   --list      print the files lacking the line, one per line, and exit 0 (for add_spdx_headers.sh)
# Exit codes: 0 every file has the line (or --list), 1 some lack it, 2 bad usage or not a git checkout.
# Usable as a CTest test: add_test(NAME spdx_headers COMMAND tools/check_spdx_headers.sh --root SRC).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
list_only=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) root="${2:?--root needs a folder}"; shift 2 ;;
    --list) list_only=1; shift ;;
    *) echo "check_spdx_headers.sh: unknown argument '$1' (valid: --root DIR, --list)" >&2; exit 2 ;;
  esac
done
git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  { echo "check_spdx_headers.sh: $root is not a git checkout" >&2; exit 2; }

missing=()
while IFS= read -r -d '' file; do
  case "$file" in
    *.cpp | *.hpp | *.h | *.cmake | CMakeLists.txt | */CMakeLists.txt | *.sh | *.py) ;;
    *) continue ;;
  esac
  [[ -f "$root/$file" ]] || continue  # deleted in the working tree, not yet committed
  head -n 3 "$root/$file" | grep -q 'SPDX-License-Identifier:' || missing+=("$file")
done < <(git -C "$root" ls-files -z)

if [[ $list_only -eq 1 ]]; then
  [[ ${#missing[@]} -eq 0 ]] || printf '%s\n' "${missing[@]}"
  exit 0
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  printf '%s: no SPDX-License-Identifier line (run tools/add_spdx_headers.sh)\n' "${missing[@]}" >&2
  echo "${#missing[@]} tracked source file(s) lack an SPDX-License-Identifier line" >&2
  exit 1
fi
echo "every tracked source file has an SPDX-License-Identifier line"
