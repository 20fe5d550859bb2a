#!/usr/bin/env bash
# Checks the tools `npm run local` and `npm test` need, says what to install for each one
# missing, then runs `npm ci` when node_modules is missing or does not match package-lock.json.
#
# Usage: scripts/check-prereqs.sh [--for local|test] [--no-install]
#   --for local   Node.js, npm, Terraform, Python 3 with moto[server] (the default)
#   --for test    the same and shellcheck
#   --no-install  report a missing or stale node_modules instead of running `npm ci`
set -euo pipefail

purpose=local
install=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --for)
      purpose="${2:-}"
      shift 2 || true
      ;;
    --for=*)
      purpose="${1#--for=}"
      shift
      ;;
    --no-install)
      install=false
      shift
      ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "check-prereqs: unknown argument '$1'; accepted: --for local|test, --no-install." >&2
      exit 2
      ;;
  esac
done
if [[ "$purpose" != local && "$purpose" != test ]]; then
  echo "check-prereqs: --for must be 'local' or 'test'; got '$purpose'." >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIN_NODE=20.9.0
# Write-only arguments need 1.11 (lib/terraform/required-version.ts says the same to Terraform).
MIN_TERRAFORM=1.11.0
problems=()

# version_at_least HAVE WANT: true when HAVE >= WANT (dotted numbers).
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

if ! command -v node >/dev/null 2>&1; then
  problems+=("Node.js >= $MIN_NODE is not installed: install it from https://nodejs.org or your package manager (Debian: a current nodejs package, e.g. from NodeSource).")
else
  node_version="$(node -p 'process.versions.node')"
  if ! version_at_least "$node_version" "$MIN_NODE"; then
    problems+=("Node.js $node_version is too old: install Node.js >= $MIN_NODE.")
  fi
  if ! command -v npm >/dev/null 2>&1; then
    problems+=("npm is not installed: install the npm that comes with Node.js >= $MIN_NODE.")
  fi
fi

if ! command -v terraform >/dev/null 2>&1; then
  problems+=("Terraform >= $MIN_TERRAFORM is not installed: install it from https://developer.hashicorp.com/terraform/install (a single binary on PATH).")
else
  tf_version="$(terraform version 2>/dev/null | sed -n '1s/^Terraform v\([0-9][0-9.]*\).*/\1/p')"
  if [[ -z "$tf_version" ]] || ! version_at_least "$tf_version" "$MIN_TERRAFORM"; then
    problems+=("Terraform ${tf_version:-of unknown version} is too old: install Terraform >= $MIN_TERRAFORM (the stacks' write-only arguments need 1.11).")
  fi
fi

if ! command -v python3 >/dev/null 2>&1; then
  problems+=("Python 3 is not installed: install python3 (Debian: apt-get install python3 python3-pip), then: python3 -m pip install 'moto[server]'.")
elif ! python3 -c 'import moto.server' >/dev/null 2>&1; then
  problems+=("The AWS emulator moto is not installed for $(command -v python3): run python3 -m pip install 'moto[server]' (moto 5.x).")
fi

if [[ "$purpose" == test ]] && ! command -v shellcheck >/dev/null 2>&1; then
  problems+=("shellcheck is not installed (the test command lints the shell scripts): Debian/Ubuntu: apt-get install shellcheck; macOS: brew install shellcheck.")
fi

if [[ ${#problems[@]} -gt 0 ]]; then
  echo "Missing prerequisites for 'npm $([[ "$purpose" == test ]] && echo test || echo 'run local')':" >&2
  for problem in "${problems[@]}"; do
    echo "  - $problem" >&2
  done
  exit 1
fi

# node_modules is current when npm's record of what it installed (node_modules/.package-lock.json)
# has every package of package-lock.json at the same version; optional packages for other
# platforms are never installed and do not count.
node_modules_state() {
  # shellcheck disable=SC2016 # JavaScript, not shell expansions
  node -e '
    const fs = require("node:fs");
    const [lockFile, installedFile] = process.argv.slice(1);
    if (!fs.existsSync(installedFile)) { console.log("missing"); process.exit(0); }
    const wanted = JSON.parse(fs.readFileSync(lockFile, "utf8")).packages ?? {};
    const have = JSON.parse(fs.readFileSync(installedFile, "utf8")).packages ?? {};
    const same = (a, b) => a.version === b.version && (a.link ?? false) === (b.link ?? false);
    for (const [name, entry] of Object.entries(wanted)) {
      if (name === "") continue;
      const installed = have[name];
      if (!installed) { if (entry.optional) continue; console.log(`stale (${name} not installed)`); process.exit(0); }
      if (!same(entry, installed)) { console.log(`stale (${name} differs)`); process.exit(0); }
    }
    for (const name of Object.keys(have)) {
      if (!(name in wanted)) { console.log(`stale (${name} not in package-lock.json)`); process.exit(0); }
    }
    console.log("current");
  ' "$root/package-lock.json" "$root/node_modules/.package-lock.json"
}

state="$(node_modules_state)"
if [[ "$state" != current ]]; then
  if [[ "$install" != true ]]; then
    echo "node_modules is $state: run npm ci." >&2
    exit 1
  fi
  echo "node_modules is $state: running npm ci" >&2
  (cd "$root" && npm ci --no-audit --no-fund)
fi
