import * as path from 'node:path';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ClusterCredentials } from '../cluster/credentials';
import { KubernetesApiWait } from '../k8s/secret-wait';
import { requireWholeSeconds } from '../util/seconds';
import { shellQuote } from '../util/shell';

/** The script that polls the Restore's status. */
export const WAIT_FOR_RESTORE_SCRIPT = path.resolve(
  __dirname,
  '..',
  '..',
  'scripts',
  'wait-for-restore.mjs',
);
/** A restore of a large Rancher (many clusters, users, tokens) takes minutes; give it 30. */
export const DEFAULT_RESTORE_WAIT_SECONDS = 1800;
export const DEFAULT_RESTORE_WAIT_INTERVAL_SECONDS = 10;

export interface RestoreWaitOptions {
  /** Name of the Restore object. */
  readonly restoreName: string;
  /** @default 1800 */
  readonly timeoutSeconds?: number;
  /** @default 10 */
  readonly intervalSeconds?: number;
  /** @default WAIT_FOR_RESTORE_SCRIPT */
  readonly scriptPath?: string;
}

/** The command line of the bounded wait; the credentials travel in its environment. Pure. */
export function waitForRestoreCommand(options: RestoreWaitOptions): string {
  const timeout = options.timeoutSeconds ?? DEFAULT_RESTORE_WAIT_SECONDS;
  const interval = options.intervalSeconds ?? DEFAULT_RESTORE_WAIT_INTERVAL_SECONDS;
  requireWholeSeconds('timeoutSeconds', timeout);
  requireWholeSeconds('intervalSeconds', interval);
  return [
    'node',
    shellQuote(options.scriptPath ?? WAIT_FOR_RESTORE_SCRIPT),
    '--name',
    shellQuote(options.restoreName),
    '--timeout',
    String(timeout),
    '--interval',
    String(interval),
  ].join(' ');
}

export interface RestoreWaitProps extends RestoreWaitOptions {
  readonly credentials: ClusterCredentials;
  /** The release that creates the Restore. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Holds everything that depends on it (Rancher) until the Restore has completed, at most
 * `timeoutSeconds`; a restore that fails or times out fails the apply with the operator's last
 * error, and Rancher is not installed.
 */
export class RestoreWait extends KubernetesApiWait {
  constructor(scope: Construct, id: string, props: RestoreWaitProps) {
    super(scope, id, {
      command: waitForRestoreCommand(props),
      triggers: { restore: props.restoreName },
      credentials: props.credentials,
      dependsOn: props.dependsOn,
    });
  }
}
