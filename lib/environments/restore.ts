/**
 * `npm run env:restore`: restores a Rancher backup onto a fresh environment in the order Rancher's
 * "Migrating Rancher to a New Cluster" (v2.15) documents: the rancher-backup operator and a
 * Restore with `prune: false` before Rancher, Rancher at the same version and hostname after the
 * restore has completed. The stacks do the in-cluster order (the rancher stack's Restore, its
 * bounded wait, then Rancher); this module decides whether to start and which stacks to deploy.
 * Pure: the Terraform and state access come in as `RestoreRunSteps`.
 */
import type { EnvironmentConfig } from '../config/schema';
import { backupSettings } from '../config/backup';
import { stackName } from '../naming/names';
import { RANCHER_NAMESPACE } from '../rancher/values';
import { checkBackupFilename } from '../backup/objects';
import { DEFAULT_RESTORE_WAIT_SECONDS } from '../backup/restore-wait';
import { assertAccount } from './account';
import { environmentClients } from './aws-clients';
import { deployOrder } from './stack-order';
import { readStackState } from './state';
import { stackDirectory, SynthOptions, synthEnvironmentStacks } from './synth';
import { runTerraform, terraformProcessEnv } from './terraform-cli';

/** Environment variables through which main.ts hands the restore to the rancher stack. */
export const RESTORE_BACKUP_VARIABLE = 'RANCHER_RESTORE_BACKUP';
export const RESTORE_TIMEOUT_VARIABLE = 'RANCHER_RESTORE_TIMEOUT';

/** What the restore does outside this module (Terraform, state). */
export interface RestoreRunSteps {
  /**
   * Whether the rancher stack's state holds the Rancher release: yes, no, or unknown when the
   * state cannot be read.
   */
  rancherInstalled(): Promise<boolean | 'unknown'>;
  /** Stacks of the environment in deployment order. */
  deployOrder(): string[];
  /** Applies one stack; the rancher stack gets the restore settings. */
  deploy(
    stack: string,
    restore?: { readonly backupFilename: string; readonly timeoutSeconds: number },
  ): Promise<void>;
  log(line: string): void;
}

export interface RestoreRunOptions {
  readonly config: EnvironmentConfig;
  /** File name in the environment's backup folder. */
  readonly backupFilename: string;
  /** Restore even when Rancher is installed (its objects are overwritten, none pruned). */
  readonly force?: boolean;
  /** @default 1800 */
  readonly timeoutSeconds?: number;
}

/** The restore was not started; nothing was changed. */
export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusedError';
  }
}

/** Checks, then deploys the stacks up to and including the rancher stack with the restore. */
export async function runRestore(
  options: RestoreRunOptions,
  steps: RestoreRunSteps,
): Promise<void> {
  const { config } = options;
  try {
    checkBackupFilename(options.backupFilename);
  } catch (error) {
    throw new RestoreRefusedError((error as Error).message);
  }
  if (!backupSettings(config.backup)) {
    throw new RestoreRefusedError(
      `Environment "${config.name}" has backup.enabled: false; a restore needs the backup bucket, key and operator. Set backup.enabled: true.`,
    );
  }
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_RESTORE_WAIT_SECONDS;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 60) {
    throw new RestoreRefusedError(
      `The restore timeout must be a whole number of seconds, at least 60; got ${timeoutSeconds}.`,
    );
  }
  const installed = await steps.rancherInstalled();
  if (installed !== false && !options.force) {
    throw new RestoreRefusedError(
      installed === true
        ? `Environment "${config.name}" already runs Rancher. Restoring into it would overwrite Rancher's objects with the backup's while Rancher runs; restore onto a fresh environment (docs/backup.md), or pass --force if you mean it.`
        : `The state of ${stackName(config.name, 'rancher')} cannot be read, so it is unknown whether Rancher is installed; pass --force to restore anyway.`,
    );
  }
  const rancherStack = stackName(config.name, 'rancher');
  const order = steps.deployOrder();
  const upTo = order.indexOf(rancherStack);
  if (upTo < 0) throw new Error(`The environment has no stack ${rancherStack}.`);
  const stacks = order.slice(0, upTo + 1);
  steps.log(
    `Restoring ${options.backupFilename} into ${config.name}: ${stacks.join(' -> ')} (Rancher ${config.rancher.version} after the restore, at most ${timeoutSeconds} s for it)`,
  );
  for (const stack of stacks) {
    if (stack !== rancherStack) {
      await steps.deploy(stack);
      steps.log(`  deployed ${stack}`);
      continue;
    }
    try {
      await steps.deploy(stack, { backupFilename: options.backupFilename, timeoutSeconds });
    } catch (error) {
      throw new Error(
        `${rancherStack} failed; if the Restore did not complete, Rancher was not installed. ` +
          `Fix the cause shown below and run the same command again.\n${(error as Error).message}`,
        { cause: error },
      );
    }
    steps.log(`  restored ${options.backupFilename} and installed Rancher (${stack})`);
  }
  const rest = order.slice(upTo + 1);
  if (rest.length > 0) {
    steps.log(`Not deployed by the restore (deploy them as usual): ${rest.join(', ')}`);
  }
}

/** Whether a Terraform state (JSON) holds the Rancher Helm release. */
export function stateHasRancher(state: unknown): boolean {
  const resources = (state as { resources?: unknown[] } | undefined)?.resources ?? [];
  return resources.some((resource) => {
    const r = resource as {
      type?: string;
      instances?: { attributes?: { name?: string; namespace?: string } }[];
    };
    return (
      r.type === 'helm_release' &&
      (r.instances ?? []).some(
        (i) => i.attributes?.name === 'rancher' && i.attributes?.namespace === RANCHER_NAMESPACE,
      )
    );
  });
}

export interface RestoreEnvironmentOptions extends Omit<SynthOptions, 'restore'> {
  readonly backupFilename: string;
  /** @default false */
  readonly force?: boolean;
  /** @default 1800 */
  readonly timeoutSeconds?: number;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Terraform's own output as it arrives. @default - not shown */
  readonly terraformOutput?: (chunk: string) => void;
}

/**
 * `runRestore` with the real boundary: the stacks synthesized with the restore (only the rancher
 * stack changes), the rancher stack's state read for a Rancher release, `terraform apply` per
 * stack.
 */
export async function restoreEnvironment(
  config: EnvironmentConfig,
  options: RestoreEnvironmentOptions,
): Promise<void> {
  const clients = environmentClients(config, options);
  try {
    await assertAccount(config, clients.sts, 'nothing was restored');
    const synthesized = synthEnvironmentStacks(config, {
      ...options,
      restore: { backupFilename: options.backupFilename, timeoutSeconds: options.timeoutSeconds },
    });
    const env = terraformProcessEnv(config);
    await runRestore(
      {
        config,
        backupFilename: options.backupFilename,
        force: options.force,
        timeoutSeconds: options.timeoutSeconds,
      },
      {
        async rancherInstalled() {
          const dir = stackDirectory(synthesized, stackName(config.name, 'rancher'));
          const state = await readStackState(dir, clients.s3);
          return state === 'unreadable' ? 'unknown' : stateHasRancher(state);
        },
        deployOrder: () => deployOrder(synthesized.manifest),
        // The restore settings are already synthesized into the rancher stack.
        async deploy(stack) {
          const dir = stackDirectory(synthesized, stack);
          const out = options.terraformOutput;
          await runTerraform(dir, ['init', '-input=false', '-no-color'], env, out);
          await runTerraform(
            dir,
            ['apply', '-auto-approve', '-input=false', '-no-color'],
            env,
            out,
          );
        },
        log: options.log ?? ((line) => console.log(line)),
      },
    );
  } finally {
    clients.destroy();
  }
}
