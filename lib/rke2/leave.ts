/**
 * Leave on termination: a server whose Auto Scaling group terminates it deletes its own Node, so
 * RKE2 removes its etcd member before the instance goes (k3s pkg/etcd/member_controller.go: the
 * managed etcd member removal controller calls RemovePeer when a Node labelled
 * `node-role.kubernetes.io/etcd` is deleted). Pure: no cdktf imports.
 */
import { readShellTemplate, renderShellTemplate } from './shell-template';

/** Name of the termination lifecycle hook on each server group. */
export const RKE2_TERMINATION_HOOK_NAME = 'rke2-leave-etcd';
/**
 * How long Auto Scaling holds a terminating server for the unit: drain (90 s) and Node deletion
 * (90 s) fit; after it Auto Scaling terminates anyway (default result CONTINUE).
 */
export const RKE2_TERMINATION_HOOK_TIMEOUT_SECONDS = 300;
export const RKE2_LEAVE_SCRIPT_PATH = '/usr/local/sbin/rke2-leave';
export const RKE2_LEAVE_UNIT_PATH = '/etc/systemd/system/rke2-leave.service';
/** How often the unit reads the target lifecycle state from instance metadata. */
export const RKE2_LEAVE_POLL_SECONDS = 5;

const TEMPLATE = readShellTemplate('leave.sh');

export interface Rke2TerminationHook {
  /** The server's Auto Scaling group (the hook's group and the IAM scope). */
  readonly autoScalingGroupName: string;
  /** @default RKE2_TERMINATION_HOOK_NAME */
  readonly hookName?: string;
}

/** The leave script with its group and hook filled in. */
export function renderRke2LeaveScript(hook: Rke2TerminationHook): string {
  if (!/^[\w.-]{1,255}$/.test(hook.autoScalingGroupName)) {
    throw new Error(
      `terminationHook.autoScalingGroupName must be an Auto Scaling group name (letters, digits, "_", "-", "."); got ${JSON.stringify(hook.autoScalingGroupName)}.`,
    );
  }
  return renderShellTemplate('leave.sh', TEMPLATE, [
    ['GROUP_NAME', hook.autoScalingGroupName],
    ['HOOK_NAME', hook.hookName ?? RKE2_TERMINATION_HOOK_NAME],
    ['POLL_SECONDS', String(RKE2_LEAVE_POLL_SECONDS)],
  ]);
}

/** What rke2-server.service reads its environment from (rke2 bundle/lib/systemd/system). */
export const RKE2_SERVER_ENVIRONMENT_FILE = '/etc/default/rke2-server';

/** The systemd unit that runs the leave script for as long as the server lives. */
export function renderRke2LeaveUnit(): string {
  return [
    '[Unit]',
    'Description=Leave the RKE2 cluster when Auto Scaling terminates this server',
    'After=rke2-server.service',
    '[Service]',
    // The proxy the bootstrap wrote for RKE2, if any: the script's aws and kubectl calls need it.
    `EnvironmentFile=-${RKE2_SERVER_ENVIRONMENT_FILE}`,
    `ExecStart=${RKE2_LEAVE_SCRIPT_PATH}`,
    'Restart=on-failure',
    'RestartSec=10',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** The cloud-init `write_files` entries of the leave unit. */
export function rke2LeaveFiles(
  hook: Rke2TerminationHook,
): { path: string; owner: string; permissions: string; content: string }[] {
  return [
    {
      path: RKE2_LEAVE_SCRIPT_PATH,
      owner: 'root:root',
      permissions: '0700',
      content: renderRke2LeaveScript(hook),
    },
    {
      path: RKE2_LEAVE_UNIT_PATH,
      owner: 'root:root',
      permissions: '0644',
      content: renderRke2LeaveUnit(),
    },
  ];
}
