#!/usr/bin/env bash
# Runs every test: installs the dependencies, builds, then runs ctest (the doctest suites, the
# conformance vectors of ../shared/conformance through `passline conform`, the CLI tests and
# the examples). ctest's summary is the last thing printed; the exit code is ctest's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-deps.sh
scripts/build.sh

status=0
ctest --test-dir build --output-on-failure || status=$?
exit "$status"
