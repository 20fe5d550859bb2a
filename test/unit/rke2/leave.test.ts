import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  renderRke2LeaveScript,
  renderRke2LeaveUnit,
  RKE2_LEAVE_SCRIPT_PATH,
} from '../../../lib/rke2/leave';
import { scratchDir } from '../../helpers/scratch';
import { redirectPaths, writeStubCommands } from '../../helpers/stub-commands';

// Runs the rendered leave script with stub commands (curl for IMDSv2, kubectl, aws, hostname,
// sleep) to check what a terminating server does.
const STUBS: Record<string, string> = {
  curl: [
    'printf "curl %s\\n" "$*" >>"$WORLD/calls"',
    'case "$*" in',
    '  *api/token*) [[ "$*" == *"-X PUT"* ]] || exit 22; echo imds-session ;;',
    '  *target-lifecycle-state*)',
    '    [[ "$*" == *"X-aws-ec2-metadata-token: imds-session"* ]] || exit 22',
    '    state=$(head -n 1 "$WORLD/states"); sed -i 1d "$WORLD/states"',
    '    [ -n "$state" ] || state=Terminated; echo "$state" ;;',
    '  *instance-id*) echo i-0123456789abcdef0 ;;',
    '  *placement/region*) echo eu-west-1 ;;',
    '  *) exit 22 ;;',
    'esac',
  ].join('\n'),
  kubectl: [
    'printf "kubectl %s\\n" "$*" >>"$WORLD/calls"',
    '[ -f "$WORLD/kubectl-fails" ] && exit 1',
    'case "$*" in',
    '  *"get nodes"*) cat "$WORLD/nodes" ;;',
    'esac',
  ].join('\n'),
  aws: 'printf "aws %s region=%s\\n" "$*" "$AWS_REGION" >>"$WORLD/calls"',
  hostname: 'echo IP-10-0-1-5',
  sleep: 'printf "sleep %s\\n" "$*" >>"$WORLD/calls"',
};

interface World {
  /** States instance metadata reports, one per read; Terminated once they run out. */
  readonly states?: readonly string[];
  /** `kubectl get nodes -l node-role.kubernetes.io/etcd=true --no-headers` output. */
  readonly nodes?: string;
  readonly kubectlFails?: boolean;
}

function runLeave(world: World): { code: number | null; output: string; calls: string } {
  const root = scratchDir('rke2-leave');
  const stubs = path.join(root, 'stubs');
  const worldDir = path.join(root, 'world');
  for (const dir of [stubs, worldDir]) mkdirSync(dir, { recursive: true });
  writeStubCommands(stubs, STUBS);
  writeFileSync(path.join(worldDir, 'calls'), '');
  writeFileSync(path.join(worldDir, 'states'), (world.states ?? []).map((s) => `${s}\n`).join(''));
  writeFileSync(path.join(worldDir, 'nodes'), world.nodes ?? '');
  if (world.kubectlFails) writeFileSync(path.join(worldDir, 'kubectl-fails'), '');
  const script = redirectPaths(
    renderRke2LeaveScript({ autoScalingGroupName: 'dev-management-servers' }),
    [
      ['/var/lib/rancher/rke2/bin/kubectl', path.join(stubs, 'kubectl')],
      [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin',
        `PATH=${stubs}:/usr/bin:/bin`,
      ],
    ],
  );
  const scriptPath = path.join(root, 'rke2-leave');
  writeFileSync(scriptPath, script);
  const result = spawnSync('/bin/bash', [scriptPath], {
    env: { WORLD: worldDir, HOME: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: result.status,
    output: `${result.stdout}${result.stderr}`,
    calls: readFileSync(path.join(worldDir, 'calls'), 'utf8'),
  };
}

const COMPLETE =
  /^aws autoscaling complete-lifecycle-action --auto-scaling-group-name dev-management-servers --lifecycle-hook-name rke2-leave-etcd --instance-id i-0123456789abcdef0 --lifecycle-action-result CONTINUE region=eu-west-1$/m;

describe('leave-on-termination script (stubbed commands)', () => {
  it('waits while in service, then deletes its own Node (RKE2 removes the etcd member) and lets termination go on', () => {
    // k3s pkg/etcd/member_controller.go: deleting a Node labelled node-role.kubernetes.io/etcd
    // makes the etcd member removal controller call RemovePeer for it.
    const outcome = runLeave({
      states: ['InService', 'InService'],
      nodes: [
        'ip-10-0-1-5   Ready   control-plane,etcd',
        'ip-10-0-2-7   Ready   control-plane,etcd',
      ].join('\n'),
    });
    assert.equal(outcome.code, 0, outcome.output);
    assert.equal(outcome.calls.match(/^sleep 5$/gm)?.length, 2);
    assert.match(
      outcome.calls,
      /^kubectl --kubeconfig \/etc\/rancher\/rke2\/rke2\.yaml --request-timeout=30s get nodes -l node-role\.kubernetes\.io\/etcd=true --no-headers$/m,
    );
    assert.match(
      outcome.calls,
      /^kubectl .* drain ip-10-0-1-5 --ignore-daemonsets --delete-emptydir-data --timeout=90s$/m,
    );
    assert.match(outcome.calls, /^kubectl .* delete node ip-10-0-1-5 --timeout=90s$/m);
    assert.match(outcome.calls, COMPLETE);
    // IMDSv2 only: every metadata read carries the session token.
    for (const line of outcome.calls
      .split('\n')
      .filter((l) => l.includes('169.254.169.254/latest/meta-data'))) {
      assert.match(line, /X-aws-ec2-metadata-token: imds-session/);
    }
    const deleted = outcome.calls.indexOf('delete node');
    assert.ok(
      deleted < outcome.calls.indexOf('complete-lifecycle-action'),
      'completed before leaving',
    );
  });

  it('never deletes the last ready server (etcd keeps its only member), but still completes the hook', () => {
    const outcome = runLeave({
      nodes: [
        'ip-10-0-1-5   Ready      control-plane,etcd',
        'ip-10-0-2-7   NotReady   control-plane,etcd',
      ].join('\n'),
    });
    assert.equal(outcome.code, 0, outcome.output);
    assert.match(outcome.output, /keeping Node ip-10-0-1-5: no other server is ready/);
    assert.doesNotMatch(outcome.calls, /delete node|drain/);
    assert.match(outcome.calls, COMPLETE);
  });

  it('keeps its Node when the API does not answer, and still completes the hook', () => {
    const outcome = runLeave({ kubectlFails: true });
    assert.equal(outcome.code, 0, outcome.output);
    assert.match(outcome.output, /could not list the servers; keeping Node ip-10-0-1-5/);
    assert.doesNotMatch(outcome.calls, /delete node/);
    assert.match(outcome.calls, COMPLETE);
  });

  it('passes bash -n and shellcheck, and runs as a unit that restarts on failure', () => {
    const script = renderRke2LeaveScript({ autoScalingGroupName: 'dev-management-seed' });
    assert.equal(spawnSync('bash', ['-n'], { input: script }).status, 0);
    const lint = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: script, encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout || String(lint.error));
    assert.doesNotMatch(script, /\$\{|%\{/, 'Terraform would interpolate this');
    const unit = renderRke2LeaveUnit();
    assert.match(unit, new RegExp(`^ExecStart=${RKE2_LEAVE_SCRIPT_PATH}$`, 'm'));
    assert.match(unit, /^Restart=on-failure$/m);
    // The proxy file the bootstrap writes (optional: absent without a proxy).
    assert.match(unit, /^EnvironmentFile=-\/etc\/default\/rke2-server$/m);
    assert.throws(
      () => renderRke2LeaveScript({ autoScalingGroupName: 'bad name' }),
      /terminationHook\.autoScalingGroupName must be an Auto Scaling group name/,
    );
  });
});
