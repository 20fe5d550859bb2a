#!/bin/bash
# RKE2 node bootstrap. lib/rke2/user-data.ts renders this file into cloud-init user data and
# explains the seed/joiner design at its top. Everything this script prints lands in the EC2
# console log, which anyone with ec2:GetConsoleOutput can read: no secret is ever printed, the
# join token and the kubeconfig only ever pass through 0600 files.
# The text avoids dollar-brace and percent-brace sequences: Terraform would read them as
# template syntax once the user data sits in a plan.
set -euo pipefail
set +x
umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin
export PATH

# @@PARAMETERS@@

readonly IMDS_URL=http://169.254.169.254
readonly RKE2_DIR=/etc/rancher/rke2
readonly CONFIG_FILE=/etc/rancher/rke2/config.yaml
readonly TOKEN_FILE=/etc/rancher/rke2/join-token
readonly ADMIN_KUBECONFIG=/etc/rancher/rke2/rke2.yaml
readonly KUBECTL=/var/lib/rancher/rke2/bin/kubectl
readonly STATE_DIR=/var/lib/rke2-bootstrap
readonly SUPERVISOR_URL="https://$REGISTRATION_ADDRESS:9345"
readonly API_URL="https://$REGISTRATION_ADDRESS:6443"
SEED_MODE=""
KUBECONFIG_STATE=""

log() {
  printf 'rke2-bootstrap: %s\n' "$*" >&2
}

fail() {
  log "ERROR: $*"
  mkdir -p "$STATE_DIR"
  touch "$STATE_DIR/failed"
  exit 1
}

# wait_until <what> <hint> <command...>: runs the command until it succeeds, at most
# WAIT_TIMEOUT_SECONDS, logging each retry; on timeout fails with the hint.
wait_until() {
  local what=$1 hint=$2 waited=0
  shift 2
  until "$@"; do
    if [ "$waited" -ge "$WAIT_TIMEOUT_SECONDS" ]; then
      fail "gave up waiting for $what after $WAIT_TIMEOUT_SECONDS s; $hint"
    fi
    log "waiting for $what ($waited/$WAIT_TIMEOUT_SECONDS s)"
    sleep "$WAIT_INTERVAL_SECONDS"
    waited=$((waited + WAIT_INTERVAL_SECONDS))
  done
}

# Instance metadata through IMDSv2 only: every read carries a session token.
imds_token() {
  curl -sSf --max-time 5 -X PUT "$IMDS_URL/latest/api/token" \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300'
}

imds_get() {
  local token
  token=$(imds_token) || return 1
  curl -sSf --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS_URL/latest/$1"
}

set_region() {
  local region
  region=$(imds_get meta-data/placement/region) || return 1
  [ -n "$region" ] || return 1
  AWS_DEFAULT_REGION=$region
  AWS_REGION=$region
  export AWS_DEFAULT_REGION AWS_REGION
}

wait_for_snapd() {
  snap wait system seed.loaded >/dev/null 2>&1 || true
}

# Session Manager is the only way in (no SSH keys). Ubuntu 24.04 AMIs ship the agent as a snap;
# a missing agent is a warning, not a reason to leave the node out of the cluster.
ensure_ssm_agent() {
  if command -v snap >/dev/null 2>&1; then
    wait_for_snapd
    if ! snap list amazon-ssm-agent >/dev/null 2>&1; then
      snap install amazon-ssm-agent --classic ||
        { log "WARNING: could not install the amazon-ssm-agent snap; Session Manager will not reach this node"; return 0; }
    fi
    snap start --enable amazon-ssm-agent >/dev/null ||
      log "WARNING: could not start the amazon-ssm-agent snap"
  elif systemctl cat amazon-ssm-agent.service >/dev/null 2>&1; then
    systemctl enable --now amazon-ssm-agent.service ||
      log "WARNING: could not start amazon-ssm-agent.service"
  else
    log "WARNING: no SSM agent on this image and no snapd to install one; Session Manager will not reach this node"
  fi
}

install_aws_cli_once() {
  if command -v snap >/dev/null 2>&1; then
    snap install aws-cli --classic >/dev/null
  elif command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q awscli >/dev/null
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q awscli-2 >/dev/null
  else
    return 1
  fi
}

# AWS CLI v2: the image's own when present (Amazon Linux), else the snap AWS publishes
# (Ubuntu 24.04 no longer packages awscli), else the distribution's package.
ensure_aws_cli() {
  if command -v aws >/dev/null 2>&1; then
    return 0
  fi
  if command -v snap >/dev/null 2>&1; then
    wait_for_snapd
  fi
  log "installing the AWS CLI"
  wait_until "the AWS CLI to install" "check the node's route to the internet (NAT gateway)" install_aws_cli_once
  command -v aws >/dev/null 2>&1 || fail "the AWS CLI installed but is not on PATH ($PATH)"
}

# read_secret_to_file <secret-arn> <file>: the secret's current value into the file, nothing on
# stdout or stderr but the CLI's own error message.
read_secret_to_file() {
  set +x
  aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text >"$2" &&
    [ -s "$2" ] && ! grep -qx None "$2"
}

fetch_join_token() {
  set +x
  local tmp
  mkdir -p "$RKE2_DIR"
  tmp=$(mktemp "$RKE2_DIR/.join-token.XXXXXX")
  wait_until "the join token in $TOKEN_SECRET_ARN" \
    "check that the secret has a value and that the instance role may call secretsmanager:GetSecretValue on it" \
    read_secret_to_file "$TOKEN_SECRET_ARN" "$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$TOKEN_FILE"
  log "join token stored in $TOKEN_FILE"
}

install_rke2_once() {
  local installer="$STATE_DIR/install-rke2.sh" type=server
  if [ "$RKE2_ROLE" = agent ]; then
    type=agent
  fi
  curl -sSfL --max-time 120 -o "$installer" https://get.rke2.io &&
    INSTALL_RKE2_VERSION="$RKE2_VERSION" INSTALL_RKE2_TYPE="$type" sh "$installer"
}

install_rke2() {
  log "installing RKE2 $RKE2_VERSION"
  wait_until "RKE2 $RKE2_VERSION to install" \
    "check the node's route to get.rke2.io and github.com (NAT gateway)" install_rke2_once
}

registration_answers() {
  # -k: this is only a liveness probe; the join itself authenticates the cluster with the token.
  curl -ksSf --max-time 5 -o /dev/null "$SUPERVISOR_URL/ping" 2>/dev/null
}

wait_for_registration() {
  wait_until "the registration address $SUPERVISOR_URL/ping to answer" \
    "check the seed server's cloud-init log (/var/log/cloud-init-output.log, via SSM) and the health of the load balancer's 9345 target group" \
    registration_answers
  log "the registration address $SUPERVISOR_URL answers"
}

# Sets KUBECONFIG_STATE to published or empty. Fails (so the caller retries) on any other answer:
# an unreadable secret must never look like a missing cluster.
probe_kubeconfig() {
  local out errors rc=0
  errors=$(mktemp "$STATE_DIR/.probe.XXXXXX")
  out=$(aws secretsmanager get-secret-value --secret-id "$KUBECONFIG_SECRET_ARN" \
    --query 'length(SecretString)' --output text 2>"$errors") || rc=$?
  if [ "$rc" -eq 0 ]; then
    rm -f "$errors"
    case "$out" in
      '' | *[!0-9]*)
        log "unexpected answer reading $KUBECONFIG_SECRET_ARN"
        return 1
        ;;
    esac
    if [ "$out" -gt 0 ]; then KUBECONFIG_STATE='published'; else KUBECONFIG_STATE='empty'; fi
    return 0
  fi
  if grep -q ResourceNotFoundException "$errors"; then
    rm -f "$errors"
    KUBECONFIG_STATE='empty'
    return 0
  fi
  log "could not read $KUBECONFIG_SECRET_ARN: $(tr '\n' ' ' <"$errors")"
  rm -f "$errors"
  return 1
}

# The seed initialises the cluster only when no server answers AND no kubeconfig was ever
# published; otherwise it was replaced and joins like any other server.
decide_seed_mode() {
  if registration_answers; then
    log "$SUPERVISOR_URL answers: the cluster exists, this replaced seed joins it"
    SEED_MODE='join'
    return 0
  fi
  wait_until "a readable answer from $KUBECONFIG_SECRET_ARN" \
    "the seed will not initialise a cluster while it cannot tell whether one exists; check the instance role's secretsmanager:GetSecretValue permission" \
    probe_kubeconfig
  if [ "$KUBECONFIG_STATE" = published ]; then
    log "a kubeconfig is already published: the cluster exists, this replaced seed joins it"
    log "if no server is left, restore the cluster from an etcd snapshot instead"
    SEED_MODE='join'
  else
    log "no server answers at $SUPERVISOR_URL and no kubeconfig is published: this seed initialises the cluster"
    SEED_MODE='init'
  fi
}

use_registration_address() {
  if ! grep -q '^server:' "$CONFIG_FILE"; then
    printf 'server: %s\n' "$SUPERVISOR_URL" >>"$CONFIG_FILE"
  fi
}

service_active() {
  systemctl is-active --quiet "$1.service"
}

start_rke2() {
  local unit=$1
  systemctl enable "$unit.service"
  systemctl start --no-block "$unit.service"
  wait_until "$unit to become active" "see journalctl -u $unit.service on the node" service_active "$unit"
  log "$unit is active"
}

api_ready() {
  [ -s "$ADMIN_KUBECONFIG" ] &&
    "$KUBECTL" --kubeconfig "$ADMIN_KUBECONFIG" get --raw=/readyz >/dev/null 2>&1
}

put_kubeconfig_once() {
  set +x
  aws secretsmanager put-secret-value --secret-id "$KUBECONFIG_SECRET_ARN" \
    --secret-string "file://$1" >/dev/null
}

# The admin kubeconfig, pointed at the load balancer instead of 127.0.0.1, into the kubeconfig
# secret: the Rancher stack reads it from there.
publish_kubeconfig() {
  set +x
  local tmp
  wait_until "the local Kubernetes API to become ready" "see journalctl -u rke2-server.service" api_ready
  tmp=$(mktemp "$RKE2_DIR/.kubeconfig-publish.XXXXXX")
  sed "s#https://127.0.0.1:6443#$API_URL#" "$ADMIN_KUBECONFIG" >"$tmp"
  if ! grep -qF "server: $API_URL" "$tmp"; then
    rm -f "$tmp"
    fail "$ADMIN_KUBECONFIG has no server https://127.0.0.1:6443 to point at $API_URL"
  fi
  wait_until "the kubeconfig to be stored in $KUBECONFIG_SECRET_ARN" \
    "check the instance role's secretsmanager:PutSecretValue permission on it" \
    put_kubeconfig_once "$tmp"
  rm -f "$tmp"
  log "published the cluster's kubeconfig (server $API_URL) to $KUBECONFIG_SECRET_ARN"
}

main() {
  if [ -e "$STATE_DIR/done" ]; then
    log "already bootstrapped; nothing to do"
    return 0
  fi
  mkdir -p "$STATE_DIR"
  log "bootstrapping RKE2 $RKE2_VERSION as the $RKE2_ROLE of cluster $CLUSTER_NAME"
  ensure_ssm_agent
  ensure_aws_cli
  wait_until "the region from instance metadata (IMDSv2)" \
    "check that the instance metadata service is enabled" set_region
  fetch_join_token
  install_rke2
  case "$RKE2_ROLE" in
    seed)
      decide_seed_mode
      if [ "$SEED_MODE" = join ]; then
        use_registration_address
        wait_for_registration
      fi
      start_rke2 rke2-server
      if [ "$SEED_MODE" = init ]; then
        publish_kubeconfig
      else
        # A seed lost between initialising and publishing leaves the secret empty.
        wait_until "a readable answer from $KUBECONFIG_SECRET_ARN" \
          "check the instance role's secretsmanager:GetSecretValue permission" probe_kubeconfig
        if [ "$KUBECONFIG_STATE" = empty ]; then
          publish_kubeconfig
        fi
      fi
      ;;
    server)
      wait_for_registration
      start_rke2 rke2-server
      ;;
    agent)
      wait_for_registration
      start_rke2 rke2-agent
      ;;
    *)
      fail "unknown role $RKE2_ROLE; expected seed, server or agent"
      ;;
  esac
  touch "$STATE_DIR/done"
  log "RKE2 $RKE2_ROLE bootstrap finished"
}

main "$@"
