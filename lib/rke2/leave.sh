#!/bin/bash
# RKE2 server leave-on-termination, run as rke2-leave.service (lib/rke2/user-data.ts writes it;
# the bootstrap script enables it once rke2-server runs). The server groups have a termination
# lifecycle hook: Auto Scaling holds a terminating instance in Terminating:Wait, and instance
# metadata (IMDSv2) shows autoscaling/target-lifecycle-state = Terminated. Then this script
# deletes the instance's own Node, and RKE2's etcd member controller removes the Node's etcd
# member, so replacements never pile up dead members that erode quorum. It never deletes the last
# ready server, and it always completes the lifecycle action so termination goes on. No secret is
# read or printed. Avoids dollar-brace and percent-brace sequences (Terraform template syntax).
set -uo pipefail
umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin
export PATH

# @@PARAMETERS@@

readonly IMDS_URL=http://169.254.169.254
readonly ADMIN_KUBECONFIG=/etc/rancher/rke2/rke2.yaml
readonly KUBECTL=/var/lib/rancher/rke2/bin/kubectl

log() {
  printf 'rke2-leave: %s\n' "$*" >&2
}

imds_get() {
  local token
  token=$(curl -sSf --max-time 5 -X PUT "$IMDS_URL/latest/api/token" \
    -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') || return 1
  curl -sSf --max-time 5 -H "X-aws-ec2-metadata-token: $token" "$IMDS_URL/latest/$1"
}

kubectl_admin() {
  "$KUBECTL" --kubeconfig "$ADMIN_KUBECONFIG" --request-timeout=30s "$@"
}

# Ready etcd nodes other than this one (one per line).
other_ready_servers() {
  kubectl_admin get nodes -l node-role.kubernetes.io/etcd=true --no-headers |
    awk -v self="$1" '$1 != self && $2 ~ /^Ready(,|$)/'
}

leave_cluster() {
  local self others
  self=$(hostname | tr '[:upper:]' '[:lower:]')
  if ! others=$(other_ready_servers "$self"); then
    log "could not list the servers; keeping Node $self"
    return 0
  fi
  if [ -z "$others" ]; then
    log "keeping Node $self: no other server is ready, and the last etcd member must stay"
    return 0
  fi
  log "draining and deleting Node $self; RKE2 then removes its etcd member"
  kubectl_admin drain "$self" --ignore-daemonsets --delete-emptydir-data --timeout=90s >/dev/null ||
    log "WARNING: the drain of $self did not finish; deleting the Node anyway"
  kubectl_admin delete node "$self" --timeout=90s ||
    log "WARNING: could not delete Node $self; remove its etcd member by hand (docs/rke2.md)"
}

complete_termination() {
  local instance region
  instance=$(imds_get meta-data/instance-id) && region=$(imds_get meta-data/placement/region) &&
    AWS_REGION=$region aws autoscaling complete-lifecycle-action \
      --auto-scaling-group-name "$GROUP_NAME" --lifecycle-hook-name "$HOOK_NAME" \
      --instance-id "$instance" --lifecycle-action-result CONTINUE &&
    log "told Auto Scaling to go on terminating $instance"
}

main() {
  local state
  log "waiting for Auto Scaling to terminate this server (group $GROUP_NAME, hook $HOOK_NAME)"
  while :; do
    state=$(imds_get meta-data/autoscaling/target-lifecycle-state 2>/dev/null) || state=""
    if [ "$state" = Terminated ]; then
      leave_cluster
      complete_termination || log "WARNING: could not complete the lifecycle action; Auto Scaling goes on after the hook's timeout"
      return 0
    fi
    sleep "$POLL_SECONDS"
  done
}

main "$@"
