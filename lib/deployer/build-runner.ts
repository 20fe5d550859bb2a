/**
 * Starts one build of the deployer's CodeBuild project, prints its log lines as CloudWatch Logs
 * receives them, and waits for a terminal status within a bound; stops the build when the bound
 * passes or the caller aborts (Ctrl-C). The SDK clients are passed in, so tests can answer their
 * calls.
 */
import {
  BatchGetBuildsCommand,
  Build,
  CodeBuildClient,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DEPLOYER_ACTION_VARIABLE, DeployerAction } from './buildspec';

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** After asking CodeBuild to stop, how long to wait for it to report a terminal status. */
export const STOP_GRACE_MS = 3 * 60_000;

export interface BuildRunnerClients {
  readonly codebuild: Pick<CodeBuildClient, 'send'>;
  readonly logs: Pick<CloudWatchLogsClient, 'send'>;
}

export interface RunBuildOptions extends BuildRunnerClients {
  readonly projectName: string;
  /** Object version of the uploaded source bundle (the project's source is one S3 key). */
  readonly sourceVersion: string;
  /**
   * Apply the in-cluster stacks, or destroy them (teardown).
   * @default deploy
   */
  readonly action?: DeployerAction;
  /** Give up (and stop the build) after this long. */
  readonly timeoutMs: number;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** Aborting stops the build (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Progress lines and the build's own log lines. */
  readonly log: (line: string) => void;
  /** @default - real timers */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The phase that did not succeed, as CodeBuild reports it. */
export interface FailedPhase {
  readonly phase: string;
  readonly status: string;
  readonly message?: string;
}

export interface BuildOutcome {
  readonly buildId: string;
  /** CodeBuild's buildStatus: SUCCEEDED, FAILED, FAULT, TIMED_OUT, STOPPED, or IN_PROGRESS. */
  readonly status: string;
  readonly succeeded: boolean;
  readonly failedPhase?: FailedPhase;
  /** The command's bound passed; it asked CodeBuild to stop the build. */
  readonly timedOut: boolean;
  /** The caller aborted; the command asked CodeBuild to stop the build. */
  readonly interrupted: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads the build's log stream from where the last call stopped. */
class LogFollower {
  private nextToken?: string;

  constructor(
    private readonly logs: Pick<CloudWatchLogsClient, 'send'>,
    private readonly print: (line: string) => void,
  ) {}

  async follow(build: Build): Promise<void> {
    const group = build.logs?.groupName;
    const stream = build.logs?.streamName;
    if (!group || !stream) return;
    for (;;) {
      let page;
      try {
        page = await this.logs.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            startFromHead: true,
            nextToken: this.nextToken,
          }),
        );
      } catch (error) {
        // The stream appears once the build container starts writing; until then, wait.
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return;
        throw error;
      }
      for (const event of page.events ?? []) {
        for (const line of (event.message ?? '').replace(/\n$/, '').split('\n')) this.print(line);
      }
      // CloudWatch Logs answers the same token once there is nothing newer.
      const unchanged = page.nextForwardToken === this.nextToken;
      this.nextToken = page.nextForwardToken ?? this.nextToken;
      if (unchanged || (page.events ?? []).length === 0) return;
    }
  }
}

async function describe(codebuild: Pick<CodeBuildClient, 'send'>, id: string): Promise<Build> {
  const { builds = [] } = await codebuild.send(new BatchGetBuildsCommand({ ids: [id] }));
  const build = builds.find((b) => b.id === id);
  if (!build) throw new Error(`CodeBuild does not know build ${id}.`);
  return build;
}

function failedPhaseOf(build: Build): FailedPhase | undefined {
  const phase = (build.phases ?? []).find(
    (p) => p.phaseStatus !== undefined && p.phaseStatus !== 'SUCCEEDED',
  );
  if (!phase) return undefined;
  const message = (phase.contexts ?? [])
    .map((c) => [c.statusCode, c.message].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
  return {
    phase: phase.phaseType ?? 'UNKNOWN',
    status: phase.phaseStatus ?? 'UNKNOWN',
    message: message || undefined,
  };
}

/** Runs one build to its end (or the bound) and reports how it ended. */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const poll = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const { codebuild, log } = options;

  const started = await codebuild.send(
    new StartBuildCommand({
      projectName: options.projectName,
      sourceVersion: options.sourceVersion,
      environmentVariablesOverride:
        options.action === 'destroy'
          ? [{ name: DEPLOYER_ACTION_VARIABLE, value: 'destroy', type: 'PLAINTEXT' }]
          : undefined,
    }),
  );
  const buildId = started.build?.id;
  if (!buildId) throw new Error(`CodeBuild started no build for project ${options.projectName}.`);
  log(`Started build ${buildId} of ${options.projectName}.`);

  const follower = new LogFollower(options.logs, log);
  const deadline = now() + options.timeoutMs;
  let stopDeadline: number | undefined;
  let timedOut = false;
  let interrupted = false;
  let lastPhase: string | undefined;
  const stop = async (why: string) => {
    log(`${why}: stopping build ${buildId}.`);
    await codebuild.send(new StopBuildCommand({ id: buildId }));
    stopDeadline = now() + STOP_GRACE_MS;
  };

  for (;;) {
    const build = await describe(codebuild, buildId);
    await follower.follow(build);
    if (build.currentPhase && build.currentPhase !== lastPhase) {
      lastPhase = build.currentPhase;
      log(`[${buildId}] phase ${lastPhase}`);
    }
    const status = build.buildStatus ?? 'IN_PROGRESS';
    if (build.buildComplete || status !== 'IN_PROGRESS') {
      return {
        buildId,
        status,
        succeeded: status === 'SUCCEEDED' && !timedOut && !interrupted,
        failedPhase: status === 'SUCCEEDED' ? undefined : failedPhaseOf(build),
        timedOut,
        interrupted,
      };
    }
    if (stopDeadline === undefined) {
      if (options.signal?.aborted) {
        interrupted = true;
        await stop('Interrupted');
      } else if (now() >= deadline) {
        timedOut = true;
        await stop(`No result within ${Math.round(options.timeoutMs / 60_000)} minutes`);
      }
    } else if (now() >= stopDeadline) {
      return { buildId, status, succeeded: false, timedOut, interrupted };
    }
    await sleep(poll);
  }
}
