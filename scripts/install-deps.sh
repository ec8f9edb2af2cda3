#!/usr/bin/env bash
# Installs, from Debian 12's own archive, everything passline needs to build and test.
# Idempotent: when every package is already installed it changes nothing and needs no network.
# Runs apt-get as root, through sudo when not root.
set -euo pipefail

packages=(
  build-essential cmake git ca-certificates
  libboost-dev          # Boost.Multiprecision (header-only)
  libssl-dev            # SHA-256 of rule packs and the audit log
  nlohmann-json3-dev    # case and decision JSON
  libyaml-cpp-dev       # rule pack files
  doctest-dev           # tests
  libsoci-dev libsqlite3-dev sqlite3   # storage adapter (adapters/sql)
  postgresql                           # the PostgreSQL backend's tests start a real server
  libpoco-dev                          # HTTP adapter (adapters/http)
  # CI's extra checks (scripts/ci-checks.sh): the fuzz harnesses build with Clang and link
  # libFuzzer, whose runtime (libclang_rt.fuzzer-x86_64.a) is in libclang-rt-14-dev; the
  # formatting check runs clang-format-14.
  clang-14 libclang-rt-14-dev clang-format-14
  # The web console's browser suite (ctest console_e2e, console/test/e2e.mjs) drives Debian's
  # Chromium headless through playwright-core (no browser download); a Korean font so the
  # screenshots it writes show Hangul rather than boxes.
  chromium fonts-nanum
)
# The OpenAPI document's validator (tools/openapi) and the web console's build (console/: npm ci
# from its lockfile, then esbuild; PASSLINE_CONSOLE, on by default) run on Node.js from npm. A machine that has
# npm already (say, NodeSource's nodejs, which bundles it and conflicts with Debian's npm)
# keeps it; a bare one gets Debian's nodejs and npm.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# Refresh the package lists first: a fresh machine ships with none, an old one with stale ones.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update

echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
