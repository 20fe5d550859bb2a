/**
 * Tearing an environment down: every stack destroyed in reverse deployment order (the state
 * bucket's bootstrap stack last), then a check through the AWS API that nothing tagged with the
 * environment is left.
 */
import type { EnvironmentConfig } from '../config/schema';
import * as path from 'node:path';
import { destroyThroughDeployer, stacksDestroyedByDeployer } from './deploy';
import { bootstrapStackName, stateBucketName, stateKeyPrefix } from '../state/backend';
import { assertAccount } from './account';
import { EmulatorEndpointOptions, EnvironmentClients, environmentClients } from './aws-clients';
import { EXIT_LEFTOVERS } from './exit-codes';
import { findLeftovers, formatLeftoverReport, LeftoverReport } from './leftovers';
import { observeEnvironment } from './observe';
import { assertTeardownAllowed } from './protection';
import { destroyOrder } from './stack-order';
import { deleteStateObjects, stackHasState } from './state';
import { stackDirectory, SynthOptions, synthEnvironmentStacks } from './synth';
import { runTerraform, terraformProcessEnv } from './terraform-cli';

/** The project's root: the in-VPC deployer's source bundle is made from it. */
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

export interface ClientsOption {
  /**
   * The AWS clients to call; the caller closes them.
   * @default - new clients for the environment's target and region, closed when done
   */
  readonly clients?: EnvironmentClients;
}

export interface TeardownOptions extends SynthOptions, ClientsOption {
  /**
   * Progress lines.
   * @default console.log
   */
  readonly log?: (line: string) => void;
  /**
   * Terraform's own output as it arrives.
   * @default - not shown (kept for the error message when a command fails)
   */
  readonly terraformOutput?: (chunk: string) => void;
  /**
   * Skip the destroy; only check what is left.
   * @default false
   */
  readonly verifyOnly?: boolean;
  /**
   * The environment file: it travels with the source bundle when the in-VPC deployer destroys
   * in-cluster stacks whose cluster APIs are private.
   * @default - none; such stacks then fail to destroy with the in-VPC guard's message
   */
  readonly environmentFile?: string;
}

/** What is left of an environment, and the checks that could not run. */
export interface VerifiedLeftovers extends LeftoverReport {
  /** Calls that failed, with the reason; what they cover is unverified. */
  readonly failedChecks: readonly string[];
}

export interface TeardownResult {
  /** Stacks destroyed, in the order they were destroyed. */
  readonly destroyed: readonly string[];
  readonly report: LeftoverReport;
  /** Calls of the verification that failed; what they cover is unverified. */
  readonly failedChecks: readonly string[];
}

/**
 * The exit code of a teardown: EXIT_LEFTOVERS when anything of the environment is left or a check
 * could not run (what it covers is unverified), 0 otherwise. Resources scheduled for deletion
 * (a KMS key, a secret in its recovery window) are not leftovers.
 */
export function teardownExitCode(result: Pick<TeardownResult, 'report' | 'failedChecks'>): number {
  return result.report.leftovers.length > 0 || result.failedChecks.length > 0 ? EXIT_LEFTOVERS : 0;
}

/** Runs `use` with the given clients, or with new ones that are closed afterwards. */
async function withClients<T>(
  config: Pick<EnvironmentConfig, 'target' | 'region'>,
  options: EmulatorEndpointOptions & ClientsOption,
  use: (clients: EnvironmentClients) => Promise<T>,
): Promise<T> {
  if (options.clients) return use(options.clients);
  const clients = environmentClients(config, options);
  try {
    return await use(clients);
  } finally {
    clients.destroy();
  }
}

/** Checks what is left of the environment through the AWS API. */
export function verifyTeardown(
  config: EnvironmentConfig,
  options: EmulatorEndpointOptions & ClientsOption = {},
): Promise<VerifiedLeftovers> {
  return withClients(config, options, async (clients) => {
    const observed = await observeEnvironment(clients, config.name);
    return {
      ...findLeftovers(config.name, observed.resources),
      failedChecks: observed.failedChecks,
    };
  });
}

/** Destroys every stack that has state, in destroy order; returns the stacks destroyed. */
async function destroyStacks(
  config: EnvironmentConfig,
  clients: EnvironmentClients,
  options: TeardownOptions,
  log: (line: string) => void,
): Promise<string[]> {
  await assertAccount(config, clients.sts);
  const synthesized = synthEnvironmentStacks(config, options);
  const bootstrap = bootstrapStackName(config);
  const order = destroyOrder(synthesized.manifest, { last: bootstrap });
  log(`Destroying ${config.name}: ${order.join(' -> ')}`);
  const env = terraformProcessEnv(config);
  const destroyed: string[] = [];
  const environmentFile = options.environmentFile;
  const byDeployer = environmentFile ? stacksDestroyedByDeployer(config) : [];
  let deployerRan = false;
  for (const name of order) {
    const dir = stackDirectory(synthesized, name);
    if (name === bootstrap && config.state.backend === 's3') {
      // The other stacks' state (all versions) goes first, or the bucket cannot be deleted.
      const bucket = stateBucketName(config);
      const removed = await deleteStateObjects(clients.s3, bucket, stateKeyPrefix(config));
      log(
        `  removed ${removed} state object version(s) from s3://${bucket}/${stateKeyPrefix(config)}/`,
      );
    }
    if (!(await stackHasState(dir, clients.s3))) {
      log(`  ${name}: no resources in its state (never deployed or already destroyed); skipped`);
      continue;
    }
    if (environmentFile && byDeployer.includes(name)) {
      // Private cluster APIs: one build of the in-VPC deployer destroys every in-cluster stack.
      if (!deployerRan) {
        await destroyThroughDeployer({
          config,
          clients,
          repositoryRoot: REPOSITORY_ROOT,
          environmentFile,
          log: (line) => log(`  ${line}`),
        });
        deployerRan = true;
      }
      destroyed.push(name);
      log(`  destroyed ${name} (in-VPC deployer)`);
      continue;
    }
    const started = Date.now();
    const init = ['init', '-input=false', '-no-color', '-reconfigure'];
    await runTerraform(dir, init, env, options.terraformOutput);
    const destroy = ['destroy', '-auto-approve', '-input=false', '-no-color'];
    await runTerraform(dir, destroy, env, options.terraformOutput);
    destroyed.push(name);
    log(`  destroyed ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  return destroyed;
}

/**
 * Destroys every stack of `config` in reverse deployment order, the state bucket last, then
 * verifies through the AWS API. Throws ProtectedEnvironmentError for protected environments before
 * anything else happens, and TerraformCommandError when a destroy fails.
 */
export async function teardownEnvironment(
  config: EnvironmentConfig,
  options: TeardownOptions,
): Promise<TeardownResult> {
  assertTeardownAllowed(config);
  const log = options.log ?? ((line: string) => console.log(line));
  const destroyed = options.verifyOnly
    ? []
    : await withClients(config, options, (clients) => destroyStacks(config, clients, options, log));
  const report = await verifyTeardown(config, options);
  log(formatLeftoverReport(config.name, report));
  for (const failed of report.failedChecks) log(`  could not check ${failed}`);
  return { destroyed, report, failedChecks: report.failedChecks };
}
