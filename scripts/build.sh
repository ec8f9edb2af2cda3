#!/usr/bin/env bash
# Configures passline into build/ (Release unless CMAKE_BUILD_TYPE is set) and builds it.
# Extra arguments are passed to the configure step, e.g. scripts/build.sh -DPASSLINE_BUILD_BENCH=OFF
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmake -S . -B build -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" "$@"
cmake --build build -j"$(nproc)"
