import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { scratchDir } from '../../helpers/scratch';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs the CLI as `npm run env:deploy` does, without credentials: nothing may reach AWS. */
function envDeploy(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts', 'env-deploy.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: scratchDir('home'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function environmentFile(yaml: string): string {
  const file = path.join(scratchDir('env'), 'env.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('scripts/env-deploy.ts', () => {
  it('refuses --direct for private cluster APIs with exit 3, naming the setting and the in-VPC command', () => {
    const run = envDeploy([path.join(ROOT, 'environments', 'with-downstream.yaml'), '--direct']);
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stderr, /downstream\[0\]\.eks\.endpointAccess is private/);
    assert.match(run.stderr, /Run `npm run env:deploy -- rancher-fleet` without --direct/);
  });

  it('refuses the in-VPC path for local state with exit 3 before any AWS call', () => {
    const run = envDeploy([path.join(ROOT, 'environments', 'rke2-single.yaml')]);
    assert.equal(run.status, 3, run.stderr);
    assert.match(run.stderr, /state\.backend is local: the deployer runs in CodeBuild/);
  });

  it('rejects an invalid environment file with exit 3 and every problem', () => {
    const file = environmentFile(
      'name: bad\nowner: team\ndns: { hostname: rancher.example.internal }\ndeployer: { computeType: HUGE }\n',
    );
    const run = envDeploy([file]);
    assert.equal(run.status, 3);
    assert.match(run.stderr, /deployer\.computeType/);
  });

  it('lists the stacks by role for the plan workflow', () => {
    const run = envDeploy([
      path.join(ROOT, 'environments', 'with-downstream.yaml'),
      '--list-stacks',
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      'bootstrap rancher-fleet-bootstrap',
      'aws rancher-fleet-management',
      'aws rancher-fleet-apps-cluster',
      'aws rancher-fleet-ci-cluster',
      'aws rancher-fleet-legacy-cluster',
      'in-cluster rancher-fleet-rancher',
      'in-cluster rancher-fleet-apps-agent',
      'in-cluster rancher-fleet-ci-agent',
      'in-cluster rancher-fleet-legacy-agent',
    ]);
  });

  it('answers bad arguments with exit 2 and the usage', () => {
    const run = envDeploy([]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Usage: npm run env:deploy -- <environment name or file>/);
  });
});
