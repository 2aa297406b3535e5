#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The .deb end to end, as a lab installs it (tests/package/CMakeLists.txt registers it, label `package`):
#
#   1. `cpack -G DEB` on the (already built) build tree, into --work-dir;
#   2. check the package's contents and declared dependencies (dpkg-deb);
#   3. install it with `dpkg -i`, run the seed example from the installed files only
#      (/usr/bin/geoinv run /usr/share/geoinv/configs/seed_sphere_dls.yaml) and check it reaches the
#      seed minimum (check_seed_minimum.cmake), and with --python (a build with the Python module) the
#      same from the installed module geoinv;
#   4. remove it (`dpkg --purge`: `dpkg -r` and dpkg's record of it), also when a step fails, so the
#      machine is as before.
#
# Installing needs root: otherwise, or when geoinv is already installed in /usr (a package or a
# `cmake --install --prefix /usr`, which this test would replace and then remove), it skips with exit 77.
set -euo pipefail

build_dir="" work_dir="" cmake="cmake" cpack="cpack" version="" python="none"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2" ;;
    --work-dir) work_dir="$2" ;;
    --cmake) cmake="$2" ;;
    --cpack) cpack="$2" ;;
    --version) version="$2" ;;
    --python) python="$2" ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n "$build_dir" && -n "$work_dir" && -n "$version" ]] || {
  echo "usage: $0 --build-dir DIR --work-dir DIR --version X.Y.Z [--cmake CMAKE] [--cpack CPACK] [--python PYTHON|none]" >&2
  exit 2
}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIPPED: %s\n' "$*"; exit 77; }

[[ "$(id -u)" -eq 0 ]] || skip "installing the .deb needs root (dpkg -i); run as root, as CI does"
command -v dpkg >/dev/null || skip "dpkg not found: not a Debian system"
if dpkg-query -W -f='${Status}' geoinv 2>/dev/null | grep -q "install ok installed"; then
  skip "a geoinv package is installed already; this test would replace it, then remove it"
fi
[[ ! -e /usr/bin/geoinv ]] || skip "/usr/bin/geoinv exists already; this test would replace it"
[[ -f "$build_dir/CPackConfig.cmake" ]] || fail "$build_dir has no CPackConfig.cmake: not a geoinv build folder"

rm -rf "$work_dir"
mkdir -p "$work_dir"
cd "$work_dir"  # nothing may depend on the working folder

step "cpack -G DEB"
if ! "$cpack" -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work_dir/packages" >"$work_dir/cpack.log" 2>&1; then
  cat "$work_dir/cpack.log" >&2
  fail "cpack -G DEB (log: $work_dir/cpack.log)"
fi
deb="$(find "$work_dir/packages" -maxdepth 1 -name "geoinv_${version}_*.deb" | head -n 1)"
[[ -n "$deb" ]] || fail "no geoinv_${version}_*.deb in $work_dir/packages (cpack.log: $work_dir/cpack.log)"
echo "$deb"

step "contents and dependencies"
dpkg-deb --field "$deb" Package Version Depends Recommends | tee "$work_dir/fields.txt"
grep -q "^Depends: .*libyaml-cpp" "$work_dir/fields.txt" || fail "Depends does not name libyaml-cpp"
grep -q "^Recommends: .*gnuplot" "$work_dir/fields.txt" || fail "Recommends does not name gnuplot"
dpkg-deb --contents "$deb" | awk '{print $NF}' >"$work_dir/contents.txt"
for pattern in '^\./usr/bin/geoinv$' '/libgeoinv\.so' '/libgeoinv_host\.so' '/geoinv/plugins/geoinv_sphere\.so$' \
               '/geoinv/plugins/geoinv_dls\.so$' '^\./usr/include/geoinv/plugin\.hpp$' \
               '/cmake/geoinv/geoinvConfig\.cmake$' '^\./usr/share/geoinv/configs/seed_sphere_dls\.yaml$' \
               '^\./usr/share/geoinv/data/seed/sp_syn_data\.csv$' \
               '^\./usr/share/geoinv/examples/custom_geometry/CMakeLists\.txt$' \
               '^\./usr/share/doc/geoinv/README\.md$' '^\./usr/share/doc/geoinv/LICENSE$' \
               '^\./usr/share/doc/geoinv/docs/packaging\.md$' '^\./usr/share/man/man1/geoinv\.1$' \
               '^\./usr/share/bash-completion/completions/geoinv$'; do
  grep -q -- "$pattern" "$work_dir/contents.txt" || fail "the package holds nothing matching $pattern"
done
! grep -q "test-plugins\|_test$\|geoinv_no_jacobian" "$work_dir/contents.txt" || fail "test files in the package"
if [[ "$python" != none ]]; then  # a build with the Python module (GEOINV_BUILD_PYTHON) packages it
  for pattern in '^\./usr/lib/python3/dist-packages/geoinv/__init__\.py$' '^\./usr/lib/python3/dist-packages/geoinv/_geoinv'; do
    grep -q -- "$pattern" "$work_dir/contents.txt" || fail "the package holds nothing matching $pattern"
  done
fi

installed=0
remove_package() {
  [[ $installed -eq 1 ]] || return 0
  step "dpkg --purge geoinv"
  dpkg --purge geoinv >"$work_dir/remove.log" 2>&1 ||
    { cat "$work_dir/remove.log" >&2; echo "dpkg --purge geoinv failed" >&2; }
}
trap remove_package EXIT

step "dpkg -i"
installed=1
if ! dpkg -i "$deb" >"$work_dir/install.log" 2>&1; then
  cat "$work_dir/install.log" >&2
  fail "dpkg -i $deb"
fi

step "the seed example from the installed files only"
# No plugin from the caller's environment or user folder: the installed ones, found beside libgeoinv.
run_env=(env -u GEOINV_PLUGIN_PATH XDG_DATA_HOME="$work_dir/no-user-data")
"${run_env[@]}" /usr/bin/geoinv --version
"${run_env[@]}" /usr/bin/geoinv plugins | tee "$work_dir/plugins.txt"
grep -q "^sphere .*/usr/lib/.*geoinv/plugins/geoinv_sphere\.so$" "$work_dir/plugins.txt" ||
  fail "the installed geoinv does not list the installed sphere plugin"
"${run_env[@]}" /usr/bin/geoinv run /usr/share/geoinv/configs/seed_sphere_dls.yaml --out "$work_dir/seed"
"$cmake" -DRESULT="$work_dir/seed/result.json" -P "$here/check_seed_minimum.cmake"
if [[ "$python" != none ]]; then
  step "import geoinv from the installed package"
  (cd "$work_dir" && PYTHONPATH= "${run_env[@]}" "$python" -c 'import geoinv
r = geoinv.run("/usr/share/geoinv/configs/seed_sphere_dls.yaml")["dls"]
assert abs(r.estimate["h"] - 42.7766) < 1e-3, r.estimate
print("installed geoinv module:", geoinv.__file__, r.estimate)') || fail "the installed Python module does not run the seed"
fi

remove_package
installed=0
[[ ! -e /usr/bin/geoinv && ! -e /usr/share/geoinv ]] || fail "dpkg --purge left geoinv's files behind"
! dpkg-query -W geoinv >/dev/null 2>&1 || fail "dpkg still records a geoinv package after --purge"
echo "the package installs, runs the seed example and removes cleanly"
