#!/usr/bin/env bash
# Validates an OpenAPI document with @seriousme/openapi-schema-validator (the official OpenAPI
# 3.0/3.1 JSON schemas), installed from package-lock.json into tools/openapi/node_modules on
# first use (`npm ci`). Used by ctest (openapi_validate) and by hand:
#   tools/openapi/check.sh [docs/openapi.json]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
doc="${1:-$here/../../docs/openapi.json}"
if ! command -v npm >/dev/null 2>&1; then
  echo "openapi check: npm is not installed (scripts/install-deps.sh installs nodejs and npm)" >&2
  exit 1
fi
if [[ ! -x "$here/node_modules/.bin/validate-api" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
out=$("$here/node_modules/.bin/validate-api" "$doc")
echo "$out"
grep -q '"valid": true' <<<"$out"
