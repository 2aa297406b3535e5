#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The SDK end to end, as a researcher meets it (tests/sdk/CMakeLists.txt registers it with CTest):
#
#   1. `cmake --install` the (already built) geoinv build tree into a scratch prefix;
#   2. check the installed layout, RUNPATHs, and that the installed CLI finds the installed plugins;
#   3. configure and build examples/custom_geometry against that prefix (find_package(geoinv)), warnings
#      as failures, and run its own checks (ctest);
#   4. load the new plugin by path (--plugin-path, plugin_paths:, GEOINV_PLUGIN_PATH) into the installed
#      CLI: `plugins`, `describe` (prints example.yaml verbatim), `validate`, and `run` example.yaml,
#      whose result.json must say converged with every estimate near the synthetic truth;
#   5. install the example into the same prefix and find it there with no path at all;
#   6. the same for the solver example (--solver-example-dir, examples/custom_solver): build it against
#      the prefix, `describe` prints its example.yaml verbatim, and its Nelder-Mead run of example.yaml
#      converges with every estimate near the truth.
#
# geoinv itself is never rebuilt. Everything goes to --work-dir, emptied first and left for inspection.
set -euo pipefail

build_dir="" config="" example_dir="" solver_example_dir="" work_dir="" libdir="lib" cmake="cmake" ctest="ctest" generator=""
cxx_compiler=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2" ;;
    --config) config="$2" ;;
    --example-dir) example_dir="$2" ;;
    --solver-example-dir) solver_example_dir="$2" ;;
    --work-dir) work_dir="$2" ;;
    --libdir) libdir="$2" ;;
    --cmake) cmake="$2" ;;
    --ctest) ctest="$2" ;;
    --generator) generator="$2" ;;
    --cxx-compiler) cxx_compiler="$2" ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -n "$build_dir" && -n "$example_dir" && -n "$work_dir" ]] || {
  echo "usage: $0 --build-dir DIR --example-dir DIR --work-dir DIR [--solver-example-dir DIR] [--config C] [--libdir lib]" \
       "[--cmake CMAKE] [--ctest CTEST] [--generator G] [--cxx-compiler CXX]" >&2
  exit 2
}

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
# Runs a command with its output in a log file; on failure prints the log and fails.
logged() {
  local log="$1"; shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$* (log: $log)"
  fi
}
# listed NAME FILE LISTING: whether the `geoinv plugins` output in LISTING has plugin NAME from FILE.
listed() { awk -v name="$1" -v file="$2" '$1 == name && $4 == file {found = 1} END {exit !found}' "$3"; }

# Plugins must come from where this test says, not from the caller's environment.
unset GEOINV_PLUGIN_PATH

step "geoinv build tree: $build_dir"
[[ -f "$build_dir/CMakeCache.txt" ]] || fail "$build_dir is not a CMake build folder"
for file in "$build_dir/bin/geoinv" "$build_dir/$libdir/geoinv/plugins/geoinv_sphere.so" \
            "$build_dir/$libdir/geoinv/plugins/geoinv_dls.so"; do
  [[ -e "$file" ]] || fail "$file is missing: build geoinv first (cmake --build $build_dir), then run ctest"
done

rm -rf "$work_dir"
mkdir -p "$work_dir"
prefix="$work_dir/prefix"
example_build="$work_dir/build"
cd "$work_dir"  # nothing may depend on the working folder; this one holds nothing geoinv would find

step "install geoinv into $prefix"
logged "$work_dir/install.log" \
  "$cmake" --install "$build_dir" --prefix "$prefix" ${config:+--config "$config"}
geoinv="$prefix/bin/geoinv"
plugin_dir="$prefix/$libdir/geoinv/plugins"
package_dir="$prefix/$libdir/cmake/geoinv"
for file in "$geoinv" "$prefix/$libdir/libgeoinv.so" \
            "$plugin_dir/geoinv_sphere.so" "$plugin_dir/geoinv_dls.so" \
            "$package_dir/geoinvConfig.cmake" "$package_dir/geoinvConfigVersion.cmake" \
            "$package_dir/geoinvTargets.cmake" "$package_dir/GeoinvPlugin.cmake" \
            "$prefix/include/geoinv/forward_model.hpp" "$prefix/include/geoinv/plugin.hpp" \
            "$prefix/include/geoinv/learning_solver.hpp" "$prefix/include/geoinv/solve_observer.hpp"; do
  [[ -e "$file" ]] || fail "not installed: $file"
done
# Performance internals stay in the source tree: a plugin sees the plugin API only.
[[ ! -e "$prefix/include/geoinv/simd.hpp" && -z "$(find "$prefix/include" -name 'simd*')" ]] ||
  fail "simd.hpp was installed; it is internal to geoinv (framework/src/simd)"
if command -v readelf >/dev/null; then
  readelf -d "$geoinv" | grep -q "R.*PATH.*\[\$ORIGIN/../$libdir\]" ||
    fail "the installed CLI's RUNPATH is not \$ORIGIN/../$libdir: $(readelf -d "$geoinv" | grep PATH || true)"
  plugin_runpath=$(readelf -d "$plugin_dir/geoinv_sphere.so" | grep PATH || true)
  grep -q "\[\$ORIGIN/\.\./\.\./*\]" <<<"$plugin_runpath" ||
    fail "an installed plugin's RUNPATH is not \$ORIGIN/../..: $plugin_runpath"
fi
if command -v ldd >/dev/null; then
  # The installed CLI and plugins resolve the installed libgeoinv, not the build tree's.
  for file in "$geoinv" "$plugin_dir/geoinv_sphere.so"; do
    resolved=$(ldd "$file" | awk '$1 ~ /^libgeoinv\.so/ {print $3}')
    [[ "$(realpath "$resolved")" == "$(realpath "$prefix/$libdir")"/libgeoinv.so* ]] ||
      fail "$file resolves libgeoinv to '$resolved', not the one in $prefix/$libdir"
  done
fi
"$geoinv" --version

step "the installed CLI finds the installed plugins (beside the installed libgeoinv)"
"$geoinv" plugins --verbose | tee "$work_dir/plugins_installed.txt"
for name in sphere dls; do
  listed "$name" "$plugin_dir/geoinv_$name.so" "$work_dir/plugins_installed.txt" ||
    fail "geoinv plugins does not list $name from $plugin_dir"
done

# build_example SOURCE BUILD LOG_PREFIX: configures SOURCE against the installed geoinv into BUILD and
# builds it (-j2); a CMake warning or a compiler warning fails, and so does a geoinv found elsewhere.
build_example() {
  local source="$1" build="$2" log="$work_dir/$3"
  step "configure $source against the installed geoinv"
  local configure_args=(-S "$source" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
                        -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DCMAKE_INSTALL_PREFIX="$prefix"
                        -DCMAKE_INSTALL_LIBDIR="$libdir")
  [[ -n "$generator" ]] && configure_args+=(-G "$generator")
  [[ -n "$cxx_compiler" ]] && configure_args+=(-DCMAKE_CXX_COMPILER="$cxx_compiler")
  logged "$log-configure.log" "$cmake" "${configure_args[@]}"
  cat "$log-configure.log"
  ! grep -q "CMake Warning" "$log-configure.log" || fail "configuring $source warns (configure log above)"
  local found_dir
  found_dir=$(sed -n 's/^geoinv_DIR:PATH=//p' "$build/CMakeCache.txt")
  [[ "$(realpath "$found_dir")" == "$(realpath "$prefix/$libdir/cmake/geoinv")" ]] ||
    fail "find_package(geoinv) found $found_dir, not the install in $prefix"
  step "build $source (-j2)"
  logged "$log-build.log" "$cmake" --build "$build" -j2 ${config:+--config "$config"}
  cat "$log-build.log"
  ! grep -qi "warning:" "$log-build.log" || fail "building $source warns (build log above)"
}

build_example "$example_dir" "$example_build" geometry
plugin_file="$example_build/geoinv_finite_vertical_cylinder.so"
[[ -f "$plugin_file" ]] || fail "the example did not build $plugin_file"

step "the example's own checks (ctest in its build folder)"
(cd "$example_build" && "$ctest" --output-on-failure ${config:+-C "$config"})

step "the installed CLI loads the new plugin by path"
"$geoinv" plugins --plugin-path "$example_build" | tee "$work_dir/plugins_by_path.txt"
listed finite_vertical_cylinder "$plugin_file" "$work_dir/plugins_by_path.txt" ||
  fail "geoinv plugins --plugin-path $example_build does not list finite_vertical_cylinder from $plugin_file"
listed sphere "$plugin_dir/geoinv_sphere.so" "$work_dir/plugins_by_path.txt" ||
  fail "the installed plugins went missing with --plugin-path"

"$geoinv" describe finite_vertical_cylinder --plugin-path "$plugin_file" >"$work_dir/describe.txt"
sed -n '1,/^Example experiment:$/p' "$work_dir/describe.txt"
sed '1,/^Example experiment:$/d' "$work_dir/describe.txt" | diff - "$example_dir/example.yaml" ||
  fail "geoinv describe does not print example.yaml verbatim"

# The experiment file's own way: `plugin_paths:` (here through an override).
"$geoinv" validate "$example_dir/example.yaml" --set "plugin_paths=[\"$example_build\"]"
# The environment's.
GEOINV_PLUGIN_PATH="$example_build" "$geoinv" validate "$example_dir/example.yaml"

step "run example.yaml with the installed CLI, the plugin loaded with --plugin-path"
"$geoinv" run "$example_dir/example.yaml" --plugin-path "$example_build" --out "$work_dir/run"
"$cmake" -DRESULT="$work_dir/run/result.json" -DPLUGIN=finite_vertical_cylinder -DTOLERANCE=0.1 \
         -P "$(dirname "${BASH_SOURCE[0]}")/check_result.cmake"

step "install the example into geoinv's prefix: found with no path at all"
logged "$work_dir/install_example.log" "$cmake" --install "$example_build" ${config:+--config "$config"}
cat "$work_dir/install_example.log"
installed_plugin="$plugin_dir/geoinv_finite_vertical_cylinder.so"
[[ -f "$installed_plugin" ]] || fail "the example's plugin was not installed to $installed_plugin"
"$geoinv" plugins | tee "$work_dir/plugins_after_install.txt"
listed finite_vertical_cylinder "$installed_plugin" "$work_dir/plugins_after_install.txt" ||
  fail "geoinv plugins does not list the installed $installed_plugin"
"$geoinv" validate "$example_dir/example.yaml"

if [[ -n "$solver_example_dir" ]]; then
  solver_build="$work_dir/solver_build"
  build_example "$solver_example_dir" "$solver_build" solver
  solver_file="$solver_build/geoinv_nelder_mead.so"
  [[ -f "$solver_file" ]] || fail "the solver example did not build $solver_file"

  step "the installed CLI loads the new solver by path and runs its example"
  "$geoinv" describe nelder_mead --plugin-path "$solver_file" >"$work_dir/describe_solver.txt"
  sed '1,/^Example experiment:$/d' "$work_dir/describe_solver.txt" | diff - "$solver_example_dir/example.yaml" ||
    fail "geoinv describe nelder_mead does not print example.yaml verbatim"
  "$geoinv" run "$solver_example_dir/example.yaml" --plugin-path "$solver_build" --out "$work_dir/solver_run"
  "$cmake" -DRESULT="$work_dir/solver_run/result.json" -DPLUGIN=sphere -DTOLERANCE=0.1 \
           -P "$(dirname "${BASH_SOURCE[0]}")/check_result.cmake"
fi

printf '\nPASSED: geoinv installed, the out-of-tree plugins built against it, loaded and inverted\n'
