import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { destroyOrder } from '../../../lib/environments/stack-order';
import {
  resolveEnvironmentFile,
  stackHasState,
  synthEnvironmentStacks,
} from '../../../scripts/env-teardown';
import { environment, Json } from '../../helpers/template';

const work = mkdtempSync(path.join(tmpdir(), 'teardown-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Never called for local state; a client that could not reach anything if it were.
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

describe('resolveEnvironmentFile', () => {
  it('looks a bare name up in the environments directory', () => {
    assert.equal(
      resolveEnvironmentFile('pr-12', '/repo/environments'),
      '/repo/environments/pr-12.yaml',
    );
  });

  it('takes a path as given', () => {
    assert.equal(
      resolveEnvironmentFile('/tmp/x/pr-3.yaml', '/repo/environments'),
      '/tmp/x/pr-3.yaml',
    );
  });
});

describe('stackHasState', () => {
  function stack(state: unknown | undefined): string {
    const dir = mkdtempSync(path.join(work, 'stack-'));
    const statePath = path.join(dir, 'state.tfstate');
    writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({ terraform: { backend: { local: { path: statePath } } } }),
    );
    if (state !== undefined) writeFileSync(statePath, JSON.stringify(state));
    return dir;
  }

  it('is false without a state file or with no resources in it', async () => {
    assert.equal(await stackHasState(stack(undefined), s3), false);
    assert.equal(await stackHasState(stack({ version: 4, resources: [] }), s3), false);
  });

  it('is true when the state holds resources', async () => {
    assert.equal(
      await stackHasState(stack({ version: 4, resources: [{ type: 'aws_vpc' }] }), s3),
      true,
    );
  });
});

describe('synthEnvironmentStacks', () => {
  it('adds the bootstrap stack and S3 backends for S3 state, and destroys the bootstrap stack last', () => {
    const config = environment({ name: 'pr-8', state: { backend: 's3' } });
    const { outdir, manifest } = synthEnvironmentStacks(config, {
      emulatorEndpoint: 'http://127.0.0.1:4566',
      outdir: path.join(work, 'out'),
      localStateDir: work,
    });
    assert.deepEqual(destroyOrder(manifest, { last: 'pr-8-bootstrap' }), [
      'pr-8-rancher',
      'pr-8-management',
      'pr-8-bootstrap',
    ]);
    const read = (name: string) =>
      JSON.parse(
        readFileSync(
          path.join(outdir, manifest.stacks[name].workingDirectory, 'cdk.tf.json'),
          'utf8',
        ),
      ) as { terraform: { backend: Json } };
    assert.deepEqual(read('pr-8-bootstrap').terraform.backend, {
      local: { path: path.join(work, 'terraform.pr-8-bootstrap.tfstate') },
    });
    const management = read('pr-8-management').terraform.backend.s3 as Json;
    assert.equal(management.bucket, 'pr-8-tfstate');
    assert.equal(management.key, 'pr-8/pr-8-management.tfstate');
    assert.equal(management.use_lockfile, true);
  });
});
