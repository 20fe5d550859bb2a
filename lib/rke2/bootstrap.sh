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
readonly REGISTRIES_FILE=/etc/rancher/rke2/registries.yaml
readonly ENV_DEFAULTS_DIR=/etc/default
readonly ADMIN_KUBECONFIG=/etc/rancher/rke2/rke2.yaml
readonly KUBECTL=/var/lib/rancher/rke2/bin/kubectl
readonly STATE_DIR=/var/lib/rke2-bootstrap
readonly SERVER_CLIENT_CERT=/var/lib/rancher/rke2/server/tls/client-admin.crt
readonly AGENT_CLIENT_CERT=/var/lib/rancher/rke2/agent/client-kubelet.crt
# RKE2 renews on start the certificates within 120 days of expiry (k3s CertificateRenewDays);
# restarting at 90 days is sure to renew them and leaves three months for a failed attempt.
readonly RENEW_BEFORE_DAYS=90
# Servers restart one at a time: whoever creates this Lease restarts, the others wait a day. A
# holder that died leaves it behind; the next run removes it once it is older than this.
readonly RENEWAL_LEASE=rke2-certificate-renewal
readonly RENEWAL_LEASE_STALE_SECONDS=7200
readonly SERVER_TOKEN_FILE=/var/lib/rancher/rke2/server/token
readonly LEAVE_UNIT=rke2-leave
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

# The proxy, when there is one, for this script's own calls (curl reads only the lower-case
# names), for snapd (a daemon: it ignores our environment) and for RKE2, whose units read
# /etc/default/<unit> (rke2 bundle/lib/systemd/system) and hand the variables to containerd and the
# kubelet. The registration address goes in by name: NO_PROXY CIDRs only match IP literals.
export_proxy() {
  [ -n "$PROXY_URL" ] || return 0
  HTTP_PROXY=$PROXY_URL HTTPS_PROXY=$PROXY_URL NO_PROXY="$NO_PROXY_LIST,$REGISTRATION_ADDRESS"
  http_proxy=$HTTP_PROXY https_proxy=$HTTPS_PROXY no_proxy=$NO_PROXY
  export HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy
}

configure_proxy() {
  [ -n "$PROXY_URL" ] || return 0
  local unit
  mkdir -p "$ENV_DEFAULTS_DIR"
  for unit in rke2-server rke2-agent; do
    printf 'HTTP_PROXY=%s\nHTTPS_PROXY=%s\nNO_PROXY=%s\n' "$HTTP_PROXY" "$HTTPS_PROXY" "$NO_PROXY" \
      >"$ENV_DEFAULTS_DIR/$unit"
  done
  if command -v snap >/dev/null 2>&1; then
    wait_for_snapd
    snap set system proxy.http="$PROXY_URL" proxy.https="$PROXY_URL" ||
      log "WARNING: could not give snapd the proxy; snap installs may fail"
  fi
  log "going out through the proxy $PROXY_URL"
}

# write_registries <file>: registries.yaml with the registry's credentials (configs.<host>.auth)
# from the secret's JSON {"username","password"}. python3 is there wherever cloud-init is; it
# writes JSON-quoted strings, which YAML reads unchanged, and never prints the secret.
write_registries() {
  local rc=0
  read_secret_to_file "$REGISTRY_CREDENTIALS_SECRET_ARN" "$1.json" &&
    python3 - "$REGISTRY_HOST" "$1.json" >"$1" <<'PY' || rc=1
import json, sys
host, path = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        secret = json.load(f)
    username, password = secret["username"], secret["password"]
    if not isinstance(username, str) or not isinstance(password, str):
        raise ValueError
except (ValueError, KeyError, TypeError):
    sys.exit("the registry secret is not JSON with string fields username and password")
print("configs:")
print("  " + json.dumps(host) + ":")
print("    auth:")
print("      username: " + json.dumps(username))
print("      password: " + json.dumps(password))
PY
  rm -f "$1.json"
  return "$rc"
}

# The registry's credentials for containerd, before RKE2 starts; never in user data.
fetch_registry_credentials() {
  [ -n "$REGISTRY_CREDENTIALS_SECRET_ARN" ] || return 0
  set +x
  local tmp
  mkdir -p "$RKE2_DIR"
  tmp=$(mktemp "$RKE2_DIR/.registries.XXXXXX")
  wait_until "the registry credentials in $REGISTRY_CREDENTIALS_SECRET_ARN" \
    "check that the secret holds JSON with username and password and that the instance role may call secretsmanager:GetSecretValue on it" \
    write_registries "$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$REGISTRIES_FILE"
  log "credentials for $REGISTRY_HOST stored in $REGISTRIES_FILE"
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

# read_published_kubeconfig <file>: the secret's current value into the file (empty when it has
# none yet). Fails on any other answer: an unreadable secret must never look like a missing
# cluster or an outdated kubeconfig.
read_published_kubeconfig() {
  set +x
  local errors rc=0
  errors=$(mktemp "$STATE_DIR/.read.XXXXXX")
  aws secretsmanager get-secret-value --secret-id "$KUBECONFIG_SECRET_ARN" \
    --query SecretString --output text >"$1" 2>"$errors" || rc=$?
  if [ "$rc" -ne 0 ] && grep -q ResourceNotFoundException "$errors"; then
    : >"$1"
    rc=0
  elif [ "$rc" -ne 0 ]; then
    log "could not read $KUBECONFIG_SECRET_ARN: $(tr '\n' ' ' <"$errors")"
  fi
  rm -f "$errors"
  return "$rc"
}

# Sets KUBECONFIG_STATE to published or empty; fails (so the caller retries) when unreadable.
probe_kubeconfig() {
  local stored rc=0
  stored=$(mktemp "$STATE_DIR/.probe.XXXXXX")
  read_published_kubeconfig "$stored" || rc=$?
  if [ -s "$stored" ] && ! grep -qx None "$stored"; then
    KUBECONFIG_STATE='published'
  else
    KUBECONFIG_STATE='empty'
  fi
  rm -f "$stored"
  return "$rc"
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

# put_secret_from_file <secret-arn> <file>: the file's content as the secret's new value.
put_secret_from_file() {
  set +x
  aws secretsmanager put-secret-value --secret-id "$1" --secret-string "file://$2" >/dev/null
}

# The admin kubeconfig, pointed at the load balancer instead of 127.0.0.1, into the kubeconfig
# secret: the Rancher stack reads it from there. RKE2 rewrites rke2.yaml on every start with the
# current certificate; a new secret version is written only when the result differs from the
# stored one. The lock keeps the start unit and the daily run from writing the same change twice.
publish_kubeconfig() {
  set +x
  local candidate stored
  exec 9>"$STATE_DIR/publish.lock"
  flock 9
  wait_until "the local Kubernetes API to become ready" "see journalctl -u rke2-server.service" api_ready
  candidate=$(mktemp "$RKE2_DIR/.kubeconfig-publish.XXXXXX")
  stored=$(mktemp "$RKE2_DIR/.kubeconfig-stored.XXXXXX")
  sed "s#https://127.0.0.1:6443#$API_URL#" "$ADMIN_KUBECONFIG" >"$candidate"
  if ! grep -qF "server: $API_URL" "$candidate"; then
    rm -f "$candidate" "$stored"
    fail "$ADMIN_KUBECONFIG has no server https://127.0.0.1:6443 to point at $API_URL"
  fi
  wait_until "a readable answer from $KUBECONFIG_SECRET_ARN" \
    "check the instance role's secretsmanager:GetSecretValue permission on it" \
    read_published_kubeconfig "$stored"
  # Command substitution drops trailing newlines, which the CLI's text output adds.
  if [ "$(cat "$candidate")" = "$(cat "$stored")" ]; then
    log "the kubeconfig in $KUBECONFIG_SECRET_ARN is current"
  else
    wait_until "the kubeconfig to be stored in $KUBECONFIG_SECRET_ARN" \
      "check the instance role's secretsmanager:PutSecretValue permission on it" \
      put_secret_from_file "$KUBECONFIG_SECRET_ARN" "$candidate"
    log "published the cluster's kubeconfig (server $API_URL) to $KUBECONFIG_SECRET_ARN"
  fi
  rm -f "$candidate" "$stored"
  exec 9>&-
}

# The credential units cloud-init wrote (lib/rke2/credential-units.ts), once the node is part of
# the cluster: the daily renewal timer, and on the seed the republish after every server start.
enable_credential_units() {
  # shellcheck disable=SC2086 # a list of unit names
  if ! systemctl enable $CREDENTIAL_UNITS || ! systemctl start rke2-credentials.timer; then
    fail "could not enable $CREDENTIAL_UNITS; certificates would expire unrenewed"
  fi
}

kubectl_local() {
  "$KUBECTL" --kubeconfig "$ADMIN_KUBECONFIG" "$@"
}

# Servers restart one at a time and only while every etcd member is Ready, so quorum holds: the
# one that creates the Lease restarts. A Lease left by a server that died is removed when stale.
take_renewal_lease() {
  local nodes created
  if ! nodes=$(kubectl_local get nodes -l node-role.kubernetes.io/etcd=true --no-headers) ||
    [ -z "$nodes" ] || ! printf '%s\n' "$nodes" | awk '$2 != "Ready" { bad = 1 } END { exit bad }'; then
    log "an etcd member is not Ready (a terminated server's Node counts: kubectl delete node <name>)"
    return 1
  fi
  printf '{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"%s","namespace":"kube-system"},"spec":{"holderIdentity":"%s"}}' \
    "$RENEWAL_LEASE" "$(hostname)" | kubectl_local create -f - >/dev/null 2>&1 && return 0
  created=$(kubectl_local -n kube-system get lease "$RENEWAL_LEASE" -o jsonpath='{.metadata.creationTimestamp}') || return 1
  if [ $(($(date +%s) - $(date -d "$created" +%s))) -gt "$RENEWAL_LEASE_STALE_SECONDS" ]; then
    kubectl_local -n kube-system delete lease "$RENEWAL_LEASE" >/dev/null
    log "removed the renewal lease a server left at $created"
  fi
  log "another server holds the renewal lease"
  return 1
}

# A restart renews the certificates (RKE2 keeps the keys); pods keep running meanwhile.
renew_certificates() {
  local unit=rke2-server cert=$SERVER_CLIENT_CERT
  if [ "$RKE2_ROLE" = agent ]; then
    unit=rke2-agent cert=$AGENT_CLIENT_CERT
  fi
  if [ ! -f "$cert" ] || openssl x509 -noout -checkend "$((RENEW_BEFORE_DAYS * 86400))" -in "$cert" >/dev/null; then
    return 0
  fi
  if [ "$unit" = rke2-server ] && ! take_renewal_lease; then
    log "renewing at the next run"
    return 0
  fi
  log "restarting $unit: $cert expires within $RENEW_BEFORE_DAYS days"
  timeout "$WAIT_TIMEOUT_SECONDS" systemctl restart "$unit.service" ||
    fail "$unit did not restart; see journalctl -u $unit.service"
  if [ "$unit" = rke2-server ]; then
    wait_until "the local Kubernetes API to become ready" "see journalctl -u rke2-server.service" api_ready
    kubectl_local -n kube-system delete lease "$RENEWAL_LEASE" >/dev/null
  fi
}

publish_kubeconfig_command() {
  mkdir -p "$STATE_DIR"
  wait_until "the region from instance metadata (IMDSv2)" \
    "check that the instance metadata service is enabled" set_region
  publish_kubeconfig
}

# The daily run of rke2-credentials.timer.
maintain_command() {
  renew_certificates
  if [ "$RKE2_ROLE" = seed ]; then
    publish_kubeconfig_command
  fi
}

# read_full_token <file>: the full token K10<CA hash>::server:<secret> the seed published, into
# the file; fails while there is none.
read_full_token() {
  read_secret_to_file "$FULL_TOKEN_SECRET_ARN" "$1" && grep -q '^K10' "$1"
}

# use_full_join_token wait|once: join with the full token, which makes RKE2 check the cluster CA
# against its hash before it trusts the server. "once" (a replaced seed) keeps the plain token
# when none was published, as in clusters built before the full token was.
use_full_join_token() {
  set +x
  local tmp
  tmp=$(mktemp "$RKE2_DIR/.full-token.XXXXXX")
  if [ "$1" = wait ]; then
    wait_until "the full join token in $FULL_TOKEN_SECRET_ARN" \
      "the seed publishes it once the cluster is up; check its cloud-init log" \
      read_full_token "$tmp"
  elif ! read_full_token "$tmp"; then
    rm -f "$tmp"
    log "no full join token published yet; joining with the plain token"
    return 0
  fi
  chmod 0600 "$tmp"
  mv -f "$tmp" "$TOKEN_FILE"
  log "joining with the CA-pinned token from $FULL_TOKEN_SECRET_ARN"
}

# publish_full_join_token always|missing: the seed publishes the full token RKE2 wrote (its secret
# part is the AWS-generated token); a replaced seed only when none is there.
publish_full_join_token() {
  set +x
  local tmp
  tmp=$(mktemp "$RKE2_DIR/.full-token.XXXXXX")
  if [ "$1" = missing ] && read_full_token "$tmp"; then
    rm -f "$tmp"
    return 0
  fi
  rm -f "$tmp"
  wait_until "$SERVER_TOKEN_FILE" "see journalctl -u rke2-server.service" test -s "$SERVER_TOKEN_FILE"
  grep -q '^K10' "$SERVER_TOKEN_FILE" || fail "$SERVER_TOKEN_FILE holds no K10 token"
  wait_until "the full join token to be stored in $FULL_TOKEN_SECRET_ARN" \
    "check the instance role's secretsmanager:PutSecretValue permission on it" \
    put_secret_from_file "$FULL_TOKEN_SECRET_ARN" "$SERVER_TOKEN_FILE"
  log "published the full join token to $FULL_TOKEN_SECRET_ARN"
}

# Servers leave etcd when Auto Scaling terminates them: the unit (lib/rke2/leave.sh) waits for the
# termination lifecycle hook.
enable_leave_on_termination() {
  [ -e "/etc/systemd/system/$LEAVE_UNIT.service" ] || return 0
  systemctl daemon-reload
  systemctl enable --now "$LEAVE_UNIT.service" ||
    log "WARNING: could not start $LEAVE_UNIT.service; a terminated server would stay an etcd member"
}

main() {
  if [ -e "$STATE_DIR/done" ]; then
    log "already bootstrapped; nothing to do"
    return 0
  fi
  mkdir -p "$STATE_DIR"
  log "bootstrapping RKE2 $RKE2_VERSION as the $RKE2_ROLE of cluster $CLUSTER_NAME"
  configure_proxy
  ensure_ssm_agent
  ensure_aws_cli
  wait_until "the region from instance metadata (IMDSv2)" \
    "check that the instance metadata service is enabled" set_region
  fetch_join_token
  fetch_registry_credentials
  install_rke2
  case "$RKE2_ROLE" in
    seed)
      decide_seed_mode
      if [ "$SEED_MODE" = join ]; then
        use_registration_address
        wait_for_registration
        use_full_join_token once
      fi
      start_rke2 rke2-server
      enable_leave_on_termination
      # A replaced seed publishes too: the stored kubeconfig holds the certificate of an instance
      # that is gone, which no one renews. Every server's admin certificate is signed by the same CA.
      publish_kubeconfig
      if [ "$SEED_MODE" = init ]; then
        publish_full_join_token always
      else
        publish_full_join_token missing
      fi
      ;;
    server)
      wait_for_registration
      use_full_join_token wait
      start_rke2 rke2-server
      enable_leave_on_termination
      ;;
    agent)
      wait_for_registration
      use_full_join_token wait
      start_rke2 rke2-agent
      ;;
    *)
      fail "unknown role $RKE2_ROLE; expected seed, server or agent"
      ;;
  esac
  enable_credential_units
  touch "$STATE_DIR/done"
  log "RKE2 $RKE2_ROLE bootstrap finished"
}

export_proxy
case "$*" in
  '') main ;;
  publish-kubeconfig) publish_kubeconfig_command ;;
  maintain) maintain_command ;;
  *) fail "unknown command $*; expected none (first boot), publish-kubeconfig or maintain" ;;
esac
