#!/usr/bin/env bash
# Runs every test: installs the dependencies, builds, then runs ctest (the doctest suites, the
# conformance vectors of ../shared/conformance through `passline conform`, the CLI tests and
# the examples). ctest's summary is the last thing printed; the exit code is ctest's.
# With CI=true the build treats warnings as errors (PASSLINE_WERROR).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
# Warnings are errors in CI (CI=true), where the toolchain is Debian 12's GCC 12; elsewhere the
# cached choice stands (default OFF). PASSLINE_WERROR=ON|OFF in the environment overrides both.
werror=${PASSLINE_WERROR:-}
if [[ -z "$werror" && ${CI:-} == true ]]; then werror=ON; fi
scripts/build.sh ${werror:+-DPASSLINE_WERROR="$werror"}

# As many tests at once as there are cores: each suite that starts a server or PostgreSQL takes a
# free loopback port and its own temporary directory, so they do not collide (CI: 2 cores).
status=0
ctest --test-dir build --output-on-failure -j"$(nproc)" || status=$?
exit "$status"
