#!/usr/bin/env bash
# `npm test`: every check, in order, stopping at the first failure, with each phase's wall time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/check-prereqs.sh --for test
# shellcheck source=scripts/terraform-cli-config.sh
source scripts/terraform-cli-config.sh

# name|command, run in this order (fast before slow); a new tier is one more line.
phases=(
  "lint|npm run --silent lint"
  "shellcheck|shellcheck -x scripts/*.sh .ci/run"
  "typecheck|npm run --silent typecheck"
  "unit|node scripts/run-tests.mjs unit"
  "policy|node scripts/run-tests.mjs policy"
  "emulator|node scripts/run-tests.mjs emulator"
)

timings=()
print_timings() {
  echo
  echo "Phase times:"
  for line in "${timings[@]}"; do
    echo "  $line"
  done
}

total_start=$SECONDS
for phase in "${phases[@]}"; do
  name="${phase%%|*}"
  command="${phase#*|}"
  printf '\n==> %s: %s\n' "$name" "$command"
  start=$SECONDS
  status=0
  bash -c "$command" || status=$?
  elapsed=$((SECONDS - start))
  if [[ "$status" -ne 0 ]]; then
    timings+=("$(printf '%-11s %4d s  FAILED (exit %d)' "$name" "$elapsed" "$status")")
    print_timings
    echo "npm test failed in phase '$name'; later phases did not run." >&2
    exit "$status"
  fi
  timings+=("$(printf '%-11s %4d s' "$name" "$elapsed")")
done
timings+=("$(printf '%-11s %4d s' total $((SECONDS - total_start)))")
print_timings
