import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_ENVIRONMENT_FILE,
  environmentFileFromProcess,
  loadEnvironmentFile,
  parseEnvironment,
} from '../../../lib/config/load';
import { synthesizeEnvironmentFile } from '../../../stacks';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENVIRONMENTS = path.join(ROOT, 'environments');

describe('shipped environment files', () => {
  for (const file of readdirSync(ENVIRONMENTS).filter((f) => f.endsWith('.yaml'))) {
    it(`${file} is valid`, () => {
      const config = loadEnvironmentFile(path.join(ENVIRONMENTS, file));
      assert.match(config.name, /^[a-z]/);
    });
  }

  it('the embedded default targets the emulator', () => {
    const config = loadEnvironmentFile(DEFAULT_ENVIRONMENT_FILE);
    assert.equal(config.target, 'local');
    assert.equal(config.management.distribution, 'eks');
  });
});

describe('defaults', () => {
  const config = parseEnvironment({
    name: 'dev',
    owner: 'team',
    dns: { hostname: 'rancher.dev.internal' },
  });

  it('follows the quick start network layout', () => {
    assert.deepEqual(config.network, {
      vpcCidr: '10.0.0.0/16',
      availabilityZones: 3,
      privateSubnetPrefix: 19,
      publicSubnetPrefix: 20,
      natGateways: 'perAz',
    });
  });

  it('keeps the EKS endpoint private and pins the versions', () => {
    assert.equal(config.management.eks.endpointAccess, 'private');
    assert.equal(config.management.kubernetesVersion, '1.36');
    assert.equal(config.rancher.version, '2.15.0');
    assert.equal(config.rancher.tls.mode, 'rancher');
    assert.equal(config.target, 'aws');
  });
});

describe('environment file selection', () => {
  it('falls back to environments/local.yaml', () => {
    assert.equal(environmentFileFromProcess({}), DEFAULT_ENVIRONMENT_FILE);
    assert.equal(environmentFileFromProcess({ RANCHER_ENV_FILE: '' }), DEFAULT_ENVIRONMENT_FILE);
  });

  it('takes RANCHER_ENV_FILE', () => {
    assert.equal(environmentFileFromProcess({ RANCHER_ENV_FILE: '/tmp/x.yaml' }), '/tmp/x.yaml');
  });

  it('reports a missing file by name', () => {
    assert.throws(
      () => loadEnvironmentFile('/nonexistent/env.yaml'),
      /\/nonexistent\/env.yaml: 1 problem.*cannot read the file/s,
    );
  });
});

describe('synthesizeEnvironmentFile', () => {
  it('writes the stacks of a valid file (the control for the invalid corpus)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rancher-synth-'));
    try {
      const outdir = path.join(dir, 'out');
      const stacks = synthesizeEnvironmentFile(DEFAULT_ENVIRONMENT_FILE, {
        outdir,
        localStateDir: dir,
      });
      assert.equal(stacks.management.node.id, 'local-management');
      assert.ok(existsSync(path.join(outdir, 'manifest.json')));
      assert.ok(existsSync(path.join(outdir, 'stacks', 'local-management', 'cdk.tf.json')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('main.ts with an invalid environment', () => {
  it('exits 1, prints every problem and synthesizes nothing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rancher-env-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      writeFileSync(
        file,
        'name: X\nowner: team\nregion: nowhere\ndns: { hostname: rancher.a.internal }\n',
      );
      const outdir = path.join(dir, 'out');
      const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main.ts')], {
        cwd: ROOT,
        env: { ...process.env, RANCHER_ENV_FILE: file, CDKTF_OUTDIR: outdir },
        encoding: 'utf8',
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /2 problems; nothing was synthesized/);
      assert.match(result.stderr, /name: expected 2-20 characters/);
      assert.match(result.stderr, /region: expected an AWS region/);
      assert.equal(existsSync(outdir), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
