#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Adds an SPDX licence line to every tracked source file that lacks one (the files
# tools/check_spdx_headers.sh names), as its first line, or after the shebang (and a Python encoding
# line) where there is one:
#   // SPDX-License-Identifier: BSD-3-Clause    in *.cpp *.hpp *.h
#   # SPDX-License-Identifier: BSD-3-Clause     in *.cmake, CMakeLists.txt, *.sh, *.py (their comment)
# Running it again changes nothing. Files keep their permissions.
#
# Usage: tools/add_spdx_headers.sh [--root DIR] [--license SPDX-ID]
#   --root DIR        the repository (default: the one holding this script)
#   --license ID      the SPDX identifier (default: BSD-3-Clause, the licence in LICENSE)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
license="BSD-3-Clause"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --root) root="${2:?--root needs a folder}"; shift 2 ;;
    --license) license="${2:?--license needs an SPDX identifier}"; shift 2 ;;
    *) echo "add_spdx_headers.sh: unknown argument '$1' (valid: --root DIR, --license ID)" >&2; exit 2 ;;
  esac
done

# The number of leading lines that must stay first: a shebang, and a Python encoding line after it.
lines_to_keep_first() {
  local file="$1" kept=0
  local first second
  first="$(sed -n 1p "$file")"
  second="$(sed -n 2p "$file")"
  [[ "$first" == '#!'* ]] && kept=1
  if [[ "$file" == *.py ]]; then
    local encoding='^#.*coding[:=]'
    if [[ $kept -eq 1 && "$second" =~ $encoding ]]; then kept=2
    elif [[ $kept -eq 0 && "$first" =~ $encoding ]]; then kept=1; fi
  fi
  echo "$kept"
}

# The whole run is one function, read by bash before it starts: this script is itself a tracked .sh file
# it may edit. The list is complete before the first file changes.
main() {
  local files file path line keep updated added=0
  mapfile -t files < <("$here/check_spdx_headers.sh" --root "$root" --list)
  for file in "${files[@]}"; do
    path="$root/$file"
    case "$file" in
      *.cpp | *.hpp | *.h) line="// SPDX-License-Identifier: $license" ;;
      *) line="# SPDX-License-Identifier: $license" ;;
    esac
    keep="$(lines_to_keep_first "$path")"
    updated="$(mktemp)"
    { head -n "$keep" "$path"; printf '%s\n' "$line"; tail -n "+$((keep + 1))" "$path"; } >"$updated"
    cat "$updated" >"$path"  # written in place, so the file keeps its mode
    rm -f "$updated"
    added=$((added + 1))
  done
  echo "added an SPDX-License-Identifier line to $added file(s)"
}

main; exit  # on one line: bash has read it whole before main can edit this file
