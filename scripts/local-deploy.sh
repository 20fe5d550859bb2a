#!/usr/bin/env bash
# `npm run local`: deploys the default environment's management stack into the local AWS
# emulator, prints its outputs, destroys it and stops the emulator.
#
# Usage: npm run local [-- --keep | --stop]
#   --keep   (or KEEP=1) leave the emulator and the stack running, and print how to reach them
#   --stop   destroy a kept stack and stop its emulator
# RANCHER_ENV_FILE picks another environment file; it must have `target: local`.
# Everything of a run (cdktf output, Terraform state, emulator log) lives under .cache/local/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/.cache/local"
keep=false
[[ "${KEEP:-}" == 1 || "${KEEP:-}" == true ]] && keep=true
action=deploy
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --stop) action=stop ;;
    -h | --help)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "local-deploy: unknown argument '$arg'; accepted: --keep, --stop." >&2
      exit 2
      ;;
  esac
done

bash scripts/check-prereqs.sh --for local
# shellcheck source=scripts/terraform-cli-config.sh
source scripts/terraform-cli-config.sh

# The emulator takes any key pair; nothing may fall through to a real AWS profile.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

cdktf="$root/node_modules/.bin/cdktf"
pid_file="$work/emulator.pid"
kept_file="$work/kept.env"

log() { printf '\n==> %s\n' "$*"; }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Runs a command in its own process group (when setsid exists), so stopping it reaches
# Terraform's provider plugins too. Sets `last_pid`.
start_group() {
  if command -v setsid >/dev/null 2>&1; then
    setsid "$@" &
  else
    "$@" &
  fi
  last_pid=$!
}

# stop_group PID SIGNAL GRACE_SECONDS: signal the group, wait, then SIGKILL what is left.
stop_group() {
  local pid="$1" signal="$2" grace="$3" waited=0
  alive "$pid" || return 0
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
  while alive "$pid" && ((waited < grace * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Runs a long command in the background and waits, so INT/TERM reach the trap at once.
run() {
  start_group "$@"
  child_pid=$last_pid
  local status=0
  wait "$child_pid" || status=$?
  child_pid=''
  return "$status"
}

# Destroys the stack in DIR; the full plan goes to a log, the summary (or the error) to the screen.
destroy_stack() {
  local dir="$1" destroy_log="$work/destroy.log" status=0
  [[ -f "$dir/cdk.tf.json" && -d "$dir/.terraform" ]] || return 0
  log "Destroying $(basename "$dir") (full output: $destroy_log)"
  run terraform -chdir="$dir" destroy -auto-approve -input=false -no-color >"$destroy_log" 2>&1 ||
    status=$?
  if [[ "$status" -eq 0 ]]; then
    grep -E '^(Destroy complete|No changes)' "$destroy_log" || true
  else
    tail -n 40 "$destroy_log" >&2
  fi
  return "$status"
}

if [[ "$action" == stop ]]; then
  if [[ ! -f "$kept_file" ]]; then
    echo "No kept local environment to stop (nothing in $kept_file)."
    exit 0
  fi
  # shellcheck disable=SC1090
  source "$kept_file"
  if alive "${KEPT_EMULATOR_PID:-}"; then
    destroy_stack "$KEPT_STACK_DIR" || echo "Destroy failed; stopping the emulator anyway." >&2
    stop_group "$KEPT_EMULATOR_PID" TERM 10
  fi
  rm -f "$kept_file" "$pid_file"
  rm -rf "$work/cdktf.out" "$work"/terraform.*.tfstate*
  echo "Stopped the kept local environment."
  exit 0
fi

if [[ -f "$kept_file" ]]; then
  # shellcheck disable=SC1090
  source "$kept_file"
  if alive "${KEPT_EMULATOR_PID:-}"; then
    echo "A kept local environment is still running (emulator $KEPT_ENDPOINT, pid $KEPT_EMULATOR_PID)." >&2
    echo "Stop it first: npm run local -- --stop" >&2
    exit 1
  fi
  rm -f "$kept_file"
fi

info="$(node --import tsx scripts/local-deploy.ts)"
read -r stack region <<<"$info"

# A new emulator starts empty, so any state from an earlier run is meaningless.
mkdir -p "$work"
rm -rf "$work/cdktf.out" "$work"/terraform.*.tfstate*
# cdktf keeps the default local state in the directory it runs in: run it from .cache/local.
cat >"$work/cdktf.json" <<EOF
{
  "language": "typescript",
  "app": "node --import tsx $root/main.ts",
  "output": "cdktf.out",
  "sendCrashReports": "false",
  "terraformProviders": [],
  "terraformModules": [],
  "context": {}
}
EOF
stack_dir="$work/cdktf.out/stacks/$stack"

emulator_pid=''
child_pid=''
kept=false
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$child_pid" ]]; then
    echo "Stopping the running command..." >&2
    stop_group "$child_pid" INT 60
  fi
  if [[ "$kept" == true ]]; then
    exit "$status"
  fi
  # On a failure or an interrupt there is no destroy: the emulator keeps everything in memory,
  # so stopping it discards the stack, and its state file is removed with it.
  if alive "$emulator_pid"; then
    stop_group "$emulator_pid" TERM 10
  fi
  rm -f "$pid_file"
  rm -f "$work"/terraform.*.tfstate*
  if [[ "$status" -ne 0 ]]; then
    echo "npm run local stopped (exit $status); the emulator and what it held are gone." >&2
    echo "Emulator log: $work/emulator.log" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
endpoint="http://127.0.0.1:$port"
log "Starting the AWS emulator on $endpoint"
start_group python3 scripts/moto_server.py -H 127.0.0.1 -p "$port" >"$work/emulator.log" 2>&1 </dev/null
emulator_pid=$last_pid
echo "$emulator_pid" >"$pid_file"
for ((i = 0; i < 240; i++)); do
  if ! alive "$emulator_pid"; then
    echo "The emulator exited before answering. Last lines of $work/emulator.log:" >&2
    tail -n 20 "$work/emulator.log" >&2
    exit 1
  fi
  if python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "$endpoint/moto-api/" >/dev/null 2>&1; then
    break
  fi
  sleep 0.25
done
if ((i == 240)); then
  echo "The emulator did not answer on $endpoint within 60 s. Last lines of $work/emulator.log:" >&2
  tail -n 20 "$work/emulator.log" >&2
  exit 1
fi

export RANCHER_EMULATOR_ENDPOINT="$endpoint"
log "Deploying $stack into the emulator"
cd "$work"
run "$cdktf" deploy "$stack" --auto-approve --skip-provider-lock
cd "$root"

log "Outputs of $stack"
terraform -chdir="$stack_dir" output

if [[ "$keep" == true ]]; then
  kept=true
  cat >"$kept_file" <<EOF
KEPT_EMULATOR_PID=$emulator_pid
KEPT_ENDPOINT=$endpoint
KEPT_STACK_DIR=$stack_dir
EOF
  cat <<EOF

The emulator and $stack stay up (--keep).
  AWS API:    $endpoint  (any key pair, region $region), e.g.
              AWS_ENDPOINT_URL=$endpoint AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \\
              AWS_REGION=$region aws ec2 describe-vpcs
  Terraform:  terraform -chdir=$stack_dir output   (state: $work/terraform.$stack.tfstate)
  Log:        $work/emulator.log
  Stop both:  npm run local -- --stop
EOF
  exit 0
fi

destroy_stack "$stack_dir"
log "Stopping the emulator"
stop_group "$emulator_pid" TERM 10
emulator_pid=''
echo "Done: $stack was deployed into the emulator and destroyed; nothing is left running."
