#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Renders report.html of run and campaign folders to PNG with headless Chromium (Debian's `chromium`),
# to look at a report as a reader sees it: layout, tables that scroll, figures.
#
#   tools/screenshot_reports.sh OUT_DIR FOLDER...   screenshots of FOLDER/report.html -> OUT_DIR/<name>.png
#   tools/screenshot_reports.sh OUT_DIR             first makes a demo run (configs/field/
#                                                   kalava_inclined_sheet.yaml, the 49-station field
#                                                   profile) and a small campaign (configs/campaigns/
#                                                   seed_study.yaml with 3 replicates) in OUT_DIR/folders
#
# Environment: GEOINV_BUILD_DIR (default <checkout>/build), CHROMIUM (default chromium), WIDTH (1280
# pixels), HEIGHT (page height captured, 5000 pixels), FIGURE_FORMATS (default png,svg). A tools/ script,
# not a CTest test: CI does not install Chromium (tools/bootstrap.sh).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${GEOINV_BUILD_DIR:-${checkout}/build}"
geoinv="${build_dir}/bin/geoinv"
chromium="${CHROMIUM:-chromium}"
width="${WIDTH:-1280}"
height="${HEIGHT:-5000}"
formats="${FIGURE_FORMATS:-png,svg}"

[[ $# -ge 1 ]] || { sed -n '3,13p' "$0" >&2; exit 2; }
out="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
command -v "${chromium}" >/dev/null || { echo "screenshot_reports: ${chromium} not found (apt-get install chromium)" >&2; exit 2; }

folders=("$@")
if [[ ${#folders[@]} -eq 0 ]]; then
  [[ -x "${geoinv}" ]] || { echo "screenshot_reports: ${geoinv} not found; build first" >&2; exit 2; }
  demo="${out}/folders"
  mkdir -p "${demo}"
  "${geoinv}" run "${checkout}/configs/field/kalava_inclined_sheet.yaml" --out "${demo}/run" --overwrite \
    --figure-formats "${formats}" --quiet
  sed -e "s|^base: \.\./\.\./|base: ${checkout}/|" -e 's/^  replicates: 100/  replicates: 3/' \
    "${checkout}/configs/campaigns/seed_study.yaml" > "${demo}/campaign.yaml"
  rm -rf "${demo}/campaign"
  "${geoinv}" campaign "${demo}/campaign.yaml" --out "${demo}/campaign" --jobs 2 --quiet \
    --figure-formats "${formats}" > /dev/null
  folders=("${demo}/run" "${demo}/campaign")
fi

for folder in "${folders[@]}"; do
  report="$(cd "${folder}" && pwd)/report.html"
  [[ -f "${report}" ]] || { echo "screenshot_reports: no ${report} (geoinv plot ${folder} writes it)" >&2; exit 2; }
  png="${out}/$(basename "${folder}").png"
  "${chromium}" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size="${width},${height}" \
    --screenshot="${png}" "file://${report}" 2>/dev/null
  echo "${png}"
done
