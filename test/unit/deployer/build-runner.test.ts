import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchGetBuildsCommand,
  Build,
  CodeBuildClient,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BuildOutcome, runBuild, STOP_GRACE_MS } from '../../../lib/deployer/build-runner';
import { describeOutcome } from '../../../lib/environments/deploy';

const ID = 'prod-deployer:0f6e2b4e-1111-2222-3333-444455556666';
const LOGS = { groupName: '/aws/codebuild/prod-deployer', streamName: '0f6e2b4e-1111' };

/** Answers the SDK calls the runner makes, as CodeBuild and CloudWatch Logs would. */
class FakeAws {
  readonly calls: string[] = [];
  readonly started: unknown[] = [];
  /** What BatchGetBuilds answers, call by call (the last one repeats). */
  builds: Build[] = [];
  /** Log pages GetLogEvents answers, by the token it is asked with ('' = first). */
  logPages: Record<string, { events: string[]; next: string }> = {};
  logMissingUntil = 0;
  private describes = 0;
  private logCalls = 0;
  stopped = false;

  readonly codebuild = {
    send: async (command: unknown) => {
      if (command instanceof StartBuildCommand) {
        this.calls.push('StartBuild');
        this.started.push(command.input);
        return { build: { id: ID, buildStatus: 'IN_PROGRESS' } };
      }
      if (command instanceof BatchGetBuildsCommand) {
        this.calls.push('BatchGetBuilds');
        const build = this.builds[Math.min(this.describes++, this.builds.length - 1)];
        return { builds: [build] };
      }
      if (command instanceof StopBuildCommand) {
        this.calls.push('StopBuild');
        assert.equal(command.input.id, ID);
        this.stopped = true;
        return {};
      }
      throw new Error(`unexpected CodeBuild call ${String(command)}`);
    },
  } as unknown as Pick<CodeBuildClient, 'send'>;

  readonly logs = {
    send: async (command: unknown) => {
      if (!(command instanceof GetLogEventsCommand)) throw new Error('unexpected Logs call');
      assert.equal(command.input.logGroupName, LOGS.groupName);
      assert.equal(command.input.logStreamName, LOGS.streamName);
      assert.equal(command.input.startFromHead, true);
      if (this.logCalls++ < this.logMissingUntil) {
        throw Object.assign(new Error('The specified log stream does not exist.'), {
          name: 'ResourceNotFoundException',
        });
      }
      const token = command.input.nextToken ?? '';
      const page = this.logPages[token] ?? { events: [], next: token };
      return {
        events: page.events.map((message) => ({ message: `${message}\n` })),
        nextForwardToken: page.next,
      };
    },
  } as unknown as Pick<CloudWatchLogsClient, 'send'>;
}

function inProgress(phase: string): Build {
  return { id: ID, buildStatus: 'IN_PROGRESS', currentPhase: phase, logs: LOGS };
}

async function run(
  aws: FakeAws,
  options: { timeoutMs?: number; signal?: AbortSignal; tick?: () => void } = {},
): Promise<{ outcome: BuildOutcome; lines: string[]; slept: number }> {
  const lines: string[] = [];
  let clock = 0;
  let slept = 0;
  const outcome = await runBuild({
    codebuild: aws.codebuild,
    logs: aws.logs,
    projectName: 'prod-deployer',
    sourceVersion: 'v-123',
    timeoutMs: options.timeoutMs ?? 60 * 60_000,
    pollIntervalMs: 5_000,
    signal: options.signal,
    log: (line) => lines.push(line),
    now: () => clock,
    sleep: async (ms) => {
      slept += 1;
      clock += ms;
      options.tick?.();
    },
  });
  return { outcome, lines, slept };
}

describe('runBuild', () => {
  it('starts the project on the uploaded bundle version, prints each log line once, and succeeds', async () => {
    const aws = new FakeAws();
    aws.builds = [
      inProgress('PROVISIONING'),
      inProgress('BUILD'),
      {
        id: ID,
        buildStatus: 'SUCCEEDED',
        buildComplete: true,
        currentPhase: 'COMPLETED',
        logs: LOGS,
      },
    ];
    aws.logPages = {
      '': { events: ['[Container] Entering phase INSTALL'], next: 't1' },
      t1: { events: ['Terraform v1.11.4', 'Apply complete!'], next: 't2' },
    };
    const { outcome, lines } = await run(aws);
    assert.deepEqual(aws.started, [
      {
        projectName: 'prod-deployer',
        sourceVersion: 'v-123',
        environmentVariablesOverride: undefined,
      },
    ]);
    assert.equal(outcome.succeeded, true);
    assert.equal(outcome.status, 'SUCCEEDED');
    const logLines = lines.filter((l) => !l.startsWith('Started') && !l.startsWith(`[${ID}]`));
    assert.deepEqual(logLines, [
      '[Container] Entering phase INSTALL',
      'Terraform v1.11.4',
      'Apply complete!',
    ]);
    assert.deepEqual(
      lines.filter((l) => l.startsWith(`[${ID}] phase`)),
      [`[${ID}] phase PROVISIONING`, `[${ID}] phase BUILD`, `[${ID}] phase COMPLETED`],
    );
    assert.equal(aws.stopped, false);
  });

  it('asks the build to destroy the stacks for teardown', async () => {
    const aws = new FakeAws();
    aws.builds = [{ id: ID, buildStatus: 'SUCCEEDED', buildComplete: true }];
    const outcome = await runBuild({
      codebuild: aws.codebuild,
      logs: aws.logs,
      projectName: 'prod-deployer',
      sourceVersion: 'v-7',
      action: 'destroy',
      timeoutMs: 60_000,
      log: () => undefined,
      sleep: async () => undefined,
    });
    assert.equal(outcome.succeeded, true);
    assert.deepEqual(aws.started, [
      {
        projectName: 'prod-deployer',
        sourceVersion: 'v-7',
        environmentVariablesOverride: [
          { name: 'DEPLOYER_ACTION', value: 'destroy', type: 'PLAINTEXT' },
        ],
      },
    ]);
  });

  it('waits for the log stream to appear instead of failing', async () => {
    const aws = new FakeAws();
    aws.logMissingUntil = 2;
    aws.builds = [
      inProgress('PROVISIONING'),
      inProgress('BUILD'),
      inProgress('BUILD'),
      { id: ID, buildStatus: 'SUCCEEDED', buildComplete: true, logs: LOGS },
    ];
    aws.logPages = { '': { events: ['late line'], next: 't1' } };
    const { outcome, lines } = await run(aws);
    assert.equal(outcome.succeeded, true);
    assert.equal(lines.filter((l) => l === 'late line').length, 1);
  });

  it('reports the failed phase, its status and CodeBuild message', async () => {
    const aws = new FakeAws();
    aws.builds = [
      inProgress('BUILD'),
      {
        id: ID,
        buildStatus: 'FAILED',
        buildComplete: true,
        logs: LOGS,
        phases: [
          { phaseType: 'INSTALL', phaseStatus: 'SUCCEEDED' },
          {
            phaseType: 'BUILD',
            phaseStatus: 'FAILED',
            contexts: [
              {
                statusCode: 'COMMAND_EXECUTION_ERROR',
                message: 'Error while executing command: npx cdktf deploy. Reason: exit status 1',
              },
            ],
          },
          { phaseType: 'POST_BUILD' },
        ],
      },
    ];
    const { outcome } = await run(aws);
    assert.equal(outcome.succeeded, false);
    assert.deepEqual(outcome.failedPhase, {
      phase: 'BUILD',
      status: 'FAILED',
      message:
        'COMMAND_EXECUTION_ERROR: Error while executing command: npx cdktf deploy. Reason: exit status 1',
    });
    assert.equal(
      describeOutcome(outcome),
      `Build ${ID} ended with status FAILED in phase BUILD (FAILED: COMMAND_EXECUTION_ERROR: Error while executing command: npx cdktf deploy. Reason: exit status 1).`,
    );
  });

  it('stops the build once the bound passes and reports the timeout', async () => {
    const aws = new FakeAws();
    aws.builds = [inProgress('BUILD')];
    const stoppedBuild: Build = { id: ID, buildStatus: 'STOPPED', buildComplete: true, logs: LOGS };
    const { outcome, slept } = await run(aws, {
      timeoutMs: 60_000,
      tick: () => {
        if (aws.stopped) aws.builds = [stoppedBuild];
      },
    });
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.succeeded, false);
    assert.equal(outcome.status, 'STOPPED');
    assert.equal(aws.calls.filter((c) => c === 'StopBuild').length, 1);
    // 60 s at 5 s per poll: the stop comes with the poll that sees the bound passed.
    assert.equal(slept, 13);
    assert.match(describeOutcome(outcome), /did not finish in time and was stopped/);
  });

  it('stops the build when interrupted (Ctrl-C)', async () => {
    const aws = new FakeAws();
    aws.builds = [inProgress('BUILD')];
    const interrupt = new AbortController();
    let polls = 0;
    const { outcome } = await run(aws, {
      signal: interrupt.signal,
      tick: () => {
        if (++polls === 2) interrupt.abort();
        if (aws.stopped) aws.builds = [{ id: ID, buildStatus: 'STOPPED', buildComplete: true }];
      },
    });
    assert.equal(outcome.interrupted, true);
    assert.equal(outcome.succeeded, false);
    assert.deepEqual(
      aws.calls.filter((c) => c !== 'BatchGetBuilds'),
      ['StartBuild', 'StopBuild'],
    );
    assert.match(describeOutcome(outcome), /was interrupted and stopped/);
  });

  it('gives up waiting for the stop after a grace period', async () => {
    const aws = new FakeAws();
    aws.builds = [inProgress('BUILD')];
    const { outcome, slept } = await run(aws, { timeoutMs: 10_000 });
    assert.equal(outcome.timedOut, true);
    assert.equal(outcome.status, 'IN_PROGRESS');
    assert.equal(slept, 10_000 / 5_000 + STOP_GRACE_MS / 5_000);
  });
});
