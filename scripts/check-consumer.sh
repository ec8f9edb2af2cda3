#!/usr/bin/env bash
# Checks that an installed passline works for a project outside the tree (fmt's find-package
# test): configures passline engine-only (no SOCI, Poco or SQLite3 looked up; no tests, no
# benchmarks) into a temporary build directory, installs it to a temporary prefix, then
# configures, builds and runs examples/consumer against that prefix with CMAKE_PREFIX_PATH.
# The consumer decides examples/busan-two-stage.case.json and checks the outcome.
#   scripts/check-consumer.sh [WORK_DIR]   (default: a new directory under build-consumer/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=$PWD

work=${1:-}
if [[ -z "$work" ]]; then
  mkdir -p build-consumer
  work=$(mktemp -d "$src/build-consumer/run.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
build="$work/passline-build" prefix="$work/prefix" consumer="$work/consumer-build"
jobs=$(nproc)

echo "check-consumer: engine-only passline in $build, installed to $prefix"
# CMAKE_DISABLE_FIND_PACKAGE_*: a find_package() of any of these in the engine-only configure
# would be an error.
cmake -S . -B "$build" --no-warn-unused-cli -DCMAKE_BUILD_TYPE=Release \
  -DPASSLINE_WITH_SQL=OFF -DPASSLINE_WITH_HTTP=OFF \
  -DPASSLINE_BUILD_TESTS=OFF -DPASSLINE_BUILD_BENCH=OFF -DPASSLINE_BUILD_FUZZ=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_SOCI=ON -DCMAKE_DISABLE_FIND_PACKAGE_Poco=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON \
  -DPASSLINE_WERROR="${PASSLINE_WERROR:-ON}" >"$work/configure.log" \
  || { cat "$work/configure.log" >&2; exit 1; }
if grep -Eq '^(SOCI|Poco|SQLite3?)_' "$build/CMakeCache.txt"; then
  echo "check-consumer: the engine-only configure looked up SOCI, Poco or SQLite3:" >&2
  grep -E '^(SOCI|Poco|SQLite3?)_' "$build/CMakeCache.txt" >&2
  exit 1
fi
cmake --build "$build" -j"$jobs" --target passline_engine >"$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
# Only the engine is installed: the library, its headers, the package config.
find "$prefix" -type f | sed "s|^$prefix/|  |" | sort

cmake -S examples/consumer -B "$consumer" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >"$work/consumer-configure.log" \
  || { cat "$work/consumer-configure.log" >&2; exit 1; }
cmake --build "$consumer" -j"$jobs" >"$work/consumer-build.log" \
  || { cat "$work/consumer-build.log" >&2; exit 1; }
"$consumer/consumer" examples/busan-two-stage.case.json
echo "check-consumer: OK"
