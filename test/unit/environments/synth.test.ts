import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { destroyOrder } from '../../../lib/environments/stack-order';
import { stackDirectory, synthEnvironmentStacks } from '../../../lib/environments/synth';
import { buildEnvironment } from '../../../stacks';
import { environment, Json } from '../../helpers/template';

const work = mkdtempSync(path.join(tmpdir(), 'synth-unit-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('synthEnvironmentStacks', () => {
  it('adds the bootstrap stack and S3 backends for S3 state, and destroys the bootstrap stack last', () => {
    const config = environment({ name: 'pr-8', state: { backend: 's3' } });
    const synthesized = synthEnvironmentStacks(config, {
      buildEnvironment,
      emulatorEndpoint: 'http://127.0.0.1:4566',
      outdir: path.join(work, 'out'),
      localStateDir: work,
    });
    const { outdir, manifest } = synthesized;
    assert.equal(outdir, path.join(work, 'out'));
    assert.deepEqual(destroyOrder(manifest, { last: 'pr-8-bootstrap' }), [
      'pr-8-rancher',
      'pr-8-management',
      'pr-8-bootstrap',
    ]);
    const read = (name: string) =>
      JSON.parse(readFileSync(path.join(stackDirectory(synthesized, name), 'cdk.tf.json'), 'utf8'))
        .terraform as { backend: Json; provider?: { aws?: Json[] } };
    assert.equal(
      stackDirectory(synthesized, 'pr-8-management'),
      path.join(work, 'out', 'stacks', 'pr-8-management'),
    );
    assert.deepEqual(read('pr-8-bootstrap').backend, {
      local: { path: path.join(work, 'terraform.pr-8-bootstrap.tfstate') },
    });
    const management = read('pr-8-management').backend.s3 as Json;
    assert.equal(management.bucket, 'pr-8-tfstate');
    assert.equal(management.key, 'pr-8/pr-8-management.tfstate');
    assert.equal(management.use_lockfile, true);
    // A local environment's backend talks to the emulator it was given.
    const emulator = 'http://127.0.0.1:4566';
    assert.deepEqual(management.endpoints, { s3: emulator, sts: emulator, iam: emulator });
  });
});
