/**
 * `npm run env:deploy`: every stack of an environment in dependency order. The AWS-only stacks
 * are applied from where the command runs; the in-cluster stacks either from the in-VPC deployer
 * (default: upload the source bundle, start the build, stream its log, wait) or, with `--direct`,
 * from here too when every cluster API they use is public. Everything that can refuse the run is
 * checked before anything changes.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig } from '../config/schema';
import { deployOrder, StackManifest } from './stack-order';
import { stateBucketName, stateRegion } from '../state/backend';
import { BuildOutcome, runBuild } from '../deployer/build-runner';
import type { DeployerAction } from '../deployer/buildspec';
import { packBundle } from '../deployer/bundle';
import {
  deployerBucketName,
  deployerNames,
  QUEUED_TIMEOUT_MINUTES,
  SOURCE_BUNDLE_KEY,
} from '../deployer/names';
import {
  directPathProblems,
  environmentStackRoles,
  inVpcCommand,
  inVpcPathProblems,
  unroutedDownstreams,
} from './reach';

/** Minutes the command waits beyond CodeBuild's own limits before it gives up on a build. */
const WAIT_MARGIN_MINUTES = 10;

/** The run was refused before anything changed. */
export class DeployRefusedError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'DeployRefusedError';
  }
}

export type DeployPath = 'in-vpc' | 'direct';

export interface PreflightOptions {
  /** Apply the in-cluster stacks from here instead of the deployer. */
  readonly direct?: boolean;
  /** Running in CI, where a runner's files (local state) are gone after the job. */
  readonly ci?: boolean;
}

/**
 * Why this run cannot work, from the environment file alone; throws DeployRefusedError naming
 * every problem and what to do instead. Pure.
 */
export function assertDeployable(config: EnvironmentConfig, options: PreflightOptions = {}): void {
  const problems: string[] = [];
  const path: DeployPath = options.direct ? 'direct' : 'in-vpc';
  if (options.ci && config.state.backend !== 's3') {
    problems.push(
      `state.backend is ${config.state.backend}: state files written on a CI runner are lost when the job ends; set state.backend: s3`,
    );
  }
  if (path === 'direct') {
    const unreachable = directPathProblems(config);
    if (unreachable.length > 0) {
      throw new DeployRefusedError(
        `Refusing --direct for environment ${config.name}: its in-cluster stacks use cluster APIs ` +
          `that do not answer outside their VPCs:\n${bullets(unreachable)}\n` +
          `Nothing was changed. Run \`${inVpcCommand(config.name)}\` without --direct: the ` +
          `in-VPC deployer applies them from inside the network.`,
        [...problems, ...unreachable],
      );
    }
  } else {
    problems.push(...inVpcPathProblems(config));
  }
  if (problems.length > 0) {
    const alternative =
      path === 'in-vpc' && directPathProblems(config).length === 0
        ? ` Every cluster API of this environment is public: \`${inVpcCommand(config.name)} --direct\` applies the in-cluster stacks from here.`
        : '';
    throw new DeployRefusedError(
      `Cannot deploy environment ${config.name} ${path === 'direct' ? 'directly' : 'through the in-VPC deployer'}:\n` +
        `${bullets(problems)}\nNothing was changed.${alternative}`,
      problems,
    );
  }
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}

/** What the run does, in order. */
export interface DeployPlan {
  readonly path: DeployPath;
  /** Applied from here. */
  readonly local: readonly string[];
  /** Applied by the deployer's build (empty on the direct path). */
  readonly inVpc: readonly string[];
}

/**
 * Splits the synthesized stacks, in dependency order, into what runs here and what runs in the
 * deployer; the bootstrap stack is never part of a deploy. Throws on a stack it cannot place.
 */
export function planDeploy(
  config: EnvironmentConfig,
  manifest: StackManifest,
  path: DeployPath,
): DeployPlan {
  const roles = environmentStackRoles(config);
  const inCluster = new Set(roles.inCluster.map((s) => s.name));
  const awsOnly = new Set(roles.awsOnly);
  const order = deployOrder(manifest).filter((name) => name !== roles.bootstrap);
  const unknown = order.filter((name) => !inCluster.has(name) && !awsOnly.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `env:deploy does not know whether ${unknown.join(', ')} need a cluster API; lib/environments/reach.ts must classify every stack.`,
    );
  }
  const aws = order.filter((name) => awsOnly.has(name));
  const cluster = order.filter((name) => inCluster.has(name));
  return path === 'direct'
    ? { path, local: [...aws, ...cluster], inVpc: [] }
    : { path, local: aws, inVpc: cluster };
}

/** The AWS API clients a deploy calls. */
export interface DeployClients {
  readonly sts: Pick<STSClient, 'send'>;
  readonly s3: Pick<S3Client, 'send'>;
  readonly codebuild: Pick<CodeBuildClient, 'send'>;
  readonly logs: Pick<CloudWatchLogsClient, 'send'>;
}

/** The account the credentials belong to; refuses another than `accountId`. */
export async function callerAccount(
  config: EnvironmentConfig,
  sts: Pick<STSClient, 'send'>,
): Promise<string> {
  const { Account } = await sts.send(new GetCallerIdentityCommand({}));
  if (!Account) throw new Error('STS GetCallerIdentity returned no account.');
  if (config.target === 'aws' && config.accountId && Account !== config.accountId) {
    throw new DeployRefusedError(
      `The AWS credentials belong to account ${Account}, but environment "${config.name}" lives in account ${config.accountId} (accountId); nothing was changed.`,
      ['accountId'],
    );
  }
  return Account;
}

/** Refuses S3 state whose bucket does not exist yet: the bootstrap stack comes first, by hand. */
export async function assertStateBucket(
  config: EnvironmentConfig,
  s3: Pick<S3Client, 'send'>,
  bootstrapStack: string,
): Promise<void> {
  if (config.state.backend !== 's3') return;
  const bucket = stateBucketName(config);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'NotFound' && name !== 'NoSuchBucket') throw error;
    throw new DeployRefusedError(
      `The state bucket ${bucket} (region ${stateRegion(config)}) does not exist. Deploy it once, ` +
        `by hand: \`RANCHER_ENV_FILE=<this file> npx cdktf deploy ${bootstrapStack}\`; then run ` +
        `\`${inVpcCommand(config.name)}\` again. Nothing was changed.`,
      ['state.bucket'],
    );
  }
}

export interface InVpcBuildOptions {
  readonly config: EnvironmentConfig;
  readonly clients: DeployClients;
  readonly accountId: string;
  /** The repository checkout whose tracked files the build runs. */
  readonly repositoryRoot: string;
  readonly environmentFile: string;
  /** @default deploy */
  readonly action?: DeployerAction;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Uploads the source bundle and runs the deployer's build to its end. */
export async function runInVpcBuild(options: InVpcBuildOptions): Promise<BuildOutcome> {
  const { config, clients, log } = options;
  const bucket = deployerBucketName(config.name, options.accountId);
  const bundle = packBundle(options.repositoryRoot, options.environmentFile);
  const uploaded = await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: SOURCE_BUNDLE_KEY, Body: bundle.zip }),
  );
  if (!uploaded.VersionId) {
    throw new Error(`s3://${bucket}/${SOURCE_BUNDLE_KEY} has no version id; is versioning on?`);
  }
  log(
    `Uploaded ${bundle.files.length} files (${Math.ceil(bundle.zip.length / 1024)} KiB) to s3://${bucket}/${SOURCE_BUNDLE_KEY} (version ${uploaded.VersionId}).`,
  );
  const minutes =
    config.deployer.buildTimeoutMinutes + QUEUED_TIMEOUT_MINUTES + WAIT_MARGIN_MINUTES;
  return runBuild({
    codebuild: clients.codebuild,
    logs: clients.logs,
    projectName: deployerNames(config.name).project,
    sourceVersion: uploaded.VersionId,
    action: options.action,
    timeoutMs: minutes * 60_000,
    pollIntervalMs: options.pollIntervalMs,
    signal: options.signal,
    sleep: options.sleep,
    log,
  });
}

/** One line on how a build ended, for the log and the exit code's explanation. */
export function describeOutcome(outcome: BuildOutcome): string {
  if (outcome.succeeded) return `Build ${outcome.buildId} succeeded.`;
  const why = outcome.interrupted
    ? 'was interrupted and stopped'
    : outcome.timedOut
      ? 'did not finish in time and was stopped'
      : `ended with status ${outcome.status}`;
  const phase = outcome.failedPhase
    ? ` in phase ${outcome.failedPhase.phase} (${outcome.failedPhase.status}${outcome.failedPhase.message ? `: ${outcome.failedPhase.message}` : ''})`
    : '';
  return `Build ${outcome.buildId} ${why}${phase}.`;
}

/** Notes worth printing before a long run (not errors). */
export function deployNotes(config: EnvironmentConfig): string[] {
  return unroutedDownstreams(config);
}

/** The synthesized stacks: where each stack's directory is and how they depend on each other. */
export interface SynthesizedEnvironment {
  readonly manifest: StackManifest;
  /** The directory of stack `name`. */
  dirOf(name: string): string;
}

export interface DeployEnvironmentOptions extends PreflightOptions {
  readonly config: EnvironmentConfig;
  /** The environment file (it travels with the bundle). */
  readonly environmentFile: string;
  /** The repository checkout (its tracked files travel with the bundle). */
  readonly repositoryRoot: string;
  /** Check and print what would happen; change nothing. */
  readonly dryRun?: boolean;
  readonly clients: DeployClients;
  /** Synthesizes the environment's stacks (stacks/ is not a dependency of lib/). */
  readonly synthesize: () => SynthesizedEnvironment;
  /** `terraform init` and `apply` of one stack; rejects when either fails. */
  readonly applyStack: (name: string, dir: string) => Promise<void>;
  readonly log: (line: string) => void;
  /** Ctrl-C: no further stack is started, and a running build is stopped. */
  readonly signal?: AbortSignal;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
}

export interface DeployResult {
  readonly plan: DeployPlan;
  /** Stacks applied from here, in order. */
  readonly applied: readonly string[];
  /** The deployer's build, when the in-cluster stacks went through it. */
  readonly build?: BuildOutcome;
  readonly succeeded: boolean;
}

/**
 * Checks everything that can refuse the run, then applies the AWS-only stacks from here and the
 * in-cluster stacks through the deployer (or from here with `direct`).
 */
export async function deployEnvironment(options: DeployEnvironmentOptions): Promise<DeployResult> {
  const { config, clients, log } = options;
  assertDeployable(config, options);
  const accountId = await callerAccount(config, clients.sts);
  const roles = environmentStackRoles(config);
  if (roles.bootstrap) await assertStateBucket(config, clients.s3, roles.bootstrap);
  const synthesized = options.synthesize();
  const plan = planDeploy(config, synthesized.manifest, options.direct ? 'direct' : 'in-vpc');
  log(`Environment ${config.name}, account ${accountId}, region ${config.region}:`);
  log(`  from here: ${plan.local.join(' -> ') || 'nothing'}`);
  if (plan.inVpc.length > 0) {
    log(`  in the deployer (${deployerNames(config.name).project}): ${plan.inVpc.join(' -> ')}`);
  }
  for (const note of deployNotes(config)) log(`Note: ${note}`);
  if (options.dryRun) {
    log('Dry run: nothing was changed.');
    return { plan, applied: [], succeeded: true };
  }

  const applied: string[] = [];
  for (const name of plan.local) {
    if (options.signal?.aborted) {
      log(`Interrupted before ${name}.`);
      return { plan, applied, succeeded: false };
    }
    const started = Date.now();
    log(`Applying ${name} ...`);
    await options.applyStack(name, synthesized.dirOf(name));
    applied.push(name);
    log(`Applied ${name} (${Math.round((Date.now() - started) / 1000)} s).`);
  }
  if (plan.inVpc.length === 0) return { plan, applied, succeeded: true };
  if (options.signal?.aborted) return { plan, applied, succeeded: false };

  const build = await runInVpcBuild({
    config,
    clients,
    accountId,
    repositoryRoot: options.repositoryRoot,
    environmentFile: options.environmentFile,
    log,
    signal: options.signal,
    pollIntervalMs: options.pollIntervalMs,
  });
  log(describeOutcome(build));
  return { plan, applied, build, succeeded: build.succeeded };
}

/**
 * The in-cluster stacks a teardown must leave to the deployer's destroy build: all of them when
 * any uses a private API and the deployer can run (it destroys them in one build, agents first);
 * none otherwise (they are destroyed from where teardown runs).
 */
export function stacksDestroyedByDeployer(config: EnvironmentConfig): string[] {
  if (inVpcPathProblems(config).length > 0) return [];
  const stacks = environmentStackRoles(config).inCluster;
  return stacks.some((s) => s.privateApis.length > 0) ? stacks.map((s) => s.name) : [];
}

/** Runs the deployer's destroy build (teardown); throws unless it succeeded. */
export async function destroyThroughDeployer(
  options: Omit<InVpcBuildOptions, 'action' | 'accountId'>,
): Promise<BuildOutcome> {
  const accountId = await callerAccount(options.config, options.clients.sts);
  const outcome = await runInVpcBuild({ ...options, accountId, action: 'destroy' });
  options.log(describeOutcome(outcome));
  if (!outcome.succeeded) {
    throw new Error(
      `The in-VPC deployer did not destroy the in-cluster stacks of ${options.config.name}: ${describeOutcome(outcome)} Nothing after them was destroyed.`,
    );
  }
  return outcome;
}
