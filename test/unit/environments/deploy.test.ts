import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  StartBuildCommand,
} from '@aws-sdk/client-codebuild';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { strFromU8, unzipSync } from 'fflate';
import type { EnvironmentConfig } from '../../../lib/config/schema';
import {
  assertDeployable,
  deployEnvironment,
  DeployRefusedError,
  planDeploy,
  stacksDestroyedByDeployer,
} from '../../../lib/environments/deploy';
import { packBundle } from '../../../lib/deployer/bundle';
import { buildEnvironment } from '../../../stacks';
import { scratchDir } from '../../helpers/scratch';
import { environment, Json, testApp } from '../../helpers/template';

const PUBLIC = { endpointAccess: 'both', publicAccessCidrs: ['203.0.113.0/24'] };

function manifestOf(config: EnvironmentConfig) {
  const app = testApp();
  buildEnvironment(app, config);
  app.synth();
  return app.manifest;
}

/** A git checkout with two tracked files, one untracked and one deleted from the work tree. */
function checkout(): { root: string; environmentFile: string } {
  const root = scratchDir('checkout');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  mkdirSync(path.join(root, 'lib'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"x"}\n');
  writeFileSync(path.join(root, 'lib', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'gone.txt'), 'gone\n');
  git('add', 'package.json', 'lib/a.ts', 'gone.txt');
  execFileSync('rm', [path.join(root, 'gone.txt')]);
  writeFileSync(path.join(root, 'terraform.prod-management.tfstate'), '{"secret":"state"}');
  const environmentFile = path.join(scratchDir('env'), 'prod.yaml');
  writeFileSync(environmentFile, 'name: prod\n');
  return { root, environmentFile };
}

interface Recorded {
  calls: string[];
}

/** SDK clients whose calls are recorded; answers as AWS would for an environment that exists. */
function fakeClients(
  recorded: Recorded,
  options: { account?: string; bucketMissing?: boolean; buildStatus?: string } = {},
) {
  const send =
    (service: string, answer: (command: unknown) => unknown) => async (command: unknown) => {
      recorded.calls.push(
        `${service}:${(command as object).constructor.name.replace(/Command$/, '')}`,
      );
      return answer(command);
    };
  return {
    sts: {
      send: send('sts', (c) => {
        assert.ok(c instanceof GetCallerIdentityCommand);
        return { Account: options.account ?? '123456789012' };
      }),
    } as unknown as Pick<STSClient, 'send'>,
    s3: {
      send: send('s3', (c) => {
        if (c instanceof HeadBucketCommand) {
          if (options.bucketMissing)
            throw Object.assign(new Error('Not Found'), { name: 'NotFound' });
          return {};
        }
        if (c instanceof PutObjectCommand) return { VersionId: 'v-42' };
        throw new Error('unexpected S3 call');
      }),
    } as unknown as Pick<S3Client, 'send'>,
    codebuild: {
      send: send('codebuild', (c) => {
        if (c instanceof StartBuildCommand) return { build: { id: 'prod-deployer:1' } };
        if (c instanceof BatchGetBuildsCommand) {
          return {
            builds: [
              {
                id: 'prod-deployer:1',
                buildStatus: options.buildStatus ?? 'SUCCEEDED',
                buildComplete: true,
              },
            ],
          };
        }
        throw new Error('unexpected CodeBuild call');
      }),
    } as unknown as Pick<CodeBuildClient, 'send'>,
    logs: { send: send('logs', () => ({ events: [] })) } as unknown as Pick<
      CloudWatchLogsClient,
      'send'
    >,
  };
}

function deploy(config: EnvironmentConfig, overrides: Json = {}, clientOptions = {}) {
  const recorded: Recorded = { calls: [] };
  const applied: string[] = [];
  const lines: string[] = [];
  const { root, environmentFile } = checkout();
  const run = deployEnvironment({
    config,
    environmentFile,
    repositoryRoot: root,
    clients: fakeClients(recorded, clientOptions),
    synthesize: () => {
      recorded.calls.push('synth');
      return { manifest: manifestOf(config), dirOf: (name) => `/stacks/${name}` };
    },
    applyStack: async (name, dir) => {
      assert.equal(dir, `/stacks/${name}`);
      applied.push(name);
    },
    log: (line) => lines.push(line),
    pollIntervalMs: 1,
    ...overrides,
  });
  return { run, recorded, applied, lines };
}

const S3_STATE = { name: 'prod', state: { backend: 's3' } };

describe('env:deploy refuses before any change', () => {
  it('refuses --direct for a private management endpoint, naming the setting and the in-VPC command', async () => {
    const { run, recorded, applied } = deploy(environment(S3_STATE), { direct: true });
    await assert.rejects(run, (error: Error) => {
      assert.ok(error instanceof DeployRefusedError);
      assert.match(error.message, /management\.eks\.endpointAccess is private/);
      assert.match(error.message, /Run `npm run env:deploy -- prod` without --direct/);
      assert.match(error.message, /Nothing was changed/);
      return true;
    });
    assert.deepEqual(recorded.calls, []);
    assert.deepEqual(applied, []);
  });

  it('refuses --direct with an RKE2 management cluster whatever the endpoint settings', () => {
    assert.throws(
      () =>
        assertDeployable(environment({ management: { distribution: 'rke2', rke2: {} } }), {
          direct: true,
        }),
      /management\.distribution is rke2/,
    );
  });

  it('refuses the in-VPC path with local state, and points to --direct when every API is public', () => {
    assert.throws(
      () => assertDeployable(environment({ management: { eks: PUBLIC } })),
      (error: Error) => {
        assert.match(error.message, /state\.backend is local/);
        assert.match(
          error.message,
          /`npm run env:deploy -- test --direct` applies the in-cluster stacks from here/,
        );
        return true;
      },
    );
  });

  it('refuses certificate files on the in-VPC path, pointing to secretsManagerArn', () => {
    assert.throws(
      () =>
        assertDeployable(
          environment({
            ...S3_STATE,
            rancher: {
              tls: { mode: 'secret', secret: { certificateFile: 'a.crt', keyFile: 'a.key' } },
            },
          }),
        ),
      /rancher\.tls\.secret\.secretsManagerArn instead/,
    );
  });

  it('refuses local state in CI, even for the direct path', () => {
    assert.throws(
      () =>
        assertDeployable(environment({ management: { eks: PUBLIC } }), { direct: true, ci: true }),
      /state files written on a CI runner are lost/,
    );
    assert.doesNotThrow(() =>
      assertDeployable(environment({ management: { eks: PUBLIC } }), { direct: true }),
    );
  });

  it('refuses when the state bucket does not exist, saying to deploy the bootstrap stack', async () => {
    const { run, recorded, applied } = deploy(environment(S3_STATE), {}, { bucketMissing: true });
    await assert.rejects(
      run,
      /The state bucket prod-tfstate .*does not exist.*npx cdktf deploy prod-bootstrap/s,
    );
    assert.deepEqual(recorded.calls, ['sts:GetCallerIdentity', 's3:HeadBucket']);
    assert.deepEqual(applied, []);
  });

  it('refuses credentials of another account', async () => {
    const config = environment({ ...S3_STATE, target: 'aws', accountId: '111111111111' });
    const { run, applied } = deploy(config, {}, { account: '222222222222' });
    await assert.rejects(
      run,
      /belong to account 222222222222, but environment "prod" lives in account 111111111111/,
    );
    assert.deepEqual(applied, []);
  });
});

describe('env:deploy runs', () => {
  const config = environment({ ...S3_STATE, downstream: [{ name: 'apps' }, { name: 'data' }] });

  it('applies the AWS-only stacks here in order, then the in-cluster ones in one build', async () => {
    const { run, recorded, applied, lines } = deploy(config);
    const result = await run;
    assert.deepEqual(applied, ['prod-management', 'prod-apps-cluster', 'prod-data-cluster']);
    assert.deepEqual(result.plan.inVpc, ['prod-rancher', 'prod-apps-agent', 'prod-data-agent']);
    assert.equal(result.succeeded, true);
    assert.deepEqual(recorded.calls, [
      'sts:GetCallerIdentity',
      's3:HeadBucket',
      'synth',
      's3:PutObject',
      'codebuild:StartBuild',
      'codebuild:BatchGetBuilds',
    ]);
    assert.ok(lines.includes('Build prod-deployer:1 succeeded.'));
  });

  it('fails when the build fails', async () => {
    const { run } = deploy(config, {}, { buildStatus: 'FAILED' });
    const result = await run;
    assert.equal(result.succeeded, false);
    assert.equal(result.build?.status, 'FAILED');
  });

  it('changes nothing on a dry run, after the same checks', async () => {
    const { run, recorded, applied, lines } = deploy(config, { dryRun: true });
    const result = await run;
    assert.deepEqual(applied, []);
    assert.deepEqual(recorded.calls, ['sts:GetCallerIdentity', 's3:HeadBucket', 'synth']);
    assert.equal(result.build, undefined);
    assert.ok(lines.includes('Dry run: nothing was changed.'));
    assert.ok(
      lines.some((l) =>
        l.includes(
          'in the deployer (prod-deployer): prod-rancher -> prod-apps-agent -> prod-data-agent',
        ),
      ),
    );
  });

  it('applies everything from here with --direct when every API is public, AWS-only stacks first', async () => {
    const publicConfig = environment({
      ...S3_STATE,
      management: { eks: PUBLIC },
      downstream: [{ name: 'apps', eks: PUBLIC }],
    });
    const { run, recorded, applied } = deploy(publicConfig, { direct: true });
    await run;
    assert.deepEqual(applied, [
      'prod-management',
      'prod-apps-cluster',
      'prod-rancher',
      'prod-apps-agent',
    ]);
    assert.ok(!recorded.calls.some((c) => c.startsWith('codebuild:')));
  });

  it('starts no further stack once interrupted', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const { run, applied } = deploy(config, { signal: interrupt.signal });
    const result = await run;
    assert.equal(result.succeeded, false);
    assert.deepEqual(applied, []);
  });
});

describe('planDeploy', () => {
  it('never deploys the bootstrap stack', () => {
    const config = environment(S3_STATE);
    const plan = planDeploy(config, manifestOf(config), 'in-vpc');
    assert.deepEqual(plan, { path: 'in-vpc', local: ['prod-management'], inVpc: ['prod-rancher'] });
  });
});

describe('packBundle', () => {
  it('holds the tracked files of the work tree and the environment file, nothing untracked', () => {
    const { root, environmentFile } = checkout();
    writeFileSync(path.join(root, 'lib', 'a.ts'), 'export const a = 2; // edited, not committed\n');
    const bundle = packBundle(root, environmentFile);
    const files = unzipSync(bundle.zip);
    assert.deepEqual(Object.keys(files).sort(), [
      '.deployer/environment.yaml',
      'lib/a.ts',
      'package.json',
    ]);
    assert.equal(strFromU8(files['lib/a.ts']), 'export const a = 2; // edited, not committed\n');
    assert.equal(strFromU8(files['.deployer/environment.yaml']), 'name: prod\n');
  });

  it('refuses a directory that is not a git checkout', () => {
    assert.throws(
      () => packBundle(scratchDir('plain'), path.join(scratchDir('env'), 'x.yaml')),
      /is not a git checkout: env:deploy sends the repository's tracked files/,
    );
  });
});

describe('stacksDestroyedByDeployer (teardown)', () => {
  it('leaves every in-cluster stack to the deployer when one of them uses a private API', () => {
    const config = environment({ ...S3_STATE, downstream: [{ name: 'apps', eks: PUBLIC }] });
    assert.deepEqual(stacksDestroyedByDeployer(config), ['prod-rancher', 'prod-apps-agent']);
  });

  it('leaves none when every API is public, or the deployer cannot run', () => {
    assert.deepEqual(
      stacksDestroyedByDeployer(environment({ ...S3_STATE, management: { eks: PUBLIC } })),
      [],
    );
    assert.deepEqual(stacksDestroyedByDeployer(environment({ name: 'prod' })), []);
    assert.deepEqual(
      stacksDestroyedByDeployer(environment({ ...S3_STATE, deployer: { enabled: false } })),
      [],
    );
  });
});
